using System.Diagnostics;
using Npgsql;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresStateStoreTests : IAsyncLifetime
{
    private readonly PostgresServerFixture server;
    private readonly List<string> warnings = [];
    private PostgresStateStore store = null!;

    public PostgresStateStoreTests(PostgresServerFixture server) => this.server = server;

    public Task InitializeAsync()
    {
        if (PostgresServerFixture.SkipReason is null)
        {
            store = server.NewStore(warning: w => warnings.Add(w.ToString()));
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Should_read_back_what_was_written_and_list_the_company()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);

        (await store.ReadAsync("fun-network", default)).Should().BeEquivalentTo(SampleStates.FunNetwork(1).Normalized());
        (await store.ListCompaniesAsync(default)).Should().Equal("fun-network");
    }

    [PostgresFact]
    public async Task Creates_the_schema_once_even_when_two_stores_migrate_at_the_same_time()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using var first = server.NewStore(schema);
        await using var second = server.NewStore(schema);

        await Task.WhenAll(first.EnsureSchemaAsync(default), second.EnsureSchemaAsync(default));

        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {schema}.schema_migrations", connection);
        (await command.ExecuteScalarAsync()).Should().Be((long)PostgresStateStore.SchemaVersion);
    }

    [PostgresFact]
    public async Task Ten_concurrent_writers_of_different_companies_all_succeed()
    {
        var writers = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            var company = $"company-{i:00}";
            await using var own = server.NewStore(store.Spec.Schema);
            await using var held = await own.AcquireLockAsync(company, SampleStates.Holder($"writer{i}"), TimeSpan.FromSeconds(30), default);
            await own.WriteAsync(SampleStates.Minimal(company, 1, $"00000000-0000-4000-8000-{i:D12}"), SampleStates.Context, default);
            await own.WriteAsync(SampleStates.Minimal(company, 2, $"00000000-0000-4000-8000-{i:D12}"), SampleStates.Context, default);
        }));

        await Task.WhenAll(writers);

        (await store.ListCompaniesAsync(default)).Should().HaveCount(10);
        foreach (var i in Enumerable.Range(0, 10))
        {
            (await store.ReadAsync($"company-{i:00}", default))!.Serial.Should().Be(2);
        }
    }

    [PostgresFact]
    public async Task Two_writers_of_one_company_take_turns_through_the_lock_and_neither_loses_data()
    {
        await store.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);

        async Task AddSiteAsync(string site)
        {
            await using var own = server.NewStore(store.Spec.Schema);
            await using var held = await own.AcquireLockAsync("acme", SampleStates.Holder(site), TimeSpan.FromSeconds(60), default);
            var current = (await own.ReadAsync("acme", default))!;
            await Task.Delay(100); // hold the lock a moment so the other writer has to wait
            await own.WriteAsync(current with { Serial = current.Serial + 1, Sites = current.Sites.Add(new SiteState(site, "L1", "N1", null)) }, SampleStates.Context, default);
        }

        await Task.WhenAll(AddSiteAsync("north"), AddSiteAsync("south"));

        var final = (await store.ReadAsync("acme", default))!;
        final.Serial.Should().Be(3);
        final.Sites.Select(s => s.Name).Should().BeEquivalentTo("north", "south");
    }

    [PostgresFact]
    public async Task A_blocked_taker_times_out_with_the_holder_named()
    {
        await using var held = await store.AcquireLockAsync("acme", SampleStates.Holder("alice", "apply"), TimeSpan.Zero, default);
        await using var other = server.NewStore(store.Spec.Schema);

        var take = () => other.AcquireLockAsync("acme", SampleStates.Holder("bob", "plan"), TimeSpan.FromMilliseconds(300), default);

        var thrown = (await take.Should().ThrowAsync<StateLockedException>()).Which;
        thrown.Holder.Id.Should().Be(held.Info.Id);
        thrown.Message.Should().Contain("alice@").And.Contain("'apply'");
    }

    [PostgresFact]
    public async Task Releasing_the_lock_lets_the_next_taker_in()
    {
        var held = await store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await held.DisposeAsync();

        await using var again = await store.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.Zero, default);

        again.Info.Who.Should().Be("bob");
        warnings.Should().BeEmpty("a cleanly released lock leaves no holder row behind");
    }

    [PostgresFact]
    public async Task A_taker_that_looks_before_the_winner_has_recorded_itself_names_the_winner_not_an_old_row()
    {
        await store.EnsureSchemaAsync(default);
        var schema = store.Spec.Schema;
        await using var winner = new NpgsqlConnection(ConnectionString());
        await winner.OpenAsync();
        await ExecuteAsync(winner, $"SELECT pg_advisory_lock({store.LockKey("acme")})");
        // The row of an earlier holder whose session ended: the winner overwrites it just after taking the lock.
        await ExecuteAsync(winner, $"INSERT INTO {schema}.locks VALUES ('default', 'acme', 'old-id', 'mallory', 'elsewhere', 4242, 'apply', now(), 999999)");

        var blocked = store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await Task.Delay(200);
        blocked.IsCompleted.Should().BeFalse("the row names a session that does not hold the lock, so the taker waits for the real one");
        await ExecuteAsync(winner, $"UPDATE {schema}.locks SET lock_id = 'winner-id', who = 'carol', backend_pid = pg_backend_pid()");

        var thrown = (await ((Func<Task>)(() => blocked)).Should().ThrowAsync<StateLockedException>()).Which;
        thrown.Holder.Who.Should().Be("carol");
        thrown.Holder.Id.Should().Be("winner-id");
    }

    [PostgresFact]
    public async Task A_killed_lock_holder_process_frees_its_lock()
    {
        var psql = server.PsqlPath;
        File.Exists(psql).Should().BeTrue("psql is needed to play the other process");
        await store.EnsureSchemaAsync(default);
        var key = store.LockKey("acme");
        var schema = store.Spec.Schema;
        // psql reads its commands from stdin and then waits for more with the session idle, like a whcctl run that holds
        // the lock between steps; killing it closes the connection and the server ends the session.
        var start = new ProcessStartInfo(psql!) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-X", "-q", "-h", server.Host, "-p", server.Port.ToString(), "-U", server.User, "-d", server.Database })
        {
            start.ArgumentList.Add(argument);
        }

        using var holder = Process.Start(start)!;
        try
        {
            await holder.StandardInput.WriteLineAsync($"SELECT pg_advisory_lock({key});");
            await holder.StandardInput.WriteLineAsync($"INSERT INTO {schema}.locks VALUES ('default', 'acme', 'killed-id', 'mallory', 'elsewhere', 4242, 'apply', now(), pg_backend_pid());");
            await holder.StandardInput.FlushAsync();
            await WaitUntilAsync(async () => (await LockHolderRowsAsync(schema)) == 1, holder);
            var blocked = () => store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
            (await blocked.Should().ThrowAsync<StateLockedException>()).Which.Holder.Who.Should().Be("mallory");

            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();

            await using var taken = await store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.FromSeconds(30), default);
            taken.Info.Who.Should().Be("alice");
            warnings.Should().ContainSingle().Which.Should().Contain("mallory@elsewhere");
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    [PostgresFact]
    public async Task Force_unlock_with_a_wrong_id_names_the_holder_and_keeps_the_lock()
    {
        await using var held = await store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        var unlock = () => store.ForceUnlockAsync("acme", "wrong", default);

        (await unlock.Should().ThrowAsync<StateException>()).Which.Message.Should().Contain("alice@").And.Contain(held.Info.Id);
        await using var other = server.NewStore(store.Spec.Schema);
        var take = () => other.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.Zero, default);
        await take.Should().ThrowAsync<StateLockedException>();
    }

    [PostgresFact]
    public async Task Force_unlock_with_the_right_id_ends_the_holder_session_and_frees_the_lock()
    {
        await using var holderStore = server.NewStore(store.Spec.Schema);
        await using var held = await holderStore.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        await store.ForceUnlockAsync("acme", held.Info.Id, default);

        await using var taken = await store.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromSeconds(10), default);
        taken.Info.Who.Should().Be("bob");
    }

    [PostgresFact]
    public async Task A_stale_write_is_refused_and_nothing_is_written()
    {
        await store.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);
        await store.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage), SampleStates.Context, default);

        var stale = () => store.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage) with { Sites = [new SiteState("lost", "L", "N", null)] }, SampleStates.Context, default);

        (await stale.Should().ThrowAsync<StateConflictException>()).Which.Message.Should().Contain("stored serial 2").And.Contain("offered serial 2");
        (await store.ReadAsync("acme", default))!.Sites.Should().BeEmpty();
        (await store.HistoryAsync("acme", default)).Should().HaveCount(2);
    }

    [PostgresFact]
    public async Task A_write_of_another_lineage_is_refused()
    {
        await store.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);

        var other = () => store.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.OtherLineage), SampleStates.Context, default);

        await other.Should().ThrowAsync<StateConflictException>();
    }

    [PostgresFact]
    public async Task History_lists_every_version_newest_first_with_who_wrote_it()
    {
        foreach (var serial in new long[] { 1, 2, 3 })
        {
            await store.WriteAsync(SampleStates.Minimal("acme", serial, SampleStates.Lineage), new StateWriteContext($"writer{serial}", SampleStates.Context.WrittenAt.AddMinutes(serial)), default);
        }

        var history = await store.HistoryAsync("acme", default);

        history.Select(v => v.Serial).Should().Equal(3, 2, 1);
        history[0].WrittenBy.Should().Be("writer3");
        history[0].WrittenAt.Should().Be(SampleStates.Context.WrittenAt.AddMinutes(3));
    }

    [PostgresFact]
    public async Task Rollback_restores_an_old_version_as_a_new_serial_in_the_same_lineage()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await store.WriteAsync(SampleStates.FunNetwork(2) with { Sites = [] }, SampleStates.Context, default);

        var restored = await StateMaintenance.RollbackAsync(store, "fun-network", 1, SampleStates.Context, default);

        restored.Serial.Should().Be(3);
        var current = (await store.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(3);
        current.Lineage.Should().Be(SampleStates.Lineage);
        current.Sites.Should().HaveCount(2);
        (await store.ReadVersionAsync("fun-network", 2, default))!.Sites.Should().BeEmpty();
    }

    /// <summary>
    /// The pull-request plan job connects as a role that may only read (docs/gitops.md, "Least privilege"): the GRANTs
    /// documented there must be enough to list and read state from an up-to-date schema, and must refuse every write.
    /// Regression: opening a store always ran CREATE TABLE IF NOT EXISTS, which a read-only role may not run.
    /// </summary>
    [PostgresFact]
    public async Task A_read_only_role_with_the_documented_grants_reads_state_and_cannot_write_it()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using (var owner = server.NewStore(schema))
        {
            await owner.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        }

        var role = "plan_" + schema;
        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            // The GRANTs docs/gitops.md gives for the plan job's role.
            await ExecuteAsync(connection, $"CREATE ROLE {role} LOGIN");
            await ExecuteAsync(connection, $"ALTER ROLE {role} SET default_transaction_read_only = on");
            await ExecuteAsync(connection, $"GRANT USAGE ON SCHEMA {schema} TO {role}");
            await ExecuteAsync(connection, $"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}");
        }

        var url = server.UrlFor(schema).Replace($"{server.User}@", $"{role}@", StringComparison.Ordinal);
        await using var reader = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);

        (await reader.ListCompaniesAsync(default)).Should().Equal("fun-network");
        (await reader.ReadAsync("fun-network", default)).Should().BeEquivalentTo(SampleStates.FunNetwork(1).Normalized());
        (await reader.HistoryAsync("fun-network", default)).Should().ContainSingle();

        var write = () => reader.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);
        (await write.Should().ThrowAsync<StateException>()).Which.Message.Should().Contain("read-only");
        await using var check = server.NewStore(schema);
        (await check.ReadAsync("fun-network", default))!.Serial.Should().Be(1);
    }

    /// <summary>A read-only role on a schema that needs a migration is told so plainly, not with a half-made schema.</summary>
    [PostgresFact]
    public async Task A_read_only_role_on_a_schema_that_does_not_exist_yet_is_refused_with_a_clear_message()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        var role = "plan_" + schema;
        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"CREATE ROLE {role} LOGIN");
            await ExecuteAsync(connection, $"ALTER ROLE {role} SET default_transaction_read_only = on");
        }

        var url = server.UrlFor(schema).Replace($"{server.User}@", $"{role}@", StringComparison.Ordinal);
        await using var reader = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);

        var list = () => reader.ListCompaniesAsync(default);
        var failure = (await list.Should().ThrowAsync<StateException>()).Which;
        failure.Message.Should().Contain("could not create or migrate the state schema");
    }

    [PostgresFact]
    public async Task Migrate_local_to_postgres_and_back_preserves_serial_and_lineage()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var local = new LocalStateStore(first.Path);
        await local.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await local.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);
        await local.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);

        await StateMaintenance.MigrateAsync(local, store, force: false, SampleStates.Context, default);
        var back = new LocalStateStore(second.Path);
        var copied = await StateMaintenance.MigrateAsync(store, back, force: false, SampleStates.Context, default);

        copied.Should().HaveCount(2);
        (await back.ReadAsync("fun-network", default)).Should().BeEquivalentTo(await local.ReadAsync("fun-network", default));
        File.ReadAllText(back.StatePath("fun-network")).Should().Be(File.ReadAllText(local.StatePath("fun-network")));
        (await store.ReadAsync("acme", default))!.Lineage.Should().Be(SampleStates.Lineage);
    }

    [PostgresFact]
    public async Task Workspaces_are_separate()
    {
        await using var other = server.NewStore(store.Spec.Schema, workspace: "staging");
        await store.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);

        (await other.ReadAsync("acme", default)).Should().BeNull();
    }

    [Fact]
    public void Description_names_host_port_database_and_schema_but_no_password()
    {
        var spec = PostgresStateSpec.Parse("postgresql://whc@db.example:6543/states?schema=whc&workspace=prod");
        var env = new Dictionary<string, string?> { ["WHC_STATE_PASSWORD"] = "s3cret-pw" };
        var described = new PostgresStateStore(spec, env).Description;

        described.Should().Be("PostgreSQL db.example:6543/states (schema whc, workspace prod)");
        described.Should().NotContain("s3cret-pw");
    }

    private string ConnectionString() =>
        PostgresStateSpec.Parse(server.UrlFor("x")).ConnectionString(PostgresServerFixture.Environment);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> LockHolderRowsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {schema}.locks", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Process process)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException("psql exited early: " + await process.StandardError.ReadToEndAsync());
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the psql process did not take the lock within 30 s");
    }
}
