using System.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>Whether a process on this host still runs, telling a reused pid apart by its start time.</summary>
public static class ProcessLiveness
{
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
