using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Files;

namespace Whc.Declarative.State;

/// <summary>
/// Company states as files in one directory: <c>COMPANY.json</c> (current), <c>COMPANY.json.backup</c> (the version
/// the current run started from), <c>COMPANY.lock</c> while a run holds the lock (a lease with a fencing token) and
/// <c>COMPANY.lock.generation</c>, the counter that gives every taking of the lock a higher generation. Writes go to a
/// temporary file in the same directory, are flushed to disk and renamed over the current file, so a reader sees the
/// old or the new state, never half of one.
/// </summary>
public sealed class LocalStateStore : IStateStore, IForceStateWriter
{
    private const string StateSuffix = ".json";
    private const string BackupSuffix = ".json.backup";
    private const string LockSuffix = ".lock";

    // whcctl writes a lock file whole (a rename); an earlier whcctl wrote itself in right after creating it. One that
    // stays empty or unreadable longer than this was left by a process killed in between.
    private static readonly TimeSpan UnreadableLockAbandonedAfter = TimeSpan.FromSeconds(5);

    private readonly StateSerializer serializer;
    private readonly Action<Diagnostic>? warning;
    private readonly LocalLockLease lease;
    private readonly StateReadProbe? probe;

    // Companies this run has written already: only a run's first write keeps the version it replaces as the backup.
    private readonly ConcurrentDictionary<string, byte> writtenThisRun = new(StringComparer.Ordinal);

    /// <param name="directory">Where the files live; created on the first write.</param>
    /// <param name="warning">Told when a lock is taken over (its lease expired, or its process died on this host).</param>
    /// <param name="lease">How long a lock's lease lasts and how often it is renewed; <see cref="LocalLockLease.Default"/> when null.</param>
    /// <param name="probe">Told of every state file read (tests count them); none in the product.</param>
    public LocalStateStore(string directory, Action<Diagnostic>? warning = null, StateSerializer? serializer = null, LocalLockLease? lease = null, StateReadProbe? probe = null)
    {
        this.probe = probe;
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        this.warning = warning;
        this.serializer = serializer ?? StateSerializer.Default;
        this.lease = lease ?? LocalLockLease.Default;
        if (this.lease.RenewEvery <= TimeSpan.Zero || this.lease.RenewEvery >= this.lease.Duration || this.lease.CheckEvery <= TimeSpan.Zero)
        {
            throw new ArgumentException("a lease must be renewed more often than it lasts, and checked at a positive interval", nameof(lease));
        }
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
        CheckFence(state.Company, context?.Fence);
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
        CheckFence(state.Company, context?.Fence);
        await ReplaceAsync(state, await ReadBytesAsync(StatePath(state.Company), cancellationToken), cancellationToken);
    }

