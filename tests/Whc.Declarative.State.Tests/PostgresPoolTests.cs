using Npgsql;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>A cluster of its own with <c>max_connections=20</c>, restarted by some tests (a blip for its clients).</summary>
public sealed class SmallPostgresServerFixture : IAsyncLifetime
{
    public PostgresServerFixture Server { get; } = new(maxConnections: 20);

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>
/// Issue 24: connections are bounded by the run's parallelism, not by its companies, and a restart of the server in
/// the middle of a run is a blip: the pool reconnects, locks are taken again, no write is lost or doubled.
/// </summary>
public sealed class PostgresPoolTests : IClassFixture<SmallPostgresServerFixture>
{
    private readonly PostgresServerFixture server;

    public PostgresPoolTests(SmallPostgresServerFixture small) => server = small.Server;

    private PostgresStateStore NewStore(string schema, PostgresStoreOptions? options = null) =>
        new(PostgresStateSpec.Parse(server.UrlFor(schema)), PostgresServerFixture.Environment, options: options);

    [PostgresClusterFact]
    public async Task Five_hundred_companies_are_locked_written_and_read_by_one_store_under_max_connections_20()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using var store = NewStore(schema);
        var companies = Enumerable.Range(0, 500).Select(i => $"company-{i:000}").ToList();
        var locks = new List<IStateLock>();
        foreach (var company in companies)
        {
            locks.Add(await store.AcquireLockAsync(company, SampleStates.Holder("alice"), TimeSpan.FromSeconds(5), default));
        }

        await ParallelAsync(companies.Zip(locks), 8, async pair =>
        {
            await pair.Second.EnsureHeldAsync(default);
            await store.WriteAsync(SampleStates.Minimal(pair.First, 1, SampleStates.Lineage), SampleStates.Context with { Fence = pair.Second.Fence }, default);
            (await store.ReadAsync(pair.First, default))!.Serial.Should().Be(1);
        });

        (await store.ListCompaniesAsync(default)).Should().HaveCount(500);
        (await ConnectionsAsync()).Should().BeLessThanOrEqualTo(PostgresStoreOptions.DefaultParallelism + PostgresStoreOptions.PoolMargin + 1);
        foreach (var held in locks)
        {
            await held.DisposeAsync();
        }
    }

    [PostgresClusterFact]
    public async Task Three_stores_at_once_each_with_parallelism_4_share_max_connections_20()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        var runs = Enumerable.Range(0, 3).Select(run => Task.Run(async () =>
        {
            await using var store = NewStore(schema, PostgresStoreOptions.ForParallelism(4));
            var companies = Enumerable.Range(0, 60).Select(i => $"run{run}-company-{i:00}").ToList();
            var locks = new List<IStateLock>();
            foreach (var company in companies)
            {
                locks.Add(await store.AcquireLockAsync(company, SampleStates.Holder($"run{run}"), TimeSpan.FromSeconds(10), default));
            }

            await ParallelAsync(companies.Zip(locks), 4, async pair =>
                await store.WriteAsync(SampleStates.Minimal(pair.First, 1, SampleStates.Lineage), SampleStates.Context with { Fence = pair.Second.Fence }, default));
            foreach (var held in locks)
            {
                await held.DisposeAsync();
            }
        }));

        await Task.WhenAll(runs);

