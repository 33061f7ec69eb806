using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// One company's lock as the run sees it: the gate every request to BT for the company passes (<see cref="BtCallGate"/>)
/// and the fence every state write carries. The first loss seen (a check that failed, a write the store refused with
/// the fence, the lock's <see cref="IStateLock.Lost"/> cancelled) closes it for the rest of the run.
/// </summary>
internal sealed class LockGate : IBtCallGate
{
    private readonly IStateLock? held;
    private StateLockLostException? lost;

    /// <param name="held">Null for a run that holds no lock (tests, and commands that take none): then it never closes.</param>
    public LockGate(string company, IStateLock? held)
    {
        Company = company;
        this.held = held;
    }

    public string Company { get; }

    /// <summary>What every write under this lock carries, for the store to check in the same transaction.</summary>
    public LockFence? Fence => held?.Fence;

    public CancellationToken Closed => held?.Lost ?? CancellationToken.None;

    public bool IsLost => Volatile.Read(ref lost) is not null || Closed.IsCancellationRequested;

    /// <summary>Why the lock is lost, as the store said it, when known.</summary>
    public string Reason => Volatile.Read(ref lost)?.Message ?? "the store's watch on it saw its session end or the lock taken";

    /// <summary>A step that did not run because the lock was lost says so with this.</summary>
    public string SkipReason => $"skipped: {LostText(Reason)}; whcctl stopped calling BT for {Company}";

    /// <summary>"the lock on acme's state was lost (why)": the words every message about the loss shares.</summary>
    public string LostText(string why) => $"the lock on {Company}'s state was lost ({why})";

    public async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref lost) is not null)
        {
            // Once lost, always lost: not asked again (a later re-take would not make the earlier gap safe).
            throw Refusal();
        }

        if (held is null)
        {
            return;
        }

        // Closed by the store's watcher: the store is asked once, for why (who took it, force-unlock), so that the
        // reason every message gives is the store's, and a refusal recorded later does not nest in a vaguer one.
        var closed = Closed.IsCancellationRequested;
        try
        {
            await held.EnsureHeldAsync(cancellationToken);
        }
        catch (StateLockLostException e)
        {
            Record(e);
            throw Refusal();
        }
        catch (Exception e) when (e is StateException or IOException or System.Data.Common.DbException or TimeoutException)
        {
            // Not proven held is not held: a request to BT must not leave on a guess.
            Record(new StateLockLostException(Company, DiagnosticCatalog.StateLockUnproven.With(e.Message), e));
            throw Refusal();
        }

        if (closed)
        {
            // The store said nothing more (it should have): the watcher's word alone.
            Record(new StateLockLostException(Company, DiagnosticCatalog.StateLockWatchClosed.With()));
            throw Refusal();
        }
    }

    /// <summary>Notes the loss the store reported (a refused check or write); the first one is the reason given.</summary>
    public void Record(StateLockLostException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Interlocked.CompareExchange(ref lost, new StateLockLostException(Company, failure.Message, failure), null);
    }

    /// <summary>A fresh exception for each refusal (one instance is never thrown on two flows at once).</summary>
    public StateLockLostException Refusal() =>
        new(Company, $"{LostText(Reason)}; nothing more was sent to BT for {Company}", Volatile.Read(ref lost));
}
