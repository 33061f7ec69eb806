using Whc.Declarative.Core.Api;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 26: a state file is a versioned document of its own. A format is a closed set of fields: a field this whcctl
/// does not know, in a format it claims to know, is refused (fail closed), never skipped and written back without it.
/// </summary>
public sealed class StateDocumentTests
{
    [Theory]
    [InlineData("top level")]
    [InlineData("an order")]
    [InlineData("a site")]
    public void A_field_this_whcctl_does_not_know_in_a_format_it_knows_is_refused_naming_the_field_and_the_format(string where)
    {
        // Given a state of format 1 holding a field this whcctl does not know (as a careless newer whcctl might write)
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        var holder = where switch
        {
            "top level" => json,
            "an order" => json["orders"]![0]!.AsObject(),
            _ => json["sites"]![0]!.AsObject(),
        };
        holder["bindingAddedLater"] = "https://example.invalid";

        // When it is read
        var read = () => StateSerializer.Default.Deserialize(json.ToJsonString(), "fun-network.json");

        // Then it is refused, not read without the field
        read.Should().Throw<StateException>().Where(e =>
            e.Code == "WHC5003" && e.Message.Contains("fun-network.json") && e.Message.Contains("bindingAddedLater") && e.Message.Contains("format version 1"));
    }

    [Fact]
    public async Task A_stored_state_with_a_field_this_whcctl_does_not_know_is_refused_and_left_as_it_is()
    {
        // Given a state file on disk holding a field this whcctl does not know
        using var temp = new TempDirectory();
        var store = new LocalStateStore(temp.Path);
        await store.WriteAsync(SampleStates.FunNetwork(1) with { Endpoint = EndpointName.Of("sandbox") }, SampleStates.Context, default);
        var path = Path.Combine(temp.Path, "fun-network.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["bindingAddedLater"] = "x";
        File.WriteAllText(path, json.ToJsonString());
        var before = File.ReadAllBytes(path);

        // When it is read (as any plan or apply does first)
        var read = () => store.ReadAsync("fun-network", default);

        // Then it is refused, and the file keeps the field
        await read.Should().ThrowAsync<StateException>().Where(e => e.Code == "WHC5003" && e.Message.Contains("bindingAddedLater"));
        File.ReadAllBytes(path).Should().Equal(before);
    }

    [Fact]
    public void A_state_with_every_field_set_reads_back_whole_and_writes_the_same_bytes()
    {
        // Given a state that sets every field a format holds, the later additions included
        var sample = SampleStates.FunNetwork();
        var order = sample.Orders[0] with
        {
            Operations = [new OrderOperation(ResourceAddress.ForCompany("fun-network"), OrderOperationKind.Modify)],
            NumberRanges = ["01214960000"],
        };
        var state = sample with
        {
            Endpoint = EndpointName.Of("sandbox"),
            Record = sample.Record! with { Protected = true },
            NumberBlocks = [sample.NumberBlocks[0] with { Protected = true }, new NumberBlockState("ported", string.Empty, 2, [new NumberRangeState("01632960000", "01632960001", false, null)]) { Ported = true }],
            Sites = [.. sample.Sites.Select(s => s with { Protected = true, FoundBy = new SiteAddressState("IP1 1AA", "Unit 4") })],
            Users = [.. sample.Users.Select(u => u with { Protected = true })],
            Orders = [order],
            Intents = [.. sample.Intents.Select(i => i with { Details = i.Details.Add("quantity", "10") })],
        };

        // When it is written and read back
        var written = StateSerializer.Default.Serialize(state);
        var read = StateSerializer.Default.Deserialize(written, "test");

        // Then nothing was lost, and writing it again gives the same bytes
        read.Should().BeEquivalentTo(state.Normalized(), o => o.WithStrictOrdering());
        StateSerializer.Default.Serialize(read).Should().Be(written);
        JsonNode.Parse(written)!["version"]!.GetValue<int>().Should().Be(2, "a ported block needs format 2");
    }

    [Fact]
    public void The_tombstone_of_a_destroyed_company_reads_back_whole()
    {
        var state = CompanyState.New("fun-network", SampleStates.Lineage) with
        {
            Serial = 4,
            Destroyed = new CompanyTombstone(new DateTimeOffset(2026, 12, 1, 10, 4, 0, TimeSpan.Zero), "TheFunNetwork", "WHHCBTWKN1484"),
        };

        var written = StateSerializer.Default.Serialize(state);

        JsonNode.Parse(written)!["version"]!.GetValue<int>().Should().Be(3);
        StateSerializer.Default.Deserialize(written, "test").Destroyed.Should().Be(state.Destroyed);
        StateSerializer.Default.Serialize(StateSerializer.Default.Deserialize(written, "test")).Should().Be(written);
    }

    [Fact]
    public void A_newer_format_is_refused_naming_both_versions()
    {
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        json["version"] = CompanyState.CurrentVersion + 1;
        json["somethingNew"] = 1;

        var read = () => StateSerializer.Default.Deserialize(json.ToJsonString(), "fun-network.json");

        read.Should().Throw<StateException>().Where(e =>
            e.Code == "WHC5003" && e.Message.Contains($"version {CompanyState.CurrentVersion + 1}") && e.Message.Contains($"up to {CompanyState.CurrentVersion}"));
    }
}