        await using var reader = NewStore(schema);
        (await reader.ListCompaniesAsync(default)).Should().HaveCount(180);
    }

    [PostgresClusterFact]
    public async Task A_server_restart_in_the_middle_of_a_run_is_a_blip_locks_are_taken_again_and_writes_go_through_once()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using var store = NewStore(schema);
        await using var held = await store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        var context = SampleStates.Context with { Fence = held.Fence };
        await store.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), context, default);

        await server.RestartAsync(crash: true);

        await store.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage), context, default);
        await held.EnsureHeldAsync(default);
        held.Lost.IsCancellationRequested.Should().BeFalse("nobody took the lock while the server restarted");
        (await store.ReadAsync("acme", default))!.Serial.Should().Be(2);
        (await store.HistoryAsync("acme", default)).Select(version => version.Serial).Should().Equal(2, 1);
        await using var other = NewStore(schema);
        var take = () => other.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromMilliseconds(200), default);
        await take.Should().ThrowAsync<StateLockedException>("the lock was taken again on a new session");
    }

    [PostgresClusterFact]
    public async Task A_run_waiting_for_a_lock_across_a_server_restart_keeps_waiting_and_leaves_the_holder_its_lock()
    {
        // Given a holder (watched often) and another run waiting for its lock
        var schema = PostgresServerFixture.NewSchemaName();
        await using var holder = NewStore(schema, new PostgresStoreOptions { LockWatchInterval = TimeSpan.FromMilliseconds(200) });
        var held = await holder.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        await using var waiter = NewStore(schema, new PostgresStoreOptions { ReconnectGrace = TimeSpan.FromSeconds(3) });
        var waiting = waiter.AcquireLockAsync("acme", SampleStates.Holder("bob"), TimeSpan.FromSeconds(60), default);
        await Task.Delay(300);

        // When the server crashes and restarts while both are connected
        await server.RestartAsync(crash: true);

        // Then the holder takes its lock back and keeps it, and the waiter neither failed nor took it
        await held.EnsureHeldAsync(default);
        await Task.Delay(TimeSpan.FromSeconds(4));
        waiting.IsCompleted.Should().BeFalse("a run waiting for a lock is not failed by a blip, nor given the live holder's lock");
        await held.EnsureHeldAsync(default);
        held.Lost.IsCancellationRequested.Should().BeFalse();

        // And once the holder is done, the waiter gets the lock
        await held.DisposeAsync();
        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        taken.Fence.Generation.Should().BeGreaterThan(held.Fence.Generation);
    }

    [PostgresClusterFact]
    public async Task A_write_whose_commit_reached_the_server_but_not_the_client_counts_as_done_not_as_a_conflict()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using (var setup = NewStore(schema))
        {
            await setup.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);
        }

        await using var proxy = await CommitDroppingProxy.StartAsync(server.Port);
        var url = server.UrlFor(schema).Replace($":{server.Port}/", $":{proxy.Port}/", StringComparison.Ordinal);
        await using var store = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);
        await store.ReadAsync("acme", default);

        proxy.DropAfterNextCommit();
        await store.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage), SampleStates.Context, default);

        proxy.Dropped.Should().BeTrue("the first attempt's COMMIT answer never reached the client");
        (await store.HistoryAsync("acme", default)).Select(version => version.Serial).Should().Equal(2, 1);
    }

    [PostgresClusterFact]
    public async Task A_fenced_write_whose_commit_reached_the_server_is_done_even_if_the_lock_changed_hands_before_the_retry()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using (var setup = NewStore(schema))
        {
            await setup.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context, default);
        }

        await using var proxy = await CommitDroppingProxy.StartAsync(server.Port);
        var url = server.UrlFor(schema).Replace($":{server.Port}/", $":{proxy.Port}/", StringComparison.Ordinal);
        await using var store = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);
        await using var held = await store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        // Another run takes the lock the moment the write commits (its session ended just then): a trigger moves the
        // lease on in the write's own transaction, so the retry after the lost COMMIT answer finds the fence stale.
        // Unpooled: another test of this class restarts the server, which leaves pooled connections dead.
        var adminConnection = new NpgsqlConnectionStringBuilder(PostgresStateSpec.Parse(server.UrlFor(schema)).ConnectionString(PostgresServerFixture.Environment, "whc-test-admin")) { Pooling = false };
        await using (var admin = new NpgsqlConnection(adminConnection.ConnectionString))
        {
            await admin.OpenAsync();
            await using var trigger = new NpgsqlCommand(
                $$"""
                CREATE FUNCTION "{{schema}}".take_over() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN UPDATE "{{schema}}".locks SET generation = generation + 1000, lock_id = 'bob'; RETURN NULL; END $f$;
                CREATE TRIGGER take_over AFTER INSERT ON "{{schema}}".state_history FOR EACH ROW EXECUTE FUNCTION "{{schema}}".take_over();
                """,
                admin);
            await trigger.ExecuteNonQueryAsync();
        }

        proxy.DropAfterNextCommit();
        await store.WriteAsync(SampleStates.Minimal("acme", 2, SampleStates.Lineage), SampleStates.Context with { Fence = held.Fence }, default);

        proxy.Dropped.Should().BeTrue("the first attempt's COMMIT answer never reached the client");
        (await store.HistoryAsync("acme", default)).Select(version => version.Serial).Should().Equal(2, 1);
        var next = () => store.WriteAsync(SampleStates.Minimal("acme", 3, SampleStates.Lineage), SampleStates.Context with { Fence = held.Fence }, default);
        await next.Should().ThrowAsync<StateLockLostException>("the lock is another run's now");
    }

    [PostgresClusterFact]
    public async Task A_lock_session_cut_on_the_client_side_only_is_taken_again_not_lost()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using var proxy = await CommitDroppingProxy.StartAsync(server.Port);
        var url = server.UrlFor(schema).Replace($":{server.Port}/", $":{proxy.Port}/", StringComparison.Ordinal);
        await using var store = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);
        await using var held = await store.AcquireLockAsync("acme", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        var before = store.LockSessionProcessId;

        proxy.CutClientsKeepServerSessions();
        await held.EnsureHeldAsync(default);

        held.Lost.IsCancellationRequested.Should().BeFalse();
        store.LockSessionProcessId.Should().NotBe(before, "the old session, still holding the lock on the server, was ended and the lock taken on a new one");
        await store.WriteAsync(SampleStates.Minimal("acme", 1, SampleStates.Lineage), SampleStates.Context with { Fence = held.Fence }, default);
    }

    [Fact]
    public void The_pool_is_sized_by_the_parallelism_given_to_the_factory_with_a_small_margin()
    {
        var environment = new Dictionary<string, string?>();

        var sized = (PostgresStateStore)StateStoreFactory.Open("postgres://whc@127.0.0.1:5432/whc", "/w", environment, postgres: PostgresStoreOptions.ForParallelism(3));
        var defaulted = (PostgresStateStore)StateStoreFactory.Open("postgres://whc@127.0.0.1:5432/whc", "/w", environment);

        sized.MaxPoolSize.Should().Be(5);
        defaulted.MaxPoolSize.Should().Be(PostgresStoreOptions.DefaultParallelism + PostgresStoreOptions.PoolMargin);
    }

    private async Task<long> ConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresStateSpec.Parse(server.UrlFor("x")).ConnectionString(PostgresServerFixture.Environment, "whc-test-admin"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'whcctl%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ParallelAsync<T>(IEnumerable<T> items, int parallelism, Func<T, Task> body) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await body(item));
}
