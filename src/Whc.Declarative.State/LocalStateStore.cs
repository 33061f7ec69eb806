using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Files;

namespace Whc.Declarative.State;

/// <summary>
/// Company states as files in one directory: <c>COMPANY.json</c> (current), <c>COMPANY.json.backup</c> (the version
/// the current run started from) and <c>COMPANY.lock</c> while a run holds the lock. Writes go to a temporary file in
/// the same directory, are flushed to disk and renamed over the current file, so a reader sees the old or the new
/// state, never half of one.
/// </summary>
public sealed class LocalStateStore : IStateStore, IForceStateWriter
{
    private const string StateSuffix = ".json";
    private const string BackupSuffix = ".json.backup";
    private const string LockSuffix = ".lock";

    // A live holder writes itself into its lock file right after creating it; one that stays empty or unreadable longer
    // than this was left by a process killed in between.
    private static readonly TimeSpan UnreadableLockAbandonedAfter = TimeSpan.FromSeconds(5);

    private readonly StateSerializer serializer;
    private readonly Action<Diagnostic>? warning;

    // Companies this run has written already: only a run's first write keeps the version it replaces as the backup.
    private readonly ConcurrentDictionary<string, byte> writtenThisRun = new(StringComparer.Ordinal);

    /// <param name="directory">Where the files live; created on the first write.</param>
    /// <param name="warning">Told when a lock left by a dead process is taken over.</param>
    public LocalStateStore(string directory, Action<Diagnostic>? warning = null, StateSerializer? serializer = null, LocalLockLease? lease = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        this.warning = warning;
        this.serializer = serializer ?? StateSerializer.Default;
    }

    public const string DefaultDirectory = ".whc/state";

    public string Directory { get; }

    public string Description => $"local directory {Directory}";

    public string StatePath(string company) => Path.Combine(Directory, company + StateSuffix);

    public string BackupPath(string company) => Path.Combine(Directory, company + BackupSuffix);

    public string LockPath(string company) => Path.Combine(Directory, company + LockSuffix);

