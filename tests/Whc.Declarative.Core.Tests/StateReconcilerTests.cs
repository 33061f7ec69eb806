using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class StateReconcilerTests
{
    [Fact]
    public void Should_take_service_ids_from_the_inventory()
    {
        // Given state that has not yet recorded u01's and the site's service ids, and BT that has them
        var manifest = Simple(users: 1);
        var applied = Applied(manifest);
        var inventory = InventoryOf(applied);
        var state = applied with
        {
            Record = applied.Record! with { ServiceId = null, Active = false },
            Sites = [applied.Sites[0] with { ServiceId = null }],
            Users = [applied.Users[0] with { ServiceId = null }],
        };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, manifest, inventory);

        // Then the ids and the company's activity come from BT
        reconciled.Record!.ServiceId.Should().Be(CompanyServiceId);
        reconciled.Record.Active.Should().BeTrue();
        reconciled.Sites.Should().ContainSingle().Which.ServiceId.Should().Be("SI-hq");
        reconciled.Users.Should().ContainSingle().Which.ServiceId.Should().Be("US-u01");
    }

    [Fact]
    public void Should_record_the_address_a_new_site_was_made_at_once_and_keep_it()
    {
        // Given a site given by postcode that BT has just made, and state that has not recorded it yet
        var manifest = Manifest(SiteAtPostcode("hq", "IP1 1AA", "Unit 4", Users("u", 1).ToArray()));
        var applied = Applied(manifest);
        var inventory = InventoryOf(applied);
        var fresh = applied with { Sites = [] };

        // When state is reconciled, and later reconciled against a manifest that names another address
        var recorded = StateReconciler.Reconcile(fresh, manifest, inventory);
        var moved = manifest with { Sites = [manifest.Sites[0] with { Address = new Manifests.AddressSpec("IP4 2BB", "Unit 9", null, null, null) }] };
        var later = StateReconciler.Reconcile(recorded, moved, inventory);

        // Then the address it was made at is recorded, and stays (BT did not move the site)
        recorded.Sites.Single().FoundBy.Should().Be(new SiteAddressState("IP1 1AA", "Unit 4"));
        later.Sites.Single().FoundBy.Should().Be(new SiteAddressState("IP1 1AA", "Unit 4"));
    }

    [Fact]
    public void Should_remove_users_that_BT_has_ceased()
    {
        // Given BT no longer lists u02
        var manifest = Simple(users: 2);
        var state = Applied(manifest);
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = [.. inventory.Users.Where(u => u.Username != "u02")] };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, manifest, inventory);

        // Then u02 is gone from state
        reconciled.Users.Select(u => u.Username).Should().Equal("u01");
    }

    [Fact]
    public void Should_keep_a_pending_site_that_has_an_address_but_no_service_id_yet()
    {
        // Given state records site "branch" with a resolved NAD key whose order has not completed
        var manifest = Manifest(Site("hq"), SiteAtPostcode("branch", "B1 1AA", "Unit 9"));
        var state = Applied(Manifest(Site("hq")));
        state = state with { Sites = state.Sites.Add(new SiteState("branch", "LOC-branch", "A77777777", null)) };

        // When state is reconciled against BT, which does not know the site yet
        var reconciled = StateReconciler.Reconcile(state, manifest, InventoryOf(Applied(Manifest(Site("hq")))));

        // Then the pending site stays, with its NAD key
        reconciled.Sites.Should().ContainSingle(s => s.Name == "branch").Which.NadKey.Should().Be("A77777777");
    }

    [Fact]
    public void Should_not_adopt_sites_or_users_that_whcctl_does_not_manage()
    {
        // Given BT lists a user neither in state nor in the manifest
        var manifest = Simple(users: 1);
        var state = Applied(manifest);
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = inventory.Users.Add(new UserRecord("US-x", "SI-hq", "stranger", "S", "T", "2999", null, "standard", [])) };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, manifest, inventory);

        // Then the stranger is not in state
        reconciled.Users.Select(u => u.Username).Should().Equal("u01");
    }

    [Fact]
    public void Should_take_protection_from_the_manifest()
    {
        // Given a manifest that protects the company, u01 and the site, and state that remembers none of it
        var plain = Simple(users: 1);
        var state = Applied(plain);
        var site = plain.Sites[0];
        var manifest = plain with { Protect = true, Sites = [site with { Protect = true, Users = [site.Users[0] with { Protect = true }] }] };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, manifest, InventoryOf(state));

        // Then state now remembers the protection
        reconciled.Record!.Protected.Should().BeTrue();
        reconciled.Sites.Single().Protected.Should().BeTrue();
        reconciled.Users.Single().Protected.Should().BeTrue();
    }

    [Fact]
    public void Should_keep_remembered_protection_for_a_resource_no_longer_in_the_manifest()
    {
        // Given state remembers u02 as protected and the manifest no longer has it
        var state = Applied(Simple(users: 2));
        state = state with { Users = state.Users.SetItem(1, state.Users[1] with { Protected = true }) };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, Simple(users: 1), InventoryOf(state));

        // Then u02 is still protected
        reconciled.Users.Single(u => u.Username == "u02").Protected.Should().BeTrue();
    }

    [Fact]
    public void Should_mark_a_ringfenced_range_active_with_BTs_service_id_once_BT_shows_it_active()
    {
        // Given state records a ringfenced range that BT now shows as active
        var manifest = Simple();
        var applied = Applied(manifest);
        var state = applied with { NumberBlocks = [applied.NumberBlocks[0] with { Ranges = [applied.NumberBlocks[0].Ranges[0] with { Active = false, ServiceId = null }] }] };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, manifest, InventoryOf(applied));

        // Then the range is active with BT's service id
        reconciled.NumberBlocks.Single().Ranges.Single().Should().Be(applied.NumberBlocks[0].Ranges[0]);
    }

    [Fact]
    public void Should_drop_a_range_that_BT_no_longer_holds()
    {
        // Given BT no longer lists the block's range
        var manifest = Simple();
        var state = Applied(manifest);
        var inventory = InventoryOf(state) with { NumberRanges = [] };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, manifest, inventory);

        // Then the block stays (it is whcctl's name) with no numbers
        reconciled.NumberBlocks.Single().Ranges.Should().BeEmpty();
    }

    [Fact]
    public void Should_forget_everything_of_an_active_company_that_BT_has_ceased()
    {
        // Given BT shows an applied company as ceased
        var state = Applied(Simple());

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, Simple(), InventoryOf(state, CompanyStatus.Ceased));

        // Then its record and resources are gone
        reconciled.Record.Should().BeNull();
        reconciled.Users.Should().BeEmpty();
        reconciled.Sites.Should().BeEmpty();
        reconciled.NumberBlocks.Should().BeEmpty();
    }

    [Theory]
    [InlineData(Api.OrderState.InProgress, true)]
    [InlineData(Api.OrderState.Completed, false)]
    public void Should_keep_a_user_the_manifest_dropped_only_while_an_unfinished_order_of_whcctl_adds_it(Api.OrderState orderState, bool kept)
    {
        // Given BT holds u02, which the manifest no longer names and state does not record, and an order that added it
        var inventory = InventoryOf(Applied(Simple(users: 2)));
        var state = Applied(Simple(users: 1)) with
        {
            Orders = [new OrderRecord("ORD-1", "ext-1", "acme:order-1:create", orderState, Now, ["acme/user/u02"]) { Operations = [new OrderOperation(UserAddress("u02"), OrderOperationKind.Add)] }],
        };

        // When state is reconciled
        var reconciled = StateReconciler.Reconcile(state, Simple(users: 1), inventory);

        // Then u02 is ours (to be ceased) while the order is unfinished; a finished order's names may belong to others now
        reconciled.Users.Any(u => u.Username == "u02").Should().Be(kept);
    }
}
