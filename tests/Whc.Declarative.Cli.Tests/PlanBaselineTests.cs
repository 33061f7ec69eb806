using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// The rendered plans (text, JSON, markdown) of the examples and of changes to an applied company, made by the real CLI
/// against a sandbox and compared with the checked-in files under Baselines/ (see <see cref="Baseline"/> for how to
/// regenerate them).
/// </summary>
public sealed class PlanBaselineTests
{
    public const string Quickstart = "examples/quickstart";

    /// <summary>A second user for the quickstart's only site (appended after jane.smith, the last user of the file).</summary>
    public const string JohnDoe = """
                - username: john.doe
                  firstName: John
                  lastName: Doe
                  extension: "2002"
                  number: { from: brum }

        """;

    public const string AdaLovelace = """
                - username: ada.lovelace
                  firstName: Ada
                  lastName: Lovelace
                  extension: "2003"
                  number: { from: brum }
                  licence: professional

        """;

    public static TheoryData<string, string, string> Examples() => new()
    {
        { "quickstart", "text", "txt" },
        { "quickstart", "json", "json" },
        { "quickstart", "markdown", "md" },
        { "multi-site", "text", "txt" },
        { "multi-site", "json", "json" },
        { "multi-site", "markdown", "md" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_plan_of_a_new_example_estate_matches_its_baseline_and_exits_2_with_detailed_exitcode(string example, string format, string extension)
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", $"examples/{example}", "--format", format, "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        Baseline.Match($"plan-{example}.{extension}", plan.Output, session.Workspace.Path);
    }

    [Fact]
    public async Task The_multi_site_example_applies_against_the_sandbox()
    {
        await using var session = await SandboxSession.StartAsync();

        await session.ApplyAsync("examples/multi-site");

        var again = await session.RunAsync("plan", "examples/multi-site", "--detailed-exitcode");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
    }

    [Fact]
    public async Task A_plan_of_an_unchanged_estate_says_No_changes_and_exits_0_with_detailed_exitcode()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);

        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().Contain("No changes");
        Baseline.Match("plan-unchanged.txt", plan.Output, session.Workspace.Path);
    }

    [Fact]
    public async Task Adding_changing_and_removing_users_of_an_applied_company_plans_as_in_the_baseline()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("examples/quickstart/company.yaml", session.Read("examples/quickstart/company.yaml") + JohnDoe);
        await session.ApplyAsync(Quickstart);

        // jane.smith changes licence, john.doe goes, ada.lovelace arrives.
        session.Edit("examples/quickstart/company.yaml", JohnDoe, AdaLovelace);
        session.Edit("examples/quickstart/company.yaml", "          licence: standard\n", "          licence: professional\n");
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        Baseline.Match("plan-user-changes.txt", plan.Output, session.Workspace.Path);
    }

    /// <summary>Issue 25: a site and its number block renamed together, with moved entries: two moves, nothing else.</summary>
    [Theory]
    [InlineData("text", "txt")]
    [InlineData("markdown", "md")]
    [InlineData("json", "json")]
    public async Task A_site_and_a_block_renamed_with_moved_plan_as_in_the_baseline(string format, string extension)
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        session.Edit("examples/quickstart/company.yaml", "name: ipswich-hq", "name: ipswich-main");
        session.Edit("examples/quickstart/company.yaml", "name: brum", "name: birmingham");
        session.Edit("examples/quickstart/company.yaml", "from: brum", "from: birmingham");
        File.AppendAllText(
            session.Workspace.File("examples/quickstart/company.yaml"),
            "  moved:\n    - { from: site/ipswich-hq, to: site/ipswich-main }\n    - { from: number-block/brum, to: number-block/birmingham }\n");

        var plan = await session.RunAsync("plan", Quickstart, "--format", format, "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        Baseline.Match($"plan-moved.{extension}", plan.Output, session.Workspace.Path);
    }
}
