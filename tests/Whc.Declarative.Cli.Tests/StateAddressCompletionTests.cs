using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 item 10: the shell's completion (the built whcctl, a child process, asked through the [suggest:POSITION]
/// directive as the completion scripts ask it) offers the resource addresses in the state the command would read.
/// </summary>
public sealed class StateAddressCompletionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("whcctl state show ")]
    [InlineData("whcctl state rm ")]
    [InlineData("whcctl plan examples/quickstart --target ")]
    [InlineData("whcctl apply examples/quickstart --target ")]
    public async Task A_state_address_argument_completes_the_addresses_in_the_folder_state(string line)
    {
        // Given a folder whose local state holds the applied quickstart
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart);

        // When the shell asks for completions at the end of the line
        var result = await Suggest(session.Workspace.Path, line);

        // Then the company and its resources are offered, and nothing is said on stderr
        result.ExitCode.Should().Be(0, result.ToString());
        var offered = Lines(result.Output);
        offered.Should().Contain(["fun-network", "fun-network/site/ipswich-hq", "fun-network/user/jane.smith"]);
        result.Error.Should().BeEmpty();
    }

    [Theory]
    [InlineData("whcctl destroy ")]
    [InlineData("whcctl state history ")]
    [InlineData("whcctl state pull ")]
    [InlineData("whcctl state rollback ")]
    public async Task A_company_argument_completes_the_companies_in_state(string line)
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart);

        var result = await Suggest(session.Workspace.Path, line);

        result.ExitCode.Should().Be(0, result.ToString());
        Lines(result.Output).Should().Contain("fun-network").And.NotContain(a => a.Contains('/', StringComparison.Ordinal) && !a.StartsWith('/'));
        result.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task What_is_typed_narrows_the_addresses_and_mv_offers_what_it_can_rename()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart);

        var typed = await Suggest(session.Workspace.Path, "whcctl state show fun-network/us");
        var move = await Suggest(session.Workspace.Path, "whcctl state mv ");

        Lines(typed.Output).Should().NotBeEmpty().And.OnlyContain(a => a.StartsWith("fun-network/user/", StringComparison.Ordinal));
        var renamable = Lines(move.Output).Where(a => !a.StartsWith('-') && !a.StartsWith('/')).ToList();
        renamable.Should().Contain("fun-network/site/ipswich-hq").And.OnlyContain(a => a.Contains("/site/", StringComparison.Ordinal) || a.Contains("/number-block/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_state_option_on_the_line_chooses_the_state_that_is_read()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        var elsewhere = await Suggest(session.Workspace.Path, "whcctl state show --state elsewhere ");
        var @default = await Suggest(session.Workspace.Path, "whcctl state show ");

        Lines(elsewhere.Output).Should().Contain("fun-network/user/jane.smith");
        Lines(@default.Output).Should().NotContain(a => a.StartsWith("fun-network", StringComparison.Ordinal), "the default state directory holds nothing");
    }

    [Fact]
    public async Task A_state_that_cannot_be_read_offers_nothing_and_prints_no_error()
    {
        using var workspace = new TempWorkspace();
        Directory.CreateDirectory(workspace.File(".whc/state"));
        File.WriteAllText(workspace.File(".whc/state/broken.json"), "{ not json");

        var broken = await Suggest(workspace.Path, "whcctl state show ");
        var postgres = await Suggest(workspace.Path, "whcctl state show --state postgres://nobody@127.0.0.1:1/none ");

        broken.Error.Should().BeEmpty();
        Lines(broken.Output).Should().NotContain(a => a.StartsWith("broken", StringComparison.Ordinal));
        postgres.Error.Should().BeEmpty();
        Lines(postgres.Output).Should().NotBeEmpty("the options are still offered").And.OnlyContain(s => s.StartsWith('-') || s.StartsWith('/'));
    }

    private static Task<CliResult> Suggest(string workingDirectory, string line) =>
        ChildWhcctl.RunAsync(
            workingDirectory,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["NO_COLOR"] = "1" },
            Timeout,
            $"[suggest:{line.Length}]",
            line);

    private static List<string> Lines(string output) => [.. output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
