using System.Diagnostics;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// The sandbox's data directory (<c>--data-dir</c>) is read and written as whcctl's other files are: a FIFO or device
/// in place of the inventory is refused, and a link planted beside it is never written through.
/// </summary>
public sealed class DataDirectoryFileTests : IDisposable
{
    private const string Precious = "outside, never to be written\n";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("whc-sandbox-data-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task A_link_planted_at_the_inventorys_temporary_name_is_not_written_through()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var victim = Path.Combine(Directory.CreateTempSubdirectory("whc-outside-").FullName, "victim.txt");
        await File.WriteAllTextAsync(victim, Precious);
        File.CreateSymbolicLink(Path.Combine(_dataDirectory, "sandbox-inventory.json.tmp"), victim);

        await using (var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory }))
        {
            await sandbox.QualifiedAsync();
        }

        (await File.ReadAllTextAsync(victim)).Should().Be(Precious);
        new FileInfo(Path.Combine(_dataDirectory, "sandbox-inventory.json")).LinkTarget.Should().BeNull();
    }

    [Fact]
    public async Task A_FIFO_in_place_of_the_inventory_stops_the_start_without_hanging()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = Path.Combine(_dataDirectory, "sandbox-inventory.json");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false }) ?? throw new InvalidOperationException("mkfifo did not start"))
        {
            mkfifo.WaitForExit();
        }

        var start = Task.Run(() => SandboxServer.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory }, CancellationToken.None));
        var finished = await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(10)));
        if (finished != start)
        {
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                // releases the blocked reader
            }
        }

        finished.Should().BeSameAs(start, "the sandbox must not block on a FIFO");
        var refusal = await FluentActions.Awaiting(() => start).Should().ThrowAsync<IOException>();
        refusal.Which.Message.Should().Contain("sandbox-inventory.json").And.Contain("FIFO");
    }
}
