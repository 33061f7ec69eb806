using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>Issue 14: a state edited by hand or damaged is refused on read (WHC5003, naming the problem), never a crash later.</summary>
public sealed class StateValidationTests
{
    public static TheoryData<string, Action<JsonObject>, string> Damage => new()
    {
        { "a user recorded twice", s => Users(s).Add(Users(s)[0]!.DeepClone()), "user 'jane.smith' is recorded twice" },
        { "a user without a username", s => Users(s)[0]!["username"] = "", "a user has no name" },
        { "a username key left out", s => Users(s)[0]!.AsObject().Remove("username"), "lacks 'username'" },
        { "a first name that is null", s => Users(s)[0]!["firstName"] = null, "firstName" },
        { "a site recorded twice", s => Sites(s).Add(Sites(s)[0]!.DeepClone()), "site 'ipswich-hq' is recorded twice" },
        { "a negative serial", s => s["serial"] = -1, "serial -1 is out of range" },
        { "a serial no write could follow", s => s["serial"] = long.MaxValue, "serial 9223372036854775807 is out of range" },
        { "a lineage that is not a UUID", s => s["lineage"] = "mine", "lineage 'mine' is not a UUID" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_state_is_refused_with_WHC5003_naming_the_problem(string damage, Action<JsonObject> edit, string expected)
    {
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(SampleStates.FunNetwork()))!.AsObject();
        edit(json);

        var read = () => StateSerializer.Default.Deserialize(json.ToJsonString(), "fun-network.json");

        read.Should().Throw<StateException>(damage).Where(e => e.Code == "WHC5003" && e.Message.StartsWith("fun-network.json") && e.Message.Contains(expected));
    }

    [Fact]
    public async Task A_state_file_holding_another_company_is_refused_where_it_is_kept()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "acme.json"), StateSerializer.Default.Serialize(SampleStates.FunNetwork()));

        var read = () => new LocalStateStore(temp.Path).ReadAsync("acme", default);

        (await read.Should().ThrowAsync<StateException>()).Which.Message.Should().Contain("it holds company 'fun-network', not 'acme'");
    }

    [Fact]
    public async Task History_still_lists_the_backup_of_a_damaged_state_so_it_can_be_rolled_back()
    {
        using var temp = new TempDirectory();
        await new LocalStateStore(temp.Path).WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        var store = new LocalStateStore(temp.Path); // a later run: its first write keeps serial 1 as the backup
        await store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);
        var path = Path.Combine(temp.Path, "fun-network.json");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\"jane.smith\"", "\"\"", StringComparison.Ordinal));

        var history = await store.HistoryAsync("fun-network", default);
        var backup = await store.ReadVersionAsync("fun-network", 1, default);

        history.Select(v => v.Serial).Should().Equal(2, 1);
        backup!.Serial.Should().Be(1);
    }

    private static JsonArray Users(JsonObject state) => state["users"]!.AsArray();

    private static JsonArray Sites(JsonObject state) => state["sites"]!.AsArray();
}
