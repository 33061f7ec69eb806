using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class RefreshOnlyAndDestroyTests
{
    private static CompanyPlan Drift(CompanyState state, CompanyInventory inventory) =>
        PlanOne(Input(Simple(users: 3), state, RefreshSnapshot.Of(inventory)), mode: PlanMode.RefreshOnly).Only();

    [Fact]
    public void Should_report_drift_for_a_user_changed_at_BT()
    {
        // Given BT shows u01 with another last name than state records
        var state = Applied(Simple(users: 3));
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = inventory.Users.SetItem(0, inventory.Users[0] with { LastName = "Changed" }) };

        // When a refresh-only plan is made
        var plan = Drift(state, inventory);

        // Then u01 drifted in its last name, and nothing is to be done
        var change = plan.Changes.Should().ContainSingle().Subject;
        change.Address.Should().Be(UserAddress("u01"));
        change.Action.Should().Be(ChangeAction.Drift);
        change.Attributes.Should().Equal(new AttributeChange("lastName", AttributeValue.Text("Last-u01"), AttributeValue.Text("Changed")));
        plan.Steps.Should().BeEmpty();
    }

    [Fact]
    public void Should_report_drift_for_a_user_ceased_at_BT()
    {
        // Given BT no longer lists u02
        var state = Applied(Simple(users: 3));
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = [.. inventory.Users.Where(u => u.Username != "u02")] };

        // When a refresh-only plan is made
        var plan = Drift(state, inventory);

        // Then u02 drifted: ceased outside whcctl
        var change = plan.Changes.Should().ContainSingle().Subject;
        change.Address.Should().Be(UserAddress("u02"));
        change.Reason.Should().Contain("ceased at BT");
        plan.Steps.Should().BeEmpty();
    }

    [Fact]
    public void What_an_unfinished_order_of_whcctls_did_at_BT_is_not_drift()
    {
        // Given state records an order adding x99 that whcctl has not seen finish, and BT now lists x99
        var state = Applied(Simple(users: 3));
        state = state with
        {
            Orders = [new OrderRecord("BTWKN9", "ext-9", "acme:order-2", Api.OrderState.InProgress, DateTimeOffset.UnixEpoch, ["acme/user/x99"])
            {
                Operations = [new OrderOperation(UserAddress("x99"), OrderOperationKind.Add)],
            }],
        };
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = inventory.Users.Add(new UserRecord("US-x99", "SI-hq", "x99", "Ex", "Tra", "2999", null, "standard", [])) };

        // When a refresh-only plan is made
        var plan = Drift(state, inventory);

        // Then nothing changed outside whcctl: awaiting the order records x99
        plan.Changes.Should().BeEmpty();
    }

    [Fact]
    public void Should_report_drift_for_a_user_at_BT_that_state_does_not_know()
    {
        // Given BT lists a user x99 that whcctl never made
        var state = Applied(Simple(users: 3));
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = inventory.Users.Add(new UserRecord("US-x99", "SI-hq", "x99", "Ex", "Tra", "2999", null, "standard", [])) };

        // When a refresh-only plan is made
        var plan = Drift(state, inventory);

        // Then x99 drifted: exists at BT but not in state, with its values shown
        var change = plan.Changes.Should().ContainSingle().Subject;
        change.Address.Should().Be(UserAddress("x99"));
        change.Reason.Should().Contain("not in state");
        change.Attributes.Should().ContainEquivalentOf(new AttributeChange("extension", null, AttributeValue.Text("2999")));
        plan.Steps.Should().BeEmpty();
    }

    [Fact]
    public void Should_report_no_drift_when_BT_matches_state()
    {
        // Given BT matches state
        var state = Applied(Simple(users: 3));

        // When a refresh-only plan is made, then nothing drifted
        Drift(state, InventoryOf(state)).Changes.Should().BeEmpty();
    }

    [Fact]
    public void Should_destroy_a_company_with_one_cease_company_order()
    {
        // Given an applied company
        var state = Applied(Simple(users: 2));

        // When it is destroyed
        var plan = PlanOne(Input(null, state, RefreshSnapshot.Of(InventoryOf(state))), mode: PlanMode.Destroy);

        // Then one order ceases the company, and every resource is shown as deleted
        var company = plan.Only();
        company.Steps.Select(s => s.Kind).Should().Equal(StepKind.CreateOrder, StepKind.SubmitOrder, StepKind.AwaitOrder);
        company.Steps[0].Operations().Should().Equal(new OrderOperation(ResourceAddress.ForCompany(Key), OrderOperationKind.Cease));
        company.Changes.Should().HaveCount(1 + 1 + 1 + 2).And.OnlyContain(c => c.Action == ChangeAction.Delete);
        plan.HasErrors.Should().BeFalse();
    }

    [Fact]
    public void Should_refuse_to_destroy_a_protected_company()
    {
        // Given state remembers the company as protected
        var state = Applied(Simple());
        state = state with { Record = state.Record! with { Protected = true } };

        // When it is destroyed
        var plan = PlanOne(Input(null, state, RefreshSnapshot.Of(InventoryOf(state))), mode: PlanMode.Destroy);

        // Then WHC3004 names the company
        plan.HasErrors.Should().BeTrue();
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3004").Which.Message.Should().StartWith("acme is protected");
    }

    [Fact]
    public void Should_plan_nothing_to_destroy_for_a_company_BT_has_already_ceased()
    {
        // Given BT shows the company as ceased
        var state = Applied(Simple());
        var inventory = InventoryOf(state, CompanyStatus.Ceased);

        // When it is destroyed
        var plan = PlanOne(Input(null, state, RefreshSnapshot.Of(inventory)), mode: PlanMode.Destroy).Only();

        // Then there is nothing to do
        plan.Steps.Should().BeEmpty();
        plan.HasChanges.Should().BeFalse();
    }
}
