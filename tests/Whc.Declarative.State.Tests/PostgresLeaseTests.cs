using Npgsql;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 24: a held lock is a lease. A run learns when its lock session ended and another run took the lock, a write
/// under a stale fence is refused in its own transaction, a blip that nobody used is not a loss, and force-unlock
/// ends the holder for good. All against the real server.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresLeaseTests : IAsyncLifetime
{
    private readonly PostgresServerFixture server;
    private readonly List<string> warnings = [];
    private readonly string schema = PostgresServerFixture.NewSchemaName();
    private PostgresStateStore first = null!;
    private PostgresStateStore second = null!;

    public PostgresLeaseTests(PostgresServerFixture server) => this.server = server;

    public Task InitializeAsync()
    {
        if (PostgresServerFixture.SkipReason is null)
        {
            first = server.NewStore(schema);
            second = server.NewStore(schema, warning: w => warnings.Add(w.ToString()));
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (first is not null)
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_run_whose_lock_session_ended_and_was_taken_over_finds_its_lock_lost_and_its_fenced_write_refused()
    {
        var a = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await first.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context with { Fence = a.Fence }, default);

        await TerminateAsync(((PostgresStateStore.PostgresStateLock)a).BackendProcessId);
        await using var b = await second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromSeconds(10), default);
        await second.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage), SampleStates.Context with { Fence = b.Fence }, default);

        b.Fence.Generation.Should().BeGreaterThan(a.Fence.Generation, "every taking of the lock gets a new generation");
        var ensure = () => a.EnsureHeldAsync(default);
        var lost = (await ensure.Should().ThrowAsync<StateLockLostException>()).Which;
        lost.Code.Should().Be("WHC5010");
        lost.Message.Should().Contain("'acme'").And.Contain("bob@").And.NotContain("\n");
        a.Lost.IsCancellationRequested.Should().BeTrue();

        // The old holder's write, from what it last knew (serial 1 -> 2 of the same lineage), is refused for its fence.
        var stale = () => first.WriteAsync(SampleStates.Minimal("acme", 3, SampleStates.Lineage), SampleStates.Context with { Fence = a.Fence }, default);
        (await stale.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("was not written").And.Contain("bob@");
        (await first.ReadAsync("acme", default))!.Serial.Should().Be(2);

        // Once lost, always lost: the old holder does not win it back.
        await ensure.Should().ThrowAsync<StateLockLostException>();
        await a.DisposeAsync();
        await b.EnsureHeldAsync(default);
    }

    [PostgresFact]
    public async Task The_takeover_warning_no_longer_says_the_old_holder_is_gone()
    {
        await using var a = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await TerminateAsync(((PostgresStateStore.PostgresStateLock)a).BackendProcessId);

        await using var b = await second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromSeconds(10), default);

        var warning = warnings.Should().ContainSingle().Which;
        warning.Should().Contain("WHC5008").And.Contain("alice@").And.Contain("session ended").And.Contain("will find its lock lost");
        warning.Should().NotContain("is gone");
        warning.Should().StartWith("warning WHC5008: took over the lock on 'acme' from alice@").And.MatchRegex(", generation [0-9]+: ")
            .And.EndWith(": its lock session ended and the lock was free; if that process still runs, it will find its lock lost and stop");
    }

    [PostgresFact]
    public async Task A_dropped_lock_session_that_nobody_used_is_taken_again_and_keeps_others_out()
    {
        await using var a = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await TerminateAsync(((PostgresStateStore.PostgresStateLock)a).BackendProcessId);

        await a.EnsureHeldAsync(default);

        a.Lost.IsCancellationRequested.Should().BeFalse("a blip is not a loss");
        var take = () => second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromMilliseconds(300), default);
        (await take.Should().ThrowAsync<StateLockedException>()).Which.Holder.Who.Should().Be("alice");
        await first.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context with { Fence = a.Fence }, default);
    }

    [PostgresFact]
    public async Task Force_unlock_ends_the_holder_for_good_and_its_reconnect_cannot_take_the_lock_back()
    {
        var a = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        await second.ForceUnlockAsync("acme", a.Info.Id, default);

        var ensure = () => a.EnsureHeldAsync(default);
        (await ensure.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("force-unlocked");
        var write = () => first.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context with { Fence = a.Fence }, default);
        await write.Should().ThrowAsync<StateLockLostException>();
        (await first.ReadAsync("acme", default)).Should().BeNull();
        await using var b = await second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromSeconds(5), default);
        await a.DisposeAsync();
        await b.EnsureHeldAsync(default);
    }

    [PostgresFact]
    public async Task One_store_holds_all_its_locks_on_one_session_and_releasing_one_frees_only_that_company()
    {
        var companies = new[] { "acme", "bravo", "charlie", "delta", "echo" };
        var locks = new List<IStateLock>();
        foreach (var company in companies)
        {
            locks.Add(await first.AcquireLockAsync(company, SampleStates.Holder("alice"), TimeSpan.Zero, default));
        }

        (await AdvisoryLockSessionsAsync()).Should().ContainSingle("one lock session per store, not one connection per company");

        await locks[0].DisposeAsync();

        await using (var freed = await second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.Zero, default))
        {
            var blocked = () => second.AcquireLockAsync("bravo", SampleStates.Holder("bob"), TimeSpan.Zero, default);
            await blocked.Should().ThrowAsync<StateLockedException>();
        }

        foreach (var held in locks.Skip(1))
        {
            await held.EnsureHeldAsync(default);
            await held.DisposeAsync();
        }

        (await AdvisoryLockSessionsAsync()).Should().BeEmpty("the session closes with the last lock");
    }

    [PostgresFact]
    public async Task EnsureHeld_on_a_released_lock_is_WHC5010_and_neither_reopens_a_session_nor_frees_the_company_taken_again()
    {
        var released = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await released.DisposeAsync();

        var ensure = () => released.EnsureHeldAsync(default);
        (await ensure.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("already released").And.Contain("'acme'");
        first.LockSessionProcessId.Should().Be(0, "checking a released lock must not open a lock session that nothing closes");

        // The same store takes the company again: a stale handle's check must not unlock the live lock's advisory key.
        await using var again = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await ensure.Should().ThrowAsync<StateLockLostException>();
        var other = () => second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromMilliseconds(300), default);
        (await other.Should().ThrowAsync<StateLockedException>()).Which.Holder.Who.Should().Be("alice");
        await again.EnsureHeldAsync(default);
        warnings.Should().BeEmpty();
    }

    [PostgresFact]
    public async Task Taking_a_lock_when_the_lock_session_cannot_be_opened_again_is_a_named_state_error_and_the_held_lock_is_lost()
    {
        var role = "run_" + schema;
        await using (var admin = await AdminAsync())
        {
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN SUPERUSER", admin);
            await create.ExecuteNonQueryAsync();
        }

        var url = server.UrlFor(schema).Replace($"{server.User}@", $"{role}@", StringComparison.Ordinal);
        await using var run = new PostgresStateStore(
            PostgresStateSpec.Parse(url), PostgresServerFixture.Environment, options: new PostgresStoreOptions { ReconnectGrace = TimeSpan.FromMilliseconds(200), LockWatchInterval = TimeSpan.FromMinutes(5) });
        await using var acme = await run.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        // The run's session ends and no new one can be opened (not a blip: the server refuses the role from now on).
        await using (var admin = await AdminAsync())
        {
            await using var refuse = new NpgsqlCommand($"ALTER ROLE {role} NOLOGIN", admin);
            await refuse.ExecuteNonQueryAsync();
        }

        await TerminateAsync(((PostgresStateStore.PostgresStateLock)acme).BackendProcessId);

        var take = () => run.AcquireLockAsync("bravo", SampleStates.Holder("alice"), TimeSpan.FromSeconds(1), default);

        var thrown = (await take.Should().ThrowAsync<StateException>()).Which;
        thrown.Message.Should().Contain("bravo").And.NotContain("\n");
        var ensure = () => acme.EnsureHeldAsync(default);
        (await ensure.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("'acme'");
    }

    [PostgresFact]
    public async Task A_second_taker_in_the_same_store_waits_like_any_other()
    {
        await using var a = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        var again = () => first.AcquireLockAsync("acme", SampleStates.Holder("alice2"), TimeSpan.FromMilliseconds(200), default);

        (await again.Should().ThrowAsync<StateLockedException>()).Which.Holder.Who.Should().Be("alice");
    }

    [PostgresFact]
    public async Task The_watcher_cancels_Lost_without_a_call_when_another_run_took_the_lock()
    {
        await using var watched = new PostgresStateStore(
            first.Spec, PostgresServerFixture.Environment, options: new PostgresStoreOptions { LockWatchInterval = TimeSpan.FromMilliseconds(100) });
        await using var a = await watched.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        // Another run queues for the advisory lock first, so it is granted the lock the moment A's session ends,
        // before A's watcher could take it back on a new session.
        await using var other = await AdminAsync();
        var queued = Task.Run(async () =>
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", other) { CommandTimeout = 10 };
            take.Parameters.AddWithValue("k", watched.LockKey("acme"));
            await take.ExecuteNonQueryAsync();
        });
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0);
        await TerminateAsync(((PostgresStateStore.PostgresStateLock)a).BackendProcessId);
        await queued;

        var cancelled = new TaskCompletionSource();
        using var registration = a.Lost.Register(() => cancelled.TrySetResult());
        (await Task.WhenAny(cancelled.Task, Task.Delay(TimeSpan.FromSeconds(5)))).Should().Be(cancelled.Task);
    }

    [PostgresFact]
    public async Task Writes_without_a_fence_keep_compare_and_swap()
    {
        await using var a = await first.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        await second.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);

        var stale = () => second.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);
        await stale.Should().ThrowAsync<StateConflictException>();
    }

    [PostgresFact]
    public async Task Pool_connections_ended_under_a_run_are_opened_again_and_reads_and_writes_retried()
    {
        await first.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);
        (await first.ReadAsync("acme", default))!.Serial.Should().Be(1);

        await TerminatePoolAsync();
        await first.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage), SampleStates.Context, default);
        await TerminatePoolAsync();

        (await first.ReadAsync("acme", default))!.Serial.Should().Be(2);
        (await first.HistoryAsync("acme", default)).Select(version => version.Serial).Should().Equal(2, 1);
    }

    [PostgresFact]
    public async Task A_server_idle_session_timeout_does_not_end_the_lock_session_of_a_run_waiting_on_BT()
    {
        await first.EnsureSchemaAsync(default);
        var role = "idle_" + schema;
        await using (var admin = await AdminAsync())
        {
            foreach (var sql in new[]
            {
                $"CREATE ROLE {role} LOGIN",
                $"GRANT USAGE ON SCHEMA {schema} TO {role}",
                $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
                $"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
                $"ALTER ROLE {role} SET idle_session_timeout = '300ms'",
            })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }

        var url = server.UrlFor(schema).Replace($"{server.User}@", $"{role}@", StringComparison.Ordinal);
        await using var idle = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);
        await using var a = await idle.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        await Task.Delay(TimeSpan.FromSeconds(1)); // a 429's back-off, three idle timeouts long

        var take = () => second.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.Zero, default);
        await take.Should().ThrowAsync<StateLockedException>("the lock session must outlive the server's idle timeout");
        await a.EnsureHeldAsync(default);
        // The pool's idle connections were ended by the timeout meanwhile: the write goes through on a new one.
        await idle.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context with { Fence = a.Fence }, default);
    }

    [PostgresFact]
    public async Task A_server_that_cannot_be_reached_is_one_named_line_without_a_stack_trace()
    {
        var port = FreePort();
        var url = server.UrlFor(schema).Replace($":{server.Port}/", $":{port}/", StringComparison.Ordinal);
        await using var unreachable = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment, options: new PostgresStoreOptions { RetryAttempts = 1 });

        var read = () => unreachable.ReadAsync("acme", default);

        var thrown = (await read.Should().ThrowAsync<StateException>()).Which;
        thrown.Message.Should().StartWith($"cannot connect to the state store PostgreSQL 127.0.0.1:{port}/").And.NotContain("\n").And.NotContain(" at ");
        var take = () => unreachable.AcquireLockAsync("acme", SampleStates.Holder(), TimeSpan.Zero, default);
        (await take.Should().ThrowAsync<StateException>()).Which.Message.Should().StartWith("cannot connect to the state store");
    }

    [PostgresFact]
    public async Task A_role_without_rights_gets_one_line_with_the_sqlstate_and_no_position_lines()
    {
        await first.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);
        var role = "none_" + schema;
        await using (var admin = await AdminAsync())
        {
            await using var command = new NpgsqlCommand($"CREATE ROLE {role} LOGIN", admin);
            await command.ExecuteNonQueryAsync();
        }

        var url = server.UrlFor(schema).Replace($"{server.User}@", $"{role}@", StringComparison.Ordinal);
        await using var denied = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);

        var read = () => denied.ReadAsync("acme", default);

        var thrown = (await read.Should().ThrowAsync<StateException>()).Which;
        thrown.Message.Should().Contain("42501").And.Contain("permission denied").And.NotContain("\n").And.NotContain("POSITION");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await AdminAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(25);
        }
    }

    private async Task<List<int>> AdvisoryLockSessionsAsync()
    {
        await using var connection = await AdminAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT DISTINCT l.pid FROM pg_locks l JOIN {schema}.locks r ON true WHERE l.locktype = 'advisory' AND l.granted AND l.pid = r.backend_pid",
            connection);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    private async Task TerminateAsync(int backend)
    {
        await using var connection = await AdminAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@p, 5000)", connection);
        command.Parameters.AddWithValue("p", backend);
        (await command.ExecuteScalarAsync()).Should().Be(true);
    }

    /// <summary>Ends every pooled whcctl connection (not lock sessions, not this one): a blip for the pool.</summary>
    private async Task TerminatePoolAsync()
    {
        await using var connection = await AdminAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE application_name = 'whcctl' AND pid <> pg_backend_pid()",
            connection);
        await command.ExecuteScalarAsync();
    }

    private async Task<NpgsqlConnection> AdminAsync()
    {
        var connection = new NpgsqlConnection(PostgresStateSpec.Parse(server.UrlFor(schema)).ConnectionString(PostgresServerFixture.Environment, "whc-test-admin"));
        await connection.OpenAsync();
        return connection;
    }
}
