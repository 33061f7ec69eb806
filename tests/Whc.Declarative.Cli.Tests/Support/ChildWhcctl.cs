using System.Diagnostics;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// The built whcctl (<c>dotnet whcctl.dll</c>, or <see cref="CliExecutable"/>'s WHC_CLI_EXECUTABLE) as a child process that a test can pause and resume (SIGSTOP/SIGCONT),
/// wait for, and that is always killed when disposed if it still runs.
/// </summary>
public sealed class ChildWhcctl : IAsyncDisposable
{
    private readonly System.Diagnostics.Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private ChildWhcctl(System.Diagnostics.Process process)
    {
        this.process = process;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public static ChildWhcctl Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = CliExecutable.StartInfo(workingDirectory, args);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ChildWhcctl(System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("cannot start " + CliExecutable.Description));
    }

    /// <summary>Runs whcctl to its end (killed after <paramref name="timeout"/>, which fails the result).</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        await using var child = Start(workingDirectory, environment, args);
        return await child.WaitAsync(timeout);
    }

    /// <summary>Sends a signal by name (<c>STOP</c>, <c>CONT</c>, <c>KILL</c>) with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        var kill = await Process.RunAsync("kill", Path.GetTempPath(), null, "-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Id} failed: {kill}");
        }
    }

    /// <summary>Waits for the exit; after <paramref name="timeout"/> the process is killed and the result says so (exit -1).</summary>
    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Stop();
            await process.WaitForExitAsync();
            return new CliResult(-1, await stdout, $"(killed: still running after {timeout.TotalSeconds} s)\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Stop();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Stop()
    {
        try
        {
            // A stopped process still dies of SIGKILL; resuming first is not needed.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
