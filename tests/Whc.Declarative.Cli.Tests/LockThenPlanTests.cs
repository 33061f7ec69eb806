using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 13: apply takes the companies' locks before it plans, as Terraform does. These tests hold the lock themselves,
/// so a second apply really meets it (two applies started together mostly ran one after the other).
/// </summary>
public sealed class LockThenPlanTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_second_apply_fails_on_the_lock_before_it_prints_a_plan_and_names_the_holder(string backend)
    {
        // Given another run, on another host, holding fun-network's lock
        await using var session = await SandboxSession.StartAsync(backend);
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        await using var held = await store.AcquireLockAsync("fun-network", Holder("elsewhere"), TimeSpan.Zero, CancellationToken.None);

        // When an apply starts without waiting
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then it fails on the lock, naming the holder, before showing a plan or touching BT
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("error WHC5001").And.Contain("alice@elsewhere");
        apply.Output.Should().BeEmpty("nothing is planned before the lock is held");
        session.Sandbox.Requests.Should().NotContain(r => r.Route == "qualify");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_second_apply_that_waits_for_the_lock_plans_against_what_the_first_run_left(string backend)
    {
        // Given another run on this machine holding fun-network's lock
        await using var session = await SandboxSession.StartAsync(backend);
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        var held = await store.AcquireLockAsync("fun-network", Holder(Environment.MachineName), TimeSpan.Zero, CancellationToken.None);

        // When an apply that waits starts, and the other run writes state before it lets go
        var apply = session.RunAsync("apply", Quickstart, "--auto-approve", "--lock-timeout", "30s");
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        apply.IsCompleted.Should().BeFalse("the apply waits for the lock");
        await store.WriteAsync(CompanyState.New("fun-network", Guid.NewGuid().ToString()) with { Serial = 1 }, new StateWriteContext("alice", DateTimeOffset.UtcNow), CancellationToken.None);
        await held.DisposeAsync();
        var result = await apply;

        // Then it planned after taking the lock, against serial 1, so its plan is not stale and it succeeds
        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
        result.Output.Should().Contain("state serial 1");
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    private static LockInfo Holder(string host) =>
        new(Guid.NewGuid().ToString("N"), "alice", host, Environment.ProcessId, "whcctl apply", DateTimeOffset.UtcNow);
}
