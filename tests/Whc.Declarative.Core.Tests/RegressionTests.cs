using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>One test per bug found, named after what broke.</summary>
public class RegressionTests
{
    [Fact]
    public void An_active_company_at_BT_that_is_not_in_state_was_planned_against_as_if_it_were_ours_instead_of_WHC3001()
    {
        // Given BT holds an active company under the manifest's name, with a user the manifest does not have, and no state
        var stranger = new UserRecord("US-x", "SI-x", "someone.else", "Some", "One", "2999", null, "standard", []);
        var inventory = new CompanyInventory("CO-9999", "Acme Ltd", "acme.example", "retail", CompanyStatus.Active, null, [],
            [new SiteRecord("SI-x", "elsewhere", "LOC-x", "A00000009")], [stranger]);

        // When the manifest is planned
        var plan = PlanOne(Input(Simple(), refresh: RefreshSnapshot.Of(inventory)));

        // Then the collision is reported and nothing of the other company is touched
        plan.Codes().Should().Equal("WHC3001");
        var company = plan.Only();
        company.Steps.SelectMany(s => s.Operations()).Should().NotContain(o => o.Kind == OrderOperationKind.Cease);
        company.Changes.Should().NotContain(c => c.Address.Name == "someone.else" || c.Address.Name == "elsewhere");
    }

    [Fact]
    public void A_name_registered_by_another_reseller_was_reported_as_three_immutable_field_changes_instead_of_WHC3001()
    {
        // Given BT says only that the name is registered elsewhere
        var input = Input(Simple(), refresh: RefreshSnapshot.Of(CompanyInventory.RegisteredElsewhere("Acme Ltd")));

        // When it is planned
        var plan = PlanOne(input);

        // Then exactly WHC3001 is reported
        plan.Codes().Should().Equal("WHC3001");
    }

    [Fact]
    public void A_company_whose_state_records_another_service_id_is_not_planned_against_the_company_BT_now_holds()
    {
        // Given state records CO-0001 but BT's company under the name is CO-9999
        var manifest = Simple();
        var state = Applied(manifest);
        var inventory = InventoryOf(state) with { ServiceId = "CO-9999", Users = [] };

        // When it is planned
        var plan = PlanOne(Input(manifest, state, RefreshSnapshot.Of(inventory)));

        // Then the collision is reported
        plan.Codes().Should().Contain("WHC3001");
    }

    [Fact]
    public void Targeting_a_new_user_in_a_new_site_left_the_site_out_so_the_order_could_not_be_built_at_apply()
    {
        // Given an applied company, and a manifest adding site "branch" (known only by postcode) with user b01
        var state = Applied(Manifest(Site("hq", User("u01"))));
        var desired = Manifest(Site("hq", User("u01")), SiteAtPostcode("branch", "B1 1AA", "Unit 9", User("b01")));

        // When only b01 is targeted
        var plan = PlanOne(Existing(desired, state), new PlannerOptions { Targets = [UserAddress("b01")] }).Only();

        // Then the site it needs is created with it: its address step and its add come along
        plan.Changes.Where(c => c.Action != ChangeAction.NoOp).Select(c => c.Address).Should().BeEquivalentTo([SiteAddress("branch"), UserAddress("b01")]);
        plan.Steps.Should().Contain(s => s.Id == Id("acme:address:branch"));
        plan.Steps.Where(s => s.Kind == StepKind.CreateOrder).SelectMany(s => s.Operations()).Should().BeEquivalentTo(
            [new OrderOperation(SiteAddress("branch"), OrderOperationKind.Add), new OrderOperation(UserAddress("b01"), OrderOperationKind.Add)]);
    }

    [Fact]
    public void Targeting_a_new_user_of_a_new_number_block_left_the_ringfence_out()
    {
        // Given an applied company, and a manifest adding block "spare" and user u02 drawing on it
        var state = Applied(Manifest(Site("hq", User("u01"))));
        var desired = Manifest([Block("main"), Block("spare", "0161", 5)], Site("hq", User("u01"), User("u02", "spare")));

        // When only u02 is targeted
        var plan = PlanOne(Existing(desired, state), new PlannerOptions { Targets = [UserAddress("u02")] }).Only();

        // Then the block is ringfenced and ordered with it
        plan.Steps.Should().Contain(s => s.Id == Id("acme:ringfence:spare"));
        plan.Steps.SelectMany(s => s.Operations()).Should().Contain(new OrderOperation(BlockAddress("spare"), OrderOperationKind.Add));
    }

