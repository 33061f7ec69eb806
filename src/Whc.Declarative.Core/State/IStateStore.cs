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

public interface IStateLock : IAsyncDisposable
{
    LockInfo Info { get; }
}

/// <summary>Who holds (or wants) a lock, shown to anyone who is blocked by it.</summary>
public sealed record LockInfo(string Id, string Who, string Host, int ProcessId, string Operation, DateTimeOffset Since);

/// <summary>Who is writing, recorded with each version for audit.</summary>
public sealed record StateWriteContext(string WrittenBy, DateTimeOffset WrittenAt);

public sealed record StateVersionInfo(long Serial, string Lineage, string WrittenBy, DateTimeOffset WrittenAt);

public class StateException : Exception
{
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
        : base(DiagnosticCatalog.StateLocked.Code, $"state of company '{company}' is locked by {holder.Who}@{holder.Host} (pid {holder.ProcessId}, " +
            $"'{holder.Operation}') since {holder.Since:u}, lock id {holder.Id}")
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
