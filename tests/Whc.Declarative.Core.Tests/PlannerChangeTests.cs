using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class PlannerChangeTests
{
    [Fact]
    public void Should_update_a_user_whose_fields_changed_with_a_modify_operation()
    {
        // Given an applied company
        var manifest = Simple(users: 2);
        var state = Applied(manifest);
        var u01 = manifest.Sites[0].Users[0];

        // When u01's first name changes
        var changed = Manifest(Site("hq", u01 with { FirstName = "Janet" }, manifest.Sites[0].Users[1]));
        var plan = PlanOne(Existing(changed, state)).Only();

        // Then u01 is an update showing the field, realised by one modify order
        var change = plan.ChangeOf(UserAddress("u01"));
        change.Action.Should().Be(ChangeAction.Update);
        change.Attributes.Should().Equal(new AttributeChange("firstName", AttributeValue.Text("First-u01"), AttributeValue.Text("Janet")));
        plan.Step("acme:order-1:create").Operations().Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify));
        plan.Steps.Should().HaveCount(3);
    }

    [Fact]
    public void Should_delete_a_user_removed_from_the_manifest_with_a_cease_operation()
    {
        // Given an applied company with two users
        var manifest = Simple(users: 2);
        var state = Applied(manifest);

        // When u02 is removed
        var plan = PlanOne(Existing(Manifest(Site("hq", manifest.Sites[0].Users[0])), state)).Only();

        // Then u02 is deleted by a cease in one order
        plan.ChangeOf(UserAddress("u02")).Action.Should().Be(ChangeAction.Delete);
        plan.Step("acme:order-1:create").Operations().Should().Equal(new OrderOperation(UserAddress("u02"), OrderOperationKind.Cease));
    }

    [Fact]
    public void Should_replace_a_user_that_moves_site_ceasing_it_in_an_order_before_the_one_that_adds_it()
    {
        // Given u01 at site hq and an empty site branch
        var manifest = Manifest(Site("hq", User("u01", extension: "2001")), Site("branch"));
        var state = Applied(manifest);

        // When u01 moves to branch
        var moved = Manifest(Site("hq"), Site("branch", User("u01", extension: "2001")));
        var plan = PlanOne(Existing(moved, state)).Only();

        // Then it is a replace: order 1 ceases it, order 2 (after order 1 completes) adds it at branch
        var change = plan.ChangeOf(UserAddress("u01"));
        change.Action.Should().Be(ChangeAction.Replace);
        change.Attributes.Should().ContainEquivalentOf(new AttributeChange("site", AttributeValue.Text("hq"), AttributeValue.Text("branch")));
        plan.Step("acme:order-1:create").Operations().Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Cease));
        plan.Step("acme:order-2:create").Operations().Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Add));
        plan.Step("acme:order-2:create").DependsOn.Should().Contain(Id("acme:order-1:await"));
    }

    [Fact]
    public void Should_cease_a_removed_site_in_an_order_after_the_orders_that_cease_its_users()
    {
        // Given sites hq and branch, branch with user b01
        var manifest = Manifest(Site("hq", User("u01")), Site("branch", User("b01")));
        var state = Applied(manifest);

        // When branch and its user are removed
        var plan = PlanOne(Existing(Manifest(Site("hq", User("u01"))), state)).Only();

        // Then b01 is ceased first and the site in a later order that waits for it
        plan.ChangeOf(SiteAddress("branch")).Action.Should().Be(ChangeAction.Delete);
        plan.Step("acme:order-1:create").Operations().Should().Equal(new OrderOperation(UserAddress("b01"), OrderOperationKind.Cease));
        plan.Step("acme:order-2:create").Operations().Should().Equal(new OrderOperation(SiteAddress("branch"), OrderOperationKind.Cease));
        plan.Step("acme:order-2:create").DependsOn.Should().Contain(Id("acme:order-1:await"));
    }

    [Fact]
    public void Should_ringfence_only_the_difference_when_a_number_block_grows()
    {
        // Given a block holding 10 numbers
        var manifest = Simple();
        var state = Applied(manifest);

        // When its quantity becomes 15
        var plan = PlanOne(Existing(manifest with { NumberBlocks = [Block(quantity: 15)] }, state)).Only();

        // Then 5 more are ringfenced (no qualification for an existing company) and then ordered onto the company
        var ringfence = plan.Step("acme:ringfence:main");
        ringfence.Should().BeOfType<RingFenceStep>().Which.Quantity.Should().Be(5);
        ringfence.DependsOn.Should().BeEmpty();
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.Qualify);
        plan.ChangeOf(BlockAddress()).Action.Should().Be(ChangeAction.Update);
        plan.Step("acme:order-1:create").Operations().Should().Equal(new OrderOperation(BlockAddress(), OrderOperationKind.Add));
        plan.Step("acme:order-1:create").DependsOn.Should().Contain(Id("acme:ringfence:main"));
    }

    [Fact]
    public void Should_add_a_new_user_to_an_existing_company_without_touching_the_company()
    {
        // Given an applied company with two users
        var manifest = Simple(users: 2);
        var state = Applied(manifest);

        // When a third user is added
        var plan = PlanOne(Existing(Simple(users: 3), state)).Only();

        // Then only u03 is created, with the next free number known at plan time
        plan.Changes.Where(c => c.Action != ChangeAction.NoOp).Select(c => c.Address).Should().Equal(UserAddress("u03"));
        plan.ChangeOf(UserAddress("u03")).Attributes.Should().ContainEquivalentOf(new AttributeChange("number", null, AttributeValue.Text(Number(2))));
        plan.Step("acme:order-1:create").Operations().Should().Equal(new OrderOperation(UserAddress("u03"), OrderOperationKind.Add));
    }
}
