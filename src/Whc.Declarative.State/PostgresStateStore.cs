using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>
/// Company states in PostgreSQL: one current row per (workspace, company) plus a history row per version. Writes are
/// compare-and-swap inside one transaction (<c>SELECT ... FOR UPDATE</c>). Locks are session advisory locks held on a
/// dedicated connection, so they vanish when the holder dies, with a row naming the holder for whoever is blocked.
/// The schema is created and migrated on first use.
/// </summary>
public sealed class PostgresStateStore : IStateStore, IForceStateWriter, IAsyncDisposable
{
    private const long MigrationLockKey = 0x5748_4353_5441_5445; // "WHCSTATE"

    private readonly NpgsqlDataSource dataSource;
    private readonly string schema;
    private readonly StateSerializer serializer;
    private readonly Action<Diagnostic>? warning;
    private readonly IReadOnlyDictionary<string, string?> environment;
    private readonly SemaphoreSlim migrateOnce = new(1, 1);
    private bool migrated;

    public PostgresStateStore(PostgresStateSpec spec, IReadOnlyDictionary<string, string?> environment, Action<Diagnostic>? warning = null, StateSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        dataSource = NpgsqlDataSource.Create(spec.ConnectionString(environment));
        this.environment = environment;
        schema = "\"" + spec.Schema + "\"";
        this.warning = warning;
        this.serializer = serializer ?? StateSerializer.Default;
    }

    public PostgresStateSpec Spec { get; }

    public string Description => Spec.Description;

    /// <summary>Schema migrations this version knows; the database is brought up to this on first use.</summary>
    public static int SchemaVersion => PostgresMigrations.All.Count;

