using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Tests;

/// <summary>WHC5001's message, pinned whole: who holds the lock, where, doing what, since when, and its id.</summary>
public class StateLockedWordingTests
{
    [Fact]
    public void Should_name_the_holder_its_host_process_operation_time_and_lock_id()
    {
        var holder = new LockInfo("L-42", "ann", "ci-runner-3", 4711, "apply", new DateTimeOffset(2026, 3, 10, 12, 30, 5, TimeSpan.Zero));

        var locked = new StateLockedException("acme", holder);

        locked.Code.Should().Be("WHC5001");
        locked.Message.Should().Be("state of company 'acme' is locked by ann@ci-runner-3 (pid 4711, 'apply') since 2026-03-10 12:30:05Z, lock id L-42");
    }
}
