using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class InFlightTests
{
    /// <summary>A company with u01, u02 applied and u03 in the manifest but not yet at BT.</summary>
    private static (Whc.Declarative.Core.Manifests.CompanyManifest Manifest, CompanyState State) WithThirdUserPending()
    {
        var state = Applied(Simple(users: 2));
        return (Simple(users: 3), state);
    }

    private static OrderRecord OrderFor(string id, OrderState orderState, params string[] resources) =>
        new(id, "ext-" + id, "acme:order-1:create", orderState, Now.AddMinutes(-5), [.. resources]);

    private static PlanStep[] CreateOrderSteps(CompanyPlan plan) =>
        [.. plan.Steps.Where(s => s.Kind == StepKind.CreateOrder)];

    [Fact]
    public void Should_submit_and_await_a_pending_order_from_an_earlier_apply_instead_of_ordering_again()
    {
        // Given state records a created but not submitted order for u03
        var (manifest, state) = WithThirdUserPending();
        state = state with { Orders = [OrderFor("ORD-9", OrderState.Pending, "acme/user/u03")] };

        // When it is planned
        var plan = PlanOne(Existing(manifest, state)).Only();

        // Then the order is submitted and awaited, and no new order adds u03
        plan.Steps.Select(s => s.Id).Should().Equal("acme:order-ORD-9:submit", "acme:order-ORD-9:await");
        plan.Step("acme:order-ORD-9:await").DependsOn.Should().Equal("acme:order-ORD-9:submit");
        plan.Step("acme:order-ORD-9:submit").Details.OrderId.Should().Be("ORD-9");
        CreateOrderSteps(plan).Should().BeEmpty();
        plan.ChangeOf(UserAddress("u03")).Reason.Should().Be("in an order still being processed");
    }

    [Fact]
    public void Should_only_await_an_order_already_submitted_by_an_earlier_apply()
    {
        // Given state records an order in progress for u03
        var (manifest, state) = WithThirdUserPending();
        state = state with { Orders = [OrderFor("ORD-9", OrderState.InProgress, "acme/user/u03")] };

        // When it is planned
        var plan = PlanOne(Existing(manifest, state)).Only();

        // Then the order is only awaited
        plan.Steps.Select(s => s.Id).Should().Equal("acme:order-ORD-9:await");
        plan.Steps[0].DependsOn.Should().BeEmpty();
    }

    [Fact]
    public void Should_make_new_orders_wait_for_an_order_carried_from_an_earlier_apply()
    {
        // Given an in-progress order for u03 and a change to u01
        var (manifest, state) = WithThirdUserPending();
        state = state with { Orders = [OrderFor("ORD-9", OrderState.InProgress, "acme/user/u03")] };
        var changed = manifest with { Sites = [manifest.Sites[0] with { Users = manifest.Sites[0].Users.SetItem(0, manifest.Sites[0].Users[0] with { Licence = "premium" }) }] };

        // When it is planned
        var plan = PlanOne(Existing(changed, state)).Only();

        // Then the new order modifies only u01 and waits for the carried one
        var create = CreateOrderSteps(plan).Should().ContainSingle().Subject;
        create.Details.Operations.Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify));
        create.DependsOn.Should().Contain("acme:order-ORD-9:await");
    }

    [Fact]
    public void Should_carry_a_create_order_intent_with_its_external_id()
    {
        // Given an earlier apply was interrupted while creating an order for u03
        var (manifest, state) = WithThirdUserPending();
        var details = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["externalId"] = "acme-7f3a",
            ["resources"] = "acme/user/u03",
            ["operations"] = "Add=acme/user/u03",
        });
        state = state with { Intents = [new IntentRecord("I-1", "acme:order-1:create", IntentOperations.CreateOrder, Now.AddMinutes(-2), details)] };

        // When it is planned
        var plan = PlanOne(Existing(manifest, state)).Only();

        // Then the same order (same external id, so BT can find it) is created, submitted and awaited; u03 is not ordered twice
        var create = CreateOrderSteps(plan).Should().ContainSingle().Subject;
        create.Id.Should().Be("acme:order-acme-7f3a:create");
        create.Details.ExternalId.Should().Be("acme-7f3a");
        create.Details.Operations.Should().Equal(new OrderOperation(UserAddress("u03"), OrderOperationKind.Add));
        plan.Steps.Select(s => s.Id).Should().Equal("acme:order-acme-7f3a:create", "acme:order-acme-7f3a:submit", "acme:order-acme-7f3a:await");
    }

    [Fact]
    public void Should_warn_WHC3011_and_plan_again_the_resources_of_an_order_that_failed()
    {
        // Given state records an order for u03 that refresh reads as failed
        var (manifest, state) = WithThirdUserPending();
        state = state with { Orders = [OrderFor("ORD-9", OrderState.InProgress, "acme/user/u03")] };
        var refresh = RefreshSnapshot.Of(InventoryOf(state)) with
        {
            Orders = ImmutableSortedDictionary<string, OrderStatus>.Empty.Add("ORD-9", new OrderStatus("ORD-9", "ext-ORD-9", OrderState.Failed, "device not supported")),
        };

        // When it is planned
        var plan = PlanOne(Input(manifest, state, refresh));

        // Then a warning names the reason and u03 is ordered again
        var diagnostic = plan.AllDiagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC3011");
        diagnostic.Severity.Should().Be(DiagnosticSeverity.Warning);
        diagnostic.Message.Should().Contain("ORD-9").And.Contain("device not supported");
        CreateOrderSteps(plan.Only()).Should().ContainSingle().Which.Details.Operations
            .Should().Equal(new OrderOperation(UserAddress("u03"), OrderOperationKind.Add));
    }

    [Fact]
    public void Should_recognise_a_qualified_company_as_ours_when_state_holds_only_the_qualify_intent()
    {
        // Given the answer of a qualification was lost: state has only its intent, BT holds the company as qualified
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Intents = [new IntentRecord("I-1", "acme:qualify", IntentOperations.Qualify, Now.AddMinutes(-2), ImmutableSortedDictionary<string, string>.Empty)],
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-1", [], [], []);

        // When it is planned
        var plan = PlanOne(Input(Simple(), state, RefreshSnapshot.Of(inventory) with { DomainTaken = true }));

        // Then it is ours: no WHC3001 or WHC3002, and the company is still to be created
        Ownership.IsOurs(state, inventory).Should().BeTrue();
        plan.AllDiagnostics.Should().BeEmpty();
        plan.Only().ChangeOf(ResourceAddress.ForCompany(Key)).Action.Should().Be(ChangeAction.Create);
    }

    [Fact]
    public void Should_not_treat_an_active_company_as_ours_on_the_strength_of_a_qualify_intent()
    {
        // Given only a qualify intent in state and an active company at BT
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Intents = [new IntentRecord("I-1", "acme:qualify", IntentOperations.Qualify, Now, ImmutableSortedDictionary<string, string>.Empty)],
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Active, null, [], [], []);

        // When ownership is decided, then it is not ours
        Ownership.IsOurs(state, inventory).Should().BeFalse();
    }
}
