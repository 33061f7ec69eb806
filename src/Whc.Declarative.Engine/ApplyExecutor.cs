using System.Collections.Immutable;
using System.Diagnostics;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Engine;

/// <summary>
/// Applies a plan: per company it takes the lock, refuses a stale plan, then walks the steps as a dependency graph with
/// bounded parallelism shared by all companies. A failed step fails only what depends on it; independent work goes on.
/// A company whose lock is lost stops at once (no request to BT leaves for it again, see <see cref="LockGate"/>); its
/// requests in flight finish and are recorded if the store still takes its fence, else kept; the others go on.
/// </summary>
public sealed class ApplyExecutor
{
    private readonly IWhcApi api;
    private readonly IStateStore store;
    private readonly TimeProvider clock;
    private readonly ApplyOptions options;
    private readonly IApplyObserver observer;

    public ApplyExecutor(IWhcApi api, IStateStore store, TimeProvider clock, ApplyOptions options, IApplyObserver observer)
    {
        this.api = api;
        this.store = store;
        this.clock = clock;
        this.options = options;
        this.observer = observer;
    }

    /// <param name="held">Locks the caller already holds (taken before planning); the executor takes the others.</param>
    public async Task<ApplyResult> ApplyAsync(Plan plan, CancellationToken cancellationToken, IReadOnlyDictionary<string, IStateLock>? held = null)
    {
        // Every step of every company may run as soon as what it depends on is done; the parallelism bounds the
        // requests in flight at BT, so an order being waited for or a state write never holds back another call.
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallelism));
        var throttled = new ThrottledWhcApi(api, slots);
        var runner = new StepRunner(throttled, clock, options, new OrderPollSchedule(options.FirstPollInterval, options.MaxPollInterval), observer.Notice);
        var companies = plan.Companies.Where(c => c.WritesState).ToList();
        // Each company starts on the thread pool: its start (lock, state, first intent) is synchronous work that would
        // otherwise run on this thread one company after another.
        var outcomes = await Task.WhenAll(companies.Select(c => Task.Run(() => ApplyCompanyAsync(c, held?.GetValueOrDefault(c.Company), throttled, runner, cancellationToken))));
        return new ApplyResult([.. outcomes.SelectMany(o => o.Steps)], [.. outcomes.SelectMany(o => o.Diagnostics)]);
    }

    private async Task<ApplyResult> ApplyCompanyAsync(CompanyPlan plan, IStateLock? heldLock, IWhcApi throttled, StepRunner runner, CancellationToken cancellationToken)
    {
        IStateLock? ownLock = null;
        if (heldLock is null)
        {
            try
            {
                ownLock = await store.AcquireLockAsync(plan.Company, options.Holder with { Since = clock.GetUtcNow() }, options.LockTimeout, cancellationToken);
            }
            catch (StateException e)
            {
                return Failed(plan, e.Code, e.Message);
            }
        }

        // A lock the caller holds is the caller's to release.
        await using (ownLock)
        {
            // Every request to BT this company's steps make, from here down to each attempt in the HTTP client, passes
            // its gate: set once for this company's flow (this method runs on its own task, so it reverts on return).
            var lockGate = new LockGate(plan.Company, heldLock ?? ownLock);
            BtCallGate.Enter(lockGate);
            CompanyState? stored;
            try
            {
                stored = await store.ReadAsync(plan.Company, cancellationToken);
            }
            catch (StateException e)
            {
                return Failed(plan, e.Code, e.Message);
            }

            var stale = ApplyPreconditions.Staleness(plan, stored);
            if (stale is not null)
            {
                return Failed(plan, DiagnosticCatalog.StalePlan.Code, stale);
            }

            using var session = new CompanySession(store, clock, options.WrittenBy, options.Endpoint, plan, stored ?? CompanyState.New(plan.Company, Guid.NewGuid().ToString()), options.UnwrittenStateKeeper, lockGate);
            if ((plan.RefreshedState ?? plan.Reconciliation?.State) is { } planned)
            {
                // The state the plan was made against (BT's answers to an interrupted run's calls, what refresh read), as
                // the plan showed it. The staleness check above guarantees the stored state is still the one it was made from.
                try
                {
                    await session.UpdateAsync(_ => planned, cancellationToken, recordsBtChange: false);
                }
                catch (StateException e)
                {
                    return Failed(plan, e.Code, e.Message);
                }
            }

            var results = await RunGraphAsync(session, plan.Steps, runner, cancellationToken);
            var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
            if (results.All(r => r.Outcome == StepOutcome.Done))
            {
                await SettleAsync(throttled, session, diagnostics, cancellationToken);
            }

            if (lockGate.IsLost)
            {
                // One line for the company, whatever each step said: the run fails with WHC5010.
                var notDone = results.Count(r => r.Outcome != StepOutcome.Done);
                var lost = DiagnosticCatalog.StateLockLostStopped.At(SourceSpan.None, plan.Company, lockGate.Reason, notDone, results.Length);
                observer.Notice(plan.Company, lost.Message);
                diagnostics.Add(lost);
            }

            return new ApplyResult(results, diagnostics.ToImmutable());
        }
    }

    /// <summary>
    /// After a clean run, one read of BT brings every id in state in line with BT's (and protection with the manifest),
    /// and what the plan forgets (never ordered, nothing to cease at BT) leaves state.
    /// </summary>
    private static async Task SettleAsync(IWhcApi api, CompanySession session, ImmutableArray<Diagnostic>.Builder diagnostics, CancellationToken cancellationToken)
    {
        var desired = session.Desired;
        if (session.State.Record is null && desired is null)
        {
            return;
        }

        try
        {
            var forgotten = session.Plan.Changes.Where(c => c.Action == ChangeAction.Forget).Select(c => c.Address).ToList();
            await session.UpdateFromBtAsync(
                ct => api.ReadOwnCompanyAsync(session, ct),
                (s, inventory) => forgotten.Aggregate(StateReconciler.Reconcile(s, desired, inventory), (state, address) => state.Without(address)),
                cancellationToken);
        }
        catch (WhcApiException e)
        {
            diagnostics.Add(DiagnosticCatalog.SettleFailedRead.At(SourceSpan.None, session.Plan.Company, e.Message));
        }
        catch (StateLockLostException)
        {
            // Said once for the company by the caller.
        }
        catch (StateException e)
        {
            diagnostics.Add(new Diagnostic(e.Code, DiagnosticSeverity.Error, SourceSpan.None, $"{session.Plan.Company}: recording the final read of BT failed: {e.Message}"));
        }
    }

    private async Task<ImmutableArray<StepResult>> RunGraphAsync(CompanySession session, ImmutableArray<PlanStep> steps, StepRunner runner, CancellationToken cancellationToken)
    {
        var byId = steps.ToDictionary(s => s.Id);
        var running = new Dictionary<StepId, Task<StepResult>>();

        Task<StepResult> Start(PlanStep step)
        {
            if (!running.TryGetValue(step.Id, out var task))
            {
                var prerequisites = step.DependsOn.Where(byId.ContainsKey).Select(d => Start(byId[d])).ToList();
                task = RunStepAsync(session, step, prerequisites, runner, cancellationToken);
                running[step.Id] = task;
            }

            return task;
        }

        foreach (var step in steps)
        {
            _ = Start(step);
        }

        return [.. await Task.WhenAll(steps.Select(s => running[s.Id]))];
    }

    private async Task<StepResult> RunStepAsync(CompanySession session, PlanStep step, List<Task<StepResult>> prerequisites, StepRunner runner, CancellationToken cancellationToken)
    {
        var before = await Task.WhenAll(prerequisites);
        var blocker = before.FirstOrDefault(r => r.Outcome != StepOutcome.Done);
        if (blocker is not null || session.Gate.IsLost)
        {
            var skipped = new StepResult(step, StepOutcome.Skipped, session.Gate.IsLost ? session.Gate.SkipReason : $"skipped: {blocker?.Step.Id} did not complete", TimeSpan.Zero);
            observer.StepFinished(skipped);
            return skipped;
        }

        var watch = Stopwatch.StartNew();
        try
        {
            observer.StepStarted(step);
            await runner.RunAsync(session, step, cancellationToken);
            var done = new StepResult(step, StepOutcome.Done, null, watch.Elapsed);
            observer.StepFinished(done);
            return done;
        }
        catch (Exception e) when (e is StepFailedException or WhcApiException or StateException or OrderBuildException)
        {
            if (e is StateLockLostException lost)
            {
                session.Gate.Record(lost);
            }

            // The API client's messages already carry BT's status, code and tracking id.
            var failed = new StepResult(step, StepOutcome.Failed, e.Message, watch.Elapsed);
            observer.StepFinished(failed);
            return failed;
        }
    }

    private ApplyResult Failed(CompanyPlan plan, string code, string message)
    {
        var results = plan.Steps.Select(s => new StepResult(s, StepOutcome.Skipped, message, TimeSpan.Zero)).ToImmutableArray();
        observer.Notice(plan.Company, message);
        return new ApplyResult(results, [new Diagnostic(code, DiagnosticSeverity.Error, SourceSpan.None, message)]);
    }
}
