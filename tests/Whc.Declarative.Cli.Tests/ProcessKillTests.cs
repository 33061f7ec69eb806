using System.Diagnostics;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;
using Xunit.Abstractions;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// whcctl apply as a real child process, killed (SIGKILL) at random moments, then run again until it converges. The
/// lock the killed process left behind is recognised as a dead holder's; nothing is lost and nothing is duplicated.
/// </summary>
public sealed class ProcessKillTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", CliExecutable.StoryCategory)]
    public async Task Apply_killed_at_random_moments_converges_without_duplicates()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Faults = new FaultConfig { Latency = new LatencyFault(15, 10) },
            OrderTimings = new OrderTimings(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)),
        });
        using var workspace = new TempWorkspace();
        var random = new Random(5);
        var kills = 0;
        int exitCode = -1;
        for (var run = 0; run < 12 && exitCode != 0; run++)
        {
            var killAfter = run < 6 ? TimeSpan.FromMilliseconds(random.Next(400, 2500)) : (TimeSpan?)null;
            (exitCode, var killed) = await RunWhcctlAsync(sandbox, workspace.Path, killAfter, "apply", "examples/multi-site", "--auto-approve", "--no-color");
            kills += killed ? 1 : 0;
        }

        output.WriteLine($"{kills} kills");
        kills.Should().BeGreaterThan(0, "the test must really kill a run");
        exitCode.Should().Be(0, "a run without a kill converges");
        (await RunWhcctlAsync(sandbox, workspace.Path, null, "plan", "examples/multi-site", "--detailed-exitcode")).ExitCode.Should().Be(0);

        using var admin = new HttpClient { BaseAddress = sandbox.BaseUri };
        var inventory = JsonNode.Parse(await admin.GetStringAsync("/_sandbox/inventory"))!;
        var company = inventory["companies"]!.AsArray().Single()!;
        company["qualifications"]!.AsArray().Should().HaveCount(1, "the company is qualified exactly once");
        company["numberRanges"]!.AsArray().Should().HaveCount(2, "each of the two blocks is ringfenced exactly once");
        company["users"]!.AsArray().Should().HaveCount(25);
        inventory["orders"]!.AsArray().Should().HaveCount(9, "25 users need 9 orders of at most 3, and none is duplicated");
        var state = JsonNode.Parse(await File.ReadAllTextAsync(workspace.File(".whc/state/northern-lights-media.json")))!;
        state["users"]!.AsArray().Select(u => u!["serviceId"]!.GetValue<string>()).Order()
            .Should().Equal(company["users"]!.AsArray().Select(u => u!["serviceId"]!.GetValue<string>()).Order());
        state["intents"]!.AsArray().Should().BeEmpty();
    }

    private async Task<(int ExitCode, bool Killed)> RunWhcctlAsync(SandboxServer sandbox, string workingDirectory, TimeSpan? killAfter, params string[] args)
    {
        var start = CliExecutable.StartInfo(workingDirectory, args.Concat(["--endpoint", sandbox.BaseUri.ToString()]));

        start.Environment["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId;
        start.Environment["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var killed = false;
        if (killAfter is { } delay && !process.WaitForExit(delay))
        {
            process.Kill(entireProcessTree: true);
            killed = true;
        }

        await process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(stdout, stderr);
        output.WriteLine($"whcctl {string.Join(' ', args)}: {(killed ? "killed" : $"exit {process.ExitCode}")}");
        if (!killed && process.ExitCode != 0)
        {
            output.WriteLine(await stderr);
        }

        return (process.ExitCode, killed);
    }
}
