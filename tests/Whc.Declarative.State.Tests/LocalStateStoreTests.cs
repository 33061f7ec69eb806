using System.Diagnostics;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

public sealed class LocalStateStoreTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly List<string> warnings = [];
    private readonly LocalStateStore store;

    public LocalStateStoreTests() => store = new LocalStateStore(temp.Path, w => warnings.Add(w.ToString()));

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Should_read_back_what_was_written()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);

        var read = await store.ReadAsync("fun-network", default);

        read.Should().BeEquivalentTo(SampleStates.FunNetwork(1).Normalized());
        (await store.ListCompaniesAsync(default)).Should().Equal("fun-network");
    }

    [Fact]
    public async Task A_write_guard_held_by_a_stuck_process_is_a_coded_refusal_naming_the_file_and_nothing_is_written()
    {
        var shortLease = LocalLockLease.Default with { WriteGuardWait = TimeSpan.FromSeconds(1) };
        var waiting = new LocalStateStore(temp.Path, lease: shortLease);
        Directory.CreateDirectory(temp.Path);
        var guard = Path.Combine(temp.Path, "fun-network.json.write");
        // Held as by a process frozen while writing: an exclusive lock on the guard file (FileShare.None: flock on Unix).
        using var held = new FileStream(guard, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var write = () => waiting.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);

        var refusal = (await write.Should().ThrowAsync<StateException>()).Which;
        refusal.Code.Should().Be("WHC5000");
        refusal.Message.Should().Contain("'fun-network'").And.Contain(guard).And.Contain("frozen or stuck").And.Contain("nothing was written");
        File.Exists(waiting.StatePath("fun-network")).Should().BeFalse();
    }

    [Fact]
    public void A_writer_waits_for_the_write_guard_a_lease_and_never_less_than_30_seconds()
    {
        LocalLockLease.Default.WriteGuardWaitOrDefault.Should().Be(TimeSpan.FromSeconds(45));
        new LocalLockLease(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100)).WriteGuardWaitOrDefault.Should().Be(TimeSpan.FromSeconds(30));
        new LocalLockLease(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(3)).WriteGuardWaitOrDefault.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Should_return_null_for_a_company_without_state()
    {
        (await store.ReadAsync("nobody", default)).Should().BeNull();
        (await store.ListCompaniesAsync(default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Write_leaves_no_temporary_files_and_keeps_the_version_the_run_started_from_as_backup()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);

        // A later run (another process: another store) writes three versions; the backup is the one it started from.
        var nextRun = new LocalStateStore(temp.Path);
        foreach (var serial in new[] { 2, 3, 4 })
        {
            await nextRun.WriteAsync(SampleStates.FunNetwork(serial), SampleStates.Context, default);
        }

        Directory.GetFiles(temp.Path).Select(Path.GetFileName).Should().BeEquivalentTo("fun-network.json", "fun-network.json.backup", "fun-network.json.write");
        (await nextRun.ReadVersionAsync("fun-network", 1, default))!.Serial.Should().Be(1);
        (await nextRun.HistoryAsync("fun-network", default)).Select(v => v.Serial).Should().Equal(4, 1);
    }

    [Fact]
    public async Task Taking_the_lock_starts_a_run_whose_first_write_keeps_the_backup()
    {
        // The first run created the state: there was nothing before it to keep.
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);
        File.Exists(store.BackupPath("fun-network")).Should().BeFalse();

        foreach (var (run, last) in new[] { (new[] { 3 }, 2), (new[] { 4, 5 }, 3) })
        {
            await using (await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default))
            {
                foreach (var serial in run)
                {
                    await store.WriteAsync(SampleStates.FunNetwork(serial), SampleStates.Context, default);
                }
            }

            (await store.HistoryAsync("fun-network", default)).Select(v => v.Serial).Should().Equal(run[^1], last);
        }
    }

    [Fact]
    public async Task Should_write_the_state_file_in_the_serializer_format()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);

        File.ReadAllText(store.StatePath("fun-network")).Should().Be(StateSerializer.Default.Serialize(SampleStates.FunNetwork(1)));
    }

    [Fact]
    public async Task Should_refuse_a_stale_serial_and_keep_the_stored_state()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);

        var stale = () => store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);

        (await stale.Should().ThrowAsync<StateConflictException>())
            .Which.Message.Should().Contain("stored serial 2").And.Contain("offered serial 2");
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(2);
    }

    [Fact]
    public async Task Should_refuse_to_write_over_a_file_that_is_not_a_state_and_keep_it()
    {
        Directory.CreateDirectory(temp.Path);
        File.WriteAllText(store.StatePath("fun-network"), "{ \"serial\": 1, \"lineage\": ");

        var write = () => store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context, default);

        (await write.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5003");
        File.ReadAllText(store.StatePath("fun-network")).Should().Be("{ \"serial\": 1, \"lineage\": ");
    }

    [Fact]
    public async Task Should_refuse_another_lineage()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);

        var other = () => store.WriteAsync(SampleStates.FunNetwork(2) with { Lineage = "other" }, SampleStates.Context, default);

        (await other.Should().ThrowAsync<StateConflictException>()).Which.Message.Should().Contain("another history");
    }

    [Fact]
    public async Task Should_refuse_a_first_write_that_does_not_start_at_serial_1()
    {
        var write = () => store.WriteAsync(SampleStates.FunNetwork(5), SampleStates.Context, default);

        (await write.Should().ThrowAsync<StateConflictException>()).Which.Code.Should().Be("WHC5002");
        File.Exists(store.StatePath("fun-network")).Should().BeFalse();
    }

    [Fact]
    public async Task Should_refuse_a_company_name_that_is_not_a_safe_file_name()
    {
        var read = () => store.ReadAsync("../etc/passwd", default);

        (await read.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5005");
    }

    [Fact]
    public async Task A_held_lock_blocks_another_taker_and_the_message_names_the_holder()
    {
        await using var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice", "apply"), TimeSpan.Zero, default);

        var second = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("bob", "plan"), TimeSpan.FromMilliseconds(200), default);

        var thrown = (await second.Should().ThrowAsync<StateLockedException>()).Which;
        thrown.Holder.Id.Should().Be(held.Info.Id);
        thrown.Message.Should().Contain("alice@").And.Contain("'apply'").And.Contain(held.Info.Id);
    }

    [Fact]
    public async Task A_taker_that_finds_the_lock_file_not_yet_written_waits_for_the_holder_to_write_itself_in()
    {
        // The holder's lock file as it will read once written (made by a real lock in another directory).
        using var elsewhere = new TempDirectory();
        var other = new LocalStateStore(elsewhere.Path);
        string content;
        await using (var carol = await other.AcquireLockAsync("fun-network", SampleStates.Holder("carol"), TimeSpan.Zero, default))
        {
            content = await File.ReadAllTextAsync(other.LockPath("fun-network"));
        }

        // The holder has created its lock file but not yet written it.
        Directory.CreateDirectory(temp.Path);
        await File.WriteAllTextAsync(store.LockPath("fun-network"), string.Empty);
        var blocked = store.AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.Zero, default);
        await Task.Delay(200);
        blocked.IsCompleted.Should().BeFalse();
        await File.WriteAllTextAsync(store.LockPath("fun-network"), content);

        (await ((Func<Task>)(() => blocked)).Should().ThrowAsync<StateLockedException>()).Which.Holder.Who.Should().Be("carol");
    }

    [Fact]
    public async Task A_lock_file_left_empty_by_a_process_killed_while_taking_the_lock_is_taken_over_once_it_is_old()
    {
        // A process was killed between creating its lock file and writing itself into it.
        Directory.CreateDirectory(temp.Path);
        await File.WriteAllTextAsync(store.LockPath("fun-network"), string.Empty);

        var fresh = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.Zero, default);
        await fresh.Should().ThrowAsync<StateLockedException>("a fresh empty file may be a holder about to write itself in");

        File.SetLastWriteTimeUtc(store.LockPath("fun-network"), DateTime.UtcNow.AddMinutes(-1));
        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.Zero, default);

        taken.Info.Who.Should().Be("bob");
        warnings.Should().ContainSingle().Which.Should().Contain("WHC5008").And.Contain("left empty or unreadable");
        warnings.Single().Should().Be(
            "warning WHC5008: took over the lock on 'fun-network': its lock file was left empty or unreadable, by a process that died while taking the lock; if that run still goes on, it will find its lock lost and stop");
    }

    [Fact]
    public async Task Disposing_a_lock_deletes_its_file_and_frees_it()
    {
        var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default);
        File.Exists(store.LockPath("fun-network")).Should().BeTrue();

        await held.DisposeAsync();

        File.Exists(store.LockPath("fun-network")).Should().BeFalse();
        await using var again = await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default);
    }

    [Fact]
    public async Task A_waiting_taker_gets_the_lock_when_the_holder_releases_it()
    {
        var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        var waiting = store.AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.FromMinutes(1), default);

        await held.DisposeAsync();

        await using var got = await waiting;
        got.Info.Who.Should().Be("bob");
    }

    [Fact]
    public async Task A_lock_left_by_a_dead_process_on_this_host_is_taken_over_with_a_warning()
    {
        var deadPid = await DeadProcessIdAsync();
        var dead = new LockInfo("dead-lock", "carol", Environment.MachineName, deadPid, "apply", DateTimeOffset.UtcNow.AddMinutes(-5));
        Directory.CreateDirectory(temp.Path);
        File.WriteAllText(store.LockPath("fun-network"), System.Text.Json.JsonSerializer.Serialize(new { id = dead.Id, who = dead.Who, host = dead.Host, processId = dead.ProcessId, operation = dead.Operation, since = dead.Since }));

        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        ((LocalStateStore.LocalStateLock)taken).TookOverFrom!.Id.Should().Be("dead-lock");
        warnings.Should().ContainSingle().Which.Should().Contain("WHC5008").And.Contain("carol@");
        warnings.Single().Should().StartWith("warning WHC5008: took over the lock on 'fun-network' held by carol@")
            .And.EndWith("; if that run still goes on, it will find its lock lost and stop");
    }

    [Fact]
    public async Task A_lock_whose_pid_was_reused_by_another_process_is_taken_over()
    {
        // Our own pid is alive, but with a start time far in the past it cannot be the process that wrote the lock.
        File.WriteAllText(
            store.LockPath("fun-network"),
            new JsonObject
            {
                ["id"] = "reused", ["who"] = "carol", ["host"] = Environment.MachineName, ["processId"] = Environment.ProcessId,
                ["operation"] = "apply", ["since"] = "2020-01-01T00:00:00+00:00", ["processStartedAt"] = "2020-01-01T00:00:00+00:00",
            }.ToJsonString());

        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        ((LocalStateStore.LocalStateLock)taken).TookOverFrom!.Id.Should().Be("reused");
    }

    [Fact]
    public async Task A_lock_held_on_another_host_is_never_taken_over()
    {
        File.WriteAllText(
            store.LockPath("fun-network"),
            new JsonObject { ["id"] = "remote", ["who"] = "dave", ["host"] = "some-other-host", ["processId"] = 999999, ["operation"] = "apply", ["since"] = "2026-01-01T00:00:00+00:00" }.ToJsonString());

        var take = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        (await take.Should().ThrowAsync<StateLockedException>()).Which.Holder.Host.Should().Be("some-other-host");
    }

    [Fact]
    public async Task Force_unlock_with_a_wrong_id_names_the_holder_and_keeps_the_lock()
    {
        await using var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        var unlock = () => store.ForceUnlockAsync("fun-network", "wrong-id", default);

        (await unlock.Should().ThrowAsync<StateException>())
            .Which.Message.Should().Contain("alice@").And.Contain(held.Info.Id);
        File.Exists(store.LockPath("fun-network")).Should().BeTrue();
    }

    [Fact]
    public async Task Force_unlock_with_the_right_id_removes_the_lock()
    {
        var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        await store.ForceUnlockAsync("fun-network", held.Info.Id, default);

        File.Exists(store.LockPath("fun-network")).Should().BeFalse();
        await using var again = await store.AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.Zero, default);
    }

    [Fact]
    public async Task Force_unlock_of_an_unlocked_company_is_an_error()
    {
        var unlock = () => store.ForceUnlockAsync("fun-network", "any", default);

        (await unlock.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5007");
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_writers_of_one_company_let_exactly_one_win()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await new LocalStateStore(temp.Path).WriteAsync(SampleStates.FunNetwork(2) with { Sites = [new SiteState($"s{i}", "L", "N", null)] }, SampleStates.Context, default);
                return true;
            }
            catch (StateConflictException)
            {
                return false;
            }
        }));

        var results = await Task.WhenAll(writers);

        results.Count(r => r).Should().Be(1);
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(2);
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var pid = process.Id;
        await process.WaitForExitAsync();
        return pid;
    }
}
