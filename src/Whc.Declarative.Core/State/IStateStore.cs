using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.State;

/// <summary>
/// Where company states live (a local directory, PostgreSQL). Writes are compare-and-swap: a state with serial N is
/// accepted only when the stored state has serial N-1 and the same lineage (or, for serial 1, when none is stored),
/// otherwise <see cref="StateConflictException"/>. A store never sees or stores a secret.
/// </summary>
public interface IStateStore
{
    /// <summary>A human description of the store for messages; never includes a password.</summary>
    string Description { get; }

    Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken);

    Task<CompanyState?> ReadAsync(string company, CancellationToken cancellationToken);

    Task WriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken);

    /// <summary>Takes the company's lock, waiting up to <paramref name="timeout"/>; throws <see cref="StateLockedException"/>.</summary>
    Task<IStateLock> AcquireLockAsync(string company, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Removes a lock by id regardless of its holder; throws <see cref="StateException"/> when the id does not match.</summary>
    Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken);

    /// <summary>Earlier versions, newest first (a local store keeps only its backup).</summary>
    Task<ImmutableArray<StateVersionInfo>> HistoryAsync(string company, CancellationToken cancellationToken);

    Task<CompanyState?> ReadVersionAsync(string company, long serial, CancellationToken cancellationToken);
}

/// <summary>
/// A held lock on one company's state. Holding is a lease the store keeps checking, not a promise: the session that
/// holds it can end (a server restart, an idle timeout, <c>force-unlock</c>) while the process runs on. A holder proves
/// it still holds the lock before each call to BT (<see cref="EnsureHeldAsync"/>), and every state write carries
/// <see cref="Fence"/>, which the store checks in the same transaction as the write, so a holder that lost the lock
/// can neither call BT again nor overwrite what the next holder wrote.
/// </summary>
public interface IStateLock : IAsyncDisposable
{
    LockInfo Info { get; }

    /// <summary>The fencing token: this holder's lock id and the generation the store gave it when it took the lock.</summary>
    LockFence Fence { get; }

    /// <summary>Cancelled as soon as the holder learns the lock is lost (its watcher saw the session end or the lease taken).</summary>
    CancellationToken Lost { get; }

    /// <summary>
    /// Returns when the lock is still held (renewing it after a dropped connection when no one else took it meanwhile);
    /// throws <see cref="StateLockLostException"/> when it is not. Called before each request to BT.
    /// </summary>
    Task EnsureHeldAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A fencing token: the lock id and a generation that grows with every taking of a company's lock. A state write that
/// carries one is refused (<see cref="StateLockLostException"/>) unless it is still the company's current lock.
/// </summary>
public sealed record LockFence(string LockId, long Generation);

/// <summary>Who holds (or wants) a lock, shown to anyone who is blocked by it.</summary>
public sealed record LockInfo(string Id, string Who, string Host, int ProcessId, string Operation, DateTimeOffset Since);

/// <summary>Who is writing, recorded with each version for audit, and under which lock (checked by the store when given).</summary>
public sealed record StateWriteContext(string WrittenBy, DateTimeOffset WrittenAt)
{
    /// <summary>The writer's lock; the store refuses the write when that is no longer the company's current lock.</summary>
    public LockFence? Fence { get; init; }
}

public sealed record StateVersionInfo(long Serial, string Lineage, string WrittenBy, DateTimeOffset WrittenAt);

public class StateException : Exception
{
    /// <summary>A failure worded by a template of the catalogue: its code and text.</summary>
    public StateException(DiagnosticMessage message, Exception? inner = null)
        : this(message.Descriptor.Code, message.Text, inner)
    {
    }

    public StateException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public StateException()
        : this(DiagnosticCatalog.StateError.Code, "state error")
    {
    }

    public StateException(string message)
        : this(DiagnosticCatalog.StateError.Code, message)
    {
    }

    public StateException(string message, Exception innerException)
        : this(DiagnosticCatalog.StateError.Code, message, innerException)
    {
    }

    /// <summary>The WHC5xxx diagnostic code that describes this failure.</summary>
    public string Code { get; }
}

public sealed class StateLockedException : StateException
{
    public StateLockedException(string company, LockInfo holder)
        : base(DiagnosticCatalog.StateLocked.Code, DiagnosticCatalog.StateLockedBy.Message(company, holder))
    {
        Company = company;
        Holder = holder;
    }

    public StateLockedException()
        : this(string.Empty, new LockInfo(string.Empty, string.Empty, string.Empty, 0, string.Empty, default))
    {
    }

    public StateLockedException(string message)
        : base(message)
    {
        Company = string.Empty;
        Holder = new LockInfo(string.Empty, string.Empty, string.Empty, 0, string.Empty, default);
    }

    public StateLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Company = string.Empty;
        Holder = new LockInfo(string.Empty, string.Empty, string.Empty, 0, string.Empty, default);
    }

    public string Company { get; }

    public LockInfo Holder { get; }
}

public sealed class StateConflictException : StateException
{
    public StateConflictException(string message)
        : base(DiagnosticCatalog.StateConflict.Code, message)
    {
    }

    public StateConflictException()
        : this("state was changed by another writer")
    {
    }

    public StateConflictException(string message, Exception innerException)
        : base(DiagnosticCatalog.StateConflict.Code, message, innerException)
    {
    }
}

/// <summary>
/// The run no longer holds the company's lock (its session ended and another run took it, it was force-unlocked, or
/// its lease ran out): it must not call BT for the company again nor write its state.
/// </summary>
public sealed class StateLockLostException : StateException
{
    /// <summary>The loss worded by a template of <see cref="DiagnosticCatalog.StateLockLost"/>.</summary>
    public StateLockLostException(string company, DiagnosticMessage message, Exception? inner = null)
        : base(message, inner) => Company = company;

    public StateLockLostException(string company, string message, Exception? inner = null)
        : base(DiagnosticCatalog.StateLockLost.Code, message, inner) => Company = company;

    public StateLockLostException()
        : this(string.Empty, "the lock on the company's state was lost")
    {
    }

    public StateLockLostException(string message)
        : this(string.Empty, message)
    {
    }

    public StateLockLostException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    public string Company { get; }
}
