using System.Globalization;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 24: `--target` locks only the targeted companies, so the documented fan-out (one job per company of one
/// directory) runs its jobs at once, and a state command on another company is not blocked.
/// </summary>
public sealed class TargetLockTests
{
    private const string Estate = "estate";

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_targeted_apply_succeeds_while_another_company_of_the_directory_is_locked(string backend)
    {
        // Given an estate of three companies, and another run holding co-02's lock
        await using var session = await SandboxSession.StartAsync(backend);
        WriteEstate(session, 3);
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        await using var held = await store.AcquireLockAsync("co-02", Holder(), TimeSpan.Zero, CancellationToken.None);

        // When co-01 is applied with --target, without waiting for any lock
        var apply = await session.RunAsync("apply", Estate, "--target", "co-01", "--auto-approve");

        // Then it does not need co-02's lock, and only co-01 is changed
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().NotContain("WHC5001");
        (await store.ReadAsync("co-01", CancellationToken.None))?.Record.Should().NotBeNull();
        (await store.ReadAsync("co-03", CancellationToken.None)).Should().BeNull("co-03 was not targeted");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task Ten_targeted_applies_of_one_directory_run_at_once_without_a_lock_timeout(string backend)
    {
        // Given an estate of ten companies
        await using var session = await SandboxSession.StartAsync(backend);
        WriteEstate(session, 10);

        // When one apply per company starts at once, as the fan-out's jobs do
        var applies = Enumerable.Range(1, 10)
            .Select(i => Task.Run(() => session.RunAsync("apply", Estate, "--target", Company(i), "--auto-approve")))
            .ToList();
        var results = await Task.WhenAll(applies);

        // Then every one succeeds, and the estate has nothing left to change
        results.Should().AllSatisfy(r => r.ExitCode.Should().Be(ExitCodes.Success, r.ToString()));
        var plan = await session.RunAsync("plan", Estate, "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task Targeted_applies_in_separate_processes_run_at_once(string backend)
    {
        // Given an estate of four companies
        await using var session = await SandboxSession.StartAsync(backend);
        WriteEstate(session, 4);

        // When the built whcctl applies each company in its own process, all started together
        var runs = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => RunProcessAsync(session, "apply", Estate, "--target", Company(i), "--auto-approve")));

        // Then none fails on another's lock, and the estate has nothing left to change
        runs.Should().AllSatisfy(r => r.ExitCode.Should().Be(ExitCodes.Success, r.ToString()));
        var plan = await session.RunAsync("plan", Estate, "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_targeted_apply_does_not_block_state_rm_of_another_company(string backend)
    {
        // Given co-01 applied, and a targeted apply of co-03 waiting on co-03's lock (held elsewhere): it holds
        // whatever it locks while it waits
        await using var session = await SandboxSession.StartAsync(backend);
        WriteEstate(session, 3);
        (await session.RunAsync("apply", Estate, "--target", "co-01", "--auto-approve")).ExitCode.Should().Be(ExitCodes.Success);
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        var held = await store.AcquireLockAsync("co-03", Holder(), TimeSpan.Zero, CancellationToken.None);
        var waiting = session.RunAsync("apply", Estate, "--target", "co-03", "--auto-approve", "--lock-timeout", "30s");
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        waiting.IsCompleted.Should().BeFalse("the apply waits for co-03's lock");

        // When co-01 is removed from state meanwhile
        var rm = await session.RunAsync("state", "rm", "co-01");
        await held.DisposeAsync();
        var apply = await waiting;

        // Then neither blocks the other
        rm.ExitCode.Should().Be(ExitCodes.Success, rm.ToString());
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_saved_targeted_plan_is_applied_while_another_company_is_locked(string backend)
    {
        // Given the fan-out's plan job: a plan of co-01 alone, saved; and another job holding co-02's lock
        await using var session = await SandboxSession.StartAsync(backend);
        WriteEstate(session, 3);
        var plan = await session.RunAsync("plan", Estate, "--target", "co-01", "--out", "co-01.plan.json");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().NotContain("co-02", "only the targeted company is planned");
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        await using var held = await store.AcquireLockAsync("co-02", Holder(), TimeSpan.Zero, CancellationToken.None);

        // When the apply job applies that saved plan
        var apply = await session.RunAsync("apply", "co-01.plan.json");

        // Then it needs only co-01's lock
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_targeted_destroy_locks_and_ceases_only_the_targeted_company(string backend)
    {
        // Given two applied companies, and another run holding co-02's lock
        await using var session = await SandboxSession.StartAsync(backend);
        WriteEstate(session, 2);
        await session.ApplyAsync(Estate);
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        await using var held = await store.AcquireLockAsync("co-02", Holder(), TimeSpan.Zero, CancellationToken.None);

        // When both are named to destroy, but only co-01 is targeted
        var destroy = await session.RunAsync("destroy", "co-01", "co-02", "--target", "co-01", "--auto-approve");

        // Then co-01 is ceased without co-02's lock, and co-02 is left as it was
        destroy.ExitCode.Should().Be(ExitCodes.Success, destroy.ToString());
        destroy.Output.Should().NotContain("co-02");
    }

    /// <summary>Runs the built whcctl as a child process with the session's environment (sandbox, credentials, state).</summary>
    private static Task<CliResult> RunProcessAsync(SandboxSession session, params string[] args) =>
        Support.Process.RunAsync(
            CliExecutable.FileName,
            session.Workspace.Path,
            session.Environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value ?? string.Empty, StringComparer.Ordinal),
            CliExecutable.Arguments(args));

    private static string Company(int i) => string.Create(CultureInfo.InvariantCulture, $"co-{i:00}");

    /// <summary>The quickstart company, <paramref name="count"/> times under other names, domains, usernames and devices.</summary>
    private static void WriteEstate(SandboxSession session, int count)
    {
        var quickstart = session.Read("examples/quickstart/company.yaml").Replace("../../schemas", "../schemas", StringComparison.Ordinal);
        for (var i = 1; i <= count; i++)
        {
            var company = Company(i);
            session.Write(
                $"{Estate}/{company}.yaml",
                quickstart
                    .Replace("name: fun-network", $"name: {company}", StringComparison.Ordinal)
                    .Replace("TheFunNetwork", string.Create(CultureInfo.InvariantCulture, $"Company{i:00}"), StringComparison.Ordinal)
                    .Replace("username: jane.smith", $"username: jane.{company}", StringComparison.Ordinal)
                    .Replace("thefunnetwork.com", $"{company}.example.com", StringComparison.Ordinal)
                    .Replace("00:11:22:AA:BB:CC", string.Create(CultureInfo.InvariantCulture, $"00:11:22:AA:BB:{i:X2}"), StringComparison.Ordinal));
        }
    }

    private static LockInfo Holder() =>
        new(Guid.NewGuid().ToString("N"), "alice", "elsewhere", Environment.ProcessId, "whcctl apply", DateTimeOffset.UtcNow);
}
