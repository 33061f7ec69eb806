using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// templates/gitops-repo, the repository a reseller copies: its manifests validate, every action it uses is pinned by a
/// full commit SHA, and the whcctl action line is the documented placeholder tagged with the current release.
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
            uses.Where(l => l.Contains("/whcctl/", StringComparison.Ordinal)).Should().ContainSingle(file)
                .Which.Trim().Should().Be($"uses: {Placeholder} # v{version}", "the release process bumps the template's tag comment with the version");
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

    [GeneratedRegex(@"^\s*(-\s+)?uses:")]
    private static partial Regex UsesLine();
}
