using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 14: when BT has done something and the state store will not take the state that records it, the result is
/// kept locally and the user told where, truthfully; once stored, the next apply does not do it again.
/// </summary>
public sealed class UnstorableStateTests
{
    [Fact]
    public async Task A_result_the_store_will_not_take_is_kept_and_once_pushed_is_never_done_again()
    {
        // Given a store that fails every write from the moment the company is qualified (the database went away)
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));
        var plan = await harness.PlanAsync(manifests);
        var store = new StoreThatFailsWrites(harness.Store, s => s.Record?.Qualification is not null);
        var keeper = new KeptStates();
        var executor = new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options() with { UnwrittenStateKeeper = keeper }, NullApplyObserver.Instance);

        // When the apply qualifies the company at BT
        var result = await executor.ApplyAsync(plan, CancellationToken.None);

        // Then the apply fails saying where the result is kept, and the kept state holds BT's qualification
        result.Succeeded.Should().BeFalse();
        result.Steps.Single(s => s.Step.Id == StepId.Qualify("acme")).Message.Should().Contain("database unreachable")
            .And.Contain("could not be stored, it is kept in kept-1").And.Contain("whcctl state push acme FILE");
        var kept = keeper.States.Should().ContainSingle().Subject;
        (await harness.InventoryAsync())["companies"]![0]!["qualifications"]!.AsArray().Single()!["id"]!.GetValue<string>().Should().Be(kept.Record!.Qualification!.Id);

        // And once it is pushed (the store works again), the apply goes on without qualifying again
        await harness.Store.WriteAsync(kept, new StateWriteContext("test", DateTimeOffset.UtcNow), CancellationToken.None);
        var again = await harness.ApplyAsync(await harness.PlanAsync(manifests));
        again.Succeeded.Should().BeTrue(string.Join("; ", again.Steps.Select(s => $"{s.Step.Id}: {s.Message}")));
        again.Steps.Should().NotContain(s => s.Step.Id == StepId.Qualify("acme"));
        (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["qualifications"]!.AsArray().Should().HaveCount(1, "qualified exactly once");
    }

    [Fact]
    public async Task A_failed_write_before_BT_was_changed_says_BT_was_not_changed_and_keeps_nothing()
    {
        // Given a store that fails every write (the first one of the apply, before any step called BT, included)
        await using var harness = await EngineHarness.StartAsync();
        var plan = await harness.PlanAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new StoreThatFailsWrites(harness.Store, _ => true);
        var keeper = new KeptStates();

        // When it is applied
        var result = await new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options() with { UnwrittenStateKeeper = keeper }, NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);

        // Then the message says truthfully that BT was not changed, nothing is kept to push, and BT was indeed not called to change anything
        var message = result.Steps.Single(s => s.Step.Id == StepId.Qualify("acme")).Message;
        message.Should().Contain("database unreachable").And.Contain("BT was not changed").And.NotContain("what BT just did").And.NotContain("state push");
        keeper.States.Should().BeEmpty();
        (await harness.InventoryAsync())["companies"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task After_its_own_failed_write_a_run_is_not_refused_as_if_another_writer_had_written()
    {
        // Given two blocks ringfenced in parallel, and a store that fails the first write of a ringfenced range (a blip)
        await using var harness = await EngineHarness.StartAsync();
        var yaml = TestManifests.Company("acme", "AcmeWidgets", users: 1).Replace("- { name: main,", "- { name: spare, areaCode: \"0113\", quantity: 2 }\n    - { name: main,", StringComparison.Ordinal);
        var plan = await harness.PlanAsync(EngineHarness.Manifests(yaml));
        var failures = 0;
        var store = new StoreThatFailsWrites(harness.Store, s => s.NumberBlocks.Any(b => !b.Ranges.IsEmpty) && Interlocked.Increment(ref failures) == 1);

        // When it is applied
        var result = await new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options() with { UnwrittenStateKeeper = new KeptStates() }, NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);

        // Then the other ringfence's write is not refused as a conflict with the run's own unstored serial, and it
        // stores both ranges (what the failed write lacked included)
        var steps = string.Join(" | ", result.Steps.Select(s => $"{s.Step.Id} {s.Outcome} {s.Message}"));
        result.Steps.Where(s => s.Step.Kind == Core.Planning.StepKind.RingFence).Should().ContainSingle(s => s.Outcome == StepOutcome.Done, steps);
        result.Steps.Should().NotContain(s => s.Message != null && s.Message.Contains("another writer", StringComparison.Ordinal), steps);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.NumberBlocks.SelectMany(b => b.Ranges).Should().HaveCount(2);
    }

    [Fact]
    public async Task Without_a_keeper_the_stores_failure_is_reported_as_it_is()
    {
        await using var harness = await EngineHarness.StartAsync();
        var plan = await harness.PlanAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new StoreThatFailsWrites(harness.Store, s => s.Record?.Qualification is not null);

        var result = await new ApplyExecutor(harness.Client, store, TimeProvider.System, EngineHarness.Options(), NullApplyObserver.Instance).ApplyAsync(plan, CancellationToken.None);

        result.Steps.Single(s => s.Step.Id == StepId.Qualify("acme")).Message.Should().Be("database unreachable");
    }

    private sealed class KeptStates : IUnwrittenStateKeeper
    {
        public List<CompanyState> States { get; } = [];

        public string Keep(CompanyState state)
        {
            States.Add(state);
            return $"kept-{States.Count}";
        }
    }

    /// <summary>The real local store, except that writes matching a condition fail as a database that went away would.</summary>
    private sealed class StoreThatFailsWrites(IStateStore inner, Func<CompanyState, bool> fails) : IStateStore
    {
        public string Description => inner.Description;

        public Task WriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken) =>
            fails(state) ? throw new StateException("WHC5000", "database unreachable") : inner.WriteAsync(state, context, cancellationToken);

        public Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken) => inner.ListCompaniesAsync(cancellationToken);

        public Task<CompanyState?> ReadAsync(string company, CancellationToken cancellationToken) => inner.ReadAsync(company, cancellationToken);

        public Task<IStateLock> AcquireLockAsync(string company, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken) =>
            inner.AcquireLockAsync(company, holder, timeout, cancellationToken);

        public Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken) => inner.ForceUnlockAsync(company, lockId, cancellationToken);

        public Task<ImmutableArray<StateVersionInfo>> HistoryAsync(string company, CancellationToken cancellationToken) => inner.HistoryAsync(company, cancellationToken);

        public Task<CompanyState?> ReadVersionAsync(string company, long serial, CancellationToken cancellationToken) => inner.ReadVersionAsync(company, serial, cancellationToken);
    }
}
