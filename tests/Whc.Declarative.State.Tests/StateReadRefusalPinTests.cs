using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// What reading a damaged state says, for damage in every part of the document (a null, a missing field, a wrong
/// type, an unknown field; at the top, in a record, in list items, in nested objects), pinned whole: how the reader
/// builds the documents may change for speed, what it tells about a damaged file may not. Written against the reader
/// that built them through their init-only setters, and passing there.
/// </summary>
public sealed class StateReadRefusalPinTests
{
    private static readonly JsonObject Order = new()
    {
        ["id"] = "o1", ["externalId"] = "e1", ["stepId"] = "s1", ["state"] = "inProgress", ["createdAt"] = "2026-11-26T12:00:00+00:00",
        ["resources"] = new JsonArray("a", "b"),
        ["operations"] = new JsonArray(new JsonObject { ["address"] = new JsonObject { ["company"] = "fun-network", ["kind"] = "site", ["name"] = "hq" }, ["kind"] = "add" }),
        ["numberRanges"] = new JsonArray("01131100000-01131100019"),
    };

    private static readonly JsonObject Intent = new()
    {
        ["id"] = "i1", ["stepId"] = "s1", ["operation"] = "create", ["startedAt"] = "2026-11-26T12:00:00+00:00",
        ["details"] = new JsonObject { ["a"] = "b" },
    };

