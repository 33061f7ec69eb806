using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Tests;

public sealed class StateCommandTests : IDisposable
{
    private const string Lineage = "3c9d7e21-0000-4000-8000-00000000abcd";
    private readonly string workingDirectory = Path.Combine(Path.GetTempPath(), "whc-cli-state-" + Guid.NewGuid().ToString("N"));
    private readonly LocalStateStore store;

    public StateCommandTests()
    {
        Directory.CreateDirectory(workingDirectory);
        store = new LocalStateStore(Path.Combine(workingDirectory, ".whc", "state"));
    }

    public void Dispose() => Directory.Delete(workingDirectory, recursive: true);

    [Fact]
    public async Task State_list_prints_every_address_of_every_company_one_per_line()
    {
        await SeedAsync(FunNetwork(1));
        await SeedAsync(CompanyState.New("acme", "0b8e5f3a-9c1d-4e2f-a374-5b6c7d8e9f01") with { Serial = 1, Sites = [new SiteState("hq", "HQ1", "X1", null)] });

        var result = await RunAsync("state", "list");

        result.Exit.Should().Be(0);
        result.Out.Should().Be(Lines(
            "acme/site/hq",
            "fun-network",
            "fun-network/number-block/birmingham",
            "fun-network/site/ipswich-hq",
            "fun-network/user/jane.smith"));
    }

    [Fact]
    public async Task State_list_reads_the_store_from_WHC_STATE()
    {
        var elsewhere = new LocalStateStore(Path.Combine(workingDirectory, "elsewhere"));
        await elsewhere.WriteAsync(FunNetwork(1), Context, default);

        var result = await RunAsync(new Dictionary<string, string?> { ["WHC_STATE"] = "elsewhere" }, "state", "list");

        result.Out.Should().Contain("fun-network/user/jane.smith");
    }

