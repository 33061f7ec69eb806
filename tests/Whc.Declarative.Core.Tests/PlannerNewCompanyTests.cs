using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class PlannerNewCompanyTests
{
    private static CompanyPlan PlanNew(CompanyManifest manifest, PlannerOptions? options = null) =>
        PlanOne(Input(manifest, refresh: RefreshSnapshot.Of(null)), options).Only();

    private static int IndexOf(CompanyPlan plan, string id) => plan.Steps.Select(s => s.Id).ToList().IndexOf(Id(id));

    [Fact]
    public void Should_qualify_then_ringfence_then_order_then_submit_then_await_for_a_new_company()
    {
        // Given a new company with one block, one site with a NAD key and two users
        var manifest = Simple(users: 2);

        // When it is planned
        var plan = PlanNew(manifest);

        // Then the steps follow BT's order
        plan.Steps.Select(s => s.Id.ToString()).Should().Equal(
            "acme:qualify",
            "acme:ringfence:main",
            "acme:order-1:create",
            "acme:order-1:submit",
            "acme:order-1:await");
        plan.Step("acme:ringfence:main").DependsOn.Should().Equal(Id("acme:qualify"));
        plan.Step("acme:order-1:create").DependsOn.Should().BeEquivalentTo([Id("acme:qualify"), Id("acme:ringfence:main")]);
        plan.Step("acme:order-1:submit").DependsOn.Should().Equal(Id("acme:order-1:create"));
        plan.Step("acme:order-1:await").DependsOn.Should().Equal(Id("acme:order-1:submit"));
    }

    [Fact]
    public void Should_ringfence_once_per_number_block_with_its_quantity()
    {
        // Given a new company with two number blocks
        var manifest = Manifest([Block("main", "0121", 10), Block("spare", "0161", 4)], Site("hq", User("u01")));

        // When it is planned
        var plan = PlanNew(manifest);

        // Then there is one ringfence step per block, each for the block's quantity
        var ringfences = plan.Steps.OfType<RingFenceStep>().ToList();
        ringfences.Select(s => (s.Block, s.Quantity)).Should().BeEquivalentTo([("main", 10), ("spare", 4)]);
    }

    [Fact]
    public void Should_plan_an_address_step_only_for_a_site_without_a_known_NAD_key()
    {
        // Given a site with a NAD key and a site with only a postcode BT has no matching address for
        var manifest = Manifest(Site("hq", User("u01")), SiteAtPostcode("branch", "B1 1AA", "Unit 9", User("u02")));

        // When it is planned
        var plan = PlanNew(manifest);

        // Then only the postcode site gets an address step, and it comes before the order
        plan.Steps.OfType<CreateAddressStep>().Select(s => s.Site).Should().Equal("branch");
        IndexOf(plan, "acme:address:branch").Should().BeLessThan(IndexOf(plan, "acme:order-1:create"));
        plan.Step("acme:order-1:create").DependsOn.Should().Contain(Id("acme:address:branch"));
        plan.NadKeys.Should().ContainKey("hq").And.NotContainKey("branch");
    }

    [Fact]
    public void Should_not_plan_an_address_step_when_BT_lists_a_matching_address_at_the_postcode()
    {
        // Given a postcode site whose premises BT lists exactly once
        var manifest = Manifest(SiteAtPostcode("branch", "B1 1AA", "Unit 9", User("u01")));
        var refresh = RefreshSnapshot.Of(null) with
        {
            AddressesByPostcode = System.Collections.Immutable.ImmutableSortedDictionary<string, System.Collections.Immutable.ImmutableArray<Inventory.AddressRecord>>.Empty
                .Add("B1 1AA", [new Inventory.AddressRecord("A12345678", "B1 1AA", null, "Unit 9", null, null, null, false)]),
        };

        // When it is planned
        var plan = PlanOne(Input(manifest, refresh: refresh)).Only();

        // Then the NAD key is resolved at plan time and no address step is needed
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.CreateAddress);
        plan.NadKeys.Should().Contain("branch", "A12345678");
    }

    [Fact]
    public void Should_put_company_numbers_sites_and_the_first_three_users_in_order_one()
    {
        // Given a new company with eight users
        var manifest = Simple(users: 8);

        // When it is planned with the default limit
        var plan = PlanNew(manifest);

        // Then order 1 adds the company, the block, the site and users 1-3
        plan.Step("acme:order-1:create").Operations().Should().Equal(
            new OrderOperation(ResourceAddress.ForCompany(Key), OrderOperationKind.Add),
            new OrderOperation(BlockAddress(), OrderOperationKind.Add),
            new OrderOperation(SiteAddress("hq"), OrderOperationKind.Add),
            new OrderOperation(UserAddress("u01"), OrderOperationKind.Add),
            new OrderOperation(UserAddress("u02"), OrderOperationKind.Add),
            new OrderOperation(UserAddress("u03"), OrderOperationKind.Add));
    }

    [Fact]
    public void Should_put_the_remaining_users_in_parallel_orders_of_at_most_three_that_wait_for_order_one()
    {
        // Given a new company with eight users
        var manifest = Simple(users: 8);

        // When it is planned with the default limit
        var plan = PlanNew(manifest);

        // Then users 4-6 and 7-8 go in orders 2 and 3, each depending only on order 1's await (not on each other)
        plan.Step("acme:order-2:create").Operations().Select(o => o.Address.Name).Should().Equal("u04", "u05", "u06");
        plan.Step("acme:order-3:create").Operations().Select(o => o.Address.Name).Should().Equal("u07", "u08");
        plan.Step("acme:order-2:create").DependsOn.Should().Contain(Id("acme:order-1:await")).And.NotContain(d => d.Order == new PlannedOrder(3));
        plan.Step("acme:order-3:create").DependsOn.Should().Contain(Id("acme:order-1:await")).And.NotContain(d => d.Order == new PlannedOrder(2));
        plan.Steps.Should().HaveCount(2 + (3 * 3));
    }

    [Fact]
    public void Should_honour_a_configured_user_limit_per_order()
    {
        // Given a new company with five users and a limit of two users per order
        var manifest = Simple(users: 5);

        // When it is planned
        var plan = PlanNew(manifest, new PlannerOptions { MaxUsersPerOrder = 2 });

        // Then order 1 has two users and the other three go in orders of at most two
        plan.Step("acme:order-1:create").Operations().Count(o => o.Address.Kind == ResourceKind.User).Should().Be(2);
        plan.Step("acme:order-2:create").Operations().Select(o => o.Address.Name).Should().Equal("u03", "u04");
        plan.Step("acme:order-3:create").Operations().Select(o => o.Address.Name).Should().Equal("u05");
        plan.Steps.Should().NotContain(s => s.Id == Id("acme:order-4:create"));
    }

    [Fact]
    public void Should_show_every_resource_of_a_new_company_as_a_create_with_its_attributes()
    {
        // Given a new company
        var manifest = Manifest(Site("hq", User("u01", extension: "2001", macs: ["0004F2AABB01"])));

        // When it is planned
        var plan = PlanNew(manifest);

        // Then company, block, site and user are creates that show their values
        plan.Changes.Should().OnlyContain(c => c.Action == ChangeAction.Create);
        plan.ChangeOf(ResourceAddress.ForCompany(Key)).Attributes.Should().ContainEquivalentOf(new AttributeChange("name", null, AttributeValue.Text("Acme Ltd")));
        plan.ChangeOf(BlockAddress()).Attributes.Should().ContainEquivalentOf(new AttributeChange("quantity", null, AttributeValue.Number(10)));
        plan.ChangeOf(SiteAddress("hq")).Attributes.Should().ContainEquivalentOf(new AttributeChange("locationCode", null, AttributeValue.Text("LOC-hq")));
        var user = plan.ChangeOf(UserAddress("u01")).Attributes;
        user.Should().ContainEquivalentOf(new AttributeChange("extension", null, AttributeValue.Text("2001")));
        user.Should().ContainEquivalentOf(new AttributeChange("devices", null, AttributeValue.List(["0004F2AABB01"])));
        user.Should().ContainEquivalentOf(new AttributeChange("number", null, AttributeValue.KnownAfter("ringfence")));
    }

    [Fact]
    public void Should_plan_no_changes_and_no_steps_for_an_estate_that_matches_its_manifest()
    {
        // Given a company whose state and BT inventory both match the manifest
        var manifest = Manifest([Block("main"), Block("spare", "0161", 5)], Site("hq", Users("u", 4)), Site("branch", User("b01", "spare", "3001", "0004F2AABB01", "0004F2AABB02")));
        var state = Applied(manifest);

        // When it is planned
        var plan = PlanOne(Existing(manifest, state));

        // Then nothing changes
        var company = plan.Only();
        company.Steps.Should().BeEmpty();
        company.Changes.Should().OnlyContain(c => c.Action == ChangeAction.NoOp);
        company.HasChanges.Should().BeFalse();
        plan.AllDiagnostics.Should().BeEmpty();
    }
}
