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
        plan.Steps.Select(s => s.Id.ToString()).Should().Equal("acme:order-ORD-9:submit", "acme:order-ORD-9:await");
        plan.Step("acme:order-ORD-9:await").DependsOn.Should().Equal(Id("acme:order-ORD-9:submit"));
        plan.Step("acme:order-ORD-9:submit").Should().BeOfType<SubmitOrderStep>().Which.Order.Should().Be(new ExistingOrder("ORD-9"));
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
        plan.Steps.Select(s => s.Id.ToString()).Should().Equal("acme:order-ORD-9:await");
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
        create.Operations().Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify));
        create.DependsOn.Should().Contain(Id("acme:order-ORD-9:await"));
    }

    [Fact]
    public void Should_refuse_WHC3015_a_company_whose_state_still_holds_an_intent_BT_was_not_asked_about()
    {
        // Given an earlier apply was interrupted while creating an order for u03, and the plan runs without refresh
        var (manifest, state) = WithThirdUserPending();
        var details = new CreateOrderIntent([new OrderOperation(UserAddress("u03"), OrderOperationKind.Add)], []).ToMap();
        state = state with { Intents = [new IntentRecord("I-1", "acme:order-1:create", IntentOperations.CreateOrder, Now.AddMinutes(-2), details)] };

        // When it is planned
        var plan = PlanOne(Existing(manifest, state));

        // Then nothing is planned around a call whose outcome is unknown
        plan.HasErrors.Should().BeTrue();
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3015").Which.Message.Should().Contain("create-order I-1").And.Contain("--refresh=false");
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
        CreateOrderSteps(plan.Only()).Should().ContainSingle().Which.Operations()
            .Should().Equal(new OrderOperation(UserAddress("u03"), OrderOperationKind.Add));
    }

    [Fact]
    public void Should_recognise_a_qualified_company_as_ours_when_state_holds_only_the_qualify_intent()
    {
        // Given the answer of a qualification was lost: state has only its intent, BT holds the company as qualified
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Intents = [new IntentRecord("I-1", "acme:qualify", IntentOperations.Qualify, Now.AddMinutes(-2), new QualifyIntent("CUG1", "BA1", "Acme Ltd", "acme.example", "retail").ToMap())],
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-1", [], [], []);

        // When the intent is answered from BT and the company planned against that
        var reconciled = IntentResolver.Resolve(state, [(state.Intents[0], IntentDetails.Read(state.Intents[0]))], new IntentAnswers(inventory, ImmutableDictionary<string, ImmutableArray<AddressRecord>>.Empty, ImmutableDictionary<string, OrderStatus?>.Empty)).State;
        var plan = PlanOne(Input(Simple(), reconciled, RefreshSnapshot.Of(inventory) with { DomainTaken = true }));

        // Then it is ours: no WHC3001 or WHC3002, and the company is still to be created
        Ownership.IsOurs(reconciled, inventory).Should().BeTrue();
        reconciled.Intents.Should().BeEmpty();
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

    private static OrderRecord OrderDoing(string id, OrderState orderState, params OrderOperation[] operations) =>
        OrderFor(id, orderState, [.. operations.Select(o => o.Address.ToString())]) with { Operations = [.. operations] };

    [Fact]
    public void Should_cease_after_it_a_user_that_an_unfinished_order_adds_but_the_manifest_no_longer_names()
    {
        // Given an order in progress adds u03, and u03 has since left the manifest
        var state = Applied(Simple(users: 2)) with { Orders = [OrderDoing("ORD-9", OrderState.InProgress, new OrderOperation(UserAddress("u03"), OrderOperationKind.Add))] };

        // When it is planned
        var plan = PlanOne(Existing(Simple(users: 2), state)).Only();

        // Then u03 is ceased by an order that waits for the one adding it
        plan.ChangeOf(UserAddress("u03")).Action.Should().Be(ChangeAction.Delete);
        var create = CreateOrderSteps(plan).Should().ContainSingle().Subject;
        create.Operations().Should().Equal(new OrderOperation(UserAddress("u03"), OrderOperationKind.Cease));
        create.DependsOn.Should().Contain(Id("acme:order-ORD-9:await"));
    }

    [Fact]
    public void Should_add_again_after_it_a_user_that_an_unfinished_order_ceases_but_the_manifest_names_again()
    {
        // Given an order in progress ceases u02, and u02 is back in the manifest
        var state = Applied(Simple(users: 2)) with { Orders = [OrderDoing("ORD-9", OrderState.InProgress, new OrderOperation(UserAddress("u02"), OrderOperationKind.Cease))] };

        // When it is planned
        var plan = PlanOne(Existing(Simple(users: 2), state)).Only();

        // Then u02 is added by an order that waits for the cease
        plan.ChangeOf(UserAddress("u02")).Action.Should().Be(ChangeAction.Create);
        var create = CreateOrderSteps(plan).Should().ContainSingle().Subject;
        create.Operations().Should().Equal(new OrderOperation(UserAddress("u02"), OrderOperationKind.Add));
        create.DependsOn.Should().Contain(Id("acme:order-ORD-9:await"));
    }

    [Fact]
    public void Should_ringfence_the_growth_of_a_block_an_unfinished_order_activates_and_order_it_after_that_order()
    {
        // Given an order in progress activates block main (10 numbers), which has since grown to 15
        var state = Applied(Simple(users: 2)) with { Orders = [OrderDoing("ORD-9", OrderState.InProgress, new OrderOperation(BlockAddress(), OrderOperationKind.Add))] };
        var grown = Manifest([Block(quantity: 15)], Simple(users: 2).Sites[0]);

        // When it is planned
        var plan = PlanOne(Existing(grown, state)).Only();

        // Then the 5 more are ringfenced now and activated by an order that waits for the unfinished one
        plan.Steps.OfType<RingFenceStep>().Should().ContainSingle().Which.Quantity.Should().Be(5);
        var create = CreateOrderSteps(plan).Should().ContainSingle().Subject;
        create.Operations().Should().Equal(new OrderOperation(BlockAddress(), OrderOperationKind.Add));
        create.DependsOn.Should().Contain(Id("acme:order-ORD-9:await"));
    }

    [Fact]
    public void Should_forget_a_site_whose_address_was_found_but_that_was_never_ordered_once_it_leaves_the_manifest()
    {
        // Given a pending site (NAD key, no service id) that the manifest no longer names
        var state = Applied(Simple(users: 2));
        state = state with { Sites = state.Sites.Add(new SiteState("leeds", "LOC-leeds", "X-TEMP-1", null)) };

        // When it is planned
        var plan = PlanOne(Existing(Simple(users: 2), state));

        // Then it is forgotten (nothing to cease at BT, so no --allow-destroy), naming the address left unused
        var change = plan.Only().ChangeOf(SiteAddress("leeds"));
        change.Action.Should().Be(ChangeAction.Forget);
        change.Reason.Should().Contain("X-TEMP-1");
        plan.Only().Steps.Should().BeEmpty();
        plan.Count(ChangeAction.Delete).Should().Be(0);
    }
}
