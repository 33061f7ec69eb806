using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 26, across processes (the built whcctl as a child): a state file holding a field this whcctl does not know, or
/// of a newer format, is refused by plan and apply, and left byte for byte as it was (never written back without it).
/// </summary>
public sealed class StateFormatCliTests
{
    [Theory]
    [InlineData("unknown field")]
    [InlineData("newer format")]
    public async Task A_state_this_whcctl_cannot_read_whole_is_refused_by_another_process_and_left_as_it_is(string change)
    {
        // Given an applied company whose state file then gets a field this whcctl does not know, or a newer version
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");
        var path = session.Workspace.File(".whc/state/fun-network.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (change == "unknown field")
        {
            json["bindingAddedLater"] = "x";
        }
        else
        {
            json["version"] = CompanyState.CurrentVersion + 1;
        }

        File.WriteAllText(path, json.ToJsonString());
        var before = File.ReadAllBytes(path);
        session.Edit("examples/quickstart/company.yaml", "jane.smith", "eve.hacker");

        // When another whcctl process plans and applies
        var plan = await RunChildAsync(session, "plan", "examples/quickstart");
        var apply = await RunChildAsync(session, "apply", "examples/quickstart", "--auto-approve");

        // Then both refuse, saying why, and the file is untouched
        foreach (var result in new[] { plan, apply })
        {
            result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
            result.Error.Should().Contain("WHC5003").And.NotContain("   at ");
            result.Error.Should().Contain(change == "unknown field"
                ? "bindingAddedLater"
                : $"state format version {CompanyState.CurrentVersion + 1} was written by a newer whcctl; this whcctl reads versions up to {CompanyState.CurrentVersion}");
        }

        File.ReadAllBytes(path).Should().Equal(before);
    }

    private static Task<CliResult> RunChildAsync(SandboxSession session, params string[] args) =>
        Support.Process.RunAsync(
            CliExecutable.FileName,
            session.Workspace.Path,
            session.Environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!),
            CliExecutable.Arguments(args));
}
