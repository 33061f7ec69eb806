using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 24: a run that loses a company's lock stops calling BT for it at once (a retry after a 429 included), keeps
/// what BT already did in a recovery file when the store refuses its fence, and says so; other companies go on.
/// Requests are counted at the sandbox on 127.0.0.1, where they arrive.
/// </summary>
public sealed class LockLossTests
{
    private const string LockLost = "WHC5010";

    [Fact]
    public async Task A_lock_lost_between_steps_stops_that_company_and_every_write_before_carried_its_fence()
    {
        // Given two companies, and acme's lock lost as soon as its qualification is stored
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1) + "\n---\n" + TestManifests.Company("beta", "BetaWidgets", users: 1));
        var plan = await harness.PlanAsync(manifests);
        var store = new LosableStore(harness.Store) { LoseAfterWrite = s => s.Company == "acme" && s.Record?.Qualification is not null && s.Intents.IsEmpty };

        // When both are applied
        var result = await new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options(), NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);

        // Then acme's ringfence never reached BT, beta completed, and the run fails with one WHC5010 line for acme
        var companies = (await harness.InventoryAsync())["companies"]!.AsArray();
        companies.Single(c => c!["companyName"]!.GetValue<string>() == "AcmeWidgets")!["numberRanges"]!.AsArray().Should().BeEmpty("nothing is sent for acme once its lock is lost");
        harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.RingFence).Should().Be(1, "only beta's ringfence is sent");
        result.Steps.Where(s => s.Step.Company == "beta").Should().OnlyContain(s => s.Outcome == StepOutcome.Done);
        result.Succeeded.Should().BeFalse();
        var line = result.Diagnostics.Where(d => d.Code == LockLost).Should().ContainSingle().Subject;
        line.Message.Should().StartWith("acme: ").And.Contain("lock").And.Contain("stopped calling BT");
        line.Message.Should().MatchRegex(@"^acme: the lock on its state was lost \(.+\); whcctl stopped calling BT for it \([0-9]+ of [0-9]+ steps? not done; a request already sent was left to finish, and its result stored or, where the store refused it, kept in a recovery file the step names\)\. Another run may hold the lock now: plan again once it has finished$");
        result.Steps.Where(s => s.Step.Company == "acme" && s.Step.Id != StepId.Qualify("acme")).Should()
            .OnlyContain(s => s.Outcome != StepOutcome.Done && s.Message!.Contains("lock on acme's state was lost", StringComparison.Ordinal));

        // And every write of the apply carried the writer's fence, and each BT request was preceded by a check
        foreach (var company in new[] { "acme", "beta" })
        {
            store.Writes.Where(w => w.State.Company == company).Should().NotBeEmpty().And.OnlyContain(w => w.Fence == store.LockOf(company).Fence);
        }

        store.LockOf("beta").Checks.Should().BeGreaterThanOrEqualTo(harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.RingFence || r.Route == SandboxRoutes.CreateOrder));
    }

    [Fact]
    public async Task A_lock_lost_while_waiting_out_a_429_stops_the_wait_and_the_retry_is_never_sent()
    {
        // Given BT answers acme's ringfence 429 (Retry-After 1 s) once, and the lock is lost during that wait
        await using var harness = await EngineHarness.StartAsync(new FaultConfig { Script = [new ScriptedFault(SandboxRoutes.RingFence, ScriptedFaultKinds.TooManyRequests)] });
        var plan = await harness.PlanAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new LosableStore(harness.Store);
        using var stop = new CancellationTokenSource();
        var loser = Task.Run(async () =>
        {
            while (!harness.Sandbox.Requests.Any(r => r.Route == SandboxRoutes.RingFence && r.Status == 429))
            {
                await Task.Delay(5, stop.Token);
            }

            store.LockOf("acme").Lose();
        });

        // When acme is applied
        var result = await new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options(), NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);
        var ended = TimeProvider.System.GetTimestamp();
        await stop.CancelAsync();
        await loser.WaitAsync(TimeSpan.FromSeconds(5));

        // Then the ringfence reached BT once (the 429), never again; BT holds no range; the run says the lock was lost
        harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.RingFence).Should().Be(1, "the retry after the 429 must not be sent without the lock");
        (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["numberRanges"]!.AsArray().Should().BeEmpty();
        result.Diagnostics.Should().ContainSingle(d => d.Code == LockLost);
        result.Steps.Single(s => s.Step.Id == StepId.RingFence("acme", "main")).Message.Should().Contain("lost").And.NotContain("outcome is unknown");

        // And it stopped waiting at once rather than sleeping out the Retry-After
        var lostAt = store.LockOf("acme").LostAt ?? throw new InvalidOperationException("the lock was never lost");
        TimeProvider.System.GetElapsedTime(lostAt, ended).Should().BeLessThan(TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public async Task A_lock_lost_while_an_order_is_polled_stops_the_polling()
    {
        // Given an order BT takes 3 s to complete, and acme's lock lost once the submit is recorded
        await using var harness = await EngineHarness.StartAsync(timings: new OrderTimings(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5)));
        var plan = await harness.PlanAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new LosableStore(harness.Store) { LoseAfterWrite = s => s.Orders.Any(o => o.State == OrderState.Acknowledged) };
        var readsAtLoss = -1;
        var watcher = Task.Run(async () =>
        {
            while (!(store.Writes.Any(w => w.State.Orders.Any(o => o.State == OrderState.Acknowledged)) && store.LockOf("acme").IsLost))
            {
                await Task.Delay(2);
            }

            readsAtLoss = harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.ReadOrder);
        });

        // When it is applied
        var result = await new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options(), NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);
        var ended = TimeProvider.System.GetTimestamp();
        await watcher.WaitAsync(TimeSpan.FromSeconds(5));

        // Then at most the read in flight went out after the loss, the run did not wait for the order, and says why
        harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.ReadOrder).Should().BeLessThanOrEqualTo(readsAtLoss + 1);
        var lostAt = store.LockOf("acme").LostAt ?? throw new InvalidOperationException("the lock was never lost");
        TimeProvider.System.GetElapsedTime(lostAt, ended).Should().BeLessThan(TimeSpan.FromSeconds(1.5), "the order completes only 3 s after its submit");
        result.Diagnostics.Should().ContainSingle(d => d.Code == LockLost);
        result.Steps.Single(s => s.Step.Kind == Core.Planning.StepKind.AwaitOrder).Outcome.Should().NotBe(StepOutcome.Done);
    }

    [Fact]
    public async Task What_BT_did_while_the_lock_was_lost_is_kept_in_a_recovery_file_that_says_so()
    {
        // Given acme's lock is lost while its ringfence is in flight at BT
        await using var harness = await EngineHarness.StartAsync();
        var plan = await harness.PlanAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new LosableStore(harness.Store);
        var keeper = new KeptStates();
        var api = new LosesTheLockDuringRingFence(harness.Client, () => store.LockOf("acme").Lose());

        // When it is applied
        var result = await new ApplyExecutor(api, store, TimeProvider.System, EngineHarness.Options() with { UnwrittenStateKeeper = keeper }, NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);

        // Then the store refused the result's write (stale fence), the state with BT's range is kept, and the message says the lock was lost
        var ranges = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["numberRanges"]!.AsArray();
        ranges.Should().ContainSingle();
        var kept = keeper.States.Should().ContainSingle().Subject;
        kept.NumberBlocks.SelectMany(b => b.Ranges).Single().StartNumber.Should().Be(ranges[0]!["startNumber"]!.GetValue<string>());
        var message = result.Steps.Single(s => s.Step.Id == StepId.RingFence("acme", "main")).Message;
        message.Should().Contain("kept in kept-1").And.Contain("lock on acme's state was lost").And.NotContain("changed by another writer");

        // And nothing more went to BT for acme, and the run failed with WHC5010
        harness.Sandbox.Requests.Should().NotContain(r => r.Route == SandboxRoutes.CreateOrder);
        result.Diagnostics.Should().ContainSingle(d => d.Code == LockLost);
    }

    private sealed class LosesTheLockDuringRingFence(IWhcApi inner, Action lose) : WhcApiDecorator(inner)
    {
        public override async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
        {
            var answer = await Inner.RingFenceAsync(request, cancellationToken);
            lose();
            return answer;
        }
    }

    private sealed class KeptStates : IUnwrittenStateKeeper
    {
        public List<CompanyState> States { get; } = [];

        public string Keep(CompanyState state)
        {
            lock (States)
            {
                States.Add(state);
                return $"kept-{States.Count}";
            }
        }
    }
}

