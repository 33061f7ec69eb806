using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 24, "push requires the pushed state to descend from the current one": a file derived from serial 17 but
/// marked 19 overwrote 18 (undoing a <c>state mv</c>), and a push from 31 to 45 was taken. A file descends from the
/// current version when it names it as its parent (<c>parentSerial</c>, as recovery files do), or, without one, when its
/// serial is the current one (pulled and edited) or the next (bumped by hand). Against the real PostgreSQL the fixture
/// starts and against local files.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class StatePushDescentTests(PostgresServerFixture server) : BothStoresTests(server)
{
    /// <summary>Each version differs from the others (the name BT knows carries the serial), so no push is "identical" by chance.</summary>
    private static CompanyState Version(long serial) => SampleStates.FunNetwork(serial) with { Record = SampleStates.FunNetwork().Record! with { Name = $"TheFunNetwork{serial}" } };

    private Task<IStateStore> StoreAsync(string kind, long upToSerial) => StoreAsync(kind, upToSerial, Version);

    private static async Task<CompanyState> CurrentAsync(IStateStore store) => (await store.ReadAsync("fun-network", default))!;

    /// <summary>The reported case: a run's kept file derived from 2, marked 4 after two failed writes; meanwhile 3 was written.</summary>
    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task A_file_derived_from_an_older_version_is_refused_even_when_its_serial_is_the_next(string kind)
    {
        var store = await StoreAsync(kind, 3);

        var push = () => StateMaintenance.PushFileAsync(store, Version(4) with { Sites = [] }, parentSerial: 2, force: false, SampleStates.Context, default);

        var failure = (await push.Should().ThrowAsync<StateException>()).Which;
        failure.Code.Should().Be("WHC5009");
        failure.Message.Should().Contain("derived from serial 2").And.Contain("current serial 3").And.Contain(SampleStates.Lineage)
            .And.Contain("pull").And.Contain("--force");
        var current = await CurrentAsync(store);
        current.Serial.Should().Be(3);
        current.Sites.Should().HaveCount(2, "version 3 is untouched");
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task A_file_that_names_the_current_version_as_its_parent_is_stored_as_the_next_whatever_its_serial(string kind)
    {
        var store = await StoreAsync(kind, 2);

        var outcome = await StateMaintenance.PushFileAsync(store, Version(5) with { Sites = [] }, parentSerial: 2, force: false, SampleStates.Context, default);

        outcome.Written.Should().BeTrue();
        outcome.State.Serial.Should().Be(3);
        var current = await CurrentAsync(store);
        current.Serial.Should().Be(3);
        current.Sites.Should().BeEmpty();
    }

    /// <summary>A push from 31 to 45: a file without a parent, marked beyond the next serial, descends from nothing stored.</summary>
    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task A_file_without_a_parent_marked_beyond_the_next_serial_is_refused(string kind)
    {
        var store = await StoreAsync(kind, 2);

        var push = () => StateMaintenance.PushFileAsync(store, Version(5) with { Sites = [] }, parentSerial: null, force: false, SampleStates.Context, default);

        var failure = (await push.Should().ThrowAsync<StateException>()).Which;
        failure.Code.Should().Be("WHC5009");
        failure.Message.Should().Contain("serial 5").And.Contain("current serial 2").And.Contain("--force");
        (await CurrentAsync(store)).Serial.Should().Be(2);
    }

    [PostgresTheory]
    [InlineData("postgres", 2)]
    [InlineData("local", 2)]
    [InlineData("postgres", 3)]
    [InlineData("local", 3)]
    public async Task A_file_pulled_and_edited_or_bumped_by_hand_is_stored_as_the_next_version(string kind, long fileSerial)
    {
        var store = await StoreAsync(kind, 2);

        var outcome = await StateMaintenance.PushFileAsync(store, Version(fileSerial) with { Sites = [] }, parentSerial: null, force: false, SampleStates.Context, default);

        outcome.State.Serial.Should().Be(3);
        (await CurrentAsync(store)).Sites.Should().BeEmpty();
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task A_file_identical_to_the_current_version_writes_nothing(string kind)
    {
        var store = await StoreAsync(kind, 2);

        var outcome = await StateMaintenance.PushFileAsync(store, Version(2), parentSerial: null, force: false, SampleStates.Context, default);

        outcome.Written.Should().BeFalse();
        outcome.State.Serial.Should().Be(2);
        (await CurrentAsync(store)).Serial.Should().Be(2);
        (await store.HistoryAsync("fun-network", default)).Max(v => v.Serial).Should().Be(2);
    }

    /// <summary>A run whose very first write failed kept serial k derived from nothing: it is stored as serial 1, no gap.</summary>
    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task A_kept_file_derived_from_nothing_is_stored_as_serial_1_in_an_empty_store(string kind)
    {
        var store = await StoreAsync(kind, 0);

        var outcome = await StateMaintenance.PushFileAsync(store, Version(3), parentSerial: 0, force: false, SampleStates.Context, default);

        outcome.State.Serial.Should().Be(1);
        (await CurrentAsync(store)).Serial.Should().Be(1);
    }

    /// <summary>A kept file derived from serial 4 pushed to a store that holds nothing of the company (another or a wiped store).</summary>
    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task A_kept_file_derived_from_a_version_an_empty_store_never_held_is_refused(string kind)
    {
        var store = await StoreAsync(kind, 0);

        var push = () => StateMaintenance.PushFileAsync(store, Version(6), parentSerial: 4, force: false, SampleStates.Context, default);

        var failure = (await push.Should().ThrowAsync<StateException>()).Which;
        failure.Code.Should().Be("WHC5009");
        failure.Message.Should().Contain("derived from serial 4").And.Contain("no state").And.Contain("--force");
        (await store.ReadAsync("fun-network", default)).Should().BeNull();
        var forced = await StateMaintenance.PushFileAsync(store, Version(6), parentSerial: 4, force: true, SampleStates.Context, default);
        forced.State.Serial.Should().Be(6);
    }

    /// <summary>Migrate left a target alone at the same serial and lineage even when it held another state.</summary>
    [PostgresFact]
    public async Task Migrate_refuses_a_target_at_the_same_serial_and_lineage_with_other_content()
    {
        var target = await StoreAsync("postgres", 2);
        var source = Local();
        await source.WriteAsync(Version(1), SampleStates.Context, default);
        await Local().WriteAsync(Version(2) with { Sites = [] }, SampleStates.Context, default);

        var migrate = () => StateMaintenance.MigrateAsync(source, target, force: false, SampleStates.Context, default);

        var failure = (await migrate.Should().ThrowAsync<StateException>()).Which;
        failure.Code.Should().Be("WHC5009");
        failure.Message.Should().Contain("Nothing was copied");
        (await CurrentAsync(target)).Sites.Should().HaveCount(2);
        var forced = await StateMaintenance.MigrateAsync(source, target, force: true, SampleStates.Context, default);
        forced.Should().ContainSingle().Which.Serial.Should().Be(3);
        (await CurrentAsync(target)).Sites.Should().BeEmpty();
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("local")]
    public async Task Force_stores_a_file_derived_from_an_older_version_as_the_next_version(string kind)
    {
        var store = await StoreAsync(kind, 3);

        var outcome = await StateMaintenance.PushFileAsync(store, Version(1) with { Sites = [] }, parentSerial: 0, force: true, SampleStates.Context, default);

        outcome.State.Serial.Should().Be(4);
        (await CurrentAsync(store)).Sites.Should().BeEmpty();
    }
}
