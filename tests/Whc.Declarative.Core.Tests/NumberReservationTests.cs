using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Numbers of users a plan ceases are reserved for the whole plan, so orders agree however steps interleave.</summary>
public class NumberReservationTests
{
    [Fact]
    public void A_user_moved_between_sites_keeps_its_directory_number()
    {
        // Given u02 (number …01) and u03 (number …02) at hq, number …00 free (u01 was removed earlier), and an empty site branch
        var manifest = Manifest(Site("hq", User("u01"), User("u02"), User("u03")), Site("branch"));
        var state = Applied(manifest);
        state = state with { Users = [.. state.Users.Where(u => u.Username != "u01")] };
        var desired = Manifest(Site("hq", User("u02")), Site("branch", User("u03")));

        // When u03 moves to branch: the plan shows its number unchanged
        var plan = PlanOne(Existing(desired, state)).Only();
        plan.ChangeOf(UserAddress("u03")).Attributes.Should().NotContain(a => a.Name == "number");

        // Then the add order, built after the cease order completed and state was reconciled, gives it the same number
        var afterCease = state with { Users = [.. state.Users.Where(u => u.Username != "u03")] };
        var order = OrderBuilder.Build("ext", desired, afterCease, [new OrderOperation(UserAddress("u03"), OrderOperationKind.Add)], plan.NadKeys, plan.ReservedNumbers);
        order.Root.Children.Single().Children.Single().Characteristics["directoryNumber"].Should().Be(Number(2));
    }

    [Fact]
    public void A_number_freed_by_a_cease_is_not_handed_to_a_user_added_in_the_same_plan()
    {
        // Given u01 holds number …00 and is removed, while u04 is added
        var manifest = Manifest(Site("hq", User("u01"), User("u02")));
        var state = Applied(manifest);
        var desired = Manifest(Site("hq", User("u02"), User("u04")));

        var plan = PlanOne(Existing(desired, state)).Only();

        // Then the cease comes first, and even once it has completed the add order does not reuse …00
        plan.ReservedNumbers.Should().ContainKey("u01").WhoseValue.Should().Be(Number(0));
        var ceaseFirst = plan.Steps.First(s => s.Kind == StepKind.CreateOrder);
        ceaseFirst.Operations().Should().OnlyContain(o => o.Kind == OrderOperationKind.Cease);
        var afterCease = state with { Users = [.. state.Users.Where(u => u.Username != "u01")] };
        var order = OrderBuilder.Build("ext", desired, afterCease, [new OrderOperation(UserAddress("u04"), OrderOperationKind.Add)], plan.NadKeys, plan.ReservedNumbers);
        order.Root.Children.Single().Children.Single().Characteristics["directoryNumber"].Should().NotBe(Number(0));
    }
}
