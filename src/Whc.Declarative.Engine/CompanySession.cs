using Whc.Declarative.Core.Api;
using System.Collections.Concurrent;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// One company's state during an apply. Every change goes through <see cref="UpdateAsync"/>, which writes the new state
/// to the store at once (serial + 1), one writer at a time, so a killed process loses at most the step in flight.
/// Every write carries the company's lock fence (<see cref="LockGate"/>): the store refuses it once another run holds it.
/// </summary>
internal sealed class CompanySession : IDisposable
{
    private readonly IStateStore store;
    private readonly TimeProvider clock;
    private readonly string writtenBy;
    private readonly EndpointName? endpoint;
    private readonly IUnwrittenStateKeeper? keeper;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentDictionary<string, long> submittedAt = new(StringComparer.Ordinal);

    /// <summary>The serial of the last state the store took: a write after a failed one follows it, not the unstored one.</summary>
    private long storedSerial;

    /// <summary>The state in memory holds what BT did for this run that no stored state records yet.</summary>
    private bool unstoredBtChanges;

    public CompanySession(IStateStore store, TimeProvider clock, string writtenBy, EndpointName? endpoint, CompanyPlan plan, CompanyState state, IUnwrittenStateKeeper? keeper = null, LockGate? gate = null)
    {
        this.store = store;
        this.keeper = keeper;
        this.clock = clock;
        this.writtenBy = writtenBy;
        this.endpoint = endpoint;
        Plan = plan;
        State = state;
        storedSerial = state.Serial;
        Gate = gate ?? new LockGate(plan.Company, null);
    }

    /// <summary>The company's lock: the gate its requests to BT pass, the fence its writes carry.</summary>
    public LockGate Gate { get; }

    public CompanyPlan Plan { get; }

    public CompanyManifest? Desired => Plan.Desired;

    public CompanyState State { get; private set; }

    public void Dispose() => gate.Dispose();

    /// <summary>Notes when BT answered this run's submit of an order (a <see cref="TimeProvider"/> timestamp).</summary>
    public void OrderSubmitted(string orderId, long timestamp) => submittedAt[orderId] = timestamp;

    /// <summary>When BT answered this run's submit of the order, or null when an earlier run submitted it.</summary>
    public long? SubmittedAt(string orderId) => submittedAt.TryGetValue(orderId, out var timestamp) ? timestamp : null;

    /// <summary>
    /// Waits (for an order, for midnight) until <paramref name="wait"/> ends or the lock is lost, whichever is first: a
    /// run that lost the lock stops waiting to call BT again (<see cref="StateLockLostException"/>).
    /// </summary>
    public async Task WaitAsync(Func<CancellationToken, Task> wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wait);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Gate.Closed);
        try
        {
            await wait(waiting.Token);
        }
        catch (OperationCanceledException) when (Gate.Closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await Gate.EnsureOpenAsync(cancellationToken);
            throw Gate.Refusal();
        }
    }

    /// <param name="recordsBtChange">
    /// False for a write that records nothing BT did for this run (an intent before its call, the void intent of a
    /// refused call, the state the plan was made against): when the store refuses it, BT was not changed, and the
    /// message says so instead of keeping a file to push.
    /// </param>
    public async Task<CompanyState> UpdateAsync(Func<CompanyState, CompanyState> change, CancellationToken cancellationToken, bool recordsBtChange = true)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await WriteAsync(change(State), recordsBtChange);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Reads BT and records what it read as one step, under the write gate: no other step's write (a range it has just
    /// ringfenced, the users its order has just added) can land between the read and the update and then be undone by
    /// the older read.
    /// </summary>
    public async Task<CompanyState> UpdateFromBtAsync<T>(Func<CancellationToken, Task<T>> read, Func<CompanyState, T, CompanyState> change, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var answer = await read(cancellationToken);
            return await WriteAsync(change(State, answer), recordsBtChange: true);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes <paramref name="next"/> as the next serial; the caller holds the gate.</summary>
    private async Task<CompanyState> WriteAsync(CompanyState next, bool recordsBtChange)
    {
        if (next == State)
        {
            return State;
        }

        // Every write records where the company lives (the plan was refused if that had been elsewhere). It follows the
        // last state the store took: after a write that failed, the next one stores everything since (the store may
        // be back), instead of being refused as if another writer had written the serial this run never stored.
        next = next.Normalized() with { Serial = storedSerial + 1, Endpoint = endpoint ?? next.Endpoint };
        // Writing must not be abandoned half-way by a cancellation: the result of a BT call is already real.
        try
        {
            await store.WriteAsync(next, new StateWriteContext(writtenBy, clock.GetUtcNow()) { Fence = Gate.Fence }, CancellationToken.None);
        }
        catch (Exception e) when (e is StateException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            if (e is StateLockLostException lost)
            {
                // The store refused the fence: another run may hold the lock; this company stops here.
                Gate.Record(lost);
            }

            if (keeper is null && e is not StateLockLostException)
            {
                throw;
            }

            // What BT did is real: later steps build on it, so the newest kept file always holds every result.
            unstoredBtChanges |= recordsBtChange;
            State = next;
            throw Unwritten(next, e, keeper);
        }

        State = next;
        storedSerial = next.Serial;
        unstoredBtChanges = false;
        return next;
    }

    /// <summary>
    /// The store refused a state: when it records what BT did for this run, keep it locally and say where; when BT was
    /// not changed since the last stored state, say that nothing is lost. Truthfully either way, and a lost lock is
    /// named as such (not as another writer's change).
    /// </summary>
    private StateException Unwritten(CompanyState next, Exception failure, IUnwrittenStateKeeper? keeper)
    {
        var company = next.Company;
        var lockLost = failure is StateLockLostException;
        var code = failure is StateException stateFailure ? stateFailure.Code : DiagnosticCatalog.StateError.Code;
        var why = lockLost ? Gate.LostText(failure.Message) : failure.Message;
        if (!unstoredBtChanges)
        {
            var unchanged = $"{why}; BT was not changed by this run since the last state it stored (serial {storedSerial}), so nothing is lost: " +
                (lockLost ? "another run may hold the lock now; plan again once it has finished" : "plan again once the store works");
            return lockLost ? new StateLockLostException(company, unchanged, failure) : new StateException(code, unchanged, failure);
        }

        string kept;
        try
        {
            var file = keeper?.Keep(next) ?? throw new IOException("no recovery file is kept by this command");
            kept = lockLost
                ? $"it is kept in {file}: another run may hold the lock and have written since, so do not push it blindly; once that run has finished, plan again (it reads BT), and if state still lacks what the file holds, 'whcctl state push {company} FILE' stores it"
                : $"it is kept in {file}: once the store works again, 'whcctl state push {company} FILE' with that file stores it, then plan again";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            kept = $"keeping it locally failed too ({e.Message}): state lacks this step's result, and the next plan asks BT for it again";
        }

        var message = $"{why}; the state with what BT did for this run (serial {next.Serial}) could not be stored, {kept}";
        return lockLost ? new StateLockLostException(company, message, failure) : new StateException(code, message, failure);
    }
}
