using System.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>Whether a process on this host still runs, telling a reused pid apart by its start time.</summary>
public static class ProcessLiveness
{
    private static readonly Lazy<string?> OwnPidNamespace = new(ReadPidNamespace);

    /// <summary>
    /// This process's pid namespace on this boot of this kernel (Linux: the boot id and the namespace's inode), or null
    /// elsewhere. Containers on one host may share a host name but not their pids: a pid is only judged in its namespace.
    /// </summary>
    public static string? PidNamespace => OwnPidNamespace.Value;

    private static string? ReadPidNamespace()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return boot.Length > 0 && pidNamespace is { Length: > 0 } ? $"{boot}/{pidNamespace}" : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>When the process started (UTC), or null when it does not run or cannot be inspected.</summary>
    public static DateTimeOffset? StartTimeOf(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// True when the process is known not to run: no such pid, or a pid whose start time differs from the recorded one
    /// (the pid was reused). A process we cannot inspect counts as alive.
    /// </summary>
    public static bool IsDead(int processId, DateTimeOffset? recordedStart)
    {
        if (processId <= 0)
        {
            return false;
        }

        if (OperatingSystem.IsLinux() && !Directory.Exists($"/proc/{processId}"))
        {
            return true;
        }

        var start = StartTimeOf(processId);
        if (start is null)
        {
            return !OperatingSystem.IsLinux() || !Directory.Exists($"/proc/{processId}");
        }

        return recordedStart is { } recorded && (start.Value - recorded).Duration() > TimeSpan.FromSeconds(2);
    }
}
