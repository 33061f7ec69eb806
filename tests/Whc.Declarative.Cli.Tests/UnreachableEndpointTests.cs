using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// An endpoint that refuses connections (issue 27, item 2): at most one retry, one line, quickly; not dozens of
/// warnings over half a minute. The built whcctl as a child process, against a loopback port nobody listens on.
/// </summary>
public sealed class UnreachableEndpointTests
{
    [Fact]
    public async Task Plan_against_a_refusing_endpoint_fails_in_one_line_after_at_most_one_retry()
    {
        using var workspace = new TempWorkspace();
        var endpoint = $"http://127.0.0.1:{UnusedPort().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
            ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
        };

        var clock = Stopwatch.StartNew();
        var run = await ChildWhcctl.RunAsync(workspace.Path, environment, TimeSpan.FromMinutes(2), "plan", "examples", "--endpoint", endpoint, "--no-color");
        clock.Stop();

        run.ExitCode.Should().Be(1, run.ToString());
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(run.ToString());
        lines[0].Should().StartWith("error WHC4015:").And.Contain("refused").And.Contain("127.0.0.1").And.Contain("2 attempts");
        // Generous: a loaded 2-core machine starts dotnet slowly; before the fix this took 13-34 s.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(12), run.ToString());
    }

    [Theory]
    [InlineData(ScriptedFaultKinds.Unavailable)]
    [InlineData(ScriptedFaultKinds.Abort)]
    public async Task Transient_failures_keep_their_retries_and_warn_once_with_a_count(string fault)
    {
        using var workspace = new TempWorkspace();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Faults = new FaultConfig { Script = [new ScriptedFault(SandboxRoutes.Token, fault, 3)] },
        });
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
            ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
        };

        var run = await ChildWhcctl.RunAsync(workspace.Path, environment, TimeSpan.FromMinutes(2), "plan", "examples/multi-site", "--endpoint", sandbox.BaseUri.ToString(), "--no-color");

        run.ExitCode.Should().Be(0, run.ToString());
        sandbox.Requests.Count(r => r.Route == SandboxRoutes.Token).Should().Be(4, "the three failures are retried and the fourth attempt answers");
        var warnings = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith("[warn]", StringComparison.Ordinal)).ToList();
        warnings.Should().ContainSingle(run.ToString());
        warnings[0].Should().Contain("3 times").And.Contain("answered on attempt 4");
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
