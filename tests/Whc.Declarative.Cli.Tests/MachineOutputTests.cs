using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 23, item 6: output for machines and for -q. With --log-format json every stderr line is one JSON object
/// (diagnostics and talk included) with typed fields and no needless escaping; apply --format json always ends with a
/// summary event; -q prints only errors, for every command that talks.
/// </summary>
public sealed class MachineOutputTests
{
    private const string Manifest = "examples/quickstart/company.yaml";
    private const string Cug = "CUG5019851064";

    /// <summary>Every non-empty line of <paramref name="stderr"/>, parsed; fails naming the first line that is not a JSON object.</summary>
    private static List<JsonObject> JsonLines(CliResult result)
    {
        var lines = new List<JsonObject>();
        foreach (var line in result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')))
        {
            JsonNode? node = null;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
            }

            node.Should().BeOfType<JsonObject>($"every stderr line is one JSON object, but this is not: {line}\n{result}");
            var entry = (JsonObject)node!;
            entry["timestamp"]!.GetValueKind().Should().Be(JsonValueKind.String, line);
            entry["level"]!.GetValue<string>().Should().BeOneOf(["trace", "debug", "information", "warning", "error", "critical"], line);
            entry["category"]!.GetValueKind().Should().Be(JsonValueKind.String, line);
            entry["message"]!.GetValueKind().Should().Be(JsonValueKind.String, line);
            lines.Add(entry);
        }

        return lines;
    }

    [Fact]
    public async Task With_log_format_json_every_stderr_line_of_plan_apply_and_destroy_is_a_json_object()
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", "examples/quickstart", "-v", "--log-format", "json");
        var saved = await session.RunAsync("plan", "examples/quickstart", "--out", "p.json", "--log-format", "json");
        var apply = await session.RunAsync("apply", "p.json", "--log-format", "json");
        var destroy = await session.RunAsync("destroy", "fun-network", "--auto-approve", "--log-format", "json");

        foreach (var run in new[] { plan, saved, apply, destroy })
        {
            run.ExitCode.Should().Be(ExitCodes.Success, run.ToString());
            JsonLines(run).Should().NotBeEmpty(run.ToString());
        }

        JsonLines(saved).Should().Contain(l => l["message"]!.GetValue<string>().StartsWith("Saved the plan to p.json", StringComparison.Ordinal));
        JsonLines(apply).Should().Contain(l => l["message"]!.GetValue<string>().StartsWith("Apply complete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_log_format_json_an_apply_with_json_events_keeps_stderr_json_too()
    {
        await using var session = await SandboxSession.StartAsync();

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--format", "json", "--log-format", "json");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        JsonLines(apply).Should().NotBeEmpty().And.OnlyContain(l => l["message"]!.GetValue<string>().Length > 0, "a blank line of the plan's text is no entry");
    }

    [Fact]
    public async Task With_log_format_json_a_failing_validate_writes_each_diagnostic_as_a_json_object_with_code_file_line_and_column()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Edit(Manifest, "extension: \"2001\"", "extension: \"2001\"\n          extension: \"2002\"");

        var validate = await session.RunAsync("validate", "examples/quickstart", "--log-format", "json");
        var plan = await session.RunAsync("plan", "examples/quickstart", "--log-format", "json");

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        foreach (var run in new[] { validate, plan })
        {
            var diagnostic = JsonLines(run).Should().Contain(l => l["category"]!.GetValue<string>() == "diagnostic").Which;
            diagnostic["level"]!.GetValue<string>().Should().Be("error");
            diagnostic["code"]!.GetValue<string>().Should().MatchRegex("^WHC[0-9]{4}$");
            diagnostic["file"]!.GetValue<string>().Should().EndWith("company.yaml");
            diagnostic["line"]!.GetValueKind().Should().Be(JsonValueKind.Number);
            diagnostic["column"]!.GetValueKind().Should().Be(JsonValueKind.Number);
            diagnostic["message"]!.GetValue<string>().Should().NotContain("error WHC", "the message is the diagnostic's own text, not the whole text line");
        }
    }

    [Fact]
    public async Task Json_log_fields_are_typed_and_not_needlessly_escaped()
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", "examples/quickstart", "-v", "--log-format", "json");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var call = JsonLines(plan).First(l => l["fields"]?["TrackingId"] is not null);
        call["fields"]!["Status"]!.GetValueKind().Should().Be(JsonValueKind.Number);
        call["fields"]!["DurationMs"]!.GetValueKind().Should().Be(JsonValueKind.Number);
        call["fields"]!["Attempt"]!.GetValueKind().Should().Be(JsonValueKind.Number);
        call["fields"]!["Operation"]!.GetValueKind().Should().Be(JsonValueKind.String);
        plan.Error.Should().Contain(" -> ").And.NotContain("\\u003E").And.NotContain("\\u002B").And.NotContain("\\u003C");
    }

