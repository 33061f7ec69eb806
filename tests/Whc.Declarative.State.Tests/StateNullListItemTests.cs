using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// A null where a state holds a list or a map (a user, a site, a device's MAC address, an order's resource or number
/// range, an intent's detail) is damage like a null field: the state is refused, naming the place, rather than read
/// with a hole a later step would trip over.
/// </summary>
public sealed class StateNullListItemTests
{
    [Theory]
    [InlineData("users.0.deviceMacAddresses=[null]", "$.users[0].deviceMacAddresses[0]")]
    [InlineData("orders.0.resources.1=null", "$.orders[0].resources[1]")]
    [InlineData("orders.0.numberRanges.0=null", "$.orders[0].numberRanges[0]")]
    [InlineData("intents.0.details.a=null", "$.intents[0].details.a")]
    [InlineData("users.0=null", "$.users[0]")]
    [InlineData("sites.0=null", "$.sites[0]")]
    [InlineData("numberBlocks.0=null", "$.numberBlocks[0]")]
    [InlineData("numberBlocks.0.ranges.0=null", "$.numberBlocks[0].ranges[0]")]
    [InlineData("orders.0=null", "$.orders[0]")]
    [InlineData("orders.0.operations.0=null", "$.orders[0].operations[0]")]
    [InlineData("intents.0=null", "$.intents[0]")]
    public void A_null_text_in_a_list_or_map_is_refused_naming_where(string damage, string path)
    {
        var json = StateReadRefusalPinTests.Damaged(damage);

        var read = () => StateSerializer.Default.Deserialize(json, "f.json");

        read.Should().Throw<StateException>().Which.Message.Should().Be(
            $"f.json: state does not match format version 1: the value at {path} is not what that format holds there (the file was edited, or is not a whcctl state file)");
    }
}