    [Fact]
    public async Task State_show_prints_the_attributes_of_a_user_as_text()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "show", "fun-network/user/jane.smith");

        result.Exit.Should().Be(0);
        result.Out.Should().StartWith("# fun-network/user/jane.smith\n")
            .And.Contain("username           = jane.smith\n")
            .And.Contain("deviceMacAddresses = [001122AABBCC]\n")
            .And.Contain("serviceId          = WHHUBTWKN1492\n");
    }

    [Fact]
    public async Task State_show_with_format_json_prints_only_json()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "show", "fun-network/site/ipswich-hq", "--format", "json");

        JsonNode.Parse(result.Out)!["nadKey"]!.GetValue<string>().Should().Be("X05000455530");
    }

    [Fact]
    public async Task State_show_of_the_company_includes_serial_lineage_and_record()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "show", "fun-network");

        result.Out.Should().MatchRegex($"\nlineage + = {Lineage}\n").And.MatchRegex("\nrecord\\.cugId + = CUG5019851064\n");
    }

    [Fact]
    public async Task State_show_of_an_unknown_resource_fails_with_WHC5004_and_no_stack_trace()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "show", "fun-network/user/nobody");

        result.Exit.Should().Be(1);
        result.Err.Should().StartWith("error WHC5004: fun-network/user/nobody is not in state").And.NotContain("   at ");
    }

    [Fact]
    public async Task State_show_of_a_malformed_address_fails_with_WHC5005()
    {
        var result = await RunAsync("state", "show", "fun-network/printer/x");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5005");
    }

    [Fact]
    public async Task State_rm_forgets_the_resource_as_a_new_serial()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "rm", "fun-network/user/jane.smith");

        result.Exit.Should().Be(0);
        result.Err.Should().Contain("Removed fun-network/user/jane.smith from state (serial 2)");
        var current = (await store.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(2);
        current.Users.Should().BeEmpty();
        current.Sites.Should().HaveCount(1);
    }

    [Fact]
    public async Task State_rm_while_another_run_holds_the_lock_fails_with_WHC5001_naming_the_holder()
    {
        await SeedAsync(FunNetwork(1));
        await using var held = await store.AcquireLockAsync("fun-network", new LockInfo("held-1", "alice", Environment.MachineName, Environment.ProcessId, "apply", DateTimeOffset.UtcNow), TimeSpan.Zero, default);

        var result = await RunAsync("state", "rm", "fun-network/user/jane.smith");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5001").And.Contain("alice@").And.Contain("held-1");
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(1);
    }

    [Fact]
    public async Task State_history_lists_versions_newest_first()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2));

        var result = await RunAsync("state", "history", "fun-network");

        result.Exit.Should().Be(0);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[1].TrimStart().Should().StartWith("2 ");
        lines[2].TrimStart().Should().StartWith("1 ");
        lines[^1].Should().Be($"lineage {Lineage}");
    }

    /// <summary>Issue 24: history showed only the current lineage; a version of another lineage says which it is.</summary>
    [Fact]
    public async Task State_history_names_the_lineage_of_versions_from_another_lineage()
    {
        const string other = "1c9f6a4b-ad2e-4f30-b485-6c7d8e9fa012";
        await SeedAsync(FunNetwork(1));
        WriteFile("other.json", FunNetwork(1) with { Lineage = other });
        (await RunAsync("state", "push", "fun-network", "other.json", "--force")).Exit.Should().Be(0);

        var result = await RunAsync("state", "history", "fun-network");

        result.Exit.Should().Be(0, result.Err);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[1].TrimStart().Should().StartWith("2 ").And.NotContain("(lineage");
        lines[2].TrimStart().Should().StartWith("1 ").And.EndWith($"(lineage {Lineage})");
        lines[^1].Should().Be($"lineage {other}");
    }

    [Fact]
    public async Task State_rollback_restores_a_version_as_current_plus_one()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2) with { Users = [] });

        var result = await RunAsync("state", "rollback", "fun-network", "1");

        result.Exit.Should().Be(0);
        var current = (await store.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(3);
        current.Lineage.Should().Be(Lineage);
        current.Users.Should().ContainSingle();
    }

    [Fact]
    public async Task State_rollback_to_an_unknown_serial_fails_with_WHC5004()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "rollback", "fun-network", "7");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5004").And.Contain("serial 7");
    }

    [Fact]
    public async Task State_pull_writes_the_state_file_to_stdout()
    {
        await SeedAsync(FunNetwork(1));

        var result = await RunAsync("state", "pull", "fun-network");

        result.Out.Should().Be(File.ReadAllText(store.StatePath("fun-network")));
    }

    [Fact]
    public async Task State_push_refuses_a_serial_that_is_not_newer()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2));
        var file = WriteFile("old.json", FunNetwork(1) with { Users = [] });

        var result = await RunAsync("state", "push", "fun-network", "old.json");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5009").And.Contain("serial 1 is older than the current serial 2").And.Contain("whcctl state pull fun-network").And.Contain("--force");
        (await store.ReadAsync("fun-network", default))!.Users.Should().ContainSingle();
        File.Exists(file).Should().BeTrue();
    }

    [Fact]
    public async Task State_push_refuses_another_lineage()
    {
        await SeedAsync(FunNetwork(1));
        WriteFile("other.json", FunNetwork(5) with { Lineage = "1c9f6a4b-ad2e-4f30-b485-6c7d8e9fa012" });

        var result = await RunAsync("state", "push", "fun-network", "other.json");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("lineage 1c9f6a4b-ad2e-4f30-b485-6c7d8e9fa012 differs");
    }

    [Fact]
    public async Task State_push_with_force_replaces_the_state_with_a_serial_above_the_stored_one()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2));
        WriteFile("old.json", FunNetwork(1) with { Users = [] });

        var result = await RunAsync("state", "push", "fun-network", "old.json", "--force");

        result.Exit.Should().Be(0);
        var current = (await store.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(3);
        current.Users.Should().BeEmpty();
    }

    /// <summary>Issue 24: a push from 31 to 45 was taken; a file marked beyond the next serial descends from nothing stored.</summary>
    [Fact]
    public async Task State_push_refuses_a_file_marked_beyond_the_next_serial()
    {
        await SeedAsync(FunNetwork(1));
        WriteFile("new.json", FunNetwork(4) with { Users = [] });

        var result = await RunAsync("state", "push", "fun-network", "new.json");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5009").And.Contain("serial 4 is beyond the next serial 2").And.Contain($"current serial 1, lineage {Lineage}").And.Contain("--force");
        (await store.ReadAsync("fun-network", default))!.Users.Should().ContainSingle();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task State_push_of_a_file_pulled_and_edited_or_bumped_by_hand_is_stored_as_the_next_version(long fileSerial)
    {
        await SeedAsync(FunNetwork(1));
        WriteFile("edited.json", FunNetwork(fileSerial) with { Users = [] });

        var result = await RunAsync("state", "push", "fun-network", "edited.json");

        result.Exit.Should().Be(0, result.Err);
        result.Err.Should().Contain("as serial 2");
        var current = (await store.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(2);
        current.Users.Should().BeEmpty();
    }

    [Fact]
    public async Task State_push_of_the_pulled_file_unchanged_writes_nothing()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2) with { Users = [] });
        File.WriteAllText(Path.Combine(workingDirectory, "pulled.json"), (await RunAsync("state", "pull", "fun-network")).Out);

        var result = await RunAsync("state", "push", "fun-network", "pulled.json");

        result.Exit.Should().Be(0, result.Err);
        result.Err.Should().Contain("already holds this state (serial 2").And.Contain("nothing was written");
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(2);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("-1")]
    [InlineData("3")]
    public async Task State_push_refuses_a_parentSerial_that_is_not_a_serial_below_the_files_own(string parent)
    {
        await SeedAsync(FunNetwork(1));
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(FunNetwork(3) with { Users = [] }))!.AsObject();
        json["parentSerial"] = JsonNode.Parse(parent);
        File.WriteAllText(Path.Combine(workingDirectory, "odd.json"), json.ToJsonString());

        var result = await RunAsync("state", "push", "fun-network", "odd.json");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5003").And.Contain("parentSerial");
        (await store.ReadAsync("fun-network", default))!.Users.Should().ContainSingle();
    }

    [Fact]
    public async Task State_push_of_a_file_from_a_newer_whcctl_fails_with_WHC5003()
    {
        await SeedAsync(FunNetwork(1));
        var json = JsonNode.Parse(StateSerializer.Default.Serialize(FunNetwork(2)))!;
        json["version"] = 99;
        File.WriteAllText(Path.Combine(workingDirectory, "future.json"), json.ToJsonString());

        var result = await RunAsync("state", "push", "fun-network", "future.json");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5003").And.Contain("written by a newer whcctl");
    }

    [Fact]
    public async Task State_migrate_copies_every_company_keeping_serial_and_lineage()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2));

        var result = await RunAsync("state", "migrate", "--to", "copy");

        result.Exit.Should().Be(0);
        result.Out.Should().Be(Lines($"fun-network: copied (serial 2, lineage {Lineage})"));
        var copied = await new LocalStateStore(Path.Combine(workingDirectory, "copy")).ReadAsync("fun-network", default);
        copied!.Serial.Should().Be(2);
        copied.Lineage.Should().Be(Lineage);
    }

    [Fact]
    public async Task State_migrate_refuses_to_overwrite_a_different_state_in_the_target()
    {
        await SeedAsync(FunNetwork(1));
        var target = new LocalStateStore(Path.Combine(workingDirectory, "copy"));
        await target.WriteAsync(FunNetwork(1) with { Lineage = "2da07b5c-be3f-4041-c596-7d8e9fab1023" }, Context, default);

        var result = await RunAsync("state", "migrate", "--from", ".whc/state", "--to", "copy");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5009").And.Contain("Nothing was copied");
    }

    [Fact]
    public async Task Force_unlock_with_a_wrong_id_fails_naming_the_holder()
    {
        await using var held = await store.AcquireLockAsync("fun-network", new LockInfo("right-id", "alice", Environment.MachineName, Environment.ProcessId, "apply", DateTimeOffset.UtcNow), TimeSpan.Zero, default);

        var result = await RunAsync("force-unlock", "fun-network", "wrong-id");

        result.Exit.Should().Be(1);
        result.Err.Should().Contain("error WHC5007").And.Contain("alice@").And.Contain("right-id");
        File.Exists(store.LockPath("fun-network")).Should().BeTrue();
    }

    [Fact]
    public async Task Force_unlock_with_the_holder_id_removes_the_lock()
    {
        await using var held = await store.AcquireLockAsync("fun-network", new LockInfo("right-id", "alice", Environment.MachineName, Environment.ProcessId, "apply", DateTimeOffset.UtcNow), TimeSpan.Zero, default);

        var result = await RunAsync("force-unlock", "fun-network", "right-id");

        result.Exit.Should().Be(0);
        File.Exists(store.LockPath("fun-network")).Should().BeFalse();
    }

    private static StateWriteContext Context { get; } = new("test", DateTimeOffset.UnixEpoch);

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + Environment.NewLine));

    /// <summary>Issue 24: a damaged current version was WHC5003 for rollback, whose message names rollback as the fix.</summary>
    [Fact]
    public async Task State_rollback_and_push_repair_a_damaged_current_version()
    {
        await SeedAsync(FunNetwork(1));
        await WriteInALaterRunAsync(FunNetwork(2));
        File.WriteAllText(store.StatePath("fun-network"), $"{{\"version\": {CompanyState.CurrentVersion}, \"serial\": 2, \"lineage\": \"{Lineage}\", \"company\": \"fun-network\", \"users\": 7}}");
        (await RunAsync("state", "show", "fun-network")).Err.Should().Contain("WHC5003");

        var rollback = await RunAsync("state", "rollback", "fun-network", "1");

        rollback.Exit.Should().Be(0, rollback.Err);
        rollback.Err.Should().Contain("as serial 3");
        File.WriteAllText(store.StatePath("fun-network"), "{\"damaged\": tr");
        var file = WriteFile("fixed.json", FunNetwork(1));
        var push = await RunAsync("state", "push", "fun-network", file, "--force");
        push.Exit.Should().Be(0, push.Err);
        (await store.ReadAsync("fun-network", default))!.Serial.Should().BeGreaterThanOrEqualTo(3);
    }

    private static CompanyState FunNetwork(long serial) => new(
        CompanyState.CurrentVersion,
        serial,
        Lineage,
        "fun-network",
        new CompanyRecord("TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom", "CUG5019851064", "GB12345678", "WHHCBTWKN1484", null, true),
        [new NumberBlockState("birmingham", "0121", 10, [new NumberRangeState("01214960000", "01214960009", true, "WHHNBTWKN1490")])],
        [new SiteState("ipswich-hq", "IPS01", "X05000455530", "WHHSBTWKN1491")],
        [new UserState("jane.smith", "ipswich-hq", "Jane", "Smith", "2001", "birmingham", "01214960000", "standard", ["001122AABBCC"], "WHHUBTWKN1492")],
        [],
        ImmutableArray<IntentRecord>.Empty);

    private async Task SeedAsync(CompanyState state)
    {
        if (state.Serial == 1)
        {
            await store.WriteAsync(state, Context, default);
        }
        else
        {
            await store.ForceWriteAsync(state, Context, default);
        }
    }

    /// <summary>Writes as another whcctl run would (a store of its own), so the version it replaces becomes the backup.</summary>
    private Task WriteInALaterRunAsync(CompanyState state) => new LocalStateStore(store.Directory).WriteAsync(state, Context, default);

    private string WriteFile(string name, CompanyState state)
    {
        var path = Path.Combine(workingDirectory, name);
        File.WriteAllText(path, StateSerializer.Default.Serialize(state));
        return path;
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    private async Task<(int Exit, string Out, string Err)> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new IOContext(output, error, new StringReader(string.Empty), environment, workingDirectory, isTerminal: false);
        var exit = await WhcctlApp.RunAsync(args, io);
        return (exit, output.ToString(), error.ToString());
    }
}