    public async Task<IStateLock> AcquireLockAsync(string company, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        CompanyName.Validate(company);
        System.IO.Directory.CreateDirectory(Directory);
        var path = LockPath(company);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (taken, existing) = await TryTakeLockAsync(company, holder, cancellationToken);
            if (taken is not null)
            {
                return taken;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                // A holder that has just created the file may not have written itself into it yet.
                for (var attempt = 0; existing is null && attempt < 40 && File.Exists(path); attempt++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
                    existing = ReadLockFile(path).Content;
                }

                var info = existing?.ToLockInfo() ?? new LockInfo("(unreadable)", "unknown", "unknown", 0, "unknown", File.GetLastWriteTimeUtc(path));
                throw new StateLockedException(company, info);
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>
    /// One attempt at the lock, under the company's write guard, so that taking, renewing, releasing and the fence check
    /// of a write never interleave (in this process or another). Returns the lock, or the holder that keeps it (null when
    /// its file cannot be read yet).
    /// </summary>
    private async Task<(LocalStateLock? Taken, LockFileContent? Holder)> TryTakeLockAsync(string company, LockInfo holder, CancellationToken cancellationToken)
    {
        var path = LockPath(company);
        await using var guard = await WriteGuard.AcquireAsync(this, company, cancellationToken);
        var existing = ReadLockFile(path);
        string? reason = null;
        if (existing.Kind == LockFileKind.Held && existing.Content is { } current)
        {
            reason = TakeoverReason(current);
            if (reason is null)
            {
                return (null, current);
            }
        }
        else if (existing.Kind != LockFileKind.Missing)
        {
            if (!IsAbandonedUnreadable(path))
            {
                return (null, null);
            }

            reason = "its lock file was left empty or unreadable, by a process that died while taking the lock";
        }

        var generation = NextGeneration(company, existing.Content?.Generation);
        var isOwnProcess = holder.ProcessId == Environment.ProcessId;
        var content = LockFileContent.From(holder, isOwnProcess ? ProcessLiveness.StartTimeOf(holder.ProcessId) : null) with
        {
            Generation = generation,
            LeaseExpiresAt = DateTimeOffset.UtcNow + lease.Duration,
            PidNamespace = isOwnProcess ? ProcessLiveness.PidNamespace : null,
        };
        if (existing.Kind == LockFileKind.Missing)
        {
            // Placed only if the name is still free: an earlier whcctl, which takes no guard, may have just created it.
            if (!AtomicFile.TryCreate(path, content.ToJson(), flushToDisk: false))
            {
                return (null, ReadLockFile(path).Content);
            }
        }
        else
        {
            // Replaced in one rename: there is never a moment without a lock file for an earlier whcctl to create one.
            AtomicFile.Write(path, content.ToJson(), flushToDisk: false);
        }

        StartRun(company);
        var previous = existing.Content;
        if (reason is not null)
        {
            warning?.Invoke(DiagnosticCatalog.StateLockTakenOverFile.At(SourceSpan.None, company, previous?.Describe(), reason));
        }

        var taken = new LocalStateLock(this, company, content, reason is null ? null : previous?.ToLockInfo());
        return (taken, null);
    }

    /// <summary>
    /// Why a holder's lock may be taken from it, or null: its lease ran out, or it is a process of this host (and pid
    /// namespace) that no longer runs. A pid is never judged for another host: a directory shared over NFS would make
    /// that a guess. A lock file of an earlier whcctl (no lease) is only taken when its process is known dead.
    /// </summary>
    private static string? TakeoverReason(LockFileContent holder)
    {
        if (IsThisProcessSpace(holder) && ProcessLiveness.IsDead(holder.ProcessId, holder.ProcessStartedAt))
        {
            return $"its process (pid {holder.ProcessId.ToString(CultureInfo.InvariantCulture)}) no longer runs on this host";
        }

        if (holder.LeaseExpiresAt is { } expires && DateTimeOffset.UtcNow >= expires)
        {
            return $"its lease expired at {expires.ToString("u", CultureInfo.InvariantCulture)} without being renewed";
        }

        return null;
    }

    private static bool IsThisProcessSpace(LockFileContent holder) =>
        string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
        && (holder.PidNamespace is null || ProcessLiveness.PidNamespace is null
            || string.Equals(holder.PidNamespace, ProcessLiveness.PidNamespace, StringComparison.Ordinal));

    /// <summary>
    /// The next generation for the company: one above both the counter beside the lock and the generation the replaced
    /// lock file carried. The counter is replaced atomically and flushed before the lock file is written, and never
    /// removed, so a generation is never given twice, even after a force-unlock or a power cut.
    /// </summary>
    private long NextGeneration(string company, long? replaced)
    {
        var path = GenerationPath(company);
        long counter = 0;
        try
        {
            var text = GuardedFile.ReadAllText(path, FileInput.LockFile).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out counter))
            {
                throw new StateException(DiagnosticCatalog.StateLockGenerationNotNumber.With(path, company));
            }
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Missing)
        {
        }
        catch (FileInputException e)
        {
            throw new StateException(DiagnosticCatalog.StateError.Code, e.Message, e);
        }

        var next = Math.Max(counter, replaced ?? 0) + 1;
        AtomicFile.Write(path, next.ToString(CultureInfo.InvariantCulture) + "\n", flushToDisk: true);
        return next;
    }

