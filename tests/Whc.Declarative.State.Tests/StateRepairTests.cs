using Npgsql;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 24, "Repair that repairs": push only descends from the current version, migrate never moves a serial back,
/// rollback and push work on a damaged current version, and the row's serial column must agree with its document.
/// Against the real PostgreSQL the fixture starts and against local files.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class StateRepairTests(PostgresServerFixture server) : BothStoresTests(server)
{
    private Task<IStateStore> StoreAsync(string kind, long upToSerial) => StoreAsync(kind, upToSerial, serial => SampleStates.FunNetwork(serial));

    /// <summary>
    /// Issue 24: a push from 31 to 45 left a gap in the history. The pushed version is the next one (a file marked
    /// beyond the next serial must name the current version as its parent, as a recovery file does; see StatePushDescentTests).
    /// </summary>
    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task Push_of_a_serial_that_skips_versions_is_stored_as_the_next_version(string kind)
    {
        var store = await StoreAsync(kind, 2);

        var pushed = (await StateMaintenance.PushFileAsync(store, SampleStates.FunNetwork(5) with { Sites = [] }, parentSerial: 2, force: false, SampleStates.Context, default)).State;

        pushed.Serial.Should().Be(3);
        var current = (await store.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(3);
        current.Sites.Should().BeEmpty();
        if (kind == "postgres")
        {
            (await store.HistoryAsync("fun-network", default)).Select(v => v.Serial).Should().Equal(3, 2, 1);
        }

        var forced = await StateMaintenance.PushAsync(store, SampleStates.FunNetwork(9), force: true, SampleStates.Context, default);
        forced.Serial.Should().Be(4);
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task Push_takes_the_next_serial_of_the_same_lineage(string kind)
    {
        var store = await StoreAsync(kind, 2);

        var pushed = await StateMaintenance.PushAsync(store, SampleStates.FunNetwork(3) with { Sites = [] }, force: false, SampleStates.Context, default);

        pushed.Serial.Should().Be(3);
        (await store.ReadAsync("fun-network", default))!.Sites.Should().BeEmpty();
    }

    [PostgresFact]
    public async Task Migrate_force_never_moves_a_serial_backwards_nor_writes_one_serial_twice()
    {
        var target = await StoreAsync("postgres", 5);
        var source = Local();
        await source.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await source.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);
        await source.WriteAsync(SampleStates.FunNetwork(3) with { Sites = [] }, SampleStates.Context, default);

        var migrated = await StateMaintenance.MigrateAsync(source, target, force: true, SampleStates.Context, default);

        migrated.Should().ContainSingle().Which.Serial.Should().Be(6);
        var current = (await target.ReadAsync("fun-network", default))!;
        current.Serial.Should().Be(6);
        current.Sites.Should().BeEmpty();
        var serials = (await target.HistoryAsync("fun-network", default)).Select(v => v.Serial).ToList();
        serials.Should().OnlyHaveUniqueItems().And.BeInDescendingOrder();
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task Rollback_repairs_a_damaged_current_version(string kind)
    {
        var store = await StoreAsync(kind, 2);
        await DamageAsync(kind);
        (await ((Func<Task>)(() => store.ReadAsync("fun-network", default))).Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5003");

        var restored = await StateMaintenance.RollbackAsync(store, "fun-network", 1, SampleStates.Context, default);

        restored.Serial.Should().Be(3);
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(3);
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task Push_repairs_a_damaged_current_version_with_the_next_serial_or_force(string kind)
    {
        var store = await StoreAsync(kind, 2);
        await DamageAsync(kind);

        var forced = await StateMaintenance.PushAsync(store, SampleStates.FunNetwork(1), force: true, SampleStates.Context, default);

        forced.Serial.Should().Be(3);
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(3);
    }

    [PostgresFact]
    public async Task A_serial_column_that_disagrees_with_the_document_is_refused_on_read_and_repairable()
    {
        await StoreAsync("postgres", 2);
        await ExecuteAsync($"UPDATE {Postgres.Spec.Schema}.states SET serial = 9");

        var read = () => Postgres.ReadAsync("fun-network", default);

        var failure = (await read.Should().ThrowAsync<StateException>()).Which;
        failure.Code.Should().Be("WHC5003");
        failure.Message.Should().Contain("serial 9").And.Contain("serial 2");

        var restored = await StateMaintenance.RollbackAsync(Postgres, "fun-network", 1, SampleStates.Context, default);
        restored.Serial.Should().Be(10);
        (await Postgres.ReadAsync("fun-network", default))!.Serial.Should().Be(10);
    }

    /// <summary>
    /// A role that may use the schema but not read the states table: PostgreSQL's error carries a position on a line of
    /// its own; the message is one line naming what whcctl was doing (issue 24 printed "\n\nPOSITION: 28").
    /// </summary>
    [PostgresFact]
    public async Task A_postgres_error_is_one_line_naming_the_operation()
    {
        await StoreAsync("postgres", 1);
        var schema = Postgres.Spec.Schema;
        var role = "noread_" + schema;
        await ExecuteAsync($"CREATE ROLE {role} LOGIN");
        await ExecuteAsync($"GRANT USAGE ON SCHEMA {schema} TO {role}");
        await ExecuteAsync($"GRANT SELECT ON {schema}.schema_migrations TO {role}");
        var url = Server.UrlFor(schema).Replace($"{Server.User}@", $"{role}@", StringComparison.Ordinal);
        await using var stranger = new PostgresStateStore(PostgresStateSpec.Parse(url), PostgresServerFixture.Environment);

        var list = () => stranger.ListCompaniesAsync(default);

        var failure = (await list.Should().ThrowAsync<StateException>()).Which;
        failure.Code.Should().Be("WHC5000");
        failure.Message.Should().NotContain("\n").And.NotContain("\\n").And.NotContain("POSITION");
        failure.Message.Should().Contain("listing the companies").And.Contain("42501").And.Contain("permission denied for table states");
    }

    private async Task DamageAsync(string kind)
    {
        if (kind == "postgres")
        {
            await ExecuteAsync($"UPDATE {Postgres.Spec.Schema}.states SET state = '{{\"damaged\": true}}'::jsonb");
        }
        else
        {
            // Its top level still names serial 2 and the lineage, as a hand edit gone wrong leaves it.
            await File.WriteAllTextAsync(
                Local().StatePath("fun-network"),
                $"{{\"version\": {CompanyState.CurrentVersion}, \"serial\": 2, \"lineage\": \"{SampleStates.Lineage}\", \"company\": \"fun-network\", \"users\": 7}}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresStateSpec.Parse(Server.UrlFor("x")).ConnectionString(PostgresServerFixture.Environment));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A theory that needs the PostgreSQL server (its local cases share the class); skipped like <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServerFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
