using System.Collections.Concurrent;
using System.Collections.Immutable;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// The harness's real local store, except that the test can take a company's lock away (as an ended session, an idle
/// timeout or a force-unlock would), and that a write carrying a fence that is no longer the company's lock is refused
/// as a store that checks fences refuses it. Records the fence every write carried.
/// </summary>
public sealed class LosableStore(IStateStore inner) : IStateStore
{
    private readonly ConcurrentDictionary<string, LosableLock> locks = new(StringComparer.Ordinal);

    public ConcurrentQueue<(CompanyState State, LockFence? Fence)> Writes { get; } = new();

    /// <summary>After a successful write of a state this returns true for, that company's lock is lost.</summary>
    public Func<CompanyState, bool>? LoseAfterWrite { get; init; }

    public string Description => inner.Description;

    public LosableLock LockOf(string company) => locks[company];

    public async Task WriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken)
    {
        Writes.Enqueue((state, context.Fence));
        if (context.Fence is { } fence && locks.TryGetValue(state.Company, out var held) && (held.IsLost || fence != held.Fence))
        {
            throw new StateLockLostException(state.Company, $"test store: fence {fence.LockId}/{fence.Generation} refused");
        }

        await inner.WriteAsync(state, context, cancellationToken);
        if (LoseAfterWrite?.Invoke(state) == true && locks.TryGetValue(state.Company, out var written))
        {
            written.Lose();
        }
    }

    public async Task<IStateLock> AcquireLockAsync(string company, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var taken = new LosableLock(company, await inner.AcquireLockAsync(company, holder, timeout, cancellationToken));
        locks[company] = taken;
        return taken;
    }

    public Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken) => inner.ListCompaniesAsync(cancellationToken);

    public Task<CompanyState?> ReadAsync(string company, CancellationToken cancellationToken) => inner.ReadAsync(company, cancellationToken);

    public Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken) => inner.ForceUnlockAsync(company, lockId, cancellationToken);

    public Task<ImmutableArray<StateVersionInfo>> HistoryAsync(string company, CancellationToken cancellationToken) => inner.HistoryAsync(company, cancellationToken);

    public Task<CompanyState?> ReadVersionAsync(string company, long serial, CancellationToken cancellationToken) => inner.ReadVersionAsync(company, serial, cancellationToken);
}

/// <summary>A held lock the test can take away: then <see cref="Lost"/> is cancelled and every check throws.</summary>
public sealed class LosableLock(string company, IStateLock inner) : IStateLock
{
    private readonly CancellationTokenSource lost = new();
    private int checks;

    public LockInfo Info => inner.Info;

    /// <summary>The real store's fence, so the writes this lets through pass the real store's own check too.</summary>
    public LockFence Fence => inner.Fence;

    public CancellationToken Lost => lost.Token;

    public bool IsLost => lost.IsCancellationRequested;

    /// <summary>How often the holder proved it still held the lock.</summary>
    public int Checks => Volatile.Read(ref checks);

    /// <summary>When the lock was lost (a <see cref="TimeProvider.System"/> timestamp), or null.</summary>
    public long? LostAt { get; private set; }

    public void Lose()
    {
        LostAt ??= TimeProvider.System.GetTimestamp();
        lost.Cancel();
    }

    public Task EnsureHeldAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref checks);
        return IsLost
            ? Task.FromException(new StateLockLostException(company, $"test store: the lock on '{company}' was force-unlocked"))
            : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await inner.DisposeAsync();
}
