using System.CommandLine;
using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27, item 11: docs/cli.md promises that every <c>--help</c> ends with examples. These tests walk whcctl's real
/// command tree, so a command added later without examples fails here, and run <c>--help</c> through the real program.
/// </summary>
public sealed partial class HelpExamplesTests
{
    // --help reads and writes no file; any directory will do.
    private static readonly string WorkingDirectory = Path.GetTempPath();

    /// <summary>Every command and subcommand, as the words typed after <c>whcctl</c> ("" is whcctl itself).</summary>
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var path in Walk(Tree(), []))
        {
            data.Add(path);
        }

        return data;
    }

    [Fact]
    public void The_tree_walked_holds_every_command_of_the_readme_table()
    {
        var paths = Walk(Tree(), []).ToList();

        paths.Should().Contain(["", "validate", "plan", "apply", "destroy", "import", "doctor", "show", "graph", "completion", "force-unlock", "contract show", "sandbox serve", "sandbox replay", "state show", "state mv"]);
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/cli.md")]
    public void The_readme_s_command_table_and_the_cli_synopsis_name_every_command(string file)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, file)).ReplaceLineEndings("\n");
        // README: the rows of the command table; docs/cli.md: the synopsis, its first code block.
        var lines = file == "README.md"
            ? text.Split('\n').Where(l => l.StartsWith("| `whcctl ", StringComparison.Ordinal)).Select(l => l[3..]).ToList()
            : text.Split("```")[1].Split('\n').Where(l => l.StartsWith("whcctl ", StringComparison.Ordinal)).ToList();

        foreach (var path in Walk(Tree(), []).Where(p => p.Length > 0))
        {
            var words = path.Split(' ');
            lines.Should().Contain(
                l => l.StartsWith("whcctl " + words[0] + " ", StringComparison.Ordinal) && (words.Length == 1 || Regex.IsMatch(l, $@"[ |]{Regex.Escape(words[1])}\b")),
                $"{file} lists every command, also 'whcctl {path}'");
        }

        lines.Single(l => l.StartsWith("whcctl completion ", StringComparison.Ordinal)).Should().ContainAll(["bash", "zsh", "fish", "powershell"]);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_ends_with_examples_of_the_command(string path)
    {
        var words = path.Length == 0 ? [] : path.Split(' ');

        var result = await Whcctl.RunAsync(WorkingDirectory, [.. words, "--help"]);

        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
        var lines = result.Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        var heading = Array.LastIndexOf(lines, "Examples:");
        heading.Should().BeGreaterThan(0, $"'whcctl {path} --help' must have an 'Examples:' section:\n{result.Output}");
        var examples = lines[(heading + 1)..];
        examples.Should().NotBeEmpty().And.OnlyContain(l => l.StartsWith("  ", StringComparison.Ordinal), $"nothing may follow the examples of 'whcctl {path} --help':\n{result.Output}");
        examples.Should().Contain(l => l.Contains(("whcctl " + path).TrimEnd(), StringComparison.Ordinal), $"'whcctl {path} --help' shows an example of itself");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_example_in_help_parses_as_written(string path)
    {
        var words = path.Length == 0 ? [] : path.Split(' ');
        var result = await Whcctl.RunAsync(WorkingDirectory, [.. words, "--help"]);
        var lines = result.Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        var examples = string.Join('\n', lines[(Array.LastIndexOf(lines, "Examples:") + 1)..]).Replace("\\\n", " ", StringComparison.Ordinal);

        foreach (var line in examples.Split('\n'))
        {
            var args = CommandLineOf(line);
            var io = new IOContext(TextWriter.Null, TextWriter.Null, TextReader.Null, new Dictionary<string, string?>(), WorkingDirectory, isTerminal: false);
            var parsed = WhcctlApp.BuildRootCommand(io).Parse(args);

            UsageErrors.Of(parsed, args).Select(p => p.Diagnostic.ToString()).Should().BeEmpty($"the example '{line.Trim()}' of 'whcctl {path} --help' must parse");
        }
    }

    [Fact]
    public void An_example_line_is_read_up_to_the_shell_s_own_syntax()
    {
        CommandLineOf("  source <(whcctl completion bash)   # this shell").Should().Equal("completion", "bash");
        CommandLineOf("  whcctl graph companies/ > plan.mmd && mmdc -i plan.mmd").Should().Equal("graph", "companies/");
        CommandLineOf("  whcctl plan companies/ --format json | jq -r '.x'").Should().Equal("plan", "companies/", "--format", "json");
    }

    /// <summary>The arguments of the whcctl call on an example line: from "whcctl" to a comment, pipe, redirection or the end.</summary>
    private static string[] CommandLineOf(string line)
    {
        var start = line.IndexOf("whcctl", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"an example line calls whcctl: '{line}'");
        var call = ShellSyntax().Split(line[(start + "whcctl".Length)..])[0];
        return call.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [GeneratedRegex(@"\s#|\||>|\)|&&")]
    private static partial Regex ShellSyntax();

    private static RootCommand Tree() =>
        WhcctlApp.BuildRootCommand(new IOContext(TextWriter.Null, TextWriter.Null, TextReader.Null, new Dictionary<string, string?>(), Path.GetTempPath(), isTerminal: false));

    private static IEnumerable<string> Walk(Command command, IReadOnlyList<string> above)
    {
        if (command.Hidden)
        {
            yield break;
        }

        yield return string.Join(' ', above);
        foreach (var subcommand in command.Subcommands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            foreach (var path in Walk(subcommand, [.. above, subcommand.Name]))
            {
                yield return path;
            }
        }
    }
}
