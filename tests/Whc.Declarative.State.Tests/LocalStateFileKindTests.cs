using System.Diagnostics;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>The local store reads its files as manifests are read: a FIFO or a device in the state directory is refused, not read.</summary>
public sealed class LocalStateFileKindTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_FIFO_in_place_of_a_state_file_is_refused_without_hanging()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var store = new LocalStateStore(temp.Path);
        var fifo = store.StatePath("fun-network");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false }) ?? throw new InvalidOperationException("mkfifo did not start"))
        {
            mkfifo.WaitForExit();
        }

        var read = Task.Run(() => store.ReadAsync("fun-network", default));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10)));
        if (finished != read)
        {
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                // releases the blocked reader
            }
        }

        finished.Should().BeSameAs(read, "reading state must not block on a FIFO");
        var refusal = await FluentActions.Awaiting(() => read).Should().ThrowAsync<StateException>();
        refusal.Which.Message.Should().Contain("fun-network.json").And.Contain("FIFO");
    }

    [Fact]
    public async Task A_link_to_dev_zero_in_place_of_a_state_file_is_refused_without_growing()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var store = new LocalStateStore(temp.Path);
        File.CreateSymbolicLink(store.StatePath("fun-network"), "/dev/zero");

        var refusal = await FluentActions.Awaiting(() => store.ReadAsync("fun-network", default)).Should().ThrowAsync<StateException>();

        refusal.Which.Message.Should().Contain("fun-network.json").And.Contain("character device");
    }
}
