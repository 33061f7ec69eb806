using System.Collections.Immutable;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 26, item 3: step ids are values. Their text form is the one plans have always shown (plan JSON, text and
/// Markdown), and state keeps it for intents and orders, so every form the planner makes must read back as itself.
/// </summary>
public class StepIdTests
{
    public static TheoryData<string, StepId> PlannerForms => new()
    {
        { "acme:qualify", StepId.Qualify("acme") },
        { "acme:ringfence:main", StepId.RingFence("acme", "main") },
        { "acme:ringfence:moved:01214960500", StepId.PortedRingFence("acme", "moved", "01214960500") },
        { "acme:address:branch", StepId.CreateAddress("acme", "branch") },
        { "acme:order-1:create", StepId.CreateOrder("acme", 1) },
        { "acme:order-12:submit", StepId.SubmitOrder("acme", new PlannedOrder(12)) },
        { "acme:order-3:await", StepId.AwaitOrder("acme", new PlannedOrder(3)) },
        { "acme:order-ORD-9:submit", StepId.SubmitOrder("acme", new ExistingOrder("ORD-9")) },
        { "acme:order-ORD-9:await", StepId.AwaitOrder("acme", new ExistingOrder("ORD-9")) },
        { "fun-network:ringfence:brum", StepId.RingFence("fun-network", "brum") },
        // Names may hold colons; where the rest is not a ported range's first number, they still read back.
        { "acme:ringfence:a:b", StepId.RingFence("acme", "a:b") },
        { "acme:address:a:b", StepId.CreateAddress("acme", "a:b") },
    };

    [Theory]
    [MemberData(nameof(PlannerForms))]
    public void Every_form_the_planner_makes_is_written_as_plans_show_it_and_reads_back_as_the_same_value(string text, StepId id)
    {
        id.ToString().Should().Be(text);
        id.Local.Should().Be(text[(id.Company.Length + 1)..]);
        StepId.TryParse(text, out var read).Should().BeTrue();
        read.Should().Be(id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme")]
    [InlineData(":qualify")]
    [InlineData("acme:bogus")]
    [InlineData("acme:ringfence:")]
    [InlineData("acme:address:")]
    [InlineData("acme:order-:create")]
    [InlineData("acme:order-1")]
    [InlineData("acme:order-1:cancel")]
    [InlineData("acme:order-ORD-9:create")]
    public void Text_that_is_no_step_id_is_refused(string text) =>
        StepId.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Ids_compare_by_their_parts_and_an_order_of_the_plan_is_not_an_earlier_applys_order_of_the_same_name()
    {
        StepId.RingFence("acme", "main").Should().Be(StepId.RingFence("acme", "main"));
        StepId.RingFence("acme", "main").Should().NotBe(StepId.PortedRingFence("acme", "main", "01214960500"));
        StepId.AwaitOrder("acme", new PlannedOrder(5)).Should().NotBe(StepId.AwaitOrder("acme", new ExistingOrder("5")));
        StepId.AwaitOrder("acme", new PlannedOrder(5)).ToString().Should().Be(StepId.AwaitOrder("acme", new ExistingOrder("5")).ToString());
    }

    [Fact]
    public void Every_step_id_dependency_and_outage_of_real_plans_reads_back_as_itself()
    {
        // Given plans that between them make every kind of step: a new company with a site BT must find the address of
        // and a ported block; an existing company with an order an earlier apply left pending, a grown block and a user
        // moving between sites
        var ported = new NumberBlockSpec("moved", string.Empty, 20, false, Span(8))
        {
            Ported = [new PortedRangeSpec("01214960500", "01214960519", Span(9))],
        };
        var fresh = Manifest([Block(), ported], Site("hq", User("u01")), SiteAtPostcode("branch", "B1 1AA", "Unit 9", User("u02")));
        var applied = Applied(Manifest(Site("hq", Users("u", 3)), Site("branch", User("b01", extension: "2101"))));
        applied = applied with { Orders = [new OrderRecord("ORD-9", "ext-ORD-9", "acme:order-1:create", Api.OrderState.Pending, Now.AddMinutes(-5), ["acme/user/u03"])] };
        var users = Users("u", 3);
        var moved = Manifest([Block(quantity: 15)], Site("hq", users[0], users[2]), Site("branch", User("b01", extension: "2101"), users[1]));
        var plans = new[]
        {
            PlanOne(Input(fresh, refresh: RefreshSnapshot.Of(null))).Only(),
            PlanOne(Existing(moved, applied), new PlannerOptions { MaxUsersPerOrder = 1 }).Only(),
        };

        // Then every id among them reads back as the same value, and all seven step types occur
        var ids = plans.SelectMany(p => p.Steps.SelectMany(s => s.DependsOn.Add(s.Id)).Concat(p.Outages.SelectMany(o => new[] { o.CeaseAwait, o.AddAwait }))).ToList();
        ids.Select(id => StepId.TryParse(id.ToString(), out var read) ? read : null).Should().Equal(ids);
        plans.SelectMany(p => p.Steps).Select(s => s.GetType().Name).Distinct().Should().BeEquivalentTo(
            nameof(QualifyStep), nameof(RingFenceStep), nameof(PortedRingFenceStep), nameof(CreateAddressStep), nameof(CreateOrderStep), nameof(SubmitOrderStep), nameof(AwaitOrderStep));
        plans[1].Outages.Should().NotBeEmpty();
    }
}
