using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Issue 26: prior values, planned values and each change's before and after are computed in Core, not by a renderer.</summary>
public class PlanValuesTests
{
    private static readonly ResourceAddress Jane = UserAddress("jane");
    private static readonly ResourceAddress Tom = UserAddress("tom");
    private static readonly ResourceAddress Ann = UserAddress("ann");

    private static ResourceValues Values(ResourceAddress address, params (string Name, AttributeValue? Value)[] values) =>
        new(address, [.. values.Select(v => new NamedValue(v.Name, v.Value))]);

    private static CompanyPlan Plan(ImmutableArray<ResourceChange> changes, ImmutableArray<ResourceValues> prior, ImmutableArray<ResourceValues> recorded = default) =>
        new(Key, null, 1, null, "none", changes, [], ImmutableSortedDictionary<string, string>.Empty, []) { Prior = prior, Recorded = recorded.IsDefault ? [] : recorded };

    private static Dictionary<string, AttributeValue?> Dict(ResourceValues? values) =>
        values.Should().NotBeNull().And.Subject.As<ResourceValues>().Values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Planned_values_keep_what_no_change_touches_apply_updates_over_prior_and_drop_deletes()
    {
        // Given jane unchanged, tom renamed in place, ann ceased and bob created
        var prior = ImmutableArray.Create(
            Values(Jane, ("firstName", AttributeValue.Text("Jane")), ("serviceId", AttributeValue.Text("S1"))),
            Values(Tom, ("firstName", AttributeValue.Text("Tom")), ("serviceId", AttributeValue.Text("S2"))),
            Values(Ann, ("firstName", AttributeValue.Text("Ann")), ("serviceId", AttributeValue.Text("S3"))));
        var bob = UserAddress("bob");
        var plan = Plan(
            [
                new ResourceChange(Jane, ChangeAction.NoOp, "unchanged", []),
                new ResourceChange(Tom, ChangeAction.Update, "firstName changed", [new AttributeChange("firstName", AttributeValue.Text("Tom"), AttributeValue.Text("Thomas"))]),
                new ResourceChange(Ann, ChangeAction.Delete, "removed", []),
                new ResourceChange(bob, ChangeAction.Create, "new user", [new AttributeChange("firstName", null, AttributeValue.Text("Bob")), new AttributeChange("number", null, AttributeValue.KnownAfter("ringfence"))]),
            ],
            prior);

        // When the planned values are computed
        var planned = PlanValues.Planned(plan);

        // Then jane is as before, tom has his new name and keeps his id, ann is gone, and bob's number and id are unknown
        planned.Select(r => r.Address).Should().Equal(Jane, Tom, bob);
        Dict(planned[0]).Should().Equal(new Dictionary<string, AttributeValue?> { ["firstName"] = AttributeValue.Text("Jane"), ["serviceId"] = AttributeValue.Text("S1") });
        Dict(planned[1]).Should().Equal(new Dictionary<string, AttributeValue?> { ["firstName"] = AttributeValue.Text("Thomas"), ["serviceId"] = AttributeValue.Text("S2") });
        Dict(planned[2]).Should().Equal(new Dictionary<string, AttributeValue?>
        {
            ["firstName"] = AttributeValue.Text("Bob"),
            ["number"] = AttributeValue.KnownAfter("ringfence"),
            ["serviceId"] = AttributeValue.KnownAfter("apply"),
        });
    }

