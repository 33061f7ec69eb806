using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 14: whatever the command line, whcctl answers with WHC diagnostics and exit 1, never a stack trace, never the
/// whole help on stdout, and never takes an unknown option for a path.
/// </summary>
public sealed class CommandLineHardeningTests
{
    [Theory]
    [InlineData("--format 'yaml' is not supported here", "plan", "examples/quickstart", "--format", "yaml")]
    [InlineData("--format 'yaml' is not supported here", "validate", "examples/quickstart", "--format", "yaml")]
    [InlineData("--parallelism must be at least 1", "plan", "examples/quickstart", "--parallelism", "0")]
    [InlineData("Cannot parse argument 'abc' for option '--parallelism'", "plan", "examples/quickstart", "--parallelism", "abc")]
    [InlineData("--max-users-per-order must be at least 1", "apply", "examples/quickstart", "--max-users-per-order", "0", "--auto-approve")]
    [InlineData("--order-timeout must be longer than 0", "apply", "examples/quickstart", "--order-timeout", "0s", "--auto-approve")]
    [InlineData("'1e300h' is not a duration", "apply", "examples/quickstart", "--order-timeout", "1e300h", "--auto-approve")]
    [InlineData("'Infinitys' is not a duration", "apply", "examples/quickstart", "--lock-timeout", "Infinitys", "--auto-approve")]
    [InlineData("--max-requests-per-second must be a number above 0", "apply", "examples/quickstart", "--max-requests-per-second", "0", "--auto-approve")]
    [InlineData("unknown option '--bogus' for 'whcctl plan'", "plan", "examples/quickstart", "--bogus")]
    [InlineData("unknown option '--format' for 'whcctl graph'", "graph", "examples/quickstart", "--format", "json")]
    [InlineData("unknown option '-x' for 'whcctl import'", "import", "-x")]
    [InlineData("unknown command 'frobnicate' for 'whcctl'", "frobnicate")]
    [InlineData("unknown option '--format' for 'whcctl state list'", "state", "list", "--format", "yaml")]
    public async Task A_bad_command_line_is_a_WHC6001_line_on_stderr_exit_1_and_nothing_else(string message, params string[] args)
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, args);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Output.Should().BeEmpty("no help text or plan on stdout, where a script would read it");
        result.Error.Should().Contain("error WHC6001: ").And.Contain(message).And.Contain("--help' for usage.");
        result.Error.Should().NotContain("   at ").And.NotContain("Unhandled");
        Directory.Exists(workspace.File(".whc")).Should().BeFalse("nothing was started, planned or written");
    }

    [Fact]
    public async Task Help_still_works_when_the_rest_of_the_line_does_not_parse()
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, "plan", "--parallelism", "0", "--help");

        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
        result.Output.Should().Contain("--parallelism");
    }

    [Fact]
    public async Task An_exception_no_command_expected_is_one_WHC6002_line_and_its_trace_only_with_WHC_DEBUG()
    {
        var plain = await RunWithBrokenStdoutAsync(debug: false);
        var debug = await RunWithBrokenStdoutAsync(debug: true);

        plain.Exit.Should().Be(ExitCodes.Error);
        plain.Error.Should().StartWith("error WHC6002: NotSupportedException: stdout is broken").And.Contain("WHC_DEBUG=1").And.NotContain("   at ");
        debug.Error.Should().Contain("   at ");
    }

    private static async Task<(int Exit, string Error)> RunWithBrokenStdoutAsync(bool debug)
    {
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?> { [WhcctlApp.DebugVariable] = debug ? "1" : null };
        var io = new IOContext(new BrokenWriter(), error, new StringReader(string.Empty), environment, Path.GetTempPath(), isTerminal: false);
        var exit = await WhcctlApp.RunAsync(["--version"], io);
        return (exit, error.ToString());
    }

    private sealed class BrokenWriter : StringWriter
    {
        public override void WriteLine(string? value) => throw new NotSupportedException("stdout is broken");
    }
}