    public Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return Task.FromResult(ImmutableArray<string>.Empty);
        }

        var companies = System.IO.Directory.EnumerateFiles(Directory, "*" + StateSuffix)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name.EndsWith(StateSuffix, StringComparison.Ordinal))
            .Select(name => name[..^StateSuffix.Length])
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        return Task.FromResult(companies);
    }

    public async Task<CompanyState?> ReadAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await ReadFileAsync(StatePath(company), company, cancellationToken);
    }

    public async Task WriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        CompanyName.Validate(state.Company);
        await using var guard = await WriteGuard.AcquireAsync(this, state.Company, cancellationToken);
        var path = StatePath(state.Company);
        var stored = await ReadBytesAsync(path, cancellationToken);
        StateConflicts.Check(state.Company, state.Serial, state.Lineage, stored is null ? null : StoredVersion(stored, path), Description);
        await ReplaceAsync(state, stored, cancellationToken);
    }

    public async Task ForceWriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        CompanyName.Validate(state.Company);
        await using var guard = await WriteGuard.AcquireAsync(this, state.Company, cancellationToken);
        await ReplaceAsync(state, await ReadBytesAsync(StatePath(state.Company), cancellationToken), cancellationToken);
    }

    public async Task<IStateLock> AcquireLockAsync(string company, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        CompanyName.Validate(company);
        System.IO.Directory.CreateDirectory(Directory);
        var path = LockPath(company);
        var ownStart = holder.ProcessId == Environment.ProcessId ? ProcessLiveness.StartTimeOf(holder.ProcessId) : null;
        var content = LockFileContent.From(holder, ownStart).ToJson();
        var deadline = DateTimeOffset.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryCreateLockFile(path, content))
            {
                StartRun(company);
                return new LocalStateLock(path, holder, null);
            }

            var existing = await TryReadLockAsync(path, cancellationToken);
            if (existing is null && await DeleteAbandonedUnreadableLockAsync(path, cancellationToken))
            {
                if (TryCreateLockFile(path, content))
                {
                    StartRun(company);
                    warning?.Invoke(DiagnosticCatalog.StateLockTakenOver.At(SourceSpan.None, $"took over the lock on '{company}': its lock file was left empty or unreadable, by a process that died while taking the lock"));
                    return new LocalStateLock(path, holder, null);
                }

                continue;
            }

            if (existing is not null && IsStale(existing))
            {
                // The holder died without releasing the lock; remove its file (only if it is still that holder's).
                if (await DeleteLockIfHeldByAsync(path, existing.Id, cancellationToken) && TryCreateLockFile(path, content))
                {
                    StartRun(company);
                    var previous = existing.ToLockInfo();
                    warning?.Invoke(DiagnosticCatalog.StateLockTakenOver.At(
                        SourceSpan.None,
                        $"took over the lock on '{company}' left by {previous.Who}@{previous.Host} (pid {previous.ProcessId.ToString(CultureInfo.InvariantCulture)}, '{previous.Operation}', lock id {previous.Id}): that process no longer runs"));
                    return new LocalStateLock(path, holder, previous);
                }

                continue;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                // A holder that has just created the file may not have written itself into it yet.
                for (var attempt = 0; existing is null && attempt < 40 && File.Exists(path); attempt++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
                    existing = await TryReadLockAsync(path, cancellationToken);
                }

                var info = existing?.ToLockInfo() ?? new LockInfo("(unreadable)", "unknown", "unknown", 0, "unknown", File.GetLastWriteTimeUtc(path));
                throw new StateLockedException(company, info);
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    public async Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        var path = LockPath(company);
        var existing = await TryReadLockAsync(path, cancellationToken);
        if (existing is null)
        {
            throw new StateException(DiagnosticCatalog.StateLockMismatch.Code, $"state of company '{company}' is not locked ({path} does not exist or is unreadable)");
        }

        if (!string.Equals(existing.Id, lockId, StringComparison.Ordinal))
        {
            throw new StateException(
                DiagnosticCatalog.StateLockMismatch.Code,
                $"lock id '{lockId}' does not match the holder of the lock on '{company}': {existing.Who}@{existing.Host} (pid {existing.ProcessId.ToString(CultureInfo.InvariantCulture)}, '{existing.Operation}') since {existing.Since.ToString("u", CultureInfo.InvariantCulture)}, lock id {existing.Id}");
        }

        await DeleteLockIfHeldByAsync(path, lockId, cancellationToken);
    }

    public async Task<StoredVersion?> ReadStoredVersionAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        var path = StatePath(company);
        if (await ReadBytesAsync(path, cancellationToken) is not { } bytes)
        {
            return null;
        }

        // When not even the top level parses, the repair goes on knowing nothing of the damaged version.
        var header = HeaderOrNull(bytes, path);
        return new StoredVersion(header?.Serial, header?.Lineage);
    }

    /// <summary>The file's top-level serial and lineage, or null when it is not even JSON: a damaged version must not hide the others.</summary>
    private static StateHeader? HeaderOrNull(byte[] bytes, string path)
    {
        try
        {
            return StateSerializer.ReadHeader(bytes, path);
        }
        catch (StateException)
        {
            return null;
        }
    }

    public async Task<ImmutableArray<StateVersionInfo>> HistoryAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        var versions = ImmutableArray.CreateBuilder<StateVersionInfo>();
        // Headers only: a damaged current version must not hide the backup that 'state rollback' can restore.
        foreach (var path in new[] { StatePath(company), BackupPath(company) })
        {
            if (await ReadBytesAsync(path, cancellationToken) is { } bytes && HeaderOrNull(bytes, path) is { Serial: { } serial } header)
            {
                var writtenAt = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
                versions.Add(new StateVersionInfo(serial, header.Lineage ?? string.Empty, "(not recorded by the local store)", writtenAt));
            }
        }

        return versions.ToImmutable();
    }

    public async Task<CompanyState?> ReadVersionAsync(string company, long serial, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        foreach (var path in new[] { StatePath(company), BackupPath(company) })
        {
            if (await ReadBytesAsync(path, cancellationToken) is { } bytes && HeaderOrNull(bytes, path)?.Serial == serial)
            {
                return serializer.Deserialize(bytes, path, company);
            }
        }

        return null;
    }

    /// <summary>Taking the lock starts a run: its first write keeps the version it replaces as the backup.</summary>
    private void StartRun(string company) => writtenThisRun.TryRemove(company, out _);

    private async Task<CompanyState?> ReadFileAsync(string path, string company, CancellationToken cancellationToken) =>
        await ReadBytesAsync(path, cancellationToken) is { } bytes ? serializer.Deserialize(bytes, path, company) : null;

    /// <summary>
    /// The file's bytes, or null when there is none; read as a manifest is (a FIFO or a device planted in the state
    /// directory is refused, not read, so it can neither hang nor grow the run).
    /// </summary>
    private static Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult<byte[]?>(GuardedFile.ReadAllBytes(path, FileInput.StateFile));
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Missing)
        {
            return Task.FromResult<byte[]?>(null);
        }
        catch (FileInputException e)
        {
            var code = e.Problem == FileInputProblem.Unreadable ? DiagnosticCatalog.StateError.Code : DiagnosticCatalog.StateFormatUnsupported.Code;
            throw new StateException(code, e.Message, e);
        }
    }

    /// <summary>The stored serial and lineage, read from the file's top level only (a write need not parse the whole state).</summary>
    private (long Serial, string Lineage) StoredVersion(byte[] stored, string path)
    {
        var header = StateSerializer.ReadHeader(stored, path);
        if (header is { Serial: { } serial, Lineage: { Length: > 0 } lineage })
        {
            return (serial, lineage);
        }

        // Not a complete state: reading it in full reports what is wrong with it.
        var state = serializer.Deserialize(stored, path);
        return (state.Serial, state.Lineage);
    }

    /// <summary>
    /// Replaces the company's file, keeping the previous version as the backup. fsync blocks its thread for
    /// milliseconds; run on the thread pool, a burst of writes starves the HTTP calls of other steps, so the blocking
    /// part runs on a thread of its own.
    /// </summary>
    private Task ReplaceAsync(CompanyState state, byte[]? current, CancellationToken cancellationToken)
    {
        var bytes = serializer.SerializeToUtf8Bytes(state);
        return Task.Factory.StartNew(
            () => Replace(state.Company, bytes, current),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Writes the new version. On the run's first write, the version it replaces (<paramref name="current"/>, when
    /// there is one) becomes the backup, as Terraform keeps the state a run started from: that is the version to
    /// roll back to after a bad run, and rewriting the backup on every step would double the files an apply creates
    /// and replaces, which is what makes writes slow when many companies are applied at once.
    /// </summary>
    private void Replace(string company, byte[] bytes, byte[]? current)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!writtenThisRun.ContainsKey(company) && current is not null)
        {
            // A copy, not a move, so that the current file never disappears. Not flushed to disk: the backup is there
            // to undo a bad run (state rollback), not to survive a power cut; the current file is flushed.
            WriteAtomically(BackupPath(company), current, flushToDisk: false);
        }

        WriteAtomically(StatePath(company), bytes, flushToDisk: true);
        writtenThisRun.TryAdd(company, 0);
    }

    /// <summary>Through a temporary file created exclusively beside it, then renamed (<see cref="AtomicFile"/>).</summary>
    private static void WriteAtomically(string path, byte[] bytes, bool flushToDisk) => AtomicFile.Write(path, bytes, flushToDisk);

    private static bool TryCreateLockFile(string path, string content)
    {
        try
        {
            // Creating the file exclusively is the lock; it is not flushed to disk, as exclusion only matters between
            // live processes (after a power cut every holder is dead, and a stale lock is taken over).
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(Encoding.UTF8.GetBytes(content));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static Task<LockFileContent?> TryReadLockAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(LockFileContent.TryParse(GuardedFile.ReadAllText(path, FileInput.LockFile)));
        }
        catch (FileInputException)
        {
            // Gone, or not a lock file whcctl wrote (a FIFO, a device, too large): as an unreadable one.
            return Task.FromResult<LockFileContent?>(null);
        }
    }

    private static async Task<bool> DeleteLockIfHeldByAsync(string path, string lockId, CancellationToken cancellationToken)
    {
        var existing = await TryReadLockAsync(path, cancellationToken);
        if (existing is null || !string.Equals(existing.Id, lockId, StringComparison.Ordinal))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Deletes a lock file that has been empty or unreadable for a while (see <see cref="UnreadableLockAbandonedAfter"/>).</summary>
    private static async Task<bool> DeleteAbandonedUnreadableLockAsync(string path, CancellationToken cancellationToken)
    {
        // Checked again just before deleting: a lock file another taker has just made is fresh, and readable.
        if (!File.Exists(path) || DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < UnreadableLockAbandonedAfter
            || await TryReadLockAsync(path, cancellationToken) is not null)
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private static bool IsStale(LockFileContent holder) =>
        string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
        && ProcessLiveness.IsDead(holder.ProcessId, holder.ProcessStartedAt);

    /// <summary>The lock of a local store; disposing it deletes the lock file if it is still ours.</summary>
    public sealed class LocalStateLock : IStateLock
    {
        private readonly string path;
        private int disposed;

        internal LocalStateLock(string path, LockInfo info, LockInfo? tookOverFrom)
        {
            this.path = path;
            Info = info;
            TookOverFrom = tookOverFrom;
        }

        public LockInfo Info { get; }

        /// <summary>The dead holder whose lock was taken over, or null.</summary>
        public LockInfo? TookOverFrom { get; }

        // PLACEHOLDER (issue 24, leases): replaced by the lease implementation.
        public LockFence Fence => new(Info.Id, 0);

        public CancellationToken Lost => CancellationToken.None;

        public Task EnsureHeldAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                await DeleteLockIfHeldByAsync(path, Info.Id, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Serialises the read-check-replace of one company's file across processes with an OS file lock
    /// (FileShare.None is an exclusive flock on Unix), so two writers can never both pass the serial check.
    /// </summary>
    private sealed class WriteGuard : IAsyncDisposable
    {
        private readonly FileStream stream;

        private WriteGuard(FileStream stream) => this.stream = stream;

        public static async Task<WriteGuard> AcquireAsync(LocalStateStore store, string company, CancellationToken cancellationToken)
        {
            System.IO.Directory.CreateDirectory(store.Directory);
            var path = Path.Combine(store.Directory, company + ".json.write");
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    return new WriteGuard(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (DateTimeOffset.UtcNow < deadline)
                {
                    await Task.Delay(20, cancellationToken);
                }
            }
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
