using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Data;
using Npgsql;
using NpgsqlTypes;
using Polly;
using Polly.Retry;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>
/// Company states in PostgreSQL: one current row per (workspace, company) plus a history row per version. Writes are
/// compare-and-swap inside one transaction (<c>SELECT ... FOR UPDATE</c>). Reads and writes use a bounded pool and are
/// retried after a dropped connection (a write guarded by serial and fence is safe to retry). Locks are leases: a
/// session advisory lock, all of a store's on ONE dedicated lock session that a watcher pings, plus a lease row naming
/// the holder and a fencing token (lock id, generation from a sequence) that every fenced write checks in its own
/// transaction. The schema is created and migrated on first use.
/// </summary>
public sealed partial class PostgresStateStore : IStateStore, IForceStateWriter, IAsyncDisposable
{
    private const long MigrationLockKey = 0x5748_4353_5441_5445; // "WHCSTATE"

    private readonly NpgsqlDataSource dataSource;
    private readonly NpgsqlDataSource lockSessionSource;
    private readonly PostgresStoreOptions options;
    private readonly ResiliencePipeline retry;

    // The lock session and the locks it holds; every use of the session is serialised by sessionGate.
    private readonly SemaphoreSlim sessionGate = new(1, 1);
    private readonly Dictionary<string, PostgresStateLock> held = new(StringComparer.Ordinal);
    private NpgsqlConnection? session;
    private CancellationTokenSource? watcherStop;
    private Task? watcher;
    private readonly string schema;
    private readonly StateSerializer serializer;
    private readonly Action<Diagnostic>? warning;
    private readonly IReadOnlyDictionary<string, string?> environment;
    private readonly SemaphoreSlim migrateOnce = new(1, 1);
    private bool migrated;

