using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

public sealed class StateSerializerTests
{
    private static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", name);

    [Fact]
    public void Golden_v1_file_round_trips_byte_for_byte()
    {
        var text = File.ReadAllText(GoldenPath("fun-network.v1.json"));

        var state = StateSerializer.Default.Deserialize(text, "golden");

        StateSerializer.Default.Serialize(state).Should().Be(text);
    }

    [Fact]
    public void Serializing_the_sample_company_gives_the_golden_file()
    {
        // When this fails because the format changed on purpose: bump the version, add an upgrade, regenerate the golden file.
        StateSerializer.Default.Serialize(SampleStates.FunNetwork()).Should().Be(File.ReadAllText(GoldenPath("fun-network.v1.json")));
    }

    [Fact]
    public void Deserialized_golden_file_equals_the_model_it_was_made_from()
    {
        var state = StateSerializer.Default.Deserialize(File.ReadAllText(GoldenPath("fun-network.v1.json")), "golden");

        state.Should().BeEquivalentTo(SampleStates.FunNetwork().Normalized(), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Should_write_version_serial_lineage_and_company_first_in_camel_case()
    {
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();

        json.Select(p => p.Key).Take(4).Should().Equal("version", "serial", "lineage", "company");
        json["users"]![0]!["username"]!.GetValue<string>().Should().Be("jane.smith", "users are sorted by username");
        json["orders"]![0]!["state"]!.GetValue<string>().Should().Be("completed", "enums are written as strings");
    }

    [Fact]
    public void A_sites_recorded_address_is_written_only_when_known_and_read_back()
    {
        var state = SampleStates.FunNetwork();
        var recorded = state with { Sites = [state.Sites[0] with { FoundBy = new SiteAddressState("IP1 1AA", "Unit 4") }] };

        var withAddress = StateSerializer.Default.Serialize(recorded);
        var site = JsonNode.Parse(withAddress)!["sites"]![0]!;

        site["foundBy"]!.ToJsonString().Should().Be("{\"postcode\":\"IP1 1AA\",\"premises\":\"Unit 4\"}");
        StateSerializer.Default.Deserialize(withAddress, "test").Sites[0].FoundBy.Should().Be(new SiteAddressState("IP1 1AA", "Unit 4"));
        JsonNode.Parse(StateSerializer.Default.Serialize(state))!["sites"]![0]!.AsObject().ContainsKey("foundBy")
            .Should().BeFalse("a field added to format 1 is left out when unset, so existing files keep their bytes");
    }

    [Fact]
    public void A_ported_block_is_marked_only_when_ported_and_read_back()
    {
        var state = SampleStates.FunNetwork();
        var ported = state with { NumberBlocks = [state.NumberBlocks[0] with { AreaCode = string.Empty, Ported = true }] };

        var written = StateSerializer.Default.Serialize(ported);

        JsonNode.Parse(written)!["numberBlocks"]![0]!["ported"]!.GetValue<bool>().Should().BeTrue();
        StateSerializer.Default.Deserialize(written, "test").NumberBlocks[0].Ported.Should().BeTrue();
        JsonNode.Parse(StateSerializer.Default.Serialize(state))!["numberBlocks"]![0]!.AsObject().ContainsKey("ported")
            .Should().BeFalse("a block of new numbers is written as before, so existing files keep their bytes");
    }

    [Fact]
    public void Fields_this_whcctl_does_not_know_are_refused_not_skipped_so_none_is_dropped_when_the_state_is_written_back()
    {
        // Issue 26 reversed this test's old rule (unknown fields were skipped, and lost on the next write): a format is a
        // closed set of fields, and a newer whcctl that adds one writes a newer format, which this one refuses.
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        json["sites"]![0]!["addedLater"] = "x";
        json["addedLater"] = new JsonObject { ["any"] = 1 };

        var read = () => StateSerializer.Default.Deserialize(json.ToJsonString(), "test");

        read.Should().Throw<StateException>().Where(e => e.Code == "WHC5003" && e.Message.Contains("addedLater"));
    }

    [Fact]
    public void Should_not_write_computed_properties()
    {
        var text = StateSerializer.Default.Serialize(SampleStates.FunNetwork());

        text.Should().NotContain("ringfencedCount").And.NotContain("\"count\"");
    }

    [Fact]
    public void Should_refuse_a_state_written_by_a_newer_whcctl()
    {
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        json["version"] = CompanyState.CurrentVersion + 1;

        var read = () => StateSerializer.Default.Deserialize(json.ToJsonString(), "fun-network.json");

        read.Should().Throw<StateException>()
            .Where(e => e.Code == "WHC5003" && e.Message.Contains("written by a newer whcctl") && e.Message.Contains("fun-network.json"));
    }

    [Fact]
    public void Should_refuse_an_old_version_it_has_no_upgrade_for()
    {
        var read = () => StateSerializer.Default.Deserialize("""{"version":0,"serial":1,"lineage":"l","company":"c"}""", "old.json");

        read.Should().Throw<StateException>().Where(e => e.Code == "WHC5003" && e.Message.Contains("too old"));
    }

    [Fact]
    public void Should_upgrade_an_older_format_through_the_upgrade_chain()
    {
        // A hypothetical v0: the company was called "name" and resources sat under "resources".
        var v0 = """
            {"version":0,"serial":4,"lineage":"7f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6","name":"acme",
             "resources":{"sites":[{"name":"hq","locationCode":"HQ01","nadKey":"X1","serviceId":null}]}}
            """;
        var upgrade = new StateFormatUpgrade(0, old =>
        {
            var resources = old["resources"]!.AsObject();
            return new JsonObject
            {
                ["version"] = 0,
                ["serial"] = old["serial"]!.DeepClone(),
                ["lineage"] = old["lineage"]!.DeepClone(),
                ["company"] = old["name"]!.DeepClone(),
                ["sites"] = resources["sites"]!.DeepClone(),
            };
        });
        var serializer = new StateSerializer([upgrade]);

        var state = serializer.Deserialize(v0, "v0.json");

        state.Version.Should().Be(CompanyState.FirstVersionOfModel);
        state.Company.Should().Be("acme");
        state.Serial.Should().Be(4);
        state.Sites.Should().ContainSingle(s => s.Name == "hq" && s.NadKey == "X1");
        state.Users.Should().BeEmpty("missing collections are read as empty");
        serializer.OldestReadableVersion.Should().Be(0);
    }

    [Fact]
    public void Should_report_invalid_json_with_the_source()
    {
        var read = () => StateSerializer.Default.Deserialize("{ not json", "broken.json");

        read.Should().Throw<StateException>().Where(e => e.Code == "WHC5003" && e.Message.StartsWith("broken.json"));
    }

    [Fact]
    public void Header_reads_version_serial_and_lineage_without_the_rest()
    {
        var bytes = StateSerializer.Default.SerializeToUtf8Bytes(SampleStates.FunNetwork());

        var header = StateSerializer.ReadHeader(bytes, "fun-network.json");

        header.Should().Be(new StateHeader(CompanyState.FirstVersionOfModel, SampleStates.FunNetwork().Serial, SampleStates.FunNetwork().Lineage));
    }

    [Fact]
    public void A_state_with_a_ported_block_is_written_as_format_2_which_a_whcctl_knowing_only_format_1_refuses()
    {
        var plain = SampleStates.FunNetwork();
        var ported = plain with { NumberBlocks = [.. plain.NumberBlocks.Select(b => b with { Ported = true })] };

        var plainHeader = StateSerializer.ReadHeader(StateSerializer.Default.SerializeToUtf8Bytes(plain), "plain.json");
        var text = StateSerializer.Default.Serialize(ported);

        plainHeader.Version.Should().Be(1, "a state without ported numbers stays readable by every whcctl of format 1");
        StateSerializer.ReadHeader(Encoding.UTF8.GetBytes(text), "ported.json").Version.Should().Be(2);
        var read = StateSerializer.Default.Deserialize(text, "ported.json");
        read.NumberBlocks.Should().OnlyContain(b => b.Ported);
        read.SameContentAs(ported).Should().BeTrue();
    }

    [Fact]
    public void A_destroyed_company_is_written_as_format_3_with_its_tombstone_which_an_older_whcctl_refuses()
    {
        var at = DateTimeOffset.Parse("2026-12-01T10:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture);
        var tombstone = CompanyState.New("fun-network", SampleStates.Lineage) with
        {
            Serial = 14,
            Orders = SampleStates.FunNetwork().Orders,
            Destroyed = new CompanyTombstone(at, "TheFunNetwork", "WHHCBTWKN1484"),
        };

        var text = StateSerializer.Default.Serialize(tombstone);

        // A whcctl that knows format 2 would take a state without a record for no company and say to destroy it.
        StateSerializer.ReadHeader(Encoding.UTF8.GetBytes(text), "destroyed.json").Version.Should().Be(3);
        JsonNode.Parse(text)!["destroyed"]!["serviceId"]!.GetValue<string>().Should().Be("WHHCBTWKN1484");
        var read = StateSerializer.Default.Deserialize(text, "destroyed.json");
        read.IsDestroyed.Should().BeTrue();
        read.Destroyed.Should().Be(tombstone.Destroyed);
        read.SameContentAs(tombstone).Should().BeTrue();
        JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject().ContainsKey("destroyed").Should().BeFalse("a live company's file keeps its bytes");
    }

    [Fact]
    public void Golden_v3_file_of_a_destroyed_company_round_trips_byte_for_byte()
    {
        var text = File.ReadAllText(GoldenPath("fun-network.v3.json"));

        var state = StateSerializer.Default.Deserialize(text, "golden");

        state.IsDestroyed.Should().BeTrue();
        state.Tombstone!.Name.Should().Be("TheFunNetwork");
        StateSerializer.Default.Serialize(state).Should().Be(text);
    }

    [Fact]
    public void A_company_made_again_after_its_destroy_drops_the_tombstone_when_written()
    {
        var live = SampleStates.FunNetwork() with { Destroyed = new CompanyTombstone(DateTimeOffset.UnixEpoch, null, null) };

        var text = StateSerializer.Default.Serialize(live);

        JsonNode.Parse(text)!.AsObject().ContainsKey("destroyed").Should().BeFalse();
        StateSerializer.ReadHeader(Encoding.UTF8.GetBytes(text), "live.json").Version.Should().Be(1);
    }

    [Fact]
    public void Header_of_a_state_without_serial_or_lineage_leaves_them_empty()
    {
        StateSerializer.ReadHeader("""{"sites":[{"serial":9}],"version":1}"""u8, "partial.json")
            .Should().Be(new StateHeader(1, null, null), "only top-level fields count");
    }

    [Fact]
    public void A_state_file_saved_with_a_byte_order_mark_is_read()
    {
        var bytes = StateSerializer.Default.SerializeToUtf8Bytes(SampleStates.FunNetwork());

        var state = StateSerializer.Default.Deserialize([0xEF, 0xBB, 0xBF, .. bytes], "edited.json");

        state.Should().BeEquivalentTo(SampleStates.FunNetwork().Normalized(), o => o.WithStrictOrdering());
        StateSerializer.ReadHeader([0xEF, 0xBB, 0xBF, .. bytes], "edited.json").Serial.Should().Be(SampleStates.FunNetwork().Serial);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("""{"version":"1","serial":2}""", "no numeric 'version' field")]
    public void Header_of_something_that_is_not_a_state_is_refused_with_the_source(string text, string expected)
    {
        var read = () => StateSerializer.ReadHeader(System.Text.Encoding.UTF8.GetBytes(text), "odd.json");

        read.Should().Throw<StateException>().Where(e => e.Code == "WHC5003" && e.Message.StartsWith("odd.json") && e.Message.Contains(expected));
    }

    [Fact]
    public void Serialized_state_of_a_realistic_company_has_no_field_named_like_a_secret()
    {
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!;
        var names = new List<string>();
        Collect(json, names);

        names.Should().NotBeEmpty();
        names.Should().NotContain(n => Regex.IsMatch(n, "secret|token|password|credential|apikey", RegexOptions.IgnoreCase));
    }

    private static void Collect(JsonNode? node, List<string> names)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    names.Add(key);
                    Collect(value, names);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, names);
                }

                break;
        }
    }
}
