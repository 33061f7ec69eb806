using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 26: the state store's refusals (a state file that cannot be read, a store that cannot be opened) pinned whole,
/// written against the wording at the throw sites before it moved into the catalogue's templates.
/// </summary>
public sealed class StateMessageWordingTests
{
    private static string Sample(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    private static readonly string Current = CompanyState.CurrentVersion.ToString(CultureInfo.InvariantCulture);

    private static string SampleVersion() => JsonNode.Parse(Sample(_ => { }))!["version"]!.ToJsonString();

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "newer", Sample(j => j["version"] = CompanyState.CurrentVersion + 1), $"f.json: state format version {CompanyState.CurrentVersion + 1} was written by a newer whcctl; this whcctl reads versions up to {Current}. Upgrade whcctl." },
        { "old", """{"version":0,"serial":1,"lineage":"l","company":"c"}""", $"f.json: state format version 0 is too old; this whcctl reads versions 1 to {Current}" },
        { "array", "[]", "f.json: not a whcctl state (expected a JSON object)" },
        { "noversion", "{}", "f.json: not a whcctl state (no numeric 'version' field)" },
        { "unknownfield", Sample(j => j["bogusField"] = 1), $"f.json: state holds a field that format version {SampleVersion()} does not have at $.bogusField; it is refused rather than read and written back without it (a newer whcctl adds fields only with a newer format version, so the file was edited, or written by a whcctl that broke that rule)" },
        { "nolineage", Sample(j => j.Remove("lineage")), $"f.json: state does not match format version {SampleVersion()}: the object at $ lacks 'lineage' (the file was edited, or is not a whcctl state file)" },
        { "emptylineage", Sample(j => j["lineage"] = string.Empty), "f.json: state has no company or no lineage" },
    };

    [Fact]
    public void A_state_kept_under_another_company_is_worded_as_before()
    {
        var read = () => StateSerializer.Default.Deserialize(Sample(_ => { }), "f.json", "other");

        read.Should().Throw<StateException>().Which.Message.Should()
            .Be("f.json: state refused: it holds company 'fun-network', not 'other' where it is kept. Restore a good version with 'whcctl state history' and 'whcctl state rollback'");
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_state_file_refused_is_worded_as_before(string name, string json, string expected)
    {
        _ = name;
        var read = () => StateSerializer.Default.Deserialize(json, "f.json");

        read.Should().Throw<StateException>().Which.Message.Should().Be(expected);
    }

    [Fact]
    public void A_state_file_whose_text_is_not_json_is_refused_in_words_not_the_readers_text()
    {
        var read = () => StateSerializer.Default.Deserialize("{", "f.json");
        var header = () => StateSerializer.ReadParentSerial("{"u8, "f.json", 3);

        read.Should().Throw<StateException>().Which.Message.Should().Be("f.json: not valid JSON (line 1), so not a whcctl state file; state push takes a file written by 'whcctl state pull'");
        header.Should().Throw<StateException>().Which.Message.Should().Be("f.json: not valid JSON (line 1), so not a whcctl state file; state push takes a file written by 'whcctl state pull'");
    }

    [Fact]
    public void A_parent_serial_out_of_range_is_worded_as_before()
    {
        var read = () => StateSerializer.ReadParentSerial(Encoding.UTF8.GetBytes("""{"parentSerial":9}"""), "f.json", 3);

        read.Should().Throw<StateException>().Which.Message.Should()
            .Be("f.json: parentSerial must be the serial of the version the file was derived from, a whole number from 0 to 2 (the file's serial is 3)");
    }

    [Fact]
    public void A_field_of_the_wrong_type_names_its_place_not_the_readers_text()
    {
        var read = () => StateSerializer.Default.Deserialize(Sample(j => j["serial"] = "x"), "f.json");

        read.Should().Throw<StateException>().Which.Message.Should().Be($"f.json: state does not match format version {SampleVersion()}: the value at $.serial is not what that format holds there (the file was edited, or is not a whcctl state file)");
    }

    [Theory]
    [InlineData("postgress://user:pw@host/db", "state 'postgress://***@host/db' names an unknown kind of store 'postgress://'; state lives in a directory or at postgres://user@host:port/database")]
    public void A_state_url_of_no_known_kind_is_worded_as_before(string spec, string expected)
    {
        var open = () => StateStoreFactory.Open(spec, Path.GetTempPath(), new Dictionary<string, string?>());

        open.Should().Throw<StateException>().Which.Message.Should().Be(expected);
    }

    [Fact]
    public void A_lease_that_is_not_a_length_is_worded_as_before()
    {
        var lease = () => StateStoreFactory.LocalLease(new Dictionary<string, string?> { [StateStoreFactory.LocalLeaseVariable] = "soon" });

        lease.Should().Throw<StateException>().Which.Message.Should().Be("WHC_LOCAL_LOCK_LEASE='soon' is not a lease length between 1s and 60m (e.g. 45s, 2m, 1500ms)");
    }
}
