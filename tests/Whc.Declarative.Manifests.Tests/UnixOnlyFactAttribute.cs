using System.Diagnostics;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>A test of Unix file kinds (FIFOs, sockets, devices, permissions): skipped on Windows, which has none.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file kinds only";
        }
    }
}

/// <summary>
/// A test that needs a directory this process cannot read. Root reads a chmod 000 directory all the same (as CI runs),
/// so there it is skipped; the seam test in LoaderFileSystemTests covers the diagnostic everywhere.
/// </summary>
public sealed class UnreadableDirectoryFactAttribute : FactAttribute
{
    public UnreadableDirectoryFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix permissions only";
            return;
        }

        using var probe = new TemporaryDirectory();
        var locked = Directory.CreateDirectory(Path.Combine(probe.Path, "locked"));
        File.SetUnixFileMode(locked.FullName, UnixFileMode.None);
        try
        {
            _ = Directory.GetFileSystemEntries(locked.FullName);
            Skip = "this process reads a chmod 000 directory all the same (it runs as root)";
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

internal static class UnixFiles
{
    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false }) ?? throw new InvalidOperationException("mkfifo did not start");
        process.WaitForExit();
        process.ExitCode.Should().Be(0, "mkfifo makes the FIFO");
    }

    public static System.Net.Sockets.Socket MakeSocket(string path)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        return socket;
    }
}
