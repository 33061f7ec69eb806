using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 25, item 3: BT cannot move a user between sites, so a move is a cease and a re-create, and the user has no
/// service in between. The plan names that outage (who, between which orders), and keeps it short: the cease and the
/// re-create go in consecutive orders, the re-create waiting only for that cease, with nothing unrelated between them.
/// </summary>
public class OutageTests
{
    private static int OrderNumber(CompanyPlan plan, string name, OrderOperationKind kind)
    {
        var create = plan.Steps.OfType<CreateOrderStep>().Should().ContainSingle(s => s.Operations.Any(o => o.Address.Name == name && o.Kind == kind)).Subject;
        return create.Number;
    }

    [Fact]
    public void A_user_moving_between_sites_is_ceased_and_made_again_in_consecutive_orders_and_the_outage_is_named()
    {
        // Given u01..u03 at hq and b01 at branch; the manifest moves u02 to branch, removes u03, adds x01 (listed first)
        var applied = Applied(Manifest(Site("hq", Users("u", 3)), Site("branch", User("b01", extension: "2101"))));
        var users = Users("u", 2);
        var manifest = Manifest(Site("hq", users[0]), Site("branch", User("b01", extension: "2101"), User("x01", extension: "2102"), users[1]));

        // When it is planned with one user per order
        var plan = PlanOne(Existing(manifest, applied), new PlannerOptions { MaxUsersPerOrder = 1 }).Only();

        // Then u02's re-create is the order right after its cease, and waits for that cease's await
        plan.Diagnostics.Should().BeEmpty();
        var cease = OrderNumber(plan, "u02", OrderOperationKind.Cease);
        var add = OrderNumber(plan, "u02", OrderOperationKind.Add);
        add.Should().Be(cease + 1);
        plan.Steps.Single(s => s.Id == StepId.CreateOrder(Key, add)).DependsOn.Should().Contain(StepId.AwaitOrder(Key, new PlannedOrder(cease)));

        // And the outage is named: who, from which order's completion until which
        var outage = plan.Outages.Should().ContainSingle().Subject;
        outage.User.Should().Be(UserAddress("u02"));
        outage.CeaseAwait.Should().Be(StepId.AwaitOrder(Key, new PlannedOrder(cease)));
        outage.AddAwait.Should().Be(StepId.AwaitOrder(Key, new PlannedOrder(add)));
        outage.FromSite.Should().Be("hq");
        outage.ToSite.Should().Be("branch");
    }

    [Fact]
    public void Users_of_a_site_ceased_early_are_ceased_with_it_and_made_again_in_the_next_order()
    {
        // Given u01, u02 at 'Hq' and b01 at branch; the manifest renames 'Hq' to 'hq' (BT compares site names ignoring
        // case, so 'Hq' must be ceased before 'hq' is created: its users leave it first), and removes b01
        var applied = Applied(Manifest(Site("Hq", Users("u", 2)), Site("branch", User("b01", extension: "2101"))));
        var manifest = Manifest(Site("hq", Users("u", 2)) with { LocationCode = "LOC-NEW" }, Site("branch"));

        // When it is planned with one user per order
        var plan = PlanOne(Existing(manifest, applied), new PlannerOptions { MaxUsersPerOrder = 1 }).Only();

        // Then u01 is ceased in the order that ceases 'Hq' (BT ceases a site's users first, within the order), and made
        // again in the order right after it, which waits for it; u02 (over the one-user limit) is ceased in the order
        // before; b01's cease is not between them
        plan.Diagnostics.Should().BeEmpty();
        var siteCease = plan.Steps.OfType<CreateOrderStep>().Should().ContainSingle(s => s.Operations.Contains(new OrderOperation(SiteAddress("Hq"), OrderOperationKind.Cease))).Subject;
        var siteOrder = siteCease.Number;
        OrderNumber(plan, "u01", OrderOperationKind.Cease).Should().Be(siteOrder);
        OrderNumber(plan, "u02", OrderOperationKind.Cease).Should().Be(siteOrder - 1);
        OrderNumber(plan, "b01", OrderOperationKind.Cease).Should().BeLessThan(siteOrder);
        OrderNumber(plan, "u01", OrderOperationKind.Add).Should().Be(siteOrder + 1);
        plan.Steps.Single(s => s.Id == StepId.CreateOrder(Key, siteOrder + 1)).DependsOn.Should().Contain(StepId.AwaitOrder(Key, new PlannedOrder(siteOrder)));

        // And both outages are named; u02 (over the one-user limit) waits one more order, and its outage line says so
        plan.Outages.Should().HaveCount(2);
        var first = plan.Outages.Single(o => o.User == UserAddress("u01"));
        first.CeaseAwait.Should().Be(StepId.AwaitOrder(Key, new PlannedOrder(siteOrder)));
        first.AddAwait.Should().Be(StepId.AwaitOrder(Key, new PlannedOrder(siteOrder + 1)));
        first.Why.Should().BeNull();
        var second = plan.Outages.Single(o => o.User == UserAddress("u02"));
        OrderNumber(plan, "u02", OrderOperationKind.Add).Should().Be(siteOrder + 2);
        second.Why.Should().Contain("Hq");
    }

