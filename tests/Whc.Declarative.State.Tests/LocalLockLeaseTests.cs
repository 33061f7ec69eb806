using System.Diagnostics;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 24: a local lock is a lease with a fencing token. The lock file carries the holder's lock id, a generation from
/// a counter beside it that is never reset, and a lease the holder keeps renewing; a holder that lost its lock (force
/// unlocked, taken over after its lease ran out) finds out, and its writes are refused.
/// </summary>
public sealed class LocalLockLeaseTests : IDisposable
{
    private const string HostLineage = "5b0c43f6-2b1e-4a7e-9d7c-3f5a1e2d4c6b";

    // Renewed five times per lease: a holder starved of CPU for a second on a busy machine still keeps it.
    private static readonly LocalLockLease Short = new(TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100));

    private readonly TempDirectory temp = new();
    private readonly List<string> warnings = [];
    private readonly LocalStateStore store;

    public LocalLockLeaseTests() => store = new LocalStateStore(temp.Path, w => { lock (warnings) { warnings.Add(w.ToString()); } }, lease: Short);

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Every_taking_gets_a_higher_generation_and_the_counter_survives_release_and_force_unlock()
    {
        var generations = new List<long>();
        await using (var first = await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default))
        {
            generations.Add(first.Fence.Generation);
            first.Fence.LockId.Should().Be(first.Info.Id);
            var file = JsonNode.Parse(await File.ReadAllTextAsync(store.LockPath("fun-network")))!;
            file["generation"]!.GetValue<long>().Should().Be(first.Fence.Generation);
            file["leaseExpiresAt"]!.GetValue<DateTimeOffset>().Should().BeAfter(DateTimeOffset.UtcNow);
        }

        await using (var second = await new LocalStateStore(temp.Path).AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default))
        {
            generations.Add(second.Fence.Generation);
            await store.ForceUnlockAsync("fun-network", second.Info.Id, default);
        }

        await using (var third = await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default))
        {
            generations.Add(third.Fence.Generation);
        }

        generations.Should().Equal(1, 2, 3);
        var released = await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default);
        await released.DisposeAsync();
        var ensure = () => released.EnsureHeldAsync(default);
        (await ensure.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("already released");
        File.Exists(store.LockPath("fun-network")).Should().BeFalse();
    }

    [Fact]
    public async Task A_write_under_the_current_fence_is_accepted()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await using var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default);

        await store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context with { Fence = held.Fence }, default);
        await held.EnsureHeldAsync(default);

        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(2);
    }

    [Fact]
    public async Task After_force_unlock_the_old_holder_can_neither_write_nor_pass_EnsureHeld_and_its_watcher_cancels_Lost()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        await using var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        await new LocalStateStore(temp.Path).ForceUnlockAsync("fun-network", held.Info.Id, default);

        var write = () => store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context with { Fence = held.Fence }, default);
        var refused = (await write.Should().ThrowAsync<StateLockLostException>()).Which;
        refused.Code.Should().Be("WHC5010");
        refused.Company.Should().Be("fun-network");
        refused.Message.Should().Contain("removed");
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(1, "the stale write changed nothing");

        var ensure = () => held.EnsureHeldAsync(default);
        (await ensure.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("fun-network").And.Contain("removed");
        await WaitUntilAsync(() => held.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task The_watcher_notices_a_force_unlock_without_any_call()
    {
        await using var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        held.Lost.IsCancellationRequested.Should().BeFalse();

        await new LocalStateStore(temp.Path).ForceUnlockAsync("fun-network", held.Info.Id, default);

        await WaitUntilAsync(() => held.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_fence_from_an_earlier_holder_is_refused_once_a_new_holder_took_the_lock_and_the_message_names_it()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        var old = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        var staleFence = old.Fence;
        await store.ForceUnlockAsync("fun-network", old.Info.Id, default);
        await using var now = await new LocalStateStore(temp.Path, lease: Short).AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.Zero, default);

        var write = () => store.WriteAsync(SampleStates.FunNetwork(2), SampleStates.Context with { Fence = staleFence }, default);

        (await write.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("bob@").And.Contain(now.Info.Id);
        var ensure = () => old.EnsureHeldAsync(default);
        (await ensure.Should().ThrowAsync<StateLockLostException>()).Which.Message.Should().Contain("bob@");
        await old.DisposeAsync();
        File.Exists(store.LockPath("fun-network")).Should().BeTrue("releasing a lost lock must not remove the new holder's file");
    }

    [Fact]
    public async Task A_live_holder_keeps_renewing_its_lease_so_a_waiter_never_takes_it_over()
    {
        await using var held = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        var firstExpiry = LeaseExpiry();

        // Over two lease lengths: without renewal the lease would have run out long before.
        var take = () => new LocalStateStore(temp.Path, lease: Short).AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.FromMilliseconds(3500), default);

        await take.Should().ThrowAsync<StateLockedException>();
        LeaseExpiry().Should().BeAfter(firstExpiry);
        held.Lost.IsCancellationRequested.Should().BeFalse();
        await held.EnsureHeldAsync(default);
    }

    [Fact]
    public async Task A_lock_from_another_host_whose_lease_expired_is_taken_over_with_a_higher_generation_and_an_honest_warning()
    {
        WriteLockFile(new JsonObject
        {
            ["id"] = "remote", ["who"] = "dave", ["host"] = "some-other-host", ["processId"] = 4242, ["operation"] = "apply",
            ["since"] = "2026-01-01T00:00:00+00:00", ["generation"] = 7, ["leaseExpiresAt"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"),
        });

        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        taken.Fence.Generation.Should().Be(8, "the generation also never falls below the one the file carried");
        ((LocalStateStore.LocalStateLock)taken).TookOverFrom!.Id.Should().Be("remote");
        var warning = warnings.Should().ContainSingle().Which;
        warning.Should().Contain("WHC5008").And.Contain("dave@some-other-host").And.Contain("lease expired")
            .And.Contain("will find its lock lost and stop").And.NotContain("no longer runs");
    }

    [Fact]
    public async Task A_lock_from_another_host_whose_lease_runs_is_not_taken_over_whatever_its_pid()
    {
        WriteLockFile(new JsonObject
        {
            ["id"] = "remote", ["who"] = "dave", ["host"] = "some-other-host", ["processId"] = 999999, ["operation"] = "apply",
            ["since"] = "2026-01-01T00:00:00+00:00", ["generation"] = 3, ["leaseExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"),
        });

        var take = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        (await take.Should().ThrowAsync<StateLockedException>()).Which.Holder.Id.Should().Be("remote");
    }

    [Fact]
    public async Task A_live_process_of_this_host_whose_lease_expired_loses_its_lock_to_a_waiter()
    {
        // This very process is alive, but its lease ran out (it was frozen, or could not renew).
        WriteLockFile(new JsonObject
        {
            ["id"] = "frozen", ["who"] = "carol", ["host"] = Environment.MachineName, ["processId"] = Environment.ProcessId, ["operation"] = "apply",
            ["since"] = "2026-01-01T00:00:00+00:00", ["processStartedAt"] = ProcessLiveness.StartTimeOf(Environment.ProcessId)!.Value.ToString("O"),
            ["generation"] = 1, ["leaseExpiresAt"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"),
        });

        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        taken.Fence.Generation.Should().Be(2);
        warnings.Should().ContainSingle().Which.Should().Contain("lease expired");
    }

    [Fact]
    public async Task A_dead_process_of_this_host_loses_its_lock_at_once_and_the_warning_says_why()
    {
        var deadPid = await DeadProcessIdAsync();
        WriteLockFile(new JsonObject
        {
            ["id"] = "dead", ["who"] = "carol", ["host"] = Environment.MachineName, ["processId"] = deadPid, ["operation"] = "apply",
            ["since"] = "2026-01-01T00:00:00+00:00", ["generation"] = 4, ["leaseExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"),
        });

        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        taken.Fence.Generation.Should().Be(5);
        warnings.Should().ContainSingle().Which.Should().Contain("no longer runs on this host").And.Contain("will find its lock lost and stop");
    }

    [Fact]
    public async Task A_dead_pid_in_another_pid_namespace_of_the_same_host_name_is_no_reason_to_take_a_live_lease()
    {
        // Containers sharing a directory may share a host name but not their pids: only the lease counts then.
        var deadPid = await DeadProcessIdAsync();
        WriteLockFile(new JsonObject
        {
            ["id"] = "container", ["who"] = "erin", ["host"] = Environment.MachineName, ["processId"] = deadPid, ["operation"] = "apply",
            ["since"] = "2026-01-01T00:00:00+00:00", ["pidNamespace"] = "another-boot/pid:[1]",
            ["generation"] = 4, ["leaseExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"),
        });

        var take = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        (await take.Should().ThrowAsync<StateLockedException>()).Which.Holder.Id.Should().Be("container");
    }

    [Fact]
    public async Task Two_processes_a_frozen_holder_loses_its_lock_to_a_waiter_once_its_lease_expires_and_its_write_is_refused()
    {
        await new LocalStateStore(temp.Path).WriteAsync(SampleStates.Minimal("fun-network", 1, HostLineage), SampleStates.Context, default);
        await using var host = await LockHostProcess.StartAsync(temp.Path, "fun-network", Short);
        (await host.AskAsync("ensure")).Should().Be("ok");

        // While the other process runs, its lease is renewed: a waiter is refused.
        var early = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.FromMilliseconds(2000), default);
        await early.Should().ThrowAsync<StateLockedException>();

        host.FreezeOutsideWriteGuard(temp.Path, "fun-network");
        var stopwatch = Stopwatch.StartNew();
        await using var taken = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.FromSeconds(20), default);
        stopwatch.Stop();
        taken.Fence.Generation.Should().BeGreaterThan(host.Generation);
        warnings.Should().ContainSingle().Which.Should().Contain("lease expired").And.Contain("host-process@");
        await store.WriteAsync(SampleStates.Minimal("fun-network", 2, HostLineage), SampleStates.Context with { Fence = taken.Fence }, default);
        host.Resume();

        (await host.AskAsync("write 3")).Should().StartWith("refused WHC5010").And.Contain("alice@");
        (await host.AskAsync("ensure")).Should().StartWith("refused WHC5010");
        (await host.AskAsync("lost?")).Should().Be("lost yes");
        (await host.AskAsync("release")).Should().Be("released");
        File.Exists(store.LockPath("fun-network")).Should().BeTrue("the old holder's release leaves the new holder's lock alone");
        (await store.ReadAsync("fun-network", default))!.Serial.Should().Be(2);
    }

    [Fact]
    public async Task Two_processes_the_holder_finds_out_about_a_force_unlock_by_itself()
    {
        await using var host = await LockHostProcess.StartAsync(temp.Path, "fun-network", Short);

        await store.ForceUnlockAsync("fun-network", host.LockId, default);

        for (var attempt = 0; attempt < 50 && await host.AskAsync("lost?") != "lost yes"; attempt++)
        {
            await Task.Delay(100);
        }

        (await host.AskAsync("lost?")).Should().Be("lost yes");
        (await host.AskAsync("write 1")).Should().StartWith("refused WHC5010").And.Contain("removed");
    }

    [Fact]
    public async Task Two_processes_a_holder_frozen_past_its_lease_that_nobody_took_over_keeps_its_lock_when_it_resumes()
    {
        await new LocalStateStore(temp.Path).WriteAsync(SampleStates.Minimal("fun-network", 1, HostLineage), SampleStates.Context, default);
        await using var host = await LockHostProcess.StartAsync(temp.Path, "fun-network", Short);

        host.Freeze();
        await Task.Delay(Short.Duration * 2);
        LeaseExpiry().Should().BeBefore(DateTimeOffset.UtcNow, "the lease ran out while the holder was frozen");
        host.Resume();

        // A pause is not a loss: the file still carries its fence, and renewing happens under the guard a taker needs.
        (await host.AskAsync("ensure")).Should().Be("ok");
        (await host.AskAsync("write 2")).Should().Be("written");
        (await host.AskAsync("lost?")).Should().Be("lost no");
        LeaseExpiry().Should().BeAfter(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_lock_file_of_an_earlier_whcctl_without_a_lease_is_kept_while_its_process_of_this_host_runs()
    {
        WriteLockFile(new JsonObject
        {
            ["id"] = "earlier", ["who"] = "carol", ["host"] = Environment.MachineName, ["processId"] = Environment.ProcessId, ["operation"] = "apply",
            ["since"] = "2026-01-01T00:00:00+00:00", ["processStartedAt"] = ProcessLiveness.StartTimeOf(Environment.ProcessId)!.Value.ToString("O"),
        });

        var take = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.FromMilliseconds(300), default);

        (await take.Should().ThrowAsync<StateLockedException>()).Which.Holder.Id.Should().Be("earlier");
    }

    [Fact]
    public async Task A_damaged_generation_counter_is_a_clear_error_and_is_left_alone()
    {
        File.WriteAllText(store.GenerationPath("fun-network"), "seven\n");

        var take = () => store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);

        (await take.Should().ThrowAsync<StateException>()).Which.Should().Match<StateException>(e => e.Code == "WHC5003" && e.Message.Contains(store.GenerationPath("fun-network")));
        File.ReadAllText(store.GenerationPath("fun-network")).Should().Be("seven\n");
        File.Exists(store.LockPath("fun-network")).Should().BeFalse();
    }

    [Fact]
    public async Task The_lock_file_and_the_counter_beside_it_are_the_only_lock_files_and_the_counter_is_not_a_company()
    {
        await using (await store.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default))
        {
            Directory.GetFiles(temp.Path).Select(Path.GetFileName).Should().BeEquivalentTo("fun-network.lock", "fun-network.lock.generation", "fun-network.json.write");
        }

        File.ReadAllText(store.GenerationPath("fun-network")).Should().Be("1\n");
        (await store.ListCompaniesAsync(default)).Should().BeEmpty();
    }

    [Fact]
    public async Task No_write_of_the_old_holder_lands_after_a_new_holder_took_the_lock()
    {
        await store.WriteAsync(SampleStates.FunNetwork(1), SampleStates.Context, default);
        var old = await store.AcquireLockAsync("fun-network", SampleStates.Holder("alice"), TimeSpan.Zero, default);
        var writer = Task.Run(async () =>
        {
            for (var serial = 2; ; serial++)
            {
                try
                {
                    await store.WriteAsync(SampleStates.FunNetwork(serial), SampleStates.Context with { Fence = old.Fence }, default);
                }
                catch (StateLockLostException)
                {
                    return serial - 1;
                }
            }
        });
        await Task.Delay(100);

        var other = new LocalStateStore(temp.Path, lease: Short);
        await other.ForceUnlockAsync("fun-network", old.Info.Id, default);
        await using var now = await other.AcquireLockAsync("fun-network", SampleStates.Holder("bob"), TimeSpan.Zero, default);
        var serialWhenTaken = (await other.ReadAsync("fun-network", default))!.Serial;
        var lastWritten = await writer;

        lastWritten.Should().BeGreaterThan(1, "the old holder wrote while it held the lock");
        (await other.ReadAsync("fun-network", default))!.Serial.Should().Be(serialWhenTaken).And.Be(lastWritten);
        await old.DisposeAsync();
    }

    [Theory]
    [InlineData("45s", 45000)]
    [InlineData("2m", 120000)]
    [InlineData("1500ms", 1500)]
    [InlineData("3", 3000)]
    public void WHC_LOCAL_LOCK_LEASE_sets_the_lease_renewed_every_third_of_it(string value, int milliseconds)
    {
        var lease = StateStoreFactory.LocalLease(new Dictionary<string, string?> { ["WHC_LOCAL_LOCK_LEASE"] = value })!;

        lease.Duration.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
        lease.RenewEvery.Should().Be(TimeSpan.FromMilliseconds(milliseconds) / 3);
        lease.CheckEvery.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(3)).And.BeGreaterThan(TimeSpan.Zero);
        StateStoreFactory.LocalLease(new Dictionary<string, string?>()).Should().BeNull("the default is 45 s");
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("500ms")]
    [InlineData("-5s")]
    [InlineData("2h")]
    public void A_WHC_LOCAL_LOCK_LEASE_that_is_not_a_sensible_duration_is_a_clear_error(string value)
    {
        var open = () => StateStoreFactory.Open(temp.Path, temp.Path, new Dictionary<string, string?> { ["WHC_LOCAL_LOCK_LEASE"] = value });

        open.Should().Throw<StateException>().Which.Should().Match<StateException>(e => e.Code == "WHC5006" && e.Message.Contains("WHC_LOCAL_LOCK_LEASE"));
    }

    [Fact]
    public async Task A_store_opened_with_WHC_LOCAL_LOCK_LEASE_writes_that_lease()
    {
        var opened = StateStoreFactory.Open(temp.Path, temp.Path, new Dictionary<string, string?> { ["WHC_LOCAL_LOCK_LEASE"] = "10m" });

        await using var held = await opened.AcquireLockAsync("fun-network", SampleStates.Holder(), TimeSpan.Zero, default);

        LeaseExpiry().Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromSeconds(30));
    }

    private DateTimeOffset LeaseExpiry() =>
        JsonNode.Parse(File.ReadAllText(store.LockPath("fun-network")))!["leaseExpiresAt"]!.GetValue<DateTimeOffset>();

    private void WriteLockFile(JsonObject content)
    {
        Directory.CreateDirectory(temp.Path);
        File.WriteAllText(store.LockPath("fun-network"), content.ToJsonString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        condition().Should().BeTrue();
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var pid = process.Id;
        await process.WaitForExitAsync();
        return pid;
    }

    /// <summary>A <see cref="LockHost"/> in a process of its own (this test assembly started with dotnet).</summary>
    private sealed class LockHostProcess : IAsyncDisposable
    {
        private readonly Process process;

        private LockHostProcess(Process process, string lockId, long generation)
        {
            this.process = process;
            LockId = lockId;
            Generation = generation;
        }

        public string LockId { get; }

        public long Generation { get; }

        public static async Task<LockHostProcess> StartAsync(string directory, string company, LocalLockLease lease)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                typeof(LockHost).Assembly.Location, "lock-host", directory, company,
                Ms(lease.Duration), Ms(lease.RenewEvery), Ms(lease.CheckEvery),
            })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var first = await ReadLineAsync(process);
            if (first?.Split(' ') is not ["held", var id, var generation])
            {
                process.Kill();
                throw new InvalidOperationException($"the lock host did not take the lock: {first} {await process.StandardError.ReadToEndAsync()}");
            }

            return new LockHostProcess(process, id, long.Parse(generation, System.Globalization.CultureInfo.InvariantCulture));
        }

        public async Task<string?> AskAsync(string command)
        {
            await process.StandardInput.WriteLineAsync(command);
            await process.StandardInput.FlushAsync();
            return await ReadLineAsync(process);
        }

        /// <summary>Stops the process dead (SIGSTOP), as a debugger, a swapped-out VM or a suspended laptop does.</summary>
        public void Freeze() => Signal("STOP");

        public void Resume() => Signal("CONT");

        /// <summary>
        /// Freezes the process at a moment it holds no write guard: its lease renewals take that OS lock for an instant,
        /// and a process frozen inside one blocks every writer until it resumes, which the fencing cannot help (a
        /// different failure from the one these tests are about; freezing there made a test fail once in a full run).
        /// </summary>
        public void FreezeOutsideWriteGuard(string directory, string company)
        {
            for (var attempt = 0; ; attempt++)
            {
                Freeze();
                try
                {
                    using var guard = new FileStream(Path.Combine(directory, company + ".json.write"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    // Held a moment: a renewal the stop signal has not yet caught waits here, not inside the guard.
                    Thread.Sleep(50);
                    return;
                }
                catch (IOException) when (attempt < 100)
                {
                    Resume();
                    Thread.Sleep(10);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                Signal("CONT");
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        private void Signal(string signal)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            kill.WaitForExit();
        }

        private static async Task<string?> ReadLineAsync(Process process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await process.StandardOutput.ReadLineAsync(timeout.Token);
        }

        private static string Ms(TimeSpan span) => ((int)span.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
