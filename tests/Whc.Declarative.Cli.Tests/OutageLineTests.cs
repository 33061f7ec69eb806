using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 25, item 3: an outage whose cease and re-create are not consecutive orders says why, on its line.</summary>
public sealed class OutageLineTests
{
    private static readonly PlanOutage Outage = new(new ResourceAddress("acme", ResourceKind.User, "u02"), "Hq", "hq", StepId.AwaitOrder("acme", new PlannedOrder(2)), StepId.AwaitOrder("acme", new PlannedOrder(5)));

    [Fact]
    public void An_outage_with_orders_between_its_cease_and_re_create_says_why()
    {
        var line = PlanTextRenderer.OutageLine(Outage with { Why = "2 other orders come between its cease and its re-create: its old site 'Hq' is ceased first" });

        line.Should().Contain("from order 2").And.Contain("until order 5").And.EndWith("; 2 other orders come between its cease and its re-create: its old site 'Hq' is ceased first");
    }

    [Fact]
    public void A_consecutive_outage_adds_nothing()
    {
        PlanTextRenderer.OutageLine(Outage).Should().EndWith("(BT cannot move a user between sites)");
    }
}