    [Fact]
    public void A_mover_waiting_for_another_users_change_is_ceased_right_before_it_is_made_again()
    {
        // Given u01, u02 at hq and b01 at branch; u02 moves to branch and takes extension 2101, which b01 gives up (2109)
        var applied = Applied(Manifest(Site("hq", Users("u", 2)), Site("branch", User("b01", extension: "2101"))));
        var users = Users("u", 2);
        var manifest = Manifest(Site("hq", users[0]), Site("branch", User("b01", extension: "2109"), users[1] with { Extension = "2101" }));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied)).Only();

        // Then u02 is ceased only after b01's change completes (so a refused change never leaves it ceased), in the
        // order right before the one making it again
        plan.Diagnostics.Should().BeEmpty();
        var change = OrderNumber(plan, "b01", OrderOperationKind.Modify);
        var cease = OrderNumber(plan, "u02", OrderOperationKind.Cease);
        var add = OrderNumber(plan, "u02", OrderOperationKind.Add);
        cease.Should().BeGreaterThan(change);
        add.Should().Be(cease + 1);
        plan.Steps.Single(s => s.Id == StepId.CreateOrder(Key, cease)).DependsOn.Should().Contain(StepId.AwaitOrder(Key, new PlannedOrder(change)));
        var outage = plan.Outages.Should().ContainSingle().Subject;
        outage.CeaseAwait.Should().Be(StepId.AwaitOrder(Key, new PlannedOrder(cease)));
        outage.AddAwait.Should().Be(StepId.AwaitOrder(Key, new PlannedOrder(add)));
        outage.Why.Should().BeNull();
    }

    [Fact]
    public void A_mover_whose_value_another_user_takes_is_ceased_first_and_its_outage_line_says_why()
    {
        // Given u02 moving to branch to take extension 2101, which b01 gives up; new user x01 takes u02's extension 2002
        var applied = Applied(Manifest(Site("hq", Users("u", 2)), Site("branch", User("b01", extension: "2101"))));
        var users = Users("u", 2);
        var manifest = Manifest(Site("hq", users[0], User("x01", extension: "2002")), Site("branch", User("b01", extension: "2109"), users[1] with { Extension = "2101" }));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied)).Only();

        // Then u02 is ceased before x01 is added (BT would refuse 2002 while u02 holds it), so orders come between its
        // cease and its re-create, and its outage line says why
        plan.Diagnostics.Should().BeEmpty();
        OrderNumber(plan, "u02", OrderOperationKind.Cease).Should().BeLessThan(OrderNumber(plan, "x01", OrderOperationKind.Add));
        OrderNumber(plan, "u02", OrderOperationKind.Add).Should().BeGreaterThan(OrderNumber(plan, "b01", OrderOperationKind.Modify));
        var outage = plan.Outages.Should().ContainSingle().Subject;
        outage.Why.Should().Contain("other order comes between").And.Contain("takes a value it holds");
    }

    [Fact]
    public void A_plan_moving_nobody_names_no_outage()
    {
        var applied = Applied(Simple(users: 3));
        var plan = PlanOne(Existing(Simple(users: 2), applied)).Only();

        plan.Outages.Should().BeEmpty();
    }
}
