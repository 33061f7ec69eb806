using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 14: a state the store would not take is kept as a file that <c>state push</c> stores later.</summary>
public sealed class RecoveryFilesTests
{
    [Fact]
    public async Task A_kept_state_is_a_file_under_whc_recovery_that_state_push_stores()
    {
        using var workspace = new TempWorkspace();
        var state = CompanyState.New("fun-network", Guid.NewGuid().ToString()) with
        {
            Serial = 1,
            Record = new CompanyRecord("TheFunNetwork", "thefunnetwork.com", "Group", "CUG5019851064", "GB12345678", "WHHCBTWKN1484", new QualificationRecord("QFW103255", null, false), false),
        };

        var kept = new RecoveryFiles(workspace.Path, TimeProvider.System).Keep(state);
        var push = await Whcctl.RunAsync(workspace.Path, "state", "push", "fun-network", kept);

        kept.Should().StartWith(".whc/recovery/fun-network.serial-1.");
        push.ExitCode.Should().Be(ExitCodes.Success, push.ToString());
        (await Whcctl.RunAsync(workspace.Path, "state", "show", "fun-network")).Output.Should().Contain("QFW103255");
    }

    private static CompanyState FunNetwork(string lineage, long serial, string name) => CompanyState.New("fun-network", lineage) with
    {
        Serial = serial,
        Record = new CompanyRecord(name, "thefunnetwork.com", "Group", "CUG5019851064", "GB12345678", "WHHCBTWKN1484", new QualificationRecord("QFW103255", null, false), false),
    };

    /// <summary>
    /// Issue 24: a run's kept file derived from serial 1, marked 3 after two failed writes, overwrote serial 2 that
    /// another run (a <c>state mv</c>) wrote meanwhile. Each kept file records its parent; push refuses it now.
    /// </summary>
    [Fact]
    public async Task A_kept_file_is_refused_once_another_run_has_written_since_it_was_derived()
    {
        using var workspace = new TempWorkspace();
        var lineage = Guid.NewGuid().ToString();
        var store = new LocalStateStore(Path.Combine(workspace.Path, ".whc", "state"));
        await store.WriteAsync(FunNetwork(lineage, 1, "TheFunNetwork"), new StateWriteContext("test", DateTimeOffset.UnixEpoch), default);
        var recovery = new RecoveryFiles(workspace.Path, TimeProvider.System);
        recovery.Keep(FunNetwork(lineage, 2, "KeptOnce"));
        var kept = recovery.Keep(FunNetwork(lineage, 3, "KeptTwice"));
        await new LocalStateStore(store.Directory).WriteAsync(FunNetwork(lineage, 2, "MovedMeanwhile"), new StateWriteContext("test", DateTimeOffset.UnixEpoch), default);

        var push = await Whcctl.RunAsync(workspace.Path, "state", "push", "fun-network", kept);

        File.ReadAllText(Path.Combine(workspace.Path, kept)).Should().Contain("\"parentSerial\": 1");
        push.ExitCode.Should().Be(ExitCodes.Error, push.ToString());
        push.Error.Should().Contain("WHC5009").And.Contain("derived from serial 1").And.Contain("current serial 2").And.Contain("--force");
        (await Whcctl.RunAsync(workspace.Path, "state", "show", "fun-network")).Output.Should().Contain("MovedMeanwhile");
    }

    /// <summary>
    /// The story end to end, each step a whcctl process, on both stores: after an apply, a run's writes failed
    /// twice (its kept file is marked two serials on), then a <c>state mv</c> renamed the number block. Pushing the
    /// kept file would undo the rename: it is refused, and only --force stores it.
    /// </summary>
    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_kept_file_does_not_undo_a_state_mv_written_after_it_was_derived(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(PlanBaselineTests.Quickstart);
        var applied = StateSerializer.Default.Deserialize(await session.StateAsync("fun-network"), "pulled");
        var recovery = new RecoveryFiles(session.Workspace.Path, TimeProvider.System);
        recovery.Keep(applied with { Serial = applied.Serial + 1, Users = [] });
        var kept = recovery.Keep(applied with { Serial = applied.Serial + 2, Users = [], Sites = [] });
        var move = await session.RunAsync("state", "mv", "fun-network/number-block/brum", "fun-network/number-block/birmingham");
        move.ExitCode.Should().Be(ExitCodes.Success, move.ToString());

        var push = await session.RunAsync("state", "push", "fun-network", kept);

        push.ExitCode.Should().Be(ExitCodes.Error, push.ToString());
        push.Error.Should().Contain("WHC5009").And.Contain($"derived from serial {applied.Serial}").And.Contain($"current serial {applied.Serial + 1}");
        var list = await session.RunAsync("state", "list");
        list.Output.Should().Contain("fun-network/number-block/birmingham").And.Contain("fun-network/user/jane.smith");
        var forced = await session.RunAsync("state", "push", "fun-network", kept, "--force");
        forced.ExitCode.Should().Be(ExitCodes.Success, forced.ToString());
        forced.Error.Should().Contain($"as serial {applied.Serial + 2}");
    }

    [Fact]
    public async Task The_newest_kept_file_after_several_failed_writes_is_stored_as_the_next_version()
    {
        using var workspace = new TempWorkspace();
        var lineage = Guid.NewGuid().ToString();
        var store = new LocalStateStore(Path.Combine(workspace.Path, ".whc", "state"));
        await store.WriteAsync(FunNetwork(lineage, 1, "TheFunNetwork"), new StateWriteContext("test", DateTimeOffset.UnixEpoch), default);
        var recovery = new RecoveryFiles(workspace.Path, TimeProvider.System);
        recovery.Keep(FunNetwork(lineage, 2, "KeptOnce"));
        recovery.Keep(FunNetwork(lineage, 3, "KeptTwice"));
        var newest = recovery.Keep(FunNetwork(lineage, 4, "KeptThrice"));

        var push = await Whcctl.RunAsync(workspace.Path, "state", "push", "fun-network", newest);

        File.ReadAllText(Path.Combine(workspace.Path, newest)).Should().Contain("\"parentSerial\": 1");
        push.ExitCode.Should().Be(ExitCodes.Success, push.ToString());
        push.Error.Should().Contain("as serial 2");
        (await Whcctl.RunAsync(workspace.Path, "state", "show", "fun-network")).Output.Should().Contain("KeptThrice");
    }
}
