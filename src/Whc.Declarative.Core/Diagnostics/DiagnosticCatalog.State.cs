using System.Globalization;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC5xxx: state storage and locking.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StateError { get; } = Error("WHC5000", "the state store failed (I/O or database error)");

    /// <summary>The lock file could not be read back before a write: the company and what was wrong with it.</summary>
    public static DiagnosticTemplate<string, string?> StateLockUncheckable { get; } =
        StateError.Template((string company, string? problem) => $"cannot check that this run still holds the lock on '{company}', so its state was not written: {problem}");

    public static DiagnosticTemplate<string> StateNoUnconditionalWrites { get; } =
        StateError.Template((string store) => $"{store} does not support unconditional writes");

    public static DiagnosticTemplate<string> StateNoCompanyMoveWrites { get; } =
        StateError.Template((string store) => $"{store} cannot take a company move (no unconditional writes)");

    /// <summary>A local state's write guard that could not be taken: the company, the guard file, how long was waited, and the system's reason.</summary>
    public static DiagnosticTemplate<string, string, TimeSpan, string> StateWriteGuardHeld { get; } =
        StateError.Template((string company, string guard, TimeSpan waited, string reason) =>
            string.Create(CultureInfo.InvariantCulture, $"the state of company '{company}' could not be written: its write guard {guard} was still held after {waited.TotalSeconds:0.###} s ({reason}); a write holds it for milliseconds, so the process holding it is frozen or stuck while writing; resume or stop that process and run again; nothing was written"));

    public static DiagnosticDescriptor StateLocked { get; } = Error("WHC5001", "the company's state is locked by another run");

    /// <summary>The message of <see cref="StateLockedException"/>: an exception's, so it is taken as <c>Message(...)</c>.</summary>
    public static DiagnosticTemplate<string, LockInfo> StateLockedBy { get; } =
        StateLocked.Template((string company, LockInfo holder) =>
            $"state of company '{company}' is locked by {holder.Who}@{holder.Host} (pid {holder.ProcessId.ToString(CultureInfo.InvariantCulture)}, '{holder.Operation}') since {holder.Since.ToString("u", CultureInfo.InvariantCulture)}, lock id {holder.Id}");

    public static DiagnosticDescriptor StateConflict { get; } = Error("WHC5002", "the state was changed by another writer (serial or lineage mismatch)");

    public static DiagnosticDescriptor StateFormatUnsupported { get; } = Error("WHC5003", "the state is unreadable or was written in a format this whcctl does not know");

    /// <summary>A PostgreSQL row whose columns and document disagree: the store, the company, the row's serial and lineage, the document's.</summary>
    public static DiagnosticTemplate<string, string, (long Serial, string Lineage), (long Serial, string? Lineage)> StateRowDocumentMismatch { get; } =
        StateFormatUnsupported.Template((string store, string company, (long Serial, string Lineage) row, (long Serial, string? Lineage) document) =>
            string.Create(CultureInfo.InvariantCulture, $"{store} company {company}: the row records serial {row.Serial}, lineage {row.Lineage}, but its document says serial {document.Serial}, lineage {document.Lineage}; repair it with 'whcctl state rollback {company} SERIAL' or 'whcctl state push {company} FILE --force'"));

    /// <summary>The store, the database's schema version and the newest this whcctl knows.</summary>
    public static DiagnosticTemplate<string, int, int> StateSchemaNewer { get; } =
        StateFormatUnsupported.Template((string store, int applied, int known) =>
            string.Create(CultureInfo.InvariantCulture, $"{store}: database schema version {applied} was created by a newer whcctl (this one knows {known}); upgrade whcctl"));

    // A state file or row that cannot be read: each names its source (file or row) first.
    public static DiagnosticTemplate<string, long, long> StateParentSerialInvalid { get; } =
        StateFormatUnsupported.Template((string source, long field, long serial) => string.Create(CultureInfo.InvariantCulture, $"{source}: parentSerial must be the serial of the version the file was derived from, a whole number from 0 to {field} (the file's serial is {serial})"));

    public static DiagnosticTemplate<string, int, int> StateFormatNewer { get; } =
        StateFormatUnsupported.Template((string source, int version, int current) => string.Create(CultureInfo.InvariantCulture, $"{source}: state format version {version} was written by a newer whcctl; this whcctl reads versions up to {current}. Upgrade whcctl."));

    /// <summary>The source, the format version, and where in the document (" at $.x", or empty).</summary>
    public static DiagnosticTemplate<string, int, string> StateFieldUnknown { get; } =
        StateFormatUnsupported.Template((string source, int format, string where) => string.Create(CultureInfo.InvariantCulture, $"{source}: state holds a field that format version {format} does not have{where}; it is refused rather than read and written back without it (a newer whcctl adds fields only with a newer format version, so the file was edited, or written by a whcctl that broke that rule)"));

    public static DiagnosticTemplate<string> StateWithoutCompanyOrLineage { get; } = StateFormatUnsupported.Template((string source) => $"{source}: state has no company or no lineage");

    public static DiagnosticTemplate<string, IEnumerable<string>> StateRefused { get; } =
        StateFormatUnsupported.Template((string source, IEnumerable<string> problems) => $"{source}: state refused: {string.Join("; ", problems)}. Restore a good version with 'whcctl state history' and 'whcctl state rollback'");

    public static DiagnosticTemplate<string> StateNotAnObject { get; } = StateFormatUnsupported.Template((string source) => $"{source}: not a whcctl state (expected a JSON object)");

    public static DiagnosticTemplate<string> StateWithoutVersion { get; } = StateFormatUnsupported.Template((string source) => $"{source}: not a whcctl state (no numeric 'version' field)");

    public static DiagnosticTemplate<string, int, int, int> StateFormatTooOld { get; } =
        StateFormatUnsupported.Template((string source, int version, int oldest, int current) => string.Create(CultureInfo.InvariantCulture, $"{source}: state format version {version} is too old; this whcctl reads versions {oldest} to {current}"));

    /// <summary>The counter file's path and the company.</summary>
    public static DiagnosticTemplate<string, string> StateLockGenerationNotNumber { get; } =
        StateFormatUnsupported.Template((string path, string company) => $"the lock generation counter {path} is not a number; it must only grow: write into it a number above any generation a lock of '{company}' has had (the current time in milliseconds since 1970 is safe)");
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

    /// <summary>The company and the store's description.</summary>
    public static DiagnosticTemplate<string, string> StateNoCompany { get; } = StateNotFound.Template((string company, string store) => $"no state for company '{company}' in {store}");

    public static DiagnosticTemplate<ResourceAddress> StateResourceNotInState { get; } =
        StateNotFound.Template((ResourceAddress address) => $"{address} is not in state (see 'whcctl state list')");

    public static DiagnosticTemplate<ResourceAddress> StateNothingRecorded { get; } = StateNotFound.Template((ResourceAddress address) => $"{address} has nothing recorded in state");

    /// <summary>The serial asked for, the company, and the store's description.</summary>
    public static DiagnosticTemplate<long, string, string> StateNoVersion { get; } =
        StateNotFound.Template((long serial, string company, string store) => string.Create(CultureInfo.InvariantCulture, $"no version with serial {serial} of company '{company}' in {store} (see 'whcctl state history {company}')"));

    public static DiagnosticDescriptor StateAddressInvalid { get; } = Error("WHC5005", "a resource address or company name is not valid");

    /// <summary>The address and why the manifest's naming rule refuses its new name.</summary>
    public static DiagnosticTemplate<ResourceAddress, string> StateMoveNameRefused { get; } =
        StateAddressInvalid.Template((ResourceAddress source, string problem) => $"state mv cannot rename {source}: {problem} (the manifest's rule)");

    /// <summary>The command (state mv, push...) and each name no manifest could hold, with why.</summary>
    public static DiagnosticTemplate<string, IReadOnlyList<string>> StateNamesNoManifestHolds { get; } =
        StateAddressInvalid.Template((string operation, IReadOnlyList<string> problems) => $"{operation} refused: the state holds names no manifest could hold: {string.Join("; ", problems)}. Nothing was written");

    public static DiagnosticTemplate<string> StateAddressUnparsable { get; } =
        StateAddressInvalid.Template((string text) => $"'{text}' is not a resource address; expected COMPANY or COMPANY/KIND/NAME with KIND one of number-block, site, user");

    /// <summary>A pushed file of another company: the file, the company it holds, the company named.</summary>
    public static DiagnosticTemplate<string, string, string> StatePushOtherCompany { get; } =
        StateAddressInvalid.Template((string path, string holds, string named) => $"{path} holds the state of company '{holds}', not '{named}'");

    /// <summary>An import refused for BT's names: the company name, and each name's problem.</summary>
    public static DiagnosticTemplate<string, IEnumerable<string>> StateAddressInvalidImportNames { get; } =
        StateAddressInvalid.Template((string name, IEnumerable<string> problems) => $"'{name}' cannot be imported: BT's answer holds names no manifest could hold: {string.Join("; ", problems)}. Nothing was written");

    public static DiagnosticTemplate<ResourceAddress> StateUserCannotBeRenamed { get; } =
        StateAddressInvalid.Template((ResourceAddress source) => $"{source} cannot be renamed: a username is how BT knows a user (change it in the manifest, and the plan replaces the user)");

    public static DiagnosticTemplate<ResourceAddress, ResourceAddress> StateMoveNotARename { get; } =
        StateAddressInvalid.Template((ResourceAddress source, ResourceAddress destination) => $"state mv renames a number block or a site within one company; {source} → {destination} is not that");

    public static DiagnosticTemplate<ResourceAddress> StateAlreadyInState { get; } = StateAddressInvalid.Template((ResourceAddress destination) => $"{destination} is already in state");

    public static DiagnosticDescriptor StateBackendInvalid { get; } = Error("WHC5006", "the --state / WHC_STATE backend specification is not valid or cannot be reached");

    /// <summary>Why the PGSSLMODE value is not valid (worded where the modes are known).</summary>
    public static DiagnosticTemplate<string> StatePostgresTlsInvalid { get; } =
        StateBackendInvalid.Template((string reason) => $"invalid PostgreSQL TLS setting: {reason}");

    public static DiagnosticTemplate StatePostgresRootCertClash { get; } =
        StateBackendInvalid.Template("invalid PostgreSQL TLS setting: sslrootcert=system cannot be used while PGSSLROOTCERT is set (it would be used instead); unset PGSSLROOTCERT");

    /// <summary>The --state value without credentials, and its scheme ("postgress").</summary>
    public static DiagnosticTemplate<string, string> StateBackendUnknownKind { get; } =
        StateBackendInvalid.Template((string spec, string scheme) => $"state '{spec}' names an unknown kind of store '{scheme}://'; state lives in a directory or at postgres://user@host:port/database");

    /// <summary>The variable's name and its value.</summary>
    public static DiagnosticTemplate<string, string> StateLeaseInvalid { get; } =
        StateBackendInvalid.Template((string variable, string value) => $"{variable}='{value}' is not a lease length between 1s and 60m (e.g. 45s, 2m, 1500ms)");

    public static DiagnosticDescriptor StateLockMismatch { get; } = Error("WHC5007", "force-unlock was given a lock id that is not the holder's (or there is no lock)");

    /// <summary>force-unlock of a company nobody holds: the company, the store, and the backends of a session that holds it without a holder row (empty: not locked).</summary>
    public static DiagnosticTemplate<string, string, IReadOnlyList<int>> StateLockNoHolderRow { get; } =
        StateLockMismatch.Template((string company, string store, IReadOnlyList<int> backends) => backends.Count == 0
            ? $"state of company '{company}' in {store} is not locked"
            : $"state of company '{company}' in {store} is locked by a session that recorded no holder (backend pid {string.Join(", ", backends)}); it will be freed when that session ends");

    /// <summary>The lock id given, the company, and the holder described.</summary>
    public static DiagnosticTemplate<string, string, string> StateLockIdNotHolders { get; } =
        StateLockMismatch.Template((string lockId, string company, string holder) => $"lock id '{lockId}' does not match the holder of the lock on '{company}': {holder}");

    /// <summary>A local lock: the company and the lock file's path.</summary>
    public static DiagnosticTemplate<string, string> StateLockFileMissing { get; } =
        StateLockMismatch.Template((string company, string path) => $"state of company '{company}' is not locked ({path} does not exist or is unreadable)");

    /// <summary>A local lock: the lock id given, the company, and the holder the lock file names.</summary>
    public static DiagnosticTemplate<string, string, LockInfo> StateLockFileOtherHolder { get; } =
        StateLockMismatch.Template((string lockId, string company, LockInfo holder) => string.Create(CultureInfo.InvariantCulture, $"lock id '{lockId}' does not match the holder of the lock on '{company}': {holder.Who}@{holder.Host} (pid {holder.ProcessId}, '{holder.Operation}') since {holder.Since.ToString("u", CultureInfo.InvariantCulture)}, lock id {holder.Id}"));

    public static DiagnosticDescriptor StateLockTakenOver { get; } = Warning("WHC5008", "a lock whose holder's lease expired or session ended was taken over (that holder stops when it notices)");

    /// <summary>A local lock file taken over: the company, who held it (null when the file named nobody), and why it was free.</summary>
    public static DiagnosticTemplate<string, string?, string> StateLockTakenOverFile { get; } =
        StateLockTakenOver.Template((string company, string? holder, string reason) =>
            $"took over the lock on '{company}'{(holder is null ? string.Empty : $" held by {holder}")}: {reason}; if that run still goes on, it will find its lock lost and stop");

    /// <summary>A Postgres lock taken over once its holder's session ended: the company, the holder, the lock's generation.</summary>
    public static DiagnosticTemplate<string, string, long> StateLockTakenOverSession { get; } =
        StateLockTakenOver.Template((string company, string holder, long generation) => string.Create(CultureInfo.InvariantCulture, $"took over the lock on '{company}' from {holder}, generation {generation}: its lock session ended and the lock was free; if that process still runs, it will find its lock lost and stop"));

    public static DiagnosticDescriptor StatePushRefused { get; } = Error("WHC5009", "state push or migrate refused: the state does not descend from the current one (another lineage, an older version) (use --force)");

    /// <summary>A rollback to a version of another lineage: the serial, the company, its lineage, the current lineage.</summary>
    public static DiagnosticTemplate<long, string, string, string> StateRollbackOtherLineage { get; } =
        StatePushRefused.Template((long serial, string company, string version, string current) =>
            string.Create(CultureInfo.InvariantCulture, $"version {serial} of '{company}' belongs to lineage {version}, the current state to {current}; push it with --force instead"));

    public static DiagnosticTemplate<string> StatePushOverUnreadable { get; } =
        StatePushRefused.Template((string company) => $"refusing to push: the stored state of '{company}' is unreadable, so the file cannot be shown to descend from it (use --force to replace it)");

    /// <summary>The file's lineage, the stored lineage, and the company.</summary>
    public static DiagnosticTemplate<string, string?, string> StatePushOtherLineage { get; } =
        StatePushRefused.Template((string pushed, string? stored, string company) => $"refusing to push: the file's lineage {pushed} differs from the stored lineage {stored} of '{company}' (use --force to replace it)");

    /// <summary>Why the file does not descend (worded where descent is judged), the current serial and lineage, the company, the store.</summary>
    public static DiagnosticTemplate<string, long, string?, string, string> StatePushNotDescending { get; } =
        StatePushRefused.Template((string problem, long serial, string? lineage, string company, string store) =>
            string.Create(CultureInfo.InvariantCulture, $"refusing to push: {problem} (current serial {serial}, lineage {lineage} of '{company}' in {store}); to replace serial {serial} deliberately, push with --force"));

    /// <summary>The file's serial, its parentSerial, the store's description, and the company.</summary>
    public static DiagnosticTemplate<long, long, string, string> StatePushNothingStored { get; } =
        StatePushRefused.Template((long serial, long parent, string store, string company) =>
            string.Create(CultureInfo.InvariantCulture, $"refusing to push: the file (serial {serial}) was derived from serial {parent} (its parentSerial), but {store} holds no state for '{company}': it was kept against another store, or this one lost its state; push it with --force to start from it"));

    /// <summary>A migrate that would overwrite another version: the company, the target store, what it holds (null: unreadable), and the source's version.</summary>
    public sealed record MigrateClash(string Company, string Store, long? Serial, string? Lineage, long SourceSerial, string SourceLineage);

    public static DiagnosticTemplate<MigrateClash> StateMigrateRefused { get; } =
        StatePushRefused.Template((MigrateClash c) => string.Create(CultureInfo.InvariantCulture, $"refusing to migrate '{c.Company}': {c.Store} already has serial {c.Serial?.ToString(CultureInfo.InvariantCulture) ?? "(unreadable)"}, lineage {c.Lineage ?? "(unreadable)"} (source: serial {c.SourceSerial}, lineage {c.SourceLineage}); use --force to overwrite. Nothing was copied."));

    public static DiagnosticDescriptor StateLockLost { get; } = Error("WHC5010", "the run lost the company's lock (session ended, force-unlocked or lease expired) and stopped for it");

    /// <summary>A check of a lock this run already released: the company, the store, and the lock's fence.</summary>
    public static DiagnosticTemplate<string, string, LockFence> StateLockAlreadyReleased { get; } =
        StateLockLost.Template((string company, string store, LockFence fence) =>
            string.Create(CultureInfo.InvariantCulture, $"the lock on company '{company}' in {store} (lock id {fence.LockId}, generation {fence.Generation}) was already released by this run; it must not call BT for '{company}' nor write its state any more"));

    /// <summary>A write refused by the fence: the company, the store, this run's fence, and who holds the lock now (worded by the store).</summary>
    public static DiagnosticTemplate<string, string, LockFence, string> StateLockLostAtWrite { get; } =
        StateLockLost.Template((string company, string store, LockFence fence, string now) =>
            string.Create(CultureInfo.InvariantCulture, $"state of company '{company}' in {store} was not written: this run's lock on it (lock id {fence.LockId}, generation {fence.Generation}) was lost; {now}; this run stops for '{company}'"));

    /// <summary>The watcher's finding: the company, the store, the fence, and why (worded by the watcher).</summary>
    public static DiagnosticTemplate<string, string, LockFence, string> StateLockLostWatched { get; } =
        StateLockLost.Template((string company, string store, LockFence fence, string reason) =>
            string.Create(CultureInfo.InvariantCulture, $"the lock on company '{company}' in {store} (lock id {fence.LockId}, generation {fence.Generation}) was lost: {reason}; this run sends nothing more to BT for '{company}' and does not write its state"));

    /// <summary>The lock could not be proven held (the check failed with this message).</summary>
    public static DiagnosticTemplate<string> StateLockUnproven { get; } =
        StateLockLost.Template((string failure) => $"whcctl could not make sure it still holds it: {failure}");

    public static DiagnosticTemplate StateLockWatchClosed { get; } =
        StateLockLost.Template("the store's watch on it saw its session end or the lock taken");

    /// <summary>One line for a company whose run lost its lock: the company, why, and how many of its steps were not done.</summary>
    public static DiagnosticTemplate<string, string, int, int> StateLockLostStopped { get; } =
        StateLockLost.Template((string company, string reason, int notDone, int steps) => string.Create(CultureInfo.InvariantCulture, $"{company}: the lock on its state was lost ({reason}); whcctl stopped calling BT for it ({notDone} of {Counted.Of(steps, "step")} not done; a request already sent was left to finish, and its result stored or, where the store refused it, kept in a recovery file the step names). Another run may hold the lock now: plan again once it has finished"));
}
