using Whc.Declarative.Core.Diagnostics;
using System.Data;
using System.Globalization;
using Npgsql;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>
/// The lock session: one unpooled connection that holds every advisory lock of this store, used by one caller at a
/// time (<c>sessionGate</c>). A watcher pings it; when it dropped, the store reconnects and re-takes each lock whose
/// lease row still carries our fence (a blip is not a loss), and marks the others lost for good.
/// </summary>
public sealed partial class PostgresStateStore
{
    private async Task<NpgsqlConnection> SessionAsync(CancellationToken cancellationToken)
    {
        if (session is { State: ConnectionState.Open } open && !open.FullState.HasFlag(ConnectionState.Broken))
        {
            return open;
        }

        await DropSessionAsync();
        await ReconnectAsync(cancellationToken);
        return session ?? throw new InvalidOperationException("the lock session could not be opened");
    }

    private async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var connection = await lockSessionSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // A server-side idle_session_timeout would end the session (and every lock on it) while a run waits on BT.
            await using var command = new NpgsqlCommand("SET idle_session_timeout = 0", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject)
        {
            // PostgreSQL before 14 has no idle_session_timeout, so nothing can end the session for idling.
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>
    /// Opens a new lock session (retrying within the reconnect grace) and re-takes every lock not yet lost: only when
    /// the advisory lock is free and its lease row still carries our fence. Call with the gate held.
    /// </summary>
    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.ReconnectGrace;
        var delay = TimeSpan.FromMilliseconds(100);
        NpgsqlConnection? fresh = null;
        while (fresh is null)
        {
            try
            {
                fresh = await OpenSessionAsync(cancellationToken);
            }
            catch (NpgsqlException e) when (IsTransient(e) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
            catch (NpgsqlException e)
            {
                var live = Live();
                if (live.Count == 0)
                {
                    throw CannotConnect(e);
                }

                foreach (var lease in live)
                {
                    lease.MarkLost($"its lock session ended and the server could not be reached again: {ConnectFailure(e)}");
                }

                // The caller still has no session: it reports the failure as its own (taking a lock, checking one),
                // named, instead of finding none.
                throw;
            }
        }

        session = fresh;
        foreach (var lease in Live())
        {
            var taken = await TryAdvisoryLockAsync(fresh, lease.Key, cancellationToken);
            var row = await ReadHolderAsync(fresh, lease.Company, cancellationToken);
            var ours = row is not null && row.Info.Id == lease.Fence.LockId && row.Generation == lease.Fence.Generation;
            if (!taken && ours && row is not null && (await AdvisoryLockBackendsAsync(fresh, lease.Key, cancellationToken)).Contains(row.BackendPid))
            {
                // Our previous session still holds it on the server (its end not noticed there yet, e.g. a half-open
                // connection): the lease names that session as ours, so end it and take the lock on this one.
                taken = await TakeFromOwnOldSessionAsync(fresh, lease.Key, row.BackendPid, cancellationToken);
            }

            if (taken && ours)
            {
                await using var update = Command(fresh, "UPDATE {schema}.locks SET backend_pid = pg_backend_pid() WHERE workspace = @w AND company = @c AND lock_id = @id AND generation = @g");
                AddLeaseParameters(update, lease);
                await update.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }

            if (taken)
            {
                await UnlockQuietlyAsync(fresh, lease.Key);
            }

            lease.MarkLost(row is null
                ? "its lease was removed (force-unlocked) and its lock session ended"
                : ours ? "its lock session ended and another session holds the lock now" : TakenBy(row));
        }
    }

    private static async Task<bool> TakeFromOwnOldSessionAsync(NpgsqlConnection connection, long key, int oldBackend, CancellationToken cancellationToken)
    {
        await using (var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@p)", connection))
        {
            terminate.Parameters.AddWithValue("p", oldBackend);
            await terminate.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var attempt = 0; attempt < 40; attempt++)
        {
            if (await TryAdvisoryLockAsync(connection, key, cancellationToken))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return false;
    }

    internal async Task EnsureHeldAsync(PostgresStateLock lease, CancellationToken cancellationToken)
    {
        if (lease.LostError is { } early)
        {
            throw early;
        }

        await sessionGate.WaitAsync(cancellationToken);
        try
        {
            // Under the gate, as releasing is: a released lock is neither checked (that would open a session nothing
            // closes) nor unlocked on the server (its key may be held again, by a new lock of this store).
            if (lease.Released)
            {
                throw new StateLockLostException(lease.Company, DiagnosticCatalog.StateLockAlreadyReleased.With(lease.Company, Description, lease.Fence));
            }

            await CheckAsync([lease], cancellationToken);
        }
        finally
        {
            sessionGate.Release();
        }

        if (lease.LostError is { } lost)
        {
            throw lost;
        }
    }

    /// <summary>A round trip on the lock session that compares each lease row with our fence; reconnects when the session dropped. Gate held.</summary>
    private async Task CheckAsync(IReadOnlyList<PostgresStateLock> leases, CancellationToken cancellationToken)
    {
        var live = leases.Where(lease => lease.LostError is null).ToList();
        if (live.Count == 0)
        {
            return;
        }

        if (session is { } current)
        {
            try
            {
                foreach (var lease in live)
                {
                    var row = await ReadHolderAsync(current, lease.Company, cancellationToken);
                    if (row is null || row.Info.Id != lease.Fence.LockId || row.Generation != lease.Fence.Generation)
                    {
                        await UnlockQuietlyAsync(current, lease.Key);
                        lease.MarkLost(row is null ? "its lease was removed (force-unlocked)" : TakenBy(row));
                    }
                }

                return;
            }
            catch (NpgsqlException)
            {
                // The session is gone or unusable (terminated, server restarted, network, a frozen server timed out):
                // a new one re-takes what is still ours below.
            }
        }

        await DropSessionAsync();
        try
        {
            await ReconnectAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            // The new session failed half-way through re-taking: the locks not settled yet cannot be proven held.
            await DropSessionAsync();
            foreach (var lease in Live())
            {
                lease.MarkLost($"its lock session ended and re-taking the lock failed: {OneLine(e)}");
            }
        }
    }

    internal async Task ReleaseAsync(PostgresStateLock lease)
    {
        await sessionGate.WaitAsync();
        try
        {
            if (held.TryGetValue(lease.Company, out var current) && ReferenceEquals(current, lease))
            {
                held.Remove(lease.Company);
            }

            if (lease.LostError is null)
            {
                await ReleaseLeaseAsync(lease);
            }

            if (held.Count == 0)
            {
                watcherStop?.Cancel();
                await DropSessionAsync();
            }
        }
        finally
        {
            sessionGate.Release();
        }
    }

    /// <summary>Deletes our lease row and unlocks the key; through the pool when the session has dropped (the server freed the lock with it).</summary>
    private async Task ReleaseLeaseAsync(PostgresStateLock lease)
    {
        const string Delete = "DELETE FROM {schema}.locks WHERE workspace = @w AND company = @c AND lock_id = @id AND generation = @g";
        try
        {
            if (session is { State: ConnectionState.Open } open)
            {
                await using (var delete = Command(open, Delete))
                {
                    AddLeaseParameters(delete, lease);
                    await delete.ExecuteNonQueryAsync();
                }

                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", open);
                unlock.Parameters.AddWithValue("k", lease.Key);
                await unlock.ExecuteNonQueryAsync();
                return;
            }
        }
        catch (NpgsqlException)
        {
            await DropSessionAsync();
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var delete = Command(connection, Delete);
            AddLeaseParameters(delete, lease);
            await delete.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Unreachable: the row names a holder whose session is gone; the next taker takes over with a warning.
        }
    }

    private void AddLeaseParameters(NpgsqlCommand command, PostgresStateLock lease)
    {
        command.Parameters.AddWithValue("w", Spec.Workspace);
        command.Parameters.AddWithValue("c", lease.Company);
        command.Parameters.AddWithValue("id", lease.Fence.LockId);
        command.Parameters.AddWithValue("g", lease.Fence.Generation);
    }

    private void StartWatcher()
    {
        if (watcher is { IsCompleted: false } && watcherStop is { IsCancellationRequested: false })
        {
            return;
        }

        watcherStop?.Dispose();
        var stop = new CancellationTokenSource();
        watcherStop = stop;
        watcher = Task.Run(() => WatchAsync(stop.Token), CancellationToken.None);
    }

    private async Task StopWatcherAsync()
    {
        if (watcherStop is { } stop)
        {
            await stop.CancelAsync();
        }

        if (watcher is { } running)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Every interval, proves the session alive and the leases ours; cancels Lost of any lock that is not.</summary>
    private async Task WatchAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.LockWatchInterval, stop);
                await sessionGate.WaitAsync(stop);
                try
                {
                    await CheckAsync(Live(), stop);
                }
                finally
                {
                    sessionGate.Release();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or StateException or InvalidOperationException)
            {
                // Tried again at the next tick; a caller's EnsureHeldAsync reports what it finds.
            }
        }
    }

    private List<PostgresStateLock> Live() => [.. held.Values.Where(lease => lease.LostError is null).OrderBy(lease => lease.Company, StringComparer.Ordinal)];

    private async Task DropSessionAsync()
    {
        if (session is { } old)
        {
            session = null;
            await old.DisposeAsync();
        }
    }

    private static async Task<bool> TryAdvisoryLockAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection);
        command.Parameters.AddWithValue("k", key);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task UnlockQuietlyAsync(NpgsqlConnection connection, long key)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection);
            command.Parameters.AddWithValue("k", key);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // A broken session released every lock it held.
        }
    }

    private static string TakenBy(LockHolder holder) =>
        string.Create(CultureInfo.InvariantCulture, $"its lock session ended and {Describe(holder.Info)} took the lock (generation {holder.Generation})");
}
