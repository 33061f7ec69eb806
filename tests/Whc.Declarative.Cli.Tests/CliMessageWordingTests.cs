using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 26: command-line refusals pinned whole, written against the wording at the call sites before it moved into
/// the catalogue's templates, so the move is seen to keep every byte.
/// </summary>
public sealed class CliMessageWordingTests
{
    [Theory]
    [InlineData("error WHC3014: --refresh-only needs a refresh; drop --refresh=false", "plan", "examples/quickstart", "--refresh-only", "--refresh=false")]
    [InlineData("error WHC3012: --target 'a/b' is not an address; use COMPANY or COMPANY/KIND/NAME with KIND site, user or number-block", "plan", "examples/quickstart", "--target", "a/b")]
    [InlineData("error WHC6001: --cug 'CUG1' is not a CUG id (CUG and 10 digits)", "doctor", "--cug", "CUG1")]
    public async Task A_refused_command_line_is_worded_as_before(string line, params string[] args)
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, args);

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Split('\n', StringSplitOptions.TrimEntries).Should().Contain(line);
    }

    [Fact]
    public async Task Destroying_a_company_not_in_state_is_worded_as_before()
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, "destroy", "no-such-company", "--auto-approve");

        result.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainMatch("error WHC3012: company 'no-such-company' is not in state (*); nothing to destroy");
    }

    [Fact]
    public async Task A_record_path_that_is_not_a_path_is_worded_as_before()
    {
        using var workspace = new TempWorkspace();

        var result = await Whcctl.RunAsync(workspace.Path, "plan", "examples/quickstart", "--record", "bad\0name.har");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainMatch("error WHC4030: --record 'bad*name.har' is not a file path: *");
    }
}
