using System.Collections.Concurrent;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// One company's state during an apply. Every change goes through <see cref="UpdateAsync"/>, which writes the new state
/// to the store at once (serial + 1), one writer at a time, so a killed process loses at most the step in flight.
/// </summary>
internal sealed class CompanySession : IDisposable
{
    private readonly IStateStore store;
    private readonly TimeProvider clock;
    private readonly string writtenBy;
    private readonly string? endpoint;
    private readonly IUnwrittenStateKeeper? keeper;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentDictionary<string, long> submittedAt = new(StringComparer.Ordinal);

    public CompanySession(IStateStore store, TimeProvider clock, string writtenBy, string? endpoint, CompanyPlan plan, CompanyState state, IUnwrittenStateKeeper? keeper = null)
    {
        this.store = store;
        this.keeper = keeper;
        this.clock = clock;
        this.writtenBy = writtenBy;
        this.endpoint = endpoint;
        Plan = plan;
        State = state;
    }

    public CompanyPlan Plan { get; }

    public CompanyManifest? Desired => Plan.Desired;

    public CompanyState State { get; private set; }

    public void Dispose() => gate.Dispose();

    /// <summary>Notes when BT answered this run's submit of an order (a <see cref="TimeProvider"/> timestamp).</summary>
    public void OrderSubmitted(string orderId, long timestamp) => submittedAt[orderId] = timestamp;

    /// <summary>When BT answered this run's submit of the order, or null when an earlier run submitted it.</summary>
    public long? SubmittedAt(string orderId) => submittedAt.TryGetValue(orderId, out var timestamp) ? timestamp : null;

    public async Task<CompanyState> UpdateAsync(Func<CompanyState, CompanyState> change, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await WriteAsync(change(State));
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
            return await WriteAsync(change(State, answer));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes <paramref name="next"/> as the next serial; the caller holds the gate.</summary>
    private async Task<CompanyState> WriteAsync(CompanyState next)
    {
        if (next == State)
        {
            return State;
        }

        // Every write records where the company lives (the plan was refused if that had been elsewhere).
        next = next.Normalized() with { Serial = State.Serial + 1, Endpoint = endpoint ?? next.Endpoint };
        // Writing must not be abandoned half-way by a cancellation: the result of a BT call is already real.
        try
        {
            await store.WriteAsync(next, new StateWriteContext(writtenBy, clock.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception e) when (keeper is not null && e is StateException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            // What BT did is real: later steps build on it, so the newest kept file always holds every result.
            State = next;
            throw Unwritten(next, e);
        }

        State = next;
        return next;
    }

    /// <summary>The store refused a state whose changes are real at BT: keep it locally and say where, truthfully.</summary>
    private StateException Unwritten(CompanyState next, Exception failure)
    {
        var code = failure is StateException stateFailure ? stateFailure.Code : DiagnosticCatalog.StateError.Code;
        string kept;
        try
        {
            kept = $"it is kept in {keeper!.Keep(next)}: once the store works again, 'whcctl state push {next.Company} FILE' with that file stores it, then plan again";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            kept = $"keeping it locally failed too ({e.Message}): state lacks this step's result, and the next plan asks BT for it again";
        }

        return new StateException(code, $"{failure.Message}; the state with what BT just did (serial {next.Serial}) could not be stored, {kept}", failure);
    }
}
