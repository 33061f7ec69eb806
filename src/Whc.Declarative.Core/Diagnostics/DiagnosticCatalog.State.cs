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

    /// <summary>A state file (or a file given as one) that does not read as JSON: its name and the line (from 0, as the reader counts).</summary>
    public static DiagnosticTemplate<string, long> StateFileNotJson { get; } =
        StateFormatUnsupported.Template((string source, long line) => string.Create(CultureInfo.InvariantCulture,
            $"{source}: not valid JSON (line {line + 1}), so not a whcctl state file; state push takes a file written by 'whcctl state pull'"));

    /// <summary>A state file whose value at a JSON path has the wrong shape for its format (the reader's own text is .NET's, not passed on).</summary>
    public static DiagnosticTemplate<string, int, string> StateFileNotOfFormat { get; } =
        StateFormatUnsupported.Template((string source, int format, string at) => string.Create(CultureInfo.InvariantCulture,
            $"{source}: state does not match format version {format}: the value at {at} is not what that format holds there (the file was edited, or is not a whcctl state file)"));

    /// <summary>A state file with an object that lacks required fields: its name, format, the object's JSON path, and the fields ('a', 'b').</summary>
    public static DiagnosticTemplate<string, int, string, string> StateFileMissingFields { get; } =
        StateFormatUnsupported.Template((string source, int format, string at, string fields) => string.Create(CultureInfo.InvariantCulture,
            $"{source}: state does not match format version {format}: the object at {at} lacks {fields} (the file was edited, or is not a whcctl state file)"));

    public static DiagnosticDescriptor StateNotFound { get; } = Error("WHC5004", "the company, version or resource is not in the state");

    public static DiagnosticDescriptor StateAddressInvalid { get; } = Error("WHC5005", "a resource address or company name is not valid");

    /// <summary>An import refused for BT's names: the company name, and each name's problem.</summary>
    public static DiagnosticTemplate<string, IEnumerable<string>> StateAddressInvalidImportNames { get; } =
        StateAddressInvalid.Template((string name, IEnumerable<string> problems) => $"'{name}' cannot be imported: BT's answer holds names no manifest could hold: {string.Join("; ", problems)}. Nothing was written");

    public static DiagnosticDescriptor StateBackendInvalid { get; } = Error("WHC5006", "the --state / WHC_STATE backend specification is not valid or cannot be reached");

    public static DiagnosticDescriptor StateLockMismatch { get; } = Error("WHC5007", "force-unlock was given a lock id that is not the holder's (or there is no lock)");

    public static DiagnosticDescriptor StateLockTakenOver { get; } = Warning("WHC5008", "a lock whose holder's lease expired or session ended was taken over (that holder stops when it notices)");

    /// <summary>A local lock file taken over: the company, who held it (null when the file named nobody), and why it was free.</summary>
    public static DiagnosticTemplate<string, string?, string> StateLockTakenOverFile { get; } =
        StateLockTakenOver.Template((string company, string? holder, string reason) =>
            $"took over the lock on '{company}'{(holder is null ? string.Empty : $" held by {holder}")}: {reason}; if that run still goes on, it will find its lock lost and stop");

    /// <summary>A Postgres lock taken over once its holder's session ended: the company, the holder, the lock's generation.</summary>
    public static DiagnosticTemplate<string, string, long> StateLockTakenOverSession { get; } =
        StateLockTakenOver.Template((string company, string holder, long generation) => string.Create(CultureInfo.InvariantCulture, $"took over the lock on '{company}' from {holder}, generation {generation}: its lock session ended and the lock was free; if that process still runs, it will find its lock lost and stop"));

    public static DiagnosticDescriptor StatePushRefused { get; } = Error("WHC5009", "state push or migrate refused: the state does not descend from the current one (another lineage, an older version) (use --force)");

    public static DiagnosticDescriptor StateLockLost { get; } = Error("WHC5010", "the run lost the company's lock (session ended, force-unlocked or lease expired) and stopped for it");

    /// <summary>One line for a company whose run lost its lock: the company, why, and how many of its steps were not done.</summary>
    public static DiagnosticTemplate<string, string, int, int> StateLockLostStopped { get; } =
        StateLockLost.Template((string company, string reason, int notDone, int steps) => string.Create(CultureInfo.InvariantCulture, $"{company}: the lock on its state was lost ({reason}); whcctl stopped calling BT for it ({notDone} of {steps} step(s) not done; a request already sent was left to finish, and its result stored or, where the store refused it, kept in a recovery file the step names). Another run may hold the lock now: plan again once it has finished"));
}
