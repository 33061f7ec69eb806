using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Issue 26: attribute values are typed by their value, not by the attribute's name; lists stay lists; unknown is a state.</summary>
public class AttributeValueTests
{
    [Fact]
    public void Lists_are_equal_by_their_items_in_order()
    {
        AttributeValue.List(["a", "b"]).Should().Be(AttributeValue.List(["a", "b"]));
        AttributeValue.List(["a", "b"]).GetHashCode().Should().Be(AttributeValue.List(["a", "b"]).GetHashCode());
        AttributeValue.List(["a", "b"]).Should().NotBe(AttributeValue.List(["b", "a"]));
        AttributeValue.List(["a, b"]).Should().NotBe(AttributeValue.List(["a", "b"]), "an item holding \", \" is one item, not two");
    }

    [Fact]
    public void No_value_and_an_empty_list_are_empty_and_nothing_else_is()
    {
        AttributeValue.IsEmpty(null).Should().BeTrue();
        AttributeValue.IsEmpty(AttributeValue.List([])).Should().BeTrue();
        AttributeValue.IsEmpty(AttributeValue.Text(string.Empty)).Should().BeFalse();
        AttributeValue.IsEmpty(AttributeValue.Number(0)).Should().BeFalse();
        AttributeValue.IsEmpty(AttributeValue.Flag(false)).Should().BeFalse();
        AttributeValue.Text(null).Should().BeNull();
    }

    [Fact]
    public void Known_after_apply_is_a_state_of_the_value_that_no_text_is()
    {
        var unknown = AttributeValue.KnownAfter("ringfence");

        unknown.IsKnown.Should().BeFalse();
        AttributeValue.Text("(known after ringfence)").IsKnown.Should().BeTrue();
        AttributeValue.Text("(known after ringfence)").Should().NotBe(unknown);
        AttributeValue.KnownAfter("ringfence", AttributeValue.List(["x"])).Should().NotBe(unknown, "what is known already is part of the value");
    }

    [Fact]
    public void A_new_company_plans_typed_values_whatever_the_attributes_are_called()
    {
        // Given a new company whose user has a device and draws a number from a block still to be ringfenced
        var plan = PlanOne(Input(Manifest(Site("hq", User("u01", macs: "0004F2AABB01"))), refresh: RefreshSnapshot.Of(null))).Only();

        // Then the quantity is a number, the devices a list, and the numbers known after the ringfence
        var block = plan.ChangeOf(BlockAddress()).Attributes.ToDictionary(a => a.Name, a => a.After);
        block["quantity"].Should().Be(AttributeValue.Number(10));
        block["numbers"].Should().Be(AttributeValue.KnownAfter("ringfence")).And.BeOfType<UnknownValue>().Which.Known.Should().BeNull("no range is held yet");
        var user = plan.ChangeOf(UserAddress("u01")).Attributes.ToDictionary(a => a.Name, a => a.After);
        user["devices"].Should().Be(AttributeValue.List(["0004F2AABB01"]));
        user["number"].Should().Be(AttributeValue.KnownAfter("ringfence"));
        user["extension"].Should().BeOfType<TextValue>();
    }

    [Fact]
    public void A_user_with_no_devices_has_an_empty_list_which_a_new_user_does_not_show_as_a_change()
    {
        // Given a new company whose user has no device
        var plan = PlanOne(Input(Manifest(Site("hq", User("u01"))), refresh: RefreshSnapshot.Of(null))).Only();

        // Then the change leaves the devices out, as it did when they were text, and the planned user holds an empty list
        plan.ChangeOf(UserAddress("u01")).Attributes.Select(a => a.Name).Should().NotContain("devices");
        PlanValues.Planned(plan).Single(r => r.Address == UserAddress("u01"))["devices"].Should().BeNull("the change does not set it");
    }

    [Fact]
    public void A_device_BT_reports_with_a_comma_and_space_in_it_stays_one_item_in_prior_values_and_in_drift()
    {
        // Given BT reports u01 with one device whose identifier holds ", "
        var state = Applied(Simple(users: 1));
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = inventory.Users.SetItem(0, inventory.Users[0] with { DeviceMacAddresses = ["0004F2AABB01, desk phone"] }) };

        // When a refresh-only plan is made
        var plan = PlanOne(Input(Simple(users: 1), state, RefreshSnapshot.Of(inventory)), mode: PlanMode.RefreshOnly).Only();

        // Then the drift and prior state hold it as one item
        plan.ChangeOf(UserAddress("u01")).Attributes.Should().Equal(new AttributeChange("devices", AttributeValue.List([]), AttributeValue.List(["0004F2AABB01, desk phone"])));
        plan.Prior.Single(r => r.Address == UserAddress("u01"))["devices"].Should().Be(AttributeValue.List(["0004F2AABB01, desk phone"]));
    }
}
