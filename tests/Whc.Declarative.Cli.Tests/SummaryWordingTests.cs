using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 item 6: the lines a user reads at the end of plan, apply, destroy and validate say what is true, once, with
/// counts and nouns that agree; each seen through the real CLI against the sandbox.
/// </summary>
public sealed class SummaryWordingTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;
    private const string Manifest = "examples/quickstart/company.yaml";

    [Fact]
    public async Task A_saved_plan_made_stale_by_an_apply_says_once_what_changed_and_once_what_to_do()
    {
        // Given a reviewed plan, and the same plan applied from another copy first (state moved on)
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", Quickstart, "--out", "plan.json")).ExitCode.Should().Be(ExitCodes.Success);
        File.Copy(session.Workspace.File("plan.json"), session.Workspace.File("again.json"));
        (await session.RunAsync("apply", "plan.json")).ExitCode.Should().Be(ExitCodes.Success);

        // When the copy is applied
        var again = await session.RunAsync("apply", "again.json");

        // Then one message names the moved state, says "stale" once and "plan again" once
        again.ExitCode.Should().Be(ExitCodes.Error, again.ToString());
        var line = again.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainSingle(l => l.Contains("WHC4050", StringComparison.Ordinal)).Subject;
        Occurrences(line, "stale").Should().Be(1, line);
        Occurrences(line, "plan again").Should().Be(1, line);
        line.Should().Contain("the state of 'fun-network' changed since the plan was made");
    }

    [Fact]
    public async Task Drift_of_one_resource_is_counted_in_the_singular_and_apply_refresh_only_says_what_it_recorded()
    {
        // Given the quickstart applied and one user renamed at BT by someone else
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        await session.AdminPostAsync("/_sandbox/outside/users/jane.smith", new { lastName = "Jones" });

        // When the drift is planned, then accepted
        var drift = await session.RunAsync("plan", Quickstart, "--refresh-only");
        var comment = await session.RunAsync("plan", Quickstart, "--refresh-only", "--format", "markdown");
        var accept = await session.RunAsync("apply", Quickstart, "--refresh-only", "--auto-approve");

        // Then the plan counts one resource, and apply says it recorded that one resource's drift in state
        drift.Output.Should().Contain("Drift: 1 resource changed outside whcctl.").And.NotContain("1 resources");
        comment.Output.Should().Contain("### whcctl plan: Drift: 1 resource changed outside whcctl.")
            .And.Contain("<code>fun-network</code>: Drift: 1 resource changed outside whcctl.</summary>", "the company's section is a drift report too")
            .And.NotContain("Plan: 0 to add");
        accept.ExitCode.Should().Be(ExitCodes.Success, accept.ToString());
        accept.Error.Should().Contain("Apply complete: state now records the drift of 1 resource changed at BT outside whcctl (fun-network); nothing at BT was changed.")
            .And.NotContain("steps done");
    }

    [Fact]
    public async Task Destroy_ends_with_destroy_complete_and_counts_what_it_ceased()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);

        var destroy = await session.RunAsync("destroy", "fun-network", "--auto-approve");

        destroy.ExitCode.Should().Be(ExitCodes.Success, destroy.ToString());
        destroy.Error.Should().MatchRegex(@"Destroy complete: \d+ resources ceased at BT \(fun-network\); \d+ steps done, 0 failed, 0 skipped\.").And.NotContain("Apply complete");
    }

    [Theory]
    [InlineData(0, "0 resources")]
    [InlineData(1, "1 resource")]
    [InlineData(2, "2 resources")]
    public void A_count_and_its_noun_agree(int count, string expected) =>
        Whc.Declarative.Core.Text.Counted.Of(count, "resource").Should().Be(expected);

    [Fact]
    public void A_noun_with_its_own_plural_takes_it() =>
        Whc.Declarative.Core.Text.Counted.Of(2, "company", "companies").Should().Be("2 companies");

    [Fact]
    public async Task An_apply_counts_its_steps_in_the_summary()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "lastName: Smith", "lastName: Jones");

        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().Contain("Apply complete: 3 steps done, 0 failed, 0 skipped.");
    }

    [Theory]
    [InlineData("manifest")]
    [InlineData("plan")]
    public async Task A_plan_with_errors_is_headed_as_failed_in_markdown_and_text_never_as_a_zero_plan(string failsAt)
    {
        // Given a manifest that does not load (the same extension twice), or a company name BT has for another reseller
        await using var session = await SandboxSession.StartAsync();
        if (failsAt == "manifest")
        {
            session.Edit(Manifest, "extension: \"2001\"", "extension: \"2001\"\n          extension: \"2002\"");
        }
        else
        {
            session.Write("other/company.yaml", session.Read(Manifest)
                .Replace("CUG5019851064", "CUG7000000001", StringComparison.Ordinal)
                .Replace("name: fun-network", "name: rival", StringComparison.Ordinal));
            await session.ApplyAsync("other", "--state", ".whc/rival-state");
        }

        var markdown = await session.RunAsync("plan", Quickstart, "--format", "markdown");
        var text = await session.RunAsync("plan", Quickstart);

        // Then the comment's heading says the plan failed, and neither output reads as an empty plan
        markdown.ExitCode.Should().Be(ExitCodes.Error, markdown.ToString());
        var heading = markdown.Output.Split('\n').First(l => l.StartsWith("### ", StringComparison.Ordinal));
        heading.Should().MatchRegex(@"^### whcctl plan: failed with (1 error|[02-9]\d* errors); nothing can be applied$");
        markdown.Output.Should().NotContain("Plan: 0 to add").And.NotContain("No changes").And.MatchRegex(@"The plan has (1 error|[02-9]\d* errors) and cannot be applied\.");
        text.ExitCode.Should().Be(ExitCodes.Error, text.ToString());
        (text.Output + text.Error).Should().NotContain("Plan: 0 to add").And.NotContain("No changes").And.Contain("Planning failed");
    }

    [Fact]
    public async Task Validate_of_a_path_that_holds_no_file_does_not_count_errors_in_zero_files()
    {
        using var workspace = new TempWorkspace();

        var validate = await Whcctl.RunAsync(workspace.Path, "validate", "no-such-folder");

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        validate.Error.Should().NotContain("in 0 files").And.Contain("1 error; no manifest file was read");
    }

    /// <summary>
    /// The sweep's guard: no message in the product hedges a count with "(s)" or "(es)" ("1 attempt(s)"); counts go through
    /// <c>Counted</c>. A lower-case word glued to "(s)" is the hedge; "http(s)" is a scheme, not a count.
    /// </summary>
    [Fact]
    public void No_product_source_hedges_a_count_with_s_in_brackets()
    {
        var hedge = new Regex(@"\b(?!http\(s\))[a-z]+\(e?s\)", RegexOptions.CultureInvariant);
        var hedged = Directory.GetFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => hedge.IsMatch(x.line) && !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(Repository.Root, x.f)}:{x.i + 1}: {x.line.Trim()}");

        hedged.Should().BeEmpty();
    }

    private static int Occurrences(string text, string word) => Regex.Count(text, Regex.Escape(word), RegexOptions.IgnoreCase);
}
