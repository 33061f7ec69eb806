using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 16, part 5: logging that works: every call under -v, JSON lines, a heartbeat off a terminal.</summary>
public sealed class LoggingTests
{
    private static async Task<List<string>> TrackingIdsAsync(SandboxSession session) =>
        [.. (await session.AdminGetAsync("/_sandbox/requests")).AsArray()
            .Select(r => r!["trackingId"]?.GetValue<string>())
            .OfType<string>()];

    [Fact]
    public async Task Verbose_logs_every_API_call_with_its_tracking_id()
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", "examples/quickstart", "-v");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var ids = await TrackingIdsAsync(session);
        ids.Should().NotBeEmpty();
        foreach (var id in ids)
        {
            plan.Error.Should().Contain($"tracking id {id})", "each call BT saw is in the log");
        }

        plan.Error.Should().Contain("[info] WHC readCompany GET /bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/company -> 404");
        plan.Output.Should().NotContain("[info]", "logs go to stderr, never into the plan");
    }

    [Fact]
    public async Task Without_verbose_a_successful_call_is_not_logged()
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", "examples/quickstart");

        plan.Error.Should().NotContain("WHC readCompany");
    }

    [Fact]
    public async Task Json_logs_are_one_object_per_line_with_timestamp_level_category_and_fields()
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", "examples/quickstart", "-v", "--log-format", "json");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var lines = plan.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToList();
        var calls = lines.Where(l => l["fields"]?["TrackingId"] is not null).ToList();
        calls.Should().HaveCount((await TrackingIdsAsync(session)).Count);
        var call = calls[0];
        DateTimeOffset.TryParse(call["timestamp"]!.GetValue<string>(), out _).Should().BeTrue();
        call["level"]!.GetValue<string>().Should().Be("information");
        call["category"]!.GetValue<string>().Should().Be("Whc.Declarative.WhcApi.WhcClient");
        call["fields"]!["Operation"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        call["fields"]!["Status"]!.GetValue<int>().Should().BeInRange(100, 599);
        call["fields"]!["DurationMs"].Should().NotBeNull();
    }

    [Fact]
    public async Task Off_a_terminal_a_long_order_wait_prints_a_heartbeat()
    {
        await using var session = await SandboxSession.StartAsync(timings: new OrderTimings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--heartbeat", "200ms");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().MatchRegex(@"still running: (1 step|[0-9]+ steps), fun-network:order-1:await for 0m0[0-9]s");
    }

    [Fact]
    public async Task With_json_events_on_stdout_the_heartbeat_still_reaches_the_log_on_stderr()
    {
        await using var session = await SandboxSession.StartAsync(timings: new OrderTimings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--format", "json", "--heartbeat", "200ms");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().Contain("still running:");
        apply.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.StartsWith('{'), "stdout carries only the JSON events");
    }

    [Fact]
    public async Task Quiet_prints_no_heartbeat()
    {
        await using var session = await SandboxSession.StartAsync(timings: new OrderTimings(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)));

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--heartbeat", "100ms", "--quiet");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().NotContain("still running");
    }

    [Fact]
    public async Task A_heartbeat_of_zero_prints_none()
    {
        await using var session = await SandboxSession.StartAsync(timings: new OrderTimings(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)));

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--heartbeat", "0");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().NotContain("still running");
    }

    [Theory]
    [InlineData("dumb", false)]
    [InlineData("xterm-256color", true)]
    public async Task A_dumb_terminal_gets_no_colour(string term, bool coloured)
    {
        await using var session = await SandboxSession.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>(session.Environment) { ["TERM"] = term };
        environment.Remove("NO_COLOR");
        var io = new IOContext(output, error, new StringReader(string.Empty), environment, session.Workspace.Path, isTerminal: true);

        var exit = await WhcctlApp.RunAsync(["plan", "examples/quickstart"], io);

        exit.Should().Be(ExitCodes.Success, error.ToString());
        output.ToString().Contains('\u001b', StringComparison.Ordinal).Should().Be(coloured);
    }
}
