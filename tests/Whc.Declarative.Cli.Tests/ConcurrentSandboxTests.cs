using System.Diagnostics;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Two commands at once in one folder on the embedded sandbox (issue 27, item 1): the second waits for the sandbox's
/// data directory with one message, bounded by --lock-timeout, or fails at once with WHC4090 and the way to wait;
/// never an internal error. Run as the user meets it: the built whcctl as child processes.
/// </summary>
public sealed class ConcurrentSandboxTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    [Fact]
    public async Task Plan_while_another_process_holds_the_sandbox_fails_with_WHC4090_naming_lock_timeout_not_a_bug()
    {
        using var workspace = new TempWorkspace();
        await using var holder = await SandboxServer.StartAsync(new SandboxOptions { DataDirectory = workspace.File(".whc/sandbox") }, CancellationToken.None);

        var run = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, TimeSpan.FromMinutes(2), "plan", "examples/multi-site", "--no-color");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().StartWith("error WHC4090:", run.ToString()).And.Contain("--lock-timeout")
            .And.NotContain("bug").And.NotContain("WHC3018").And.NotContain("WHC6002").And.NotContain("Exception").And.NotContain("--data-dir");
    }

    [Fact]
    public async Task Plan_with_lock_timeout_waits_for_the_sandbox_with_one_message_and_then_plans()
    {
        using var workspace = new TempWorkspace();
        var holder = await SandboxServer.StartAsync(new SandboxOptions { DataDirectory = workspace.File(".whc/sandbox") }, CancellationToken.None);
        var released = false;
        try
        {
            var start = CliExecutable.StartInfo(workspace.Path, ["plan", "examples/multi-site", "--no-color", "--lock-timeout", "2m"]);

            using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("cannot start whcctl");
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var firstLine = await process.StandardError.ReadLineAsync(deadline.Token);
            firstLine.Should().StartWith("Waiting for the embedded sandbox").And.Contain("--lock-timeout 2m").And.NotContain("error");

            // The wait ends when the other process lets go of the sandbox.
            released = true;
            await holder.DisposeAsync();
            var rest = await process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            var output = await stdout;

            process.ExitCode.Should().Be(0, $"{firstLine}\n{rest}\n{output}");
            rest.Should().NotContain("Waiting").And.NotContain("error");
            output.Should().Contain("Plan:");
        }
        finally
        {
            if (!released)
            {
                await holder.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Apply_and_plan_at_once_in_one_folder_both_succeed()
    {
        using var workspace = new TempWorkspace();

        await using var apply = ChildWhcctl.Start(workspace.Path, NoEnvironment, "apply", "examples/multi-site", "--auto-approve", "--no-color", "--lock-timeout", "3m");
        await using var plan = ChildWhcctl.Start(workspace.Path, NoEnvironment, "plan", "examples/multi-site", "--no-color", "--lock-timeout", "3m");
        var applied = await apply.WaitAsync(TimeSpan.FromMinutes(4));
        var planned = await plan.WaitAsync(TimeSpan.FromMinutes(4));

        applied.ExitCode.Should().Be(0, applied.ToString());
        planned.ExitCode.Should().Be(0, planned.ToString());
        (applied.Error + planned.Error).Should().NotContain("bug").And.NotContain("WHC4090").And.NotContain("Exception");
    }
}
