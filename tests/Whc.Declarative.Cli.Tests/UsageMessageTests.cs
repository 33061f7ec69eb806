using System.CommandLine;
using System.CommandLine.Help;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 (items 3 and 4): what the built whcctl says about a mistyped command or option, and a bad value of a
/// boolean option: one WHC6001 line that names what was meant or the values it takes.
/// </summary>
public sealed class UsageMessageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("did you mean 'plan'?", "'plna'", "plna")]
    [InlineData("did you mean 'list'?", "'lst'", "state", "lst")]
    [InlineData("did you mean 'validate'?", "'vali'", "vali", "examples/quickstart", "--formt")]
    [InlineData("did you mean '--format'?", "'--formt'", "plan", "examples/quickstart", "--formt", "json")]
    [InlineData("did you mean '--format'?", "'--formt=json'", "validate", "examples/quickstart", "--formt=json")]
    [InlineData("did you mean '--state'?", "'--stat'", "state", "list", "--stat", "x")]
    public async Task A_mistyped_command_or_option_is_one_WHC6001_line_with_a_suggestion(string suggestion, string token, params string[] args)
    {
        using var workspace = new TempWorkspace();

        var result = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, args);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Output.Should().BeEmpty();
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(result.ToString());
        lines[0].Should().StartWith("error WHC6001: ").And.Contain(token).And.Contain(suggestion);
        result.Error.Should().NotContain("Unrecognized").And.NotContain("Required command");
    }

    [Fact]
    public async Task A_token_like_nothing_known_gets_no_suggestion_but_a_way_to_the_help()
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, "frobnicate");

        result.ExitCode.Should().Be(ExitCodes.Error);
        result.Error.Should().StartWith("error WHC6001: ").And.Contain("'frobnicate'").And.NotContain("did you mean").And.Contain("whcctl --help");
    }

    [Fact]
    public async Task A_command_given_without_its_subcommand_lists_them_in_words()
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, "state");

        result.ExitCode.Should().Be(ExitCodes.Error);
        result.Error.Should().StartWith("error WHC6001: 'whcctl state' needs a command: ").And.Contain("list").And.Contain("push").And.NotContain("Required command");
    }

    [Fact]
    public async Task A_bad_value_of_refresh_is_a_usage_error_not_a_path()
    {
        using var workspace = new TempWorkspace();

        var result = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "plan", "examples/quickstart", "--refresh=maybe");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("error WHC6001: ").And.Contain("--refresh").And.Contain("'maybe'").And.Contain("true or false");
        result.Error.Should().NotContain("WHC1001");
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle(result.ToString());
    }

    public static TheoryData<string> BoolOptions()
    {
        var data = new TheoryData<string>();
        var root = WhcctlApp.BuildRootCommand(new IOContext(TextWriter.Null, TextWriter.Null, TextReader.Null, new Dictionary<string, string?>(), Path.GetTempPath(), isTerminal: false));
        Collect(root, []);
        return data;

        void Collect(Command command, string[] path)
        {
            foreach (var option in command.Options.Where(o => o.ValueType == typeof(bool) && o.Arity.MaximumNumberOfValues > 0 && o is not HelpOption and not VersionOption))
            {
                data.Add(string.Join(' ', [.. path, option.Name]));
            }

            foreach (var subcommand in command.Subcommands)
            {
                Collect(subcommand, [.. path, subcommand.Name]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BoolOptions))]
    public async Task Every_bool_option_of_every_command_refuses_a_value_that_is_not_true_or_false(string commandAndOption)
    {
        using var workspace = new TempWorkspace();
        var words = commandAndOption.Split(' ');
        var option = words[^1];

        var result = await Whcctl.RunAsync(workspace.Path, [.. words[..^1], option + "=maybe"]);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().Contain($"error WHC6001: {option} takes true or false (or nothing), not 'maybe'", result.ToString());
        result.Error.Should().NotContain("WHC1001").And.NotContain("Unrecognized");
    }

    [Fact]
    public void Bool_options_are_found_at_all()
    {
        BoolOptions().Count.Should().BeGreaterThan(10, "plan alone has --refresh, --refresh-only, --detailed-exitcode, ...");
    }
}
