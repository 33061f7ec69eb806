using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Skips (with the reason in the test report) when bash is not on PATH.</summary>
public sealed class RequiresBashFactAttribute : FactAttribute
{
    public RequiresBashFactAttribute()
    {
        if (!Support.Process.IsOnPath("bash"))
        {
            Skip = "bash is needed to run scripts/sync-template.sh";
        }
    }
}

/// <summary>
/// templates/gitops-repo, the repository a reseller copies: its manifests validate, every action it uses is pinned by a
/// full commit SHA, and the whcctl action line is the documented placeholder tagged with the current release;
/// its workflows are generated from this repository's own (scripts/sync-template.sh).
/// </summary>
public sealed partial class GitOpsTemplateTests
{
    private static readonly string Template = Path.Combine(Repository.Root, "templates", "gitops-repo");

    private const string Placeholder = "YOUR-ORG/whcctl/.github/actions/whcctl@0000000000000000000000000000000000000000";

    private static IEnumerable<string> WorkflowFiles() =>
        Directory.GetFiles(Path.Combine(Template, ".github", "workflows"), "*.yml").Order(StringComparer.Ordinal);

    [Fact]
    public async Task The_template_manifests_validate()
    {
        var result = await Whcctl.RunAsync(Template, "validate", "companies");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().Contain("2 companies valid");
    }

    [Fact]
    public void Each_company_lives_in_a_directory_named_after_its_key()
    {
        foreach (var directory in Directory.GetDirectories(Path.Combine(Template, "companies")))
        {
            File.ReadAllText(Path.Combine(directory, "company.yaml")).Should().Contain($"  name: {Path.GetFileName(directory)}\n");
        }
    }

    [Fact]
    public void Every_action_is_pinned_by_a_full_commit_sha_and_whcctl_by_the_documented_placeholder_of_this_release()
    {
        var version = PackedToolFixture.ProjectVersion();
        foreach (var file in WorkflowFiles())
        {
            var uses = File.ReadAllLines(file).Where(l => UsesLine().IsMatch(l)).ToList();
            uses.Should().NotBeEmpty();
            uses.Should().AllSatisfy(l => l.Should().MatchRegex(@"^\s*(-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$", file));
            uses.Where(l => l.Contains("/whcctl/", StringComparison.Ordinal)).Should().NotBeEmpty(file)
                .And.AllSatisfy(l => l.Trim().Should().Be($"uses: {Placeholder} # v{version}", "the release process bumps the template's tag comment with the version"));
        }

        File.ReadAllText(Path.Combine(Template, "README.md")).Should().Contain(Placeholder).And.Contain("git ls-remote");
    }

    [Fact]
    public void The_apply_waits_in_its_environment_and_the_readme_writes_down_the_settings()
    {
        File.ReadAllText(Path.Combine(Template, ".github", "workflows", "whcctl-apply.yml")).Should().Contain("    environment: whcctl-apply\n");
        File.Exists(Path.Combine(Template, ".github", "CODEOWNERS")).Should().BeTrue();
        var readme = File.ReadAllText(Path.Combine(Template, "README.md"));
        readme.Should().Contain("Environment `whcctl-apply`").And.Contain("Branch protection of `main`").And.Contain("Required reviewers");
    }

    /// <summary>
    /// Regression (issue 23, item 5): the template's apply was a weaker hand-written copy (a fresh plan from head, no
    /// reviewed plan, no comment on the pull requests covered), so a team copying it lost the guarantees this
    /// repository's workflows give. The template's workflows are generated from this repository's own by
    /// scripts/sync-template.sh; regenerating them must give the committed files byte for byte.
    /// </summary>
    [RequiresBashFact]
    public async Task The_template_workflows_are_this_repositorys_workflows_as_scripts_sync_template_generates_them()
    {
        var output = Directory.CreateTempSubdirectory("whcctl-template-sync-").FullName;
        try
        {
            var result = await Support.Process.RunAsync("bash", Repository.Root, null, "scripts/sync-template.sh", output);
            result.ExitCode.Should().Be(0, result.ToString());

            var generated = Path.Combine(output, ".github", "workflows");
            var committed = Path.Combine(Template, ".github", "workflows");
            string[] Names(string directory) => [.. Directory.GetFiles(directory, "*.yml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
            Names(committed).Should().Equal(Names(generated), "scripts/sync-template.sh writes every workflow of the template");
            foreach (var name in Names(generated))
            {
                File.ReadAllText(Path.Combine(committed, name)).Should().Be(
                    File.ReadAllText(Path.Combine(generated, name)),
                    $"templates/gitops-repo/.github/workflows/{name} is generated from .github/workflows/{name}: run scripts/sync-template.sh and commit");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void The_template_apply_keeps_the_reviewed_plan_the_report_and_the_checked_label()
    {
        var apply = File.ReadAllText(Path.Combine(Template, ".github", "workflows", "whcctl-apply.yml"));

        apply.Should().Contain("whcctl-plan-pr-").And.Contain("mode=reviewed", "the reviewed plan is applied for its exact merge");
        apply.Should().Contain("  report:\n").And.Contain("issues.createComment", "every pull request covered hears of the apply");
        apply.Should().Contain("/permission").And.Contain("role_name", "who set whcctl:allow-destroy is checked");
        apply.Should().Contain("secrets.WHC_STATE_READ }}").And.Contain("WHCCTL_MANIFESTS: companies\n").And.NotContain("examples");
    }

    [GeneratedRegex(@"^\s*(-\s+)?uses:")]
    private static partial Regex UsesLine();
}