    [Fact]
    public void Json_log_lines_still_escape_control_characters()
    {
        using var error = new StringWriter();
        var stderr = new StderrWriter(error);
        stderr.Configure(quiet: false, json: true, TimeProvider.System);

        stderr.WriteLine("a \u001b[31mred\u001b[0m + b -> <c>\u2028d");

        var line = error.ToString().TrimEnd();
        line.Should().NotContain("\u001b").And.NotContain("\u2028").And.Contain("\\u001B").And.Contain("+ b -> <c>");
        JsonNode.Parse(line)!["message"]!.GetValue<string>().Should().Be("a \u001b[31mred\u001b[0m + b -> <c>\u2028d");
    }

    private static List<JsonObject> Events(CliResult result) =>
        [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonNode.Parse(l)!)];

    [Fact]
    public async Task Apply_format_json_ends_with_a_summary_event_after_changes()
    {
        await using var session = await SandboxSession.StartAsync();

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--format", "json");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        var summary = Events(apply)[^1];
        summary["type"]!.GetValue<string>().Should().Be("summary");
        summary["outcome"]!.GetValue<string>().Should().Be("applied");
        summary["succeeded"]!.GetValue<bool>().Should().BeTrue();
        summary["done"]!.GetValue<int>().Should().BePositive();
        summary["failed"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Apply_format_json_with_nothing_to_change_ends_with_a_summary_event()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--format", "json");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        var summary = Events(apply).Should().ContainSingle().Which;
        summary["type"]!.GetValue<string>().Should().Be("summary");
        summary["outcome"]!.GetValue<string>().Should().Be("no_changes");
        summary["succeeded"]!.GetValue<bool>().Should().BeTrue();
        summary["done"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Apply_format_json_that_cannot_plan_ends_with_a_failed_summary_event()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Edit(Manifest, "extension: \"2001\"", "extension: \"2001\"\n          extension: \"2002\"");

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--format", "json");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        var summary = Events(apply)[^1];
        summary["type"]!.GetValue<string>().Should().Be("summary");
        summary["outcome"]!.GetValue<string>().Should().Be("planning_failed");
        summary["succeeded"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Apply_format_json_that_fails_on_a_refusal_ends_with_a_failed_summary_event()
    {
        await using var session = await SandboxSession.StartAsync();

        // Off a terminal, apply without --auto-approve is refused (nothing is changed).
        var apply = await session.RunAsync("apply", "examples/quickstart", "--format", "json");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        var summary = Events(apply)[^1];
        summary["type"]!.GetValue<string>().Should().Be("summary");
        summary["succeeded"]!.GetValue<bool>().Should().BeFalse();
        summary["outcome"]!.GetValue<string>().Should().Be("refused");
    }

    [Fact]
    public async Task Apply_format_json_stopped_by_an_error_before_planning_ends_with_an_error_summary_event()
    {
        await using var session = await SandboxSession.StartAsync();

        // An endpoint that is no URL stops the run before it plans; its diagnostic is on stderr.
        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--format", "json", "--endpoint", "not a url");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().MatchRegex("error WHC[0-9]{4}: ");
        var summary = Events(apply).Should().ContainSingle().Which;
        summary["type"]!.GetValue<string>().Should().Be("summary");
        summary["outcome"]!.GetValue<string>().Should().Be("error");
        summary["succeeded"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Quiet_prints_nothing_on_stderr_for_any_command_that_succeeds()
    {
        await using var session = await SandboxSession.StartAsync();
        var runs = new List<(string What, CliResult Result)>();
        async Task Run(params string[] args) => runs.Add((string.Join(' ', args), await session.RunAsync([.. args, "-q"])));

        await Run("validate", "examples/quickstart");
        await Run("plan", "examples/quickstart");
        await Run("plan", "examples/quickstart", "--out", "p.json");
        await Run("apply", "p.json");
        await Run("apply", "examples/quickstart", "--auto-approve");
        await Run("state", "list");
        await Run("state", "rm", "fun-network");
        await Run("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678");
        var pulled = await session.RunAsync("state", "pull", "fun-network");
        session.Write("pulled.json", pulled.Output);
        await Run("state", "push", "fun-network", "pulled.json", "--force");
        await Run("destroy", "fun-network", "--auto-approve");

        foreach (var (what, result) in runs)
        {
            result.ExitCode.Should().Be(ExitCodes.Success, $"{what}: {result}");
            result.Error.Should().BeEmpty($"-q prints only errors, and '{what}' had none");
        }
    }

    [Fact]
    public async Task Quiet_still_prints_errors()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Edit(Manifest, "extension: \"2001\"", "extension: \"2001\"\n          extension: \"2002\"");

        var validate = await session.RunAsync("validate", "examples/quickstart", "-q");
        var plan = await session.RunAsync("plan", "examples/quickstart", "-q");
        var apply = await session.RunAsync("apply", "examples/quickstart", "-q");

        foreach (var run in new[] { validate, plan, apply })
        {
            run.ExitCode.Should().Be(ExitCodes.Error, run.ToString());
            run.Error.Should().MatchRegex("error WHC[0-9]{4}: ", run.ToString());
            run.Error.Should().NotContain("warning WHC").And.NotContain("valid in");
        }
    }

    [Fact]
    [Trait("Category", CliExecutable.StoryCategory)]
    public async Task In_a_real_process_every_stderr_line_of_a_failing_validate_and_a_usage_error_is_json_and_quiet_keeps_only_the_errors()
    {
        using var workspace = new TempWorkspace();
        var manifest = workspace.File(Manifest);
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("extension: \"2001\"", "extension: \"2001\"\n          extension: \"2002\"", StringComparison.Ordinal));

        var validate = await Support.Process.RunAsync(CliExecutable.FileName, workspace.Path, null, CliExecutable.Arguments(["validate", "examples/quickstart", "--log-format", "json"]));
        var usage = await Support.Process.RunAsync(CliExecutable.FileName, workspace.Path, null, CliExecutable.Arguments(["validate", "--log-format", "json", "--bogus-option"]));
        var quiet = await Support.Process.RunAsync(CliExecutable.FileName, workspace.Path, null, CliExecutable.Arguments(["validate", "examples/quickstart", "-q"]));

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        JsonLines(validate).Should().Contain(l => l["category"]!.GetValue<string>() == "diagnostic" && l["level"]!.GetValue<string>() == "error");
        usage.ExitCode.Should().Be(ExitCodes.Error, usage.ToString());
        JsonLines(usage).Should().Contain(l => l["code"] != null && l["code"]!.GetValue<string>() == "WHC6001");
        quiet.ExitCode.Should().Be(ExitCodes.Error, quiet.ToString());
        quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().NotBeEmpty().And.OnlyContain(l => l.Contains(": error WHC", StringComparison.Ordinal));
    }
}
