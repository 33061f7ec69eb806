using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 28 item 1: the tool runs with reflection-based System.Text.Json switched off, as the native executable does, so
/// a journey through every file whcctl writes and reads (sandbox inventory, lock files, state, saved plan, HAR
/// recording and its replay) run as a child process proves none of them needs it.
/// </summary>
public sealed class ReflectionFreeToolTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_tool_switches_reflection_based_json_off()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "whcctl.runtimeconfig.json")))!;

        config["runtimeOptions"]!["configProperties"]!["System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault"]!.GetValue<bool>()
            .Should().BeFalse("the tool must run the same reflection-free code as the native executable");
    }

    [Fact]
    [Trait("Category", CliExecutable.StoryCategory)]
    public async Task Apply_with_a_recording_then_plan_to_a_file_show_it_and_replay_the_recording_all_work_without_reflection()
    {
        using var workspace = new TempWorkspace();

        var apply = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "apply", "examples/quickstart", "--auto-approve", "--no-color", "--record", "apply.har");
        var plan = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "plan", "examples/quickstart", "--no-color", "--out", "again.plan", "--detailed-exitcode");
        var show = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "show", "again.plan", "--format", "json");
        var replay = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "sandbox", "replay", "apply.har");

        foreach (var run in new[] { apply, plan, show, replay })
        {
            run.ExitCode.Should().Be(0, run.ToString());
            run.Error.Should().NotContain("WHC6002").And.NotContain("Exception", run.ToString());
        }

        File.Exists(workspace.File(".whc/sandbox/sandbox-inventory.json")).Should().BeTrue();
        File.Exists(workspace.File(".whc/state/fun-network.json")).Should().BeTrue();
        JsonNode.Parse(File.ReadAllText(workspace.File("apply.har")))!["log"]!["entries"]!.AsArray().Should().NotBeEmpty();
    }
}