    public PostgresStateStore(
        PostgresStateSpec spec,
        IReadOnlyDictionary<string, string?> environment,
        Action<Diagnostic>? warning = null,
        StateSerializer? serializer = null,
        PostgresStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        this.options = options ?? new PostgresStoreOptions();
        var connectionString = spec.ConnectionString(environment);
        // Bounded: a run needs a connection per request in flight, not per company (PostgreSQL's default allows 100).
        dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = this.options.MaxPoolSize }.ConnectionString);
        // The lock session is never pooled (its advisory locks must die with it, not be handed to another user), is
        // named apart for operators, and has TCP keepalive so a vanished peer is noticed by the socket too.
        lockSessionSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = LockSessionApplicationName,
            TcpKeepAlive = true,
            TcpKeepAliveTime = 30,
            TcpKeepAliveInterval = 10,
            // A frozen server must not hold the run's lock checks for long: a timed-out check reconnects.
            CommandTimeout = 10,
        }.ConnectionString);
        retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsTransient),
            MaxRetryAttempts = this.options.RetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
            // Idle pooled connections died with the one that failed (a restart, a terminated backend): drop them all.
            OnRetry = _ =>
            {
                dataSource.Clear();
                return default;
            },
        }).Build();
        this.environment = environment;
        schema = "\"" + spec.Schema + "\"";
        this.warning = warning;
        this.serializer = serializer ?? StateSerializer.Default;
    }

    public PostgresStateSpec Spec { get; }

    /// <summary>The application_name of the lock session (pool connections use the spec's, "whcctl").</summary>
    public const string LockSessionApplicationName = "whcctl-lock";

    /// <summary>The pool's size limit in effect.</summary>
    public int MaxPoolSize => options.MaxPoolSize;

    /// <summary>The server process of the lock session, or 0 when none is open (for tests and diagnostics).</summary>
    public int LockSessionProcessId => session is { State: ConnectionState.Open } open ? open.ProcessID : 0;

    public string Description => Spec.Description;

    /// <summary>Schema migrations this version knows; the database is brought up to this on first use.</summary>
    public static int SchemaVersion => PostgresMigrations.All.Count;

    public async Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken) =>
        await RunAsync("listing the companies", async (connection, _) =>
        {
            await using var command = Command(connection, "SELECT company FROM {schema}.states WHERE workspace = @w ORDER BY company COLLATE \"C\"");
            command.Parameters.AddWithValue("w", Spec.Workspace);
            var companies = ImmutableArray.CreateBuilder<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                companies.Add(reader.GetString(0));
            }

            return companies.ToImmutable();
        }, cancellationToken);

    public async Task<CompanyState?> ReadAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await RunAsync($"reading the state of '{company}'", async (connection, _) =>
        {
            await using var command = Command(connection, "SELECT serial, lineage, state::text FROM {schema}.states WHERE workspace = @w AND company = @c");
            command.Parameters.AddWithValue("w", Spec.Workspace);
            command.Parameters.AddWithValue("c", company);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var (serial, lineage, json) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
            var state = serializer.Deserialize(json, $"{Description} company {company}", company);
            // The columns guard every write (compare-and-swap); a document that says otherwise was edited by hand or
            // damaged, and trusting either half would let the next write build on the wrong version.
            if (state.Serial != serial || !string.Equals(state.Lineage, lineage, StringComparison.Ordinal))
            {
                throw new StateException(DiagnosticCatalog.StateRowDocumentMismatch.With(Description, company, (serial, lineage), (state.Serial, state.Lineage)));
            }

            return state;
        }, cancellationToken);
    }

    public async Task<StoredVersion?> ReadStoredVersionAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await RunAsync($"reading the serial of '{company}'", async (connection, _) =>
        {
            await using var command = Command(connection, "SELECT serial, lineage FROM {schema}.states WHERE workspace = @w AND company = @c");
            command.Parameters.AddWithValue("w", Spec.Workspace);
            command.Parameters.AddWithValue("c", company);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? new StoredVersion(reader.GetInt64(0), reader.GetString(1)) : null;
        }, cancellationToken);
    }

    public Task WriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken) =>
        WriteCoreAsync(state, context, force: false, cancellationToken);

    public Task ForceWriteAsync(CompanyState state, StateWriteContext context, CancellationToken cancellationToken) =>
        WriteCoreAsync(state, context, force: true, cancellationToken);

    public async Task<IStateLock> AcquireLockAsync(string company, LockInfo holder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        CompanyName.Validate(company);
        await EnsureSchemaAsync(cancellationToken);
        var key = LockKey(company);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            LockInfo? heldHere = null;
            NpgsqlException? dropped = null;
            await sessionGate.WaitAsync(cancellationToken);
            try
            {
                // One session holds every lock of this store, and advisory locks nest within a session, so a second
                // taker of the same company in this process must be refused here, not by the server.
                if (held.TryGetValue(company, out var mine))
                {
                    heldHere = mine.Info;
                }
                else
                {
                    var session = await SessionAsync(cancellationToken);
                    if (await TryAdvisoryLockAsync(session, key, cancellationToken))
                    {
                        long generation;
                        try
                        {
                            generation = await RecordHolderAsync(session, company, holder, cancellationToken);
                        }
                        catch
                        {
                            await UnlockQuietlyAsync(session, key);
                            throw;
                        }

                        var lease = new PostgresStateLock(this, company, key, holder, generation);
                        held.Add(company, lease);
                        StartWatcher();
                        return lease;
                    }
                }
            }
            catch (NpgsqlException e) when (IsTransient(e) && DateTimeOffset.UtcNow + options.ReconnectGrace < deadline)
            {
                await DropSessionAsync();
                dropped = e;
            }
            catch (NpgsqlException e)
            {
                await DropSessionAsync();
                throw Failure($"could not take the lock on '{company}'", e);
            }
            finally
            {
                sessionGate.Release();
            }

            if (dropped is not null)
            {
                // The server went away while this run waited (a restart, a blip). It holds nothing of this company, so
                // it waits on, but first leaves the holders the reconnect grace to take their locks back: a blip must
                // not hand a live run's lock to a waiter.
                await Task.Delay(options.ReconnectGrace, cancellationToken);
                continue;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new StateLockedException(company, heldHere ?? await RunAsync(
                    $"reading who holds the lock on '{company}'", (connection, _) => HolderOfHeldLockAsync(connection, company, key, cancellationToken), cancellationToken));
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    public async Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        await RunAsync($"force-unlocking '{company}'", async (connection, _) =>
        {
            var holder = await ReadHolderAsync(connection, company, cancellationToken);
            var key = LockKey(company);
            var backends = await AdvisoryLockBackendsAsync(connection, key, cancellationToken);
            if (holder is null)
            {
                throw new StateException(DiagnosticCatalog.StateLockNoHolderRow.With(company, Description, backends));
            }

            if (!string.Equals(holder.Info.Id, lockId, StringComparison.Ordinal))
            {
                throw new StateException(DiagnosticCatalog.StateLockIdNotHolders.With(lockId, company, Describe(holder.Info)));
            }

            // The lease row goes first: the holder's fence is refused from this moment, and when its session is ended
            // below, its reconnect finds no row of its own and cannot re-take the lock.
            await using (var delete = Command(connection, "DELETE FROM {schema}.locks WHERE workspace = @w AND company = @c AND lock_id = @id"))
            {
                delete.Parameters.AddWithValue("w", Spec.Workspace);
                delete.Parameters.AddWithValue("c", company);
                delete.Parameters.AddWithValue("id", lockId);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var backend in backends.Where(backend => backend != connection.ProcessID))
            {
                await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@p)", connection);
                terminate.Parameters.AddWithValue("p", backend);
                await terminate.ExecuteNonQueryAsync(cancellationToken);
            }

            return true;
        }, cancellationToken);
    }

    public async Task<ImmutableArray<StateVersionInfo>> HistoryAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await RunAsync($"reading the history of '{company}'", async (connection, _) =>
        {
            await using var command = Command(
                connection,
                "SELECT serial, lineage, written_by, written_at FROM {schema}.state_history WHERE workspace = @w AND company = @c ORDER BY id DESC");
            command.Parameters.AddWithValue("w", Spec.Workspace);
            command.Parameters.AddWithValue("c", company);
            var versions = ImmutableArray.CreateBuilder<StateVersionInfo>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                versions.Add(new StateVersionInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }

            return versions.ToImmutable();
        }, cancellationToken);
    }

    public async Task<CompanyState?> ReadVersionAsync(string company, long serial, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await RunAsync($"reading a version of '{company}'", async (connection, _) =>
        {
            await using var command = Command(
                connection,
                "SELECT state::text FROM {schema}.state_history WHERE workspace = @w AND company = @c AND serial = @s ORDER BY id DESC LIMIT 1");
            command.Parameters.AddWithValue("w", Spec.Workspace);
            command.Parameters.AddWithValue("c", company);
            command.Parameters.AddWithValue("s", serial);
            var json = await command.ExecuteScalarAsync(cancellationToken) as string;
            return json is null
                ? null
                : serializer.Deserialize(json, string.Create(CultureInfo.InvariantCulture, $"{Description} company {company} serial {serial}"), company);
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        PostgresStateLock[] remaining;
        await sessionGate.WaitAsync();
        try
        {
            remaining = [.. held.Values];
        }
        finally
        {
            sessionGate.Release();
        }

        foreach (var lease in remaining)
        {
            await lease.DisposeAsync();
        }

        await StopWatcherAsync();
        await DropSessionAsync();
        await dataSource.DisposeAsync();
        await lockSessionSource.DisposeAsync();
        migrateOnce.Dispose();
    }

    /// <summary>Creates the schema and applies missing migrations, once per store, under a transaction-scoped advisory lock.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (migrated)
        {
            return;
        }

        await migrateOnce.WaitAsync(cancellationToken);
        try
        {
            if (migrated)
            {
                return;
            }

            var connecting = false;
            try
            {
                await retry.ExecuteAsync(
                    async token =>
                    {
                        connecting = true;
                        await using var connection = await dataSource.OpenConnectionAsync(token);
                        connecting = false;
                        await MigrateAsync(connection, token);
                    },
                    cancellationToken);
            }
            catch (NpgsqlException e) when (connecting)
            {
                throw CannotConnect(e);
            }
        }
        catch (NpgsqlException e)
        {
            throw Failure("could not create or migrate the state schema", e);
        }
        finally
        {
            migrateOnce.Release();
        }
    }

    private async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Look before any DDL: a schema that is already current needs no CREATE, so a role that may only read
        // (the pull-request plan's, docs/gitops.md) can use it; CREATE ... IF NOT EXISTS is refused to such a role.
        if (await CurrentSchemaVersionAsync(connection, cancellationToken) == PostgresMigrations.All.Count)
        {
            migrated = true;
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, transaction))
        {
            command.Parameters.AddWithValue("k", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // Look first: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, which a user of an existing schema may lack.
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @s", connection, transaction))
        {
            exists.Parameters.AddWithValue("s", Spec.Schema);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                await ExecuteAsync(connection, transaction, "CREATE SCHEMA {schema}", cancellationToken);
            }
        }

        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        int applied;
        await using (var command = Command(connection, "SELECT coalesce(max(version), 0) FROM {schema}.schema_migrations", transaction))
        {
            applied = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        if (applied > PostgresMigrations.All.Count)
        {
            throw new StateException(DiagnosticCatalog.StateSchemaNewer.With(Description, applied, PostgresMigrations.All.Count));
        }

        for (var version = applied + 1; version <= PostgresMigrations.All.Count; version++)
        {
            await ExecuteAsync(connection, transaction, PostgresMigrations.All[version - 1], cancellationToken);
            await using var record = Command(connection, "INSERT INTO {schema}.schema_migrations (version) VALUES (@v)", transaction);
            record.Parameters.AddWithValue("v", version);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        migrated = true;
    }

    /// <summary>The schema version recorded in the database, or null when the schema or its migrations table is missing.</summary>
    private async Task<int?> CurrentSchemaVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("t", schema + ".schema_migrations");
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }

        await using var command = Command(connection, "SELECT coalesce(max(version), 0) FROM {schema}.schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task WriteCoreAsync(CompanyState state, StateWriteContext context, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        CompanyName.Validate(state.Company);
        var json = serializer.Serialize(state);
        await RunAsync($"writing the state of '{state.Company}'", async (connection, attempt) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            (long Serial, string Lineage, bool SameDocument)? stored = null;
            await using (var select = Command(
                connection,
                "SELECT serial, lineage, state = @j FROM {schema}.states WHERE workspace = @w AND company = @c FOR UPDATE",
                transaction))
            {
                select.Parameters.AddWithValue("w", Spec.Workspace);
                select.Parameters.AddWithValue("c", state.Company);
                select.Parameters.Add(new NpgsqlParameter("j", NpgsqlDbType.Jsonb) { Value = json });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    stored = (reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2));
                }
            }

            // A retry after a dropped connection: the first attempt may have committed before the drop. The row at
            // exactly this version with this document is that commit, not another writer's; writing again would add
            // a second history row.
            if (attempt > 0 && stored is { } done && done.Serial == state.Serial && string.Equals(done.Lineage, state.Lineage, StringComparison.Ordinal) && done.SameDocument)
            {
                await transaction.CommitAsync(cancellationToken);
                return true;
            }

            // After the check for our own earlier commit: that commit passed the fence when it was made, and the lock
            // may have changed hands since (a write that is done must not be reported as refused).
            if (context.Fence is { } fence)
            {
                await CheckFenceAsync(connection, transaction, state.Company, fence, cancellationToken);
            }

            if (!force)
            {
                StateConflicts.Check(state.Company, state.Serial, state.Lineage, stored is { } row ? (row.Serial, row.Lineage) : null, Description);
            }

            var upsert = stored is null
                ? "INSERT INTO {schema}.states (workspace, company, serial, lineage, state, updated_by, updated_at) VALUES (@w, @c, @s, @l, @j, @by, @at)"
                : "UPDATE {schema}.states SET serial = @s, lineage = @l, state = @j, updated_by = @by, updated_at = @at WHERE workspace = @w AND company = @c";
            await using (var write = Command(connection, upsert, transaction))
            {
                AddVersionParameters(write, state, json, context);
                try
                {
                    await write.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && !force)
                {
                    // Another writer created the first state between our SELECT and INSERT.
                    throw new StateConflictException(
                        string.Create(CultureInfo.InvariantCulture, $"state of company '{state.Company}' in {Description} was created by another writer at the same time (offered serial {state.Serial}, lineage {state.Lineage})"),
                        e);
                }
            }

            await using (var history = Command(
                connection,
                "INSERT INTO {schema}.state_history (workspace, company, serial, lineage, state, written_by, written_at) VALUES (@w, @c, @s, @l, @j, @by, @at)",
                transaction))
            {
                AddVersionParameters(history, state, json, context);
                await history.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Refuses the write unless <paramref name="fence"/> is still the company's lease. FOR SHARE holds the lease row
    /// until this transaction ends, so a takeover (which updates the row) or a force-unlock (which deletes it) waits
    /// for the write or comes before it: it cannot slip in between this check and the commit.
    /// </summary>
    private async Task CheckFenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, LockFence fence, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            "SELECT lock_id, generation, who, host, pid, operation, since FROM {schema}.locks WHERE workspace = @w AND company = @c FOR SHARE",
            transaction);
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", company);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string now;
        if (!await reader.ReadAsync(cancellationToken))
        {
            now = "no run holds it now (it was force-unlocked or released)";
        }
        else
        {
            var (lockId, generation) = (reader.GetString(0), reader.GetInt64(1));
            if (string.Equals(lockId, fence.LockId, StringComparison.Ordinal) && generation == fence.Generation)
            {
                return;
            }

            var current = new LockInfo(lockId, reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));
            now = string.Create(CultureInfo.InvariantCulture, $"it is held now by {Describe(current)}, generation {generation}");
        }

        throw new StateLockLostException(company, DiagnosticCatalog.StateLockLostAtWrite.With(company, Description, fence, now));
    }

    private void AddVersionParameters(NpgsqlCommand command, CompanyState state, string json, StateWriteContext context)
    {
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", state.Company);
        command.Parameters.AddWithValue("s", state.Serial);
        command.Parameters.AddWithValue("l", state.Lineage);
        command.Parameters.Add(new NpgsqlParameter("j", NpgsqlDbType.Jsonb) { Value = json });
        command.Parameters.AddWithValue("by", context.WrittenBy);
        command.Parameters.AddWithValue("at", context.WrittenAt.ToUniversalTime());
    }

    /// <summary>Writes the lease row of a lock just taken on the lock session; returns its new generation.</summary>
    private async Task<long> RecordHolderAsync(NpgsqlConnection connection, string company, LockInfo holder, CancellationToken cancellationToken)
    {
        // We hold the advisory lock, so any row left here is from a holder whose session ended without cleaning up:
        // a process that may well still run (a dropped connection, a frozen host), which finds its lock lost.
        var stale = await ReadHolderAsync(connection, company, cancellationToken);
        if (stale is not null)
        {
            warning?.Invoke(DiagnosticCatalog.StateLockTakenOverSession.At(SourceSpan.None, company, Describe(stale.Info), stale.Generation));
        }

        // A new generation on every taking (the sequence never hands out a number twice), so the old holder's fence
        // no longer matches this row.
        await using var command = Command(
            connection,
            """
            INSERT INTO {schema}.locks (workspace, company, lock_id, who, host, pid, operation, since, backend_pid, generation)
            VALUES (@w, @c, @id, @who, @host, @pid, @op, @since, pg_backend_pid(), nextval('{schema}.lock_generation'))
            ON CONFLICT (workspace, company) DO UPDATE SET lock_id = excluded.lock_id, who = excluded.who, host = excluded.host,
                pid = excluded.pid, operation = excluded.operation, since = excluded.since, backend_pid = excluded.backend_pid,
                generation = excluded.generation
            RETURNING generation
            """);
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", company);
        command.Parameters.AddWithValue("id", holder.Id);
        command.Parameters.AddWithValue("who", holder.Who);
        command.Parameters.AddWithValue("host", holder.Host);
        command.Parameters.AddWithValue("pid", holder.ProcessId);
        command.Parameters.AddWithValue("op", holder.Operation);
        command.Parameters.AddWithValue("since", holder.Since.ToUniversalTime());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Who holds a lock this session could not take. The winner records itself just after taking the lock, so a loser
    /// may look in between (or see the row of an earlier holder whose session ended): it waits briefly for the row of
    /// the session that really holds the lock.
    /// </summary>
    private async Task<LockInfo> HolderOfHeldLockAsync(NpgsqlConnection connection, string company, long key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var holder = await ReadHolderAsync(connection, company, cancellationToken);
            if (holder is not null && (await AdvisoryLockBackendsAsync(connection, key, cancellationToken)).Contains(holder.BackendPid))
            {
                return holder.Info;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
        }

        return new LockInfo("(not recorded)", "unknown", "unknown", 0, "unknown", DateTimeOffset.UtcNow);
    }

    private async Task<LockHolder?> ReadHolderAsync(NpgsqlConnection connection, string company, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            "SELECT lock_id, who, host, pid, operation, since, backend_pid, generation FROM {schema}.locks WHERE workspace = @w AND company = @c");
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", company);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var info = new LockInfo(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
        return new LockHolder(info, reader.GetInt32(6), reader.GetInt64(7));
    }

    private static async Task<ImmutableArray<int>> AdvisoryLockBackendsAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        // A bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
        await using var command = new NpgsqlCommand(
            """
            SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid = @hi AND objid = @lo AND objsubid = 1
            """,
            connection);
        command.Parameters.AddWithValue("hi", NpgsqlDbType.Oid, (uint)((ulong)key >> 32));
        command.Parameters.AddWithValue("lo", NpgsqlDbType.Oid, (uint)((ulong)key & 0xFFFF_FFFF));
        var pids = ImmutableArray.CreateBuilder<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids.ToImmutable();
    }

    /// <summary>The advisory lock key of a company: the first 8 bytes of SHA-256 over schema, workspace and company.</summary>
    public long LockKey(string company)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"whcctl-state\0{Spec.Schema}\0{Spec.Workspace}\0{company}"));
        return BitConverter.ToInt64(bytes, 0);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a pooled connection, again on a fresh one after a dropped connection or a
    /// server that is restarting (Polly's retry, exponential back-off). The action gets the attempt number (0 first) so
    /// a write can tell its own earlier commit from another writer's.
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, int, Task<T>> action, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        var attempt = 0;
        var connecting = false;
        try
        {
            return await retry.ExecuteAsync(
                async token =>
                {
                    var current = attempt++;
                    connecting = true;
                    await using var connection = await dataSource.OpenConnectionAsync(token);
                    connecting = false;
                    return await action(connection, current);
                },
                cancellationToken);
        }
        catch (NpgsqlException e) when (connecting)
        {
            throw CannotConnect(e);
        }
        catch (NpgsqlException e)
        {
            throw Failure(operation + " failed", e);
        }
    }

    /// <summary>A failure worth another attempt on a new connection: the connection broke, or the server is (re)starting.</summary>
    internal static bool IsTransient(NpgsqlException e) =>
        e.IsTransient
        || e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow }
        || (e is not PostgresException && e.InnerException is IOException or System.Net.Sockets.SocketException or EndOfStreamException);

    private StateException CannotConnect(NpgsqlException e) =>
        new(DiagnosticCatalog.StateBackendInvalid.Code, $"cannot connect to the state store {Description}: {ConnectFailure(e)}", e);

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql.Replace("{schema}", schema, StringComparison.Ordinal), connection, transaction);

    private async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One line from the exception chain: Npgsql's outer message ("Exception while performing SSL handshake") hides the
    /// reason (an untrusted chain, a name mismatch), which is in the inner exceptions. Never contains the password:
    /// Npgsql does not put it in messages.
    /// </summary>
    private string ConnectFailure(Exception e)
    {
        var parts = new List<string>();
        var tls = false;
        for (var current = (Exception?)e; current is not null; current = current.InnerException)
        {
            tls |= current is System.Security.Authentication.AuthenticationException;
            var line = string.Join(' ', current.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (line.Length > 0 && !parts.Contains(line, StringComparer.Ordinal))
            {
                parts.Add(line);
            }
        }

        var message = string.Join(": ", parts);
        return tls
            ? $"{message} (sslmode {PostgresStateSpec.Name(Spec.EffectiveSslMode(environment))}: the server's certificate must chain to sslrootcert/PGSSLROOTCERT, or the system's CAs when none is given, and verify-full also checks that it names the host)"
            : message;
    }

    private StateException Failure(string what, NpgsqlException e) =>
        new(DiagnosticCatalog.StateError.Code, $"{Description}: {what}: {OneLine(e)}", e);

    /// <summary>
    /// A server error as SQLSTATE and its message only (Npgsql's own message may add detail and position lines);
    /// any other failure on one line, so a diagnostic stays one line in every output format.
    /// </summary>
    private static string OneLine(NpgsqlException e)
    {
        var text = e is PostgresException server ? $"{server.SqlState} {server.MessageText}" : e.Message;
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string Describe(LockInfo info) => string.Create(
        CultureInfo.InvariantCulture,
        $"{info.Who}@{info.Host} (pid {info.ProcessId}, '{info.Operation}') since {info.Since:u}, lock id {info.Id}");

    private sealed record LockHolder(LockInfo Info, int BackendPid, long Generation);

    /// <summary>
    /// A held lock: the company's advisory lock on the store's lock session plus its lease row. Disposing removes the
    /// row and unlocks that key only; the session closes with the last lock.
    /// </summary>
    public sealed class PostgresStateLock : IStateLock
    {
        private readonly PostgresStateStore store;
        private readonly CancellationTokenSource lost = new();
        private int disposed;

        internal PostgresStateLock(PostgresStateStore store, string company, long key, LockInfo info, long generation)
        {
            this.store = store;
            Company = company;
            Key = key;
            Info = info;
            Fence = new LockFence(info.Id, generation);
        }

        public LockInfo Info { get; }

        public LockFence Fence { get; }

        public CancellationToken Lost => lost.Token;

        public string Company { get; }

        internal long Key { get; }

        /// <summary>Why the lock was lost, once it was (then it stays lost).</summary>
        internal StateLockLostException? LostError { get; private set; }

        public Task EnsureHeldAsync(CancellationToken cancellationToken) => store.EnsureHeldAsync(this, cancellationToken);

        /// <summary>Disposed: released by this run (set before the release runs, so a check racing it sees it).</summary>
        internal bool Released => Volatile.Read(ref disposed) != 0;

        /// <summary>The server process of the lock session that holds the advisory lock (for tests and diagnostics).</summary>
        public int BackendProcessId => store.LockSessionProcessId;

        internal void MarkLost(string reason)
        {
            if (LostError is not null)
            {
                return;
            }

            LostError = new StateLockLostException(Company, DiagnosticCatalog.StateLockLostWatched.With(Company, store.Description, Fence, reason));
            // Callbacks run off this thread: the marker holds the session gate.
            _ = lost.CancelAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            await store.ReleaseAsync(this);
        }
    }
}