    [Fact]
    public void A_changes_before_is_prior_state_or_else_what_the_change_says_and_a_create_has_none()
    {
        var prior = ImmutableArray.Create(Values(Jane, ("firstName", AttributeValue.Text("Jane")), ("lastName", AttributeValue.Text("Smith"))));
        var update = new ResourceChange(Jane, ChangeAction.Update, "lastName changed", [new AttributeChange("lastName", AttributeValue.Text("Smith"), AttributeValue.Text("Jones"))]);
        var notInPrior = new ResourceChange(Tom, ChangeAction.Update, "lastName changed", [new AttributeChange("lastName", AttributeValue.Text("Old"), AttributeValue.Text("New"))]);
        var create = new ResourceChange(Ann, ChangeAction.Create, "new user", [new AttributeChange("lastName", null, AttributeValue.Text("Lee"))]);
        var delete = new ResourceChange(Jane, ChangeAction.Delete, "removed", []);
        var plan = Plan([update, notInPrior, create], prior);

        var ofUpdate = PlanValues.OfChange(plan, update);
        Dict(ofUpdate.Before).Should().Equal(new Dictionary<string, AttributeValue?> { ["firstName"] = AttributeValue.Text("Jane"), ["lastName"] = AttributeValue.Text("Smith") });
        Dict(ofUpdate.After).Should().Equal(new Dictionary<string, AttributeValue?> { ["firstName"] = AttributeValue.Text("Jane"), ["lastName"] = AttributeValue.Text("Jones") });
        Dict(PlanValues.OfChange(plan, notInPrior).Before).Should().Equal(new Dictionary<string, AttributeValue?> { ["lastName"] = AttributeValue.Text("Old") });
        var ofCreate = PlanValues.OfChange(plan, create);
        ofCreate.Before.Should().BeNull();
        Dict(ofCreate.After).Should().ContainKey("serviceId").WhoseValue.Should().Be(AttributeValue.KnownAfter("apply"));
        PlanValues.OfChange(plan, delete).After.Should().BeNull();
    }

    [Fact]
    public void Drift_goes_from_state_as_recorded_to_BT_as_read()
    {
        var recorded = ImmutableArray.Create(
            Values(Jane, ("lastName", AttributeValue.Text("Smith")), ("protect", AttributeValue.Flag(false))),
            Values(Tom, ("lastName", AttributeValue.Text("Jones"))));
        var changed = new ResourceChange(Jane, ChangeAction.Drift, "changed at BT outside whcctl", [new AttributeChange("lastName", AttributeValue.Text("Smith"), AttributeValue.Text("Brown"))]);
        var ceased = new ResourceChange(Tom, ChangeAction.Drift, "ceased at BT outside whcctl", []) { Observed = ChangeAction.Delete };
        var found = new ResourceChange(Ann, ChangeAction.Drift, "exists at BT but not in state", [new AttributeChange("lastName", null, AttributeValue.Text("Lee"))]) { Observed = ChangeAction.Create };
        var plan = Plan([], [], recorded);

        var ofChanged = PlanValues.OfDrift(plan, changed);
        Dict(ofChanged.Before).Should().Equal(new Dictionary<string, AttributeValue?> { ["lastName"] = AttributeValue.Text("Smith"), ["protect"] = AttributeValue.Flag(false) });
        Dict(ofChanged.After).Should().Equal(new Dictionary<string, AttributeValue?> { ["lastName"] = AttributeValue.Text("Brown"), ["protect"] = AttributeValue.Flag(false) });
        PlanValues.OfDrift(plan, ceased).After.Should().BeNull();
        PlanValues.OfDrift(plan, found).Before.Should().BeNull();
        Dict(PlanValues.OfDrift(plan, found).After).Should().Equal(new Dictionary<string, AttributeValue?> { ["lastName"] = AttributeValue.Text("Lee") });
    }

    [Fact]
    public void Prior_values_of_a_planned_company_are_typed_from_state()
    {
        // Given an applied company, planned again unchanged
        var state = Applied(Simple(users: 1));
        var plan = PlanOne(Existing(Simple(users: 1), state)).Only();

        // Then prior state holds each value in its own type, and nothing planned differs from it
        var block = plan.Prior.Single(r => r.Address == BlockAddress());
        block["quantity"].Should().Be(AttributeValue.Number(10));
        block["ported"].Should().Be(AttributeValue.Flag(false));
        block["numbers"].Should().BeOfType<ListValue>().Which.Items.Should().ContainSingle();
        PlanValues.Planned(plan).Should().BeEquivalentTo(plan.Prior);
    }
}