    [Fact]
    public void Targeting_a_modified_user_does_not_pull_in_a_growing_block()
    {
        // Given block main grows and u01 changes
        var manifest = Simple(users: 1);
        var state = Applied(manifest);
        var desired = Manifest([Block(quantity: 20)], Site("hq", manifest.Sites[0].Users[0] with { LastName = "New" }));

        // When only u01 is targeted
        var plan = PlanOne(Existing(desired, state), new PlannerOptions { Targets = [UserAddress("u01")] }).Only();

        // Then the block is left alone
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.RingFence);
    }

    [Theory]
    [InlineData("acme/user/ghost", "user 'ghost'")]
    [InlineData("acme/site/nowhere", "site 'nowhere'")]
    [InlineData("acme/number-block/none", "number-block 'none'")]
    public void A_target_naming_no_resource_of_a_known_company_was_silently_ignored_instead_of_WHC3012(string target, string named)
    {
        // Given a known company
        ResourceAddress.TryParse(target, out var address).Should().BeTrue();

        // When a target names a resource it does not have (a typo)
        var plan = PlanOne(Existing(Simple(), Applied(Simple())), new PlannerOptions { Targets = [address!] });

        // Then WHC3012 names it
        plan.Diagnostics.Should().ContainSingle(d => d.Code == "WHC3012").Which.Message.Should().Contain(named);
    }

    [Fact]
    public void A_target_naming_a_resource_known_only_to_state_is_accepted()
    {
        // Given u02 is in state but removed from the manifest
        var state = Applied(Simple(users: 2));

        // When u02 is targeted (to cease it alone)
        var plan = PlanOne(Existing(Simple(users: 1), state), new PlannerOptions { Targets = [UserAddress("u02")] });

        // Then there is no diagnostic and u02 is ceased
        plan.AllDiagnostics.Should().BeEmpty();
        plan.Only().ChangeOf(UserAddress("u02")).Action.Should().Be(ChangeAction.Delete);
    }

    private static CompanyState WithPendingSite(CompanyState state) =>
        state with { Sites = state.Sites.Add(new SiteState("branch", "LOC-branch", "A34343434", null)) };

    [Fact]
    public void A_pending_sites_recorded_NAD_key_was_ignored_once_BT_was_read_so_the_address_step_was_planned_again()
    {
        // Given an applied company and a new site whose address step already ran (its NAD key is in state)
        var state = WithPendingSite(Applied(Simple(users: 1)));
        var desired = Manifest(Site("hq", User("u01")), SiteAtPostcode("branch", "B1 1AA", "Unit 9"));

        // When it is planned with what BT says (which does not know the site yet)
        var plan = PlanOne(Input(desired, state, RefreshSnapshot.Of(InventoryOf(Applied(Simple(users: 1)))))).Only();

        // Then the recorded NAD key is used and no address step is planned
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.CreateAddress);
        plan.NadKeys.Should().Contain("branch", "A34343434");
    }

    [Fact]
    public void A_pending_sites_NAD_key_was_used_even_after_the_manifest_named_another_address_for_the_site()
    {
        // Given an address step that found Unit 9, B1 1AA for a new site, whose order was never made (the run stopped)
        var state = Applied(Simple(users: 1));
        state = state with { Sites = state.Sites.Add(new SiteState("branch", "LOC-branch", "A34343434", null) { FoundBy = new("B1 1AA", "Unit 9") }) };
        var moved = Manifest(Site("hq", User("u01")), SiteAtPostcode("branch", "B2 2BB", "Unit 1"));

        // When the manifest now puts the site elsewhere, and when it keeps the address
        var plan = PlanOne(Input(moved, state, RefreshSnapshot.Of(InventoryOf(Applied(Simple(users: 1)))))).Only();
        var kept = PlanOne(Input(Manifest(Site("hq", User("u01")), SiteAtPostcode("branch", "B1 1AA", "Unit 9")), state, RefreshSnapshot.Of(InventoryOf(Applied(Simple(users: 1)))))).Only();

        // Then the new address is looked for (the old NAD key would make the site at the old address); the old one is reused
        plan.NadKeys.Should().NotContainKey("branch");
        plan.Steps.Should().Contain(s => s is CreateAddressStep && ((CreateAddressStep)s).Site == "branch");
        kept.NadKeys.Should().Contain("branch", "A34343434");
    }

    [Fact]
    public void A_pending_site_was_reported_as_ceased_at_BT_by_refresh_only()
    {
        // Given state with a pending site that BT does not list yet
        var applied = Applied(Simple(users: 1));
        var state = WithPendingSite(applied);

        // When a refresh-only plan is made
        var plan = PlanOne(Input(Simple(users: 1), state, RefreshSnapshot.Of(InventoryOf(applied))), mode: PlanMode.RefreshOnly).Only();

        // Then nothing drifted
        plan.Changes.Should().BeEmpty();
    }

    [Fact]
    public void A_ringfence_depended_on_a_qualify_step_that_was_not_in_the_plan_when_the_qualification_was_still_valid()
    {
        // Given a qualified company whose qualification is valid for hours, and a block still to ringfence
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", "CO-0001", new QualificationRecord("Q-7", Now.AddHours(5), false), false),
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-7", [], [], []);

        // When it is planned
        var plan = PlanOne(Input(Simple(), state, RefreshSnapshot.Of(inventory))).Only();

        // Then every dependency names a step of the plan
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.Qualify);
        var ids = plan.Steps.Select(s => s.Id).ToHashSet();
        plan.Steps.SelectMany(s => s.DependsOn).Should().OnlyContain(d => ids.Contains(d));
        plan.Step("acme:ringfence:main").DependsOn.Should().BeEmpty();
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_protected_user_moved_between_sites_was_ceased_and_added_again(bool protectedInState, bool protectedInManifest)
    {
        // Given u01 at hq, protected (remembered in state, or set in the manifest)
        var manifest = Manifest(Site("hq", User("u01")), Site("branch"));
        var state = Applied(manifest);
        state = state with { Users = [state.Users[0] with { Protected = protectedInState }] };

        // When u01 moves to branch
        var moved = Manifest(Site("hq"), Site("branch", User("u01") with { Protect = protectedInManifest }));
        var plan = PlanOne(Existing(moved, state));

        // Then WHC3004 refuses it and nothing is ceased
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3004").Which.Message.Should().Contain("acme/user/u01").And.Contain("branch");
        plan.Only().Steps.SelectMany(s => s.Operations()).Should().NotContain(o => o.Kind == OrderOperationKind.Cease);
    }

    [Fact]
    public void An_order_refreshed_as_partial_was_carried_as_an_await_that_could_only_fail_instead_of_being_planned_again()
    {
        // Given an order for u03 and u04 that BT finished partially: u03 was made, u04 was not
        var state = Applied(Simple(users: 2));
        var atBt = Applied(Simple(users: 3));
        state = state with { Orders = [new OrderRecord("ORD-5", "ext-5", "acme:order-2:create", Whc.Declarative.Core.Api.OrderState.InProgress, Now.AddMinutes(-9), ["acme/user/u03", "acme/user/u04"])] };
        var refresh = RefreshSnapshot.Of(InventoryOf(atBt)) with
        {
            Orders = System.Collections.Immutable.ImmutableSortedDictionary<string, Whc.Declarative.Core.Api.OrderStatus>.Empty
                .Add("ORD-5", new Whc.Declarative.Core.Api.OrderStatus("ORD-5", "ext-5", Whc.Declarative.Core.Api.OrderState.Partial, "item 2: number in use")),
        };

        // When the manifest with four users is planned
        var plan = PlanOne(Input(Simple(users: 4), state, refresh));

        // Then WHC3011 warns, the order is not awaited, and only u04 is ordered again
        plan.Codes().Should().Equal("WHC3011");
        var company = plan.Only();
        company.Steps.Should().NotContain(s => s.Id.Order == new ExistingOrder("ORD-5"));
        company.Steps.Where(s => s.Kind == StepKind.CreateOrder).SelectMany(s => s.Operations())
            .Should().Equal(new OrderOperation(UserAddress("u04"), OrderOperationKind.Add));
    }
}
