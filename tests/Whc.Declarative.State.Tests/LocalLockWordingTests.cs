using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// Issue 26: a local store's lock refusals (force-unlock of no lock or with another id, a generation counter that is not
/// a number) pinned whole, written against the wording at the throw sites before it moved into the catalogue's templates.
/// </summary>
public sealed class LocalLockWordingTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static readonly LockInfo Holder = new("L-1", "ann", "ci-3", 1234, "apply", new DateTimeOffset(2026, 3, 10, 12, 30, 0, TimeSpan.Zero));

    private string Words(StateException failure) => failure.Message.Replace(directory.Path, "DIR", StringComparison.Ordinal);

    [Fact]
    public async Task A_force_unlock_of_no_lock_is_worded_as_before()
    {
        var store = new LocalStateStore(directory.Path);

        var failure = (await FluentActions.Awaiting(() => store.ForceUnlockAsync("fun-network", "L-1", default)).Should().ThrowAsync<StateException>()).Which;

        failure.Code.Should().Be("WHC5007");
        Words(failure).Should().Be($"state of company 'fun-network' is not locked (DIR{Path.DirectorySeparatorChar}fun-network.lock does not exist or is unreadable)");
    }

    [Fact]
    public async Task A_force_unlock_with_another_id_is_worded_as_before()
    {
        var store = new LocalStateStore(directory.Path);
        await using var held = await store.AcquireLockAsync("fun-network", Holder, TimeSpan.Zero, default);

        var failure = (await FluentActions.Awaiting(() => store.ForceUnlockAsync("fun-network", "L-2", default)).Should().ThrowAsync<StateException>()).Which;

        failure.Code.Should().Be("WHC5007");
        Words(failure).Should().Be("lock id 'L-2' does not match the holder of the lock on 'fun-network': ann@ci-3 (pid 1234, 'apply') since 2026-03-10 12:30:00Z, lock id L-1");
    }

    [Fact]
    public async Task A_generation_counter_that_is_not_a_number_is_worded_as_before()
    {
        var store = new LocalStateStore(directory.Path);
        await File.WriteAllTextAsync(store.GenerationPath("fun-network"), "soon\n");

        var failure = (await FluentActions.Awaiting(() => store.AcquireLockAsync("fun-network", Holder, TimeSpan.Zero, default)).Should().ThrowAsync<StateException>()).Which;

        failure.Code.Should().Be("WHC5003");
        Words(failure).Should().Be($"the lock generation counter DIR{Path.DirectorySeparatorChar}fun-network.lock.generation is not a number; it must only grow: write into it a number above any generation a lock of 'fun-network' has had (the current time in milliseconds since 1970 is safe)");
    }
}
