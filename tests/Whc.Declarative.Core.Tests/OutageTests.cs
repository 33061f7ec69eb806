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
        var create = plan.Steps.Should().ContainSingle(s => s.Kind == StepKind.CreateOrder && s.Details.Operations.Any(o => o.Address.Name == name && o.Kind == kind)).Subject;
        return int.Parse(create.Id.Split(":order-")[1].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
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
        plan.Steps.Single(s => s.Id.EndsWith($":order-{add}:create", StringComparison.Ordinal)).DependsOn.Should().Contain(s => s.EndsWith($":order-{cease}:await", StringComparison.Ordinal));

        // And the outage is named: who, from which order's completion until which
        var outage = plan.Outages.Should().ContainSingle().Subject;
        outage.User.Should().Be(UserAddress("u02"));
        outage.CeaseAwait.Should().EndWith($":order-{cease}:await");
        outage.AddAwait.Should().EndWith($":order-{add}:await");
        outage.FromSite.Should().Be("hq");
        outage.ToSite.Should().Be("branch");
    }

    [Fact]
    public void A_plan_moving_nobody_names_no_outage()
    {
        var applied = Applied(Simple(users: 3));
        var plan = PlanOne(Existing(Simple(users: 2), applied)).Only();

        plan.Outages.Should().BeEmpty();
    }
}
