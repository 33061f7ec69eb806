using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.PlanStepQueries;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 25, item 4: a user swapped for another in a full block. BT (as the sandbox emulates it) frees a ceased user's
/// directory number as soon as the cease order completes, so the plan ceases the removed user first and gives the new
/// user the freed number in an order that waits for that cease. The planner used to refuse it (WHC3008).
/// </summary>
public class FreedNumberTests
{
    [Fact]
    public void A_user_swapped_for_another_in_a_full_block_is_ceased_first_and_the_new_user_gets_the_freed_number()
    {
        // Given a full block of two numbers held by u01 (Number(0)) and u02 (Number(1))
        var applied = Applied(Manifest([Block(quantity: 2)], Site("hq", Users("u", 2))));

        // When u02 is swapped for x01 in the same plan
        var swapped = Manifest([Block(quantity: 2)], Site("hq", Users("u", 1).Add(User("x01", extension: "2009"))));
        var plan = PlanOne(Existing(swapped, applied)).Only();

        // Then no error; x01 is added with u02's number, in an order that waits for the order ceasing u02
        plan.Diagnostics.Should().BeEmpty();
        plan.ChangeOf(UserAddress("x01")).Attributes.Should().ContainSingle(a => a.Name == "number").Which.After.Should().Be(AttributeValue.Text(Number(1)));
        var cease = OrderOf(plan, "u02");
        var add = OrderOf(plan, "x01");
        add.Id.Should().NotBe(cease.Id);
        Before(plan, add).Should().Contain(AwaitOf(cease));
    }

    [Fact]
    public void A_freed_number_goes_out_only_when_no_never_held_number_is_left()
    {
        // Given a block of three numbers, u01 and u02 holding the first two
        var applied = Applied(Manifest([Block(quantity: 3)], Site("hq", Users("u", 2))));

        // When u02 is removed and two new users come
        var swapped = Manifest([Block(quantity: 3)], Site("hq", Users("u", 1).Add(User("x01", extension: "2009")).Add(User("x02", extension: "2010"))));
        var plan = PlanOne(Existing(swapped, applied)).Only();

        // Then the first new user takes the free number, the second the freed one
        plan.Diagnostics.Should().BeEmpty();
        plan.ChangeOf(UserAddress("x01")).Attributes.Single(a => a.Name == "number").After.Should().Be(AttributeValue.Text(Number(2)));
        plan.ChangeOf(UserAddress("x02")).Attributes.Single(a => a.Name == "number").After.Should().Be(AttributeValue.Text(Number(1)));
    }

    [Fact]
    public void Apply_gives_the_new_user_the_number_the_plan_showed_once_the_cease_is_done()
    {
        // Given the swap planned, and the cease applied: state no longer holds u02, the plan reserved its number
        var applied = Applied(Manifest([Block(quantity: 2)], Site("hq", Users("u", 1).Add(User("u02", extension: "2002")))));
        var swapped = Manifest([Block(quantity: 2)], Site("hq", Users("u", 1).Add(User("x01", extension: "2009"))));
        var plan = PlanOne(Existing(swapped, applied));
        var afterCease = applied with { Users = applied.Users.RemoveAll(u => u.Username == "u02") };

        // When apply builds the order adding x01
        var numbers = NumberAssignment.Assign(swapped, OrderBuilder.RangesByBlock(afterCease), OrderBuilder.HeldNumbers(afterCease, plan.Only().ReservedNumbers));

        // Then x01 gets u02's number, as planned
        numbers["x01"].Should().Be(Number(1));
    }

    [Fact]
    public void A_freed_number_is_refused_when_target_leaves_its_holders_cease_out()
    {
        // Given the swap of u02 for x01 in a full block, planned with --target on x01 alone (u02 stays at BT)
        var applied = Applied(Manifest([Block(quantity: 2)], Site("hq", Users("u", 2))));
        var swapped = Manifest([Block(quantity: 2)], Site("hq", Users("u", 1).Add(User("x01", extension: "2009"))));
        var options = new PlannerOptions { Targets = [UserAddress("x01")] };

        // When it is planned
        var plan = PlanOne(Existing(swapped, applied), options);

        // Then the plan refuses it, naming the holder, rather than an order BT would refuse
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3050").Which.Message.Should().Contain("'x01'").And.Contain("'u02'").And.Contain(Number(1));
    }
}