/// <summary>The gate alone, with a lock whose check the test controls.</summary>
public sealed class LockGateTests
{
    [Fact]
    public async Task A_check_that_cannot_be_made_closes_the_gate_as_a_loss_would()
    {
        // A store that cannot answer (a dropped connection it could not re-open) has not proven the lock held.
        var gate = new LockGate("acme", new FailingLock(new IOException("connection reset")));

        var act = () => gate.EnsureOpenAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("lock on acme's state was lost").And.Contain("connection reset");
        gate.IsLost.Should().BeTrue();
    }

    [Fact]
    public async Task Once_lost_the_gate_stays_closed_without_asking_the_store_again()
    {
        var failing = new FailingLock(new StateLockLostException("acme", "taken by bob@ci (pid 7)"));
        var gate = new LockGate("acme", failing);
        await FluentActions.Awaiting(() => gate.EnsureOpenAsync(CancellationToken.None)).Should().ThrowAsync<StateLockLostException>();

        failing.Failure = null;

        (await FluentActions.Awaiting(() => gate.EnsureOpenAsync(CancellationToken.None)).Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("taken by bob@ci (pid 7)");
        failing.Checks.Should().Be(1);
    }

    [Fact]
    public async Task A_loss_the_store_s_watcher_noticed_is_told_with_the_store_s_reason_once_not_nested()
    {
        // The watcher cancelled Lost; the store knows why (another run took it) and says so when asked.
        using var noticed = new CancellationTokenSource();
        await noticed.CancelAsync();
        var gate = new LockGate("acme", new FailingLock(new StateLockLostException("acme", "taken by bob@ci (pid 7)")) { LostToken = noticed.Token });

        var refusal = (await FluentActions.Awaiting(() => gate.EnsureOpenAsync(CancellationToken.None)).Should().ThrowAsync<StateLockLostException>()).Which;
        // What the engine does with a step's failure: records it (the first loss recorded is the reason given).
        gate.Record(refusal);

        refusal.Message.Should().Contain("taken by bob@ci (pid 7)");
        gate.Reason.Should().Contain("taken by bob@ci (pid 7)");
        Occurrences(gate.SkipReason, "was lost").Should().Be(1, gate.SkipReason);
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private sealed class FailingLock(Exception? failure) : IStateLock
    {
        public Exception? Failure { get; set; } = failure;

        public int Checks { get; private set; }

        public LockInfo Info { get; } = new("id", "test", "host", 1, "apply", DateTimeOffset.UnixEpoch);

        public LockFence Fence { get; } = new("id", 1);

        public CancellationToken LostToken { get; init; } = CancellationToken.None;

        public CancellationToken Lost => LostToken;

        public Task EnsureHeldAsync(CancellationToken cancellationToken)
        {
            Checks++;
            return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
