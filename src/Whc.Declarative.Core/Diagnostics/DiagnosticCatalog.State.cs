using System.Globalization;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC5xxx: state storage and locking.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StateError { get; } = Error("WHC5000", "the state store failed (I/O or database error)");

    public static DiagnosticDescriptor StateLocked { get; } = Error("WHC5001", "the company's state is locked by another run");

    /// <summary>The message of <see cref="StateLockedException"/>: an exception's, so it is taken as <c>Message(...)</c>.</summary>
    public static DiagnosticTemplate<string, LockInfo> StateLockedBy { get; } =
        StateLocked.Template((string company, LockInfo holder) =>
            $"state of company '{company}' is locked by {holder.Who}@{holder.Host} (pid {holder.ProcessId.ToString(CultureInfo.InvariantCulture)}, '{holder.Operation}') since {holder.Since.ToString("u", CultureInfo.InvariantCulture)}, lock id {holder.Id}");

    public static DiagnosticDescriptor StateConflict { get; } = Error("WHC5002", "the state was changed by another writer (serial or lineage mismatch)");

    public static DiagnosticDescriptor StateFormatUnsupported { get; } = Error("WHC5003", "the state is unreadable or was written in a format this whcctl does not know");

    public static DiagnosticDescriptor StateNotFound { get; } = Error("WHC5004", "the company, version or resource is not in the state");

    public static DiagnosticDescriptor StateAddressInvalid { get; } = Error("WHC5005", "a resource address or company name is not valid");

    public static DiagnosticDescriptor StateBackendInvalid { get; } = Error("WHC5006", "the --state / WHC_STATE backend specification is not valid or cannot be reached");

    public static DiagnosticDescriptor StateLockMismatch { get; } = Error("WHC5007", "force-unlock was given a lock id that is not the holder's (or there is no lock)");

    public static DiagnosticDescriptor StateLockTakenOver { get; } = Warning("WHC5008", "a lock whose holder's lease expired or session ended was taken over (that holder stops when it notices)");

    public static DiagnosticDescriptor StatePushRefused { get; } = Error("WHC5009", "state push or migrate refused: the state does not descend from the current one (another lineage, an older version) (use --force)");

    public static DiagnosticDescriptor StateLockLost { get; } = Error("WHC5010", "the run lost the company's lock (session ended, force-unlocked or lease expired) and stopped for it");
}