    public static TheoryData<string, string> Damage() => new()
    {
        { "top: serial null", "serial=null" },
        { "top: lineage null", "lineage=null" },
        { "top: company a number", "company=5" },
        { "top: record a list", "record=[]" },
        { "top: users an object", "users={}" },
        { "top: version a string", "version=\"1\"" },
        { "record: name null", "record.name=null" },
        { "record: name missing", "record.name-" },
        { "record: active a string", "record.active=\"yes\"" },
        { "record: protected null", "record.protected=null" },
        { "record: unknown field", "record.bogus=1" },
        { "qualification: used missing", "record.qualification.used-" },
        { "qualification: expiresAt not a date", "record.qualification.expiresAt=\"soon\"" },
        { "block: quantity a fraction", "numberBlocks.0.quantity=1.5" },
        { "block: quantity too big", "numberBlocks.0.quantity=99999999999" },
        { "block: ported a string", "numberBlocks.0.ported=\"x\"" },
        { "range: startNumber missing", "numberBlocks.0.ranges.0.startNumber-" },
        { "range: unknown field", "numberBlocks.0.ranges.0.bogus=true" },
        { "site: nadKey null", "sites.0.nadKey=null" },
        { "site: foundBy without postcode", "sites.0.foundBy={}" },
        { "user: username a number", "users.0.username=5" },
        { "user: macs a string", "users.0.deviceMacAddresses=\"x\"" },
        { "user: two fields missing", "users.0.site-;users.0.licence-" },
        { "order: state a number", "orders.0.state=1" },
        { "order: state unknown", "orders.0.state=\"bogus\"" },
        { "order: createdAt not a date", "orders.0.createdAt=\"x\"" },
        { "order: address without name", "orders.0.operations.0.address.name-" },
        { "order: address kind unknown", "orders.0.operations.0.address.kind=\"planet\"" },
        { "intent: details a list", "intents.0.details=[]" },
        { "destroyed: without at", "destroyed={}" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_state_is_refused_as_before(string name, string damage)
    {
        var json = Damaged(damage);

        var read = () => StateSerializer.Default.Deserialize(json, "f.json");

        read.Should().Throw<StateException>().Which.Message.Should().Be(Expected[name], damage);
    }

    [Fact]
    public void The_sample_with_orders_intents_and_a_tombstone_reads()
    {
        var json = Damaged("destroyed={\"at\":\"2026-11-26T12:00:00+00:00\",\"name\":\"Fun\"}");

        StateSerializer.Default.Deserialize(json, "f.json").Orders.Should().ContainSingle();
    }

    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["block: ported a string"] = NotOfFormat("$.numberBlocks[0].ported"),
        ["block: quantity a fraction"] = NotOfFormat("$.numberBlocks[0].quantity"),
        ["block: quantity too big"] = NotOfFormat("$.numberBlocks[0].quantity"),
        ["destroyed: without at"] = "f.json: state does not match format version 1: the object at $.destroyed lacks 'at' (the file was edited, or is not a whcctl state file)",
        ["intent: details a list"] = NotOfFormat("$.intents[0].details"),
        ["order: address kind unknown"] = NotOfFormat("$.orders[0].operations[0].address.kind"),
        ["order: address without name"] = "f.json: state does not match format version 1: the object at $.orders[0].operations[0].address lacks 'name' (the file was edited, or is not a whcctl state file)",
        ["order: createdAt not a date"] = NotOfFormat("$.orders[0].createdAt"),
        ["order: state a number"] = NotOfFormat("$.orders[0].state"),
        ["order: state unknown"] = NotOfFormat("$.orders[0].state"),
        ["qualification: expiresAt not a date"] = NotOfFormat("$.record.qualification.expiresAt"),
        ["qualification: used missing"] = "f.json: state does not match format version 1: the object at $.record.qualification lacks 'used' (the file was edited, or is not a whcctl state file)",
        ["range: startNumber missing"] = "f.json: state does not match format version 1: the object at $.numberBlocks[0].ranges[0] lacks 'startNumber' (the file was edited, or is not a whcctl state file)",
        ["range: unknown field"] = "f.json: state holds a field that format version 1 does not have at $.numberBlocks[0].ranges[0].bogus; it is refused rather than read and written back without it (a newer whcctl adds fields only with a newer format version, so the file was edited, or written by a whcctl that broke that rule)",
        ["record: active a string"] = NotOfFormat("$.record.active"),
        ["record: name missing"] = "f.json: state does not match format version 1: the object at $.record lacks 'name' (the file was edited, or is not a whcctl state file)",
        ["record: name null"] = NotOfFormat("$.record.name"),
        ["record: protected null"] = NotOfFormat("$.record.protected"),
        ["record: unknown field"] = "f.json: state holds a field that format version 1 does not have at $.record.bogus; it is refused rather than read and written back without it (a newer whcctl adds fields only with a newer format version, so the file was edited, or written by a whcctl that broke that rule)",
        ["site: foundBy without postcode"] = "f.json: state does not match format version 1: the object at $.sites[0].foundBy lacks 'postcode' (the file was edited, or is not a whcctl state file)",
        ["site: nadKey null"] = NotOfFormat("$.sites[0].nadKey"),
        ["top: company a number"] = NotOfFormat("$.company"),
        ["top: lineage null"] = NotOfFormat("$.lineage"),
        ["top: record a list"] = NotOfFormat("$.record"),
        ["top: serial null"] = NotOfFormat("$.serial"),
        ["top: users an object"] = NotOfFormat("$.users"),
        ["top: version a string"] = "f.json: not a whcctl state (no numeric 'version' field)",
        ["user: macs a string"] = NotOfFormat("$.users[0].deviceMacAddresses"),
        ["user: two fields missing"] = "f.json: state does not match format version 1: the object at $.users[0] lacks 'site', 'licence' (the file was edited, or is not a whcctl state file)",
        ["user: username a number"] = NotOfFormat("$.users[0].username"),
    };

    private static string NotOfFormat(string path) =>
        $"f.json: state does not match format version 1: the value at {path} is not what that format holds there (the file was edited, or is not a whcctl state file)";

    /// <summary>The sample state with an order and an intent, then each ';'-separated edit: path=json sets, path- removes.</summary>
    internal static string Damaged(string damage)
    {
        var root = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        root["orders"] = new JsonArray(Order.DeepClone());
        root["intents"] = new JsonArray(Intent.DeepClone());
        foreach (var edit in damage.Split(';'))
        {
            var remove = edit.EndsWith('-');
            var (path, value) = remove ? (edit[..^1], null) : (edit[..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 1)..]);
            var parts = path.Split('.');
            JsonNode parent = root;
            foreach (var part in parts[..^1])
            {
                parent = (int.TryParse(part, out var index) ? parent[index] : parent[part])!;
            }

            var last = parts[^1];
            if (remove)
            {
                parent.AsObject().Remove(last);
            }
            else if (parent is JsonArray list)
            {
                list[int.Parse(last)] = JsonNode.Parse(value!);
            }
            else
            {
                parent[last] = JsonNode.Parse(value!);
            }
        }

        return root.ToJsonString();
    }
}