    public async Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken) =>
        await RunAsync("listing the companies", async connection =>
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
        return await RunAsync($"reading the state of '{company}'", async connection =>
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
                throw new StateException(
                    DiagnosticCatalog.StateFormatUnsupported.Code,
                    string.Create(CultureInfo.InvariantCulture, $"{Description} company {company}: the row records serial {serial}, lineage {lineage}, but its document says serial {state.Serial}, lineage {state.Lineage}; repair it with 'whcctl state rollback {company} SERIAL' or 'whcctl state push {company} FILE --force'"));
            }

            return state;
        }, cancellationToken);
    }

    public async Task<StoredVersion?> ReadStoredVersionAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await RunAsync($"reading the serial of '{company}'", async connection =>
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
        var connection = await OpenAsync(cancellationToken);
        try
        {
            while (true)
            {
                await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection))
                {
                    tryLock.Parameters.AddWithValue("k", key);
                    if (await tryLock.ExecuteScalarAsync(cancellationToken) is true)
                    {
                        await RecordHolderAsync(connection, company, holder, cancellationToken);
                        return new PostgresStateLock(this, connection, company, key, holder);
                    }
                }

                if (DateTimeOffset.UtcNow >= deadline)
                {
                    throw new StateLockedException(company, await HolderOfHeldLockAsync(connection, company, key, cancellationToken));
                }

                var remaining = deadline - DateTimeOffset.UtcNow;
                await Task.Delay(delay < remaining ? delay : remaining, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
        catch (NpgsqlException e)
        {
            await connection.DisposeAsync();
            throw Failure($"could not take the lock on '{company}'", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task ForceUnlockAsync(string company, string lockId, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        await RunAsync($"force-unlocking '{company}'", async connection =>
        {
            var holder = await ReadHolderAsync(connection, company, cancellationToken);
            var key = LockKey(company);
            var backends = await AdvisoryLockBackendsAsync(connection, key, cancellationToken);
            if (holder is null)
            {
                throw new StateException(DiagnosticCatalog.StateLockMismatch.Code, backends.IsEmpty
                    ? $"state of company '{company}' in {Description} is not locked"
                    : $"state of company '{company}' in {Description} is locked by a session that recorded no holder (backend pid {string.Join(", ", backends)}); it will be freed when that session ends");
            }

            if (!string.Equals(holder.Info.Id, lockId, StringComparison.Ordinal))
            {
                throw new StateException(
                    DiagnosticCatalog.StateLockMismatch.Code,
                    $"lock id '{lockId}' does not match the holder of the lock on '{company}': {Describe(holder.Info)}");
            }

            foreach (var backend in backends)
            {
                await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@p)", connection);
                terminate.Parameters.AddWithValue("p", backend);
                await terminate.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var delete = Command(connection, "DELETE FROM {schema}.locks WHERE workspace = @w AND company = @c AND lock_id = @id");
            delete.Parameters.AddWithValue("w", Spec.Workspace);
            delete.Parameters.AddWithValue("c", company);
            delete.Parameters.AddWithValue("id", lockId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task<ImmutableArray<StateVersionInfo>> HistoryAsync(string company, CancellationToken cancellationToken)
    {
        CompanyName.Validate(company);
        return await RunAsync($"reading the history of '{company}'", async connection =>
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
        return await RunAsync($"reading a version of '{company}'", async connection =>
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
        await dataSource.DisposeAsync();
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

            await using var connection = await OpenAsync(cancellationToken);
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
                throw new StateException(
                    DiagnosticCatalog.StateFormatUnsupported.Code,
                    string.Create(CultureInfo.InvariantCulture, $"{Description}: database schema version {applied} was created by a newer whcctl (this one knows {PostgresMigrations.All.Count}); upgrade whcctl"));
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
        catch (NpgsqlException e)
        {
            throw Failure("could not create or migrate the state schema", e);
        }
        finally
        {
            migrateOnce.Release();
        }
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
        await RunAsync($"writing the state of '{state.Company}'", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            (long Serial, string Lineage)? stored = null;
            await using (var select = Command(connection, "SELECT serial, lineage FROM {schema}.states WHERE workspace = @w AND company = @c FOR UPDATE", transaction))
            {
                select.Parameters.AddWithValue("w", Spec.Workspace);
                select.Parameters.AddWithValue("c", state.Company);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    stored = (reader.GetInt64(0), reader.GetString(1));
                }
            }

            if (!force)
            {
                StateConflicts.Check(state.Company, state.Serial, state.Lineage, stored, Description);
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

    private async Task RecordHolderAsync(NpgsqlConnection connection, string company, LockInfo holder, CancellationToken cancellationToken)
    {
        // We hold the advisory lock, so any row left here is from a holder whose session ended without cleaning up.
        var stale = await ReadHolderAsync(connection, company, cancellationToken);
        if (stale is not null)
        {
            warning?.Invoke(DiagnosticCatalog.StateLockTakenOver.At(SourceSpan.None, $"the previous holder of the lock on '{company}' ({Describe(stale.Info)}) is gone; its session ended and the lock was freed"));
        }

        await using var command = Command(
            connection,
            """
            INSERT INTO {schema}.locks (workspace, company, lock_id, who, host, pid, operation, since, backend_pid)
            VALUES (@w, @c, @id, @who, @host, @pid, @op, @since, pg_backend_pid())
            ON CONFLICT (workspace, company) DO UPDATE SET lock_id = excluded.lock_id, who = excluded.who, host = excluded.host,
                pid = excluded.pid, operation = excluded.operation, since = excluded.since, backend_pid = excluded.backend_pid
            """);
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", company);
        command.Parameters.AddWithValue("id", holder.Id);
        command.Parameters.AddWithValue("who", holder.Who);
        command.Parameters.AddWithValue("host", holder.Host);
        command.Parameters.AddWithValue("pid", holder.ProcessId);
        command.Parameters.AddWithValue("op", holder.Operation);
        command.Parameters.AddWithValue("since", holder.Since.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
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
            "SELECT lock_id, who, host, pid, operation, since, backend_pid FROM {schema}.locks WHERE workspace = @w AND company = @c");
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", company);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var info = new LockInfo(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
        return new LockHolder(info, reader.GetInt32(6));
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

    private async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await action(connection);
        }
        catch (NpgsqlException e)
        {
            throw Failure(operation + " failed", e);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new StateException(DiagnosticCatalog.StateBackendInvalid.Code, $"cannot connect to the state store {Description}: {ConnectFailure(e)}", e);
        }
    }

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

    private sealed record LockHolder(LockInfo Info, int BackendPid);

    /// <summary>A held advisory lock; disposing removes the holder row, unlocks and closes the dedicated connection.</summary>
    public sealed class PostgresStateLock : IStateLock
    {
        private readonly PostgresStateStore store;
        private readonly NpgsqlConnection connection;
        private readonly string company;
        private readonly long key;
        private int disposed;

        internal PostgresStateLock(PostgresStateStore store, NpgsqlConnection connection, string company, long key, LockInfo info)
        {
            this.store = store;
            this.connection = connection;
            this.company = company;
            this.key = key;
            Info = info;
        }

        public LockInfo Info { get; }

        // PLACEHOLDER (issue 24, leases): replaced by the lease implementation.
        public LockFence Fence => new(Info.Id, 0);

        public CancellationToken Lost => CancellationToken.None;

        public Task EnsureHeldAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>The server process that holds the advisory lock (for tests and diagnostics).</summary>
        public int BackendProcessId => connection.ProcessID;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            try
            {
                await using (var delete = store.Command(connection, "DELETE FROM {schema}.locks WHERE workspace = @w AND company = @c AND lock_id = @id"))
                {
                    delete.Parameters.AddWithValue("w", store.Spec.Workspace);
                    delete.Parameters.AddWithValue("c", company);
                    delete.Parameters.AddWithValue("id", Info.Id);
                    await delete.ExecuteNonQueryAsync();
                }

                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection);
                unlock.Parameters.AddWithValue("k", key);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The session is gone (e.g. force-unlocked); the server already released the lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