    public async Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        var path = LockPath(company);
        await using var guard = await WriteGuard.AcquireAsync(this, company, cancellationToken);
        var existing = ReadLockFile(path).Content;
        if (existing is null)
        {
            throw new StateException(DiagnosticCatalog.StateLockFileMissing.With(company, path));
        }

        if (!string.Equals(existing.Id, lockId, StringComparison.Ordinal))
        {
            throw new StateException(DiagnosticCatalog.StateLockFileOtherHolder.With(lockId, company, existing.ToLockInfo()));
        }

        // The generation counter stays: the next holder's fence is higher, and the removed holder's is refused.
        File.Delete(path);
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

    /// <summary>The state in the file, or null when there is none; its bytes are parsed straight from a pooled buffer.</summary>
    private Task<CompanyState?> ReadFileAsync(string path, string company, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var state = GuardedFile.Read(path, FileInput.StateFile, bytes =>
            {
                probe?.Read(path);
                return serializer.Deserialize(bytes, path, company);
            });
            return Task.FromResult<CompanyState?>(state);
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Missing)
        {
            return Task.FromResult<CompanyState?>(null);
        }
        catch (FileInputException e)
        {
            throw Refusal(e);
        }
    }

    /// <summary>
    /// The file's bytes, or null when there is none; read as a manifest is (a FIFO or a device planted in the state
    /// directory is refused, not read, so it can neither hang nor grow the run).
    /// </summary>
    private Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var bytes = GuardedFile.ReadAllBytes(path, FileInput.StateFile);
            probe?.Read(path);
            return Task.FromResult<byte[]?>(bytes);
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Missing)
        {
            return Task.FromResult<byte[]?>(null);
        }
        catch (FileInputException e)
        {
            throw Refusal(e);
        }
    }

    private static StateException Refusal(FileInputException e) =>
        new(e.Problem == FileInputProblem.Unreadable ? DiagnosticCatalog.StateError.Code : DiagnosticCatalog.StateFormatUnsupported.Code, e.Message, e);

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

    /// <summary>The counter beside the lock that gives each taking of the company's lock a higher generation.</summary>
    public string GenerationPath(string company) => Path.Combine(Directory, company + LockSuffix + ".generation");

    private enum LockFileKind
    {
        Missing,
        Held,

        /// <summary>There, but not a lock whcctl wrote: empty, half written by an earlier whcctl, or not JSON.</summary>
        Unparsable,

        /// <summary>There, but reading it failed (permissions, I/O): says nothing about who holds it.</summary>
        Unreadable,
    }

    private readonly record struct LockFileRead(LockFileKind Kind, LockFileContent? Content, string? Problem = null);

    private static LockFileRead ReadLockFile(string path)
    {
        try
        {
            var content = LockFileContent.TryParse(GuardedFile.ReadAllText(path, FileInput.LockFile));
            return content is null ? new(LockFileKind.Unparsable, null) : new(LockFileKind.Held, content);
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Missing)
        {
            return new(LockFileKind.Missing, null);
        }
        catch (FileInputException e) when (e.Problem == FileInputProblem.Unreadable)
        {
            return new(LockFileKind.Unreadable, null, e.Message);
        }
        catch (FileInputException)
        {
            // Not a lock file whcctl wrote (a FIFO, a device, too large): as an unparsable one.
            return new(LockFileKind.Unparsable, null);
        }
    }

    /// <summary>A lock file that has been empty or unreadable for a while (see <see cref="UnreadableLockAbandonedAfter"/>).</summary>
    private static bool IsAbandonedUnreadable(string path) =>
        File.Exists(path) && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) >= UnreadableLockAbandonedAfter;

    /// <summary>
    /// Refuses a write whose fence is no longer the company's lock. Called under the write guard, which taking,
    /// renewing and releasing a lock also hold, so the lock cannot change between this check and the write.
    /// </summary>
    private void CheckFence(string company, LockFence? fence)
    {
        if (fence is null)
        {
            return;
        }

        var current = ReadLockFile(LockPath(company));
        if (current.Kind == LockFileKind.Unreadable)
        {
            throw new StateException(DiagnosticCatalog.StateLockUncheckable.With(company, current.Problem));
        }

        if (current.Content is not { } content || !content.Carries(fence))
        {
            throw LossOf(company, fence, current, "its state was not written");
        }
    }

    /// <summary>The lost-lock error: whose lock, what happened to it, who holds it now, what the run does.</summary>
    private StateLockLostException LossOf(string company, LockFence fence, LockFileRead current, string consequence)
    {
        var happened = current switch
        {
            { Kind: LockFileKind.Missing } => $"its lock file {LockPath(company)} was removed (force-unlock, or deleted by hand)",
            { Content: { } holder } when holder.Generation > fence.Generation => $"the lock was taken over by {holder.Describe()}",
            { Content: { } holder } => $"the lock is now held by {holder.Describe()}",
            _ => $"its lock file {LockPath(company)} now holds something that is not this run's lock",
        };
        return LossOf(company, fence, happened, consequence);
    }

    private static StateLockLostException LossOf(string company, LockFence fence, string happened, string consequence) =>
        new(
            company,
            $"this run lost the lock on '{company}' (lock id {fence.LockId}, generation {fence.Generation.ToString(CultureInfo.InvariantCulture)}): {happened}; {consequence}. " +
            "It stops for this company; once the other run is done, 'whcctl plan' shows where the company stands");

    /// <summary>
    /// The lock of a local store: a lease on the company's lock file, renewed by a watcher in the background, which also
    /// notices (and cancels <see cref="Lost"/>) when the file stops carrying this lock's fence. Disposing it deletes
    /// the lock file if it is still this lock's.
    /// </summary>
    public sealed class LocalStateLock : IStateLock
    {
        private readonly LocalStateStore store;
        private readonly string company;
        private readonly string path;
        private readonly LockFileContent content;
        private readonly CancellationTokenSource lost = new();
        private readonly CancellationTokenSource stopping = new();

        // One check at a time: the watcher's and those of EnsureHeldAsync.
        private readonly SemaphoreSlim checking = new(1, 1);
        private readonly Task watcher;
        private DateTimeOffset leaseExpiresAt;
        private DateTimeOffset renewedAt;
        private StateLockLostException? lostBecause;
        private int disposed;

        internal LocalStateLock(LocalStateStore store, string company, LockFileContent content, LockInfo? tookOverFrom)
        {
            this.store = store;
            this.company = company;
            this.content = content;
            path = store.LockPath(company);
            Info = content.ToLockInfo();
            TookOverFrom = tookOverFrom;
            Fence = new LockFence(content.Id, content.Generation ?? 0);
            leaseExpiresAt = content.LeaseExpiresAt ?? DateTimeOffset.UtcNow;
            renewedAt = DateTimeOffset.UtcNow;
            watcher = Task.Run(WatchAsync);
        }

        public LockInfo Info { get; }

        /// <summary>The holder whose lock was taken over (its lease expired, or its process died on this host), or null.</summary>
        public LockInfo? TookOverFrom { get; }

        public LockFence Fence { get; }

        public CancellationToken Lost => lost.Token;

        public async Task EnsureHeldAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref disposed) != 0)
            {
                throw LossOf(company, Fence, "this run has already released it", "it must not call BT for the company nor write its state any more");
            }

            if (await CheckAsync(cancellationToken) is { } loss)
            {
                throw new StateLockLostException(company, loss.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            await stopping.CancelAsync();
            await watcher;
            if (lostBecause is null)
            {
                try
                {
                    await using var guard = await WriteGuard.AcquireAsync(store, company, CancellationToken.None);
                    if (ReadLockFile(path).Content is { } current && current.Carries(Fence))
                    {
                        File.Delete(path);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The file stays until its lease runs out; the next run takes it then. Releasing must not hide the
                    // error the run may be ending with.
                }
            }

            stopping.Dispose();
        }

        private async Task WatchAsync()
        {
            try
            {
                while (lostBecause is null)
                {
                    await Task.Delay(store.lease.CheckEvery, stopping.Token);
                    await CheckAsync(stopping.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Released.
            }
        }

        /// <summary>
        /// Looks at the lock file and renews the lease when due. Returns why the lock is lost, or null while it is held.
        /// A lease that ran out while nothing could be checked (the process was frozen) is not a loss if the file still
        /// carries this fence: under the guard, no one can be taking it over at that moment.
        /// </summary>
        private async Task<StateLockLostException?> CheckAsync(CancellationToken cancellationToken)
        {
            StateLockLostException? loss;
            await checking.WaitAsync(cancellationToken);
            try
            {
                loss = lostBecause ?? await LookAsync(cancellationToken);
                if (loss is null || lostBecause is not null)
                {
                    return loss;
                }

                lostBecause = loss;
            }
            finally
            {
                checking.Release();
            }

            // Outside the gate: a callback on Lost may call EnsureHeldAsync.
            await lost.CancelAsync();
            return loss;
        }

        private async Task<StateLockLostException?> LookAsync(CancellationToken cancellationToken)
        {
            var current = ReadLockFile(path);
            if (current.Kind == LockFileKind.Unreadable)
            {
                return LeaseRanOut(current.Problem);
            }

            if (current.Content is not { } holder || !holder.Carries(Fence))
            {
                return store.LossOf(company, Fence, current, "it must not call BT for the company nor write its state any more");
            }

            var now = DateTimeOffset.UtcNow;
            if (now - renewedAt < store.lease.RenewEvery && now < leaseExpiresAt)
            {
                return null;
            }

            try
            {
                await using var guard = await WriteGuard.AcquireAsync(store, company, cancellationToken);
                current = ReadLockFile(path);
                if (current.Kind == LockFileKind.Unreadable)
                {
                    return LeaseRanOut(current.Problem);
                }

                if (current.Content is not { } stillHolder || !stillHolder.Carries(Fence))
                {
                    return store.LossOf(company, Fence, current, "it must not call BT for the company nor write its state any more");
                }

                var expires = DateTimeOffset.UtcNow + store.lease.Duration;
                AtomicFile.Write(path, (content with { LeaseExpiresAt = expires }).ToJson(), flushToDisk: false);
                leaseExpiresAt = expires;
                renewedAt = DateTimeOffset.UtcNow;
                return null;
            }
            catch (IOException e)
            {
                return LeaseRanOut(e.Message);
            }
            catch (UnauthorizedAccessException e)
            {
                return LeaseRanOut(e.Message);
            }
        }

        /// <summary>A renewal failed: not yet a loss while the lease runs (the next check tries again), a loss once it ran out.</summary>
        private StateLockLostException? LeaseRanOut(string? problem) =>
            DateTimeOffset.UtcNow < leaseExpiresAt
                ? null
                : LossOf(
                    company,
                    Fence,
                    $"its lease ran out at {leaseExpiresAt.ToString("u", CultureInfo.InvariantCulture)} and could not be renewed ({problem}), so another run may take the lock",
                    "it must not call BT for the company nor write its state any more");
    }

    /// <summary>
    /// Serialises the read-check-replace of one company's file across processes with an OS file lock
    /// (FileShare.None is an exclusive flock on Unix), so two writers can never both pass the serial check.
    /// A write holds it for milliseconds. The OS lock is not fenced: a process frozen while holding it blocks the
    /// company's writers until it resumes or ends, so they wait a lease (by then that process's run has lost its lock
    /// anyway), at least 30 s, and then refuse with WHC5000 naming the guard file.
    /// </summary>
    private sealed class WriteGuard : IAsyncDisposable
    {
        private readonly FileStream stream;

        private WriteGuard(FileStream stream) => this.stream = stream;

        public static async Task<WriteGuard> AcquireAsync(LocalStateStore store, string company, CancellationToken cancellationToken)
        {
            System.IO.Directory.CreateDirectory(store.Directory);
            var path = Path.Combine(store.Directory, company + ".json.write");
            var waitAtMost = store.lease.WriteGuardWaitOrDefault;
            var deadline = DateTimeOffset.UtcNow + waitAtMost;
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
                catch (IOException e)
                {
                    throw new StateException(DiagnosticCatalog.StateWriteGuardHeld.With(company, path, waitAtMost, e.Message), e);
                }
            }
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
