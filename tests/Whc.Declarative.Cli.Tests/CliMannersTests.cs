using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

public sealed class CliMannersTests : IDisposable
{
    private readonly TempWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public async Task Version_prints_the_version_and_the_commit()
    {
        var result = await Whcctl.RunAsync(workspace.Path, "--version");

        result.ExitCode.Should().Be(0);
        result.Output.Trim().Should().Be($"whcctl {VersionInfo.Version} (commit {VersionInfo.Commit})");
    }

    [Fact]
    public void The_build_stamps_the_git_commit()
    {
        VersionInfo.Commit.Should().MatchRegex("^([0-9a-f]{7,}|unknown)$").And.NotBe("unknown", "the tests run from a git checkout");
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("apply")]
    [InlineData("destroy")]
    [InlineData("graph")]
    [InlineData("completion")]
    public async Task Every_command_help_shows_examples(string command)
    {
        var result = await Whcctl.RunAsync(workspace.Path, command, "--help");

        result.ExitCode.Should().Be(0);
        result.Output.Should().Contain("Examples:").And.Contain("whcctl " + command);
    }

    [Fact]
    public async Task Plan_help_documents_the_exit_codes()
    {
        var result = await Whcctl.RunAsync(workspace.Path, "plan", "--help");

        result.Output.Should().Contain("Exit codes:").And.Contain("2  with --detailed-exitcode");
    }

    [Fact]
    public async Task Validate_accepts_no_color_like_the_other_commands()
    {
        var result = await Whcctl.RunAsync(workspace.Path, "validate", "examples/quickstart", "--no-color");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().NotContain("\u001b[");
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _whcctl_complete whcctl")]
    [InlineData("zsh", "compdef _whcctl whcctl")]
    [InlineData("fish", "complete -c whcctl -f -a '(__whcctl_complete)'")]
    [InlineData("powershell", "Register-ArgumentCompleter -Native -CommandName whcctl")]
    public async Task Completion_prints_a_script_that_asks_whcctl_through_the_suggest_directive(string shell, string registration)
    {
        var result = await Whcctl.RunAsync(workspace.Path, "completion", shell);

        result.ExitCode.Should().Be(0);
        result.Output.Should().Contain("[suggest:").And.Contain(registration);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("apply")]
    [InlineData("destroy")]
    [InlineData("validate")]
    [InlineData("import")]
    [InlineData("doctor")]
    [InlineData("show")]
    [InlineData("contract", "show")]
    [InlineData("sandbox", "serve")]
    [InlineData("sandbox", "replay")]
    [InlineData("state", "show")]
    [InlineData("state", "list")]
    public async Task Help_shows_real_placeholders_and_lower_case_values(params string[] command)
    {
        var result = await Whcctl.RunAsync(workspace.Path, [.. command, "--help"]);

        result.ExitCode.Should().Be(0, result.ToString());
        foreach (var line in result.Output.Split('\n').Where(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"--(?<name>[a-z-]+) <(?<placeholder>[^>]+)>");
            if (match.Success)
            {
                match.Groups["placeholder"].Value.Should().NotBe(match.Groups["name"].Value, $"'{line.Trim()}' should name what the option takes");
            }

            line.Should().NotMatchRegex(@"\b(Text|Json|Markdown|Github)\b", "values are typed in lower case");
        }
    }

    [Fact]
    public async Task The_suggest_directive_the_completion_script_uses_lists_the_commands()
    {
        var result = await Whcctl.RunAsync(workspace.Path, "[suggest:10]", "whcctl gr");

        result.Output.Split('\n', StringSplitOptions.TrimEntries).Should().Contain(["graph", "plan", "completion"]);
    }

    [Fact]
    public async Task Graph_prints_the_plan_steps_as_a_mermaid_flowchart()
    {
        var result = await Whcctl.RunAsync(workspace.Path, "graph", "examples/quickstart", "--refresh=false");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().StartWith("flowchart LR").And.Contain("subgraph c0[\"fun-network\"]").And.Contain("-->").And.NotContain("```");
    }

    [Fact]
    public async Task Graph_with_fence_wraps_the_diagram_for_markdown()
    {
        var result = await Whcctl.RunAsync(workspace.Path, "graph", "examples/quickstart", "--refresh=false", "--fence");

        result.Output.Should().StartWith("```mermaid");
    }

    [Fact]
    public async Task Graph_reports_invalid_manifests_with_exit_1()
    {
        File.WriteAllText(workspace.File("broken.yaml"), "apiVersion: whc.declarative/v1\nkind: Company\n");

        var result = await Whcctl.RunAsync(workspace.Path, "graph", "broken.yaml", "--refresh=false");

        result.ExitCode.Should().Be(ExitCodes.Error);
        result.Output.Should().BeEmpty();
        result.Error.Should().Contain("broken.yaml");
    }
}
