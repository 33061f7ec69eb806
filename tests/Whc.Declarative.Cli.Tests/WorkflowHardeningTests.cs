using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// The workflows and the composite action under .github/ stay hardened (docs/gitops.md): every file parses, every
/// action outside the repository is pinned by full commit SHA with its tag in a comment, every job has a time limit,
/// the jobs that use BT credentials skip fork pull requests, the apply waits in an environment, and no exit-code test
/// counts anything but 0 and 2 as success.
/// </summary>
public sealed partial class WorkflowHardeningTests
{
    public static TheoryData<string> Workflows() => new(WorkflowFiles());

    public static TheoryData<string> WorkflowsAndActions() => new(WorkflowAndActionFiles());

    private static IEnumerable<string> WorkflowFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github", "workflows"), "*.yml")
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> WorkflowAndActionFiles() =>
        WorkflowFiles()
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github", "actions"), "action.yml", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(WorkflowsAndActions))]
    public void Every_action_is_pinned_by_full_commit_sha_with_its_tag_in_a_comment(string file)
    {
        var unpinned = File.ReadAllLines(Path.Combine(Repository.Root, file))
            .Select((line, index) => (Line: line, Number: index + 1))
            .Where(l => UsesLine().Match(l.Line) is { Success: true } match && !match.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal))
            .Where(l => !PinnedUsesLine().IsMatch(l.Line))
            .Select(l => $"{file}({l.Number}): {l.Line.Trim()}")
            .ToList();

        Load(file); // every file parses as YAML
        unpinned.Should().BeEmpty("actions are pinned as `owner/repo@<40-hex sha> # vX.Y.Z`");
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_job_has_a_time_limit(string file)
    {
        foreach (var (name, job) in Jobs(file))
        {
            job.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Should().Contain("timeout-minutes", $"job '{name}' of {file} needs timeout-minutes");
        }
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Jobs_run_on_pull_requests_with_credentials_skip_forks(string file)
    {
        var workflow = Load(file);
        var on = workflow.Children[new YamlScalarNode("on")];
        var onPullRequest = on is YamlMappingNode triggers && triggers.Children.ContainsKey(new YamlScalarNode("pull_request"));
        var text = File.ReadAllText(Path.Combine(Repository.Root, file));
        if (!onPullRequest || !text.Contains("secrets.", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var (name, job) in Jobs(file))
        {
            var condition = job.Children.TryGetValue(new YamlScalarNode("if"), out var value) ? ((YamlScalarNode)value).Value : null;
            condition.Should().Contain("github.event.pull_request.head.repo.full_name == github.repository", $"job '{name}' of {file} uses secrets on pull requests");
        }
    }

    [Fact]
    public void The_apply_job_waits_in_an_environment_documented_in_gitops_md()
    {
        var apply = Jobs(".github/workflows/whcctl-apply.yml").Single(j => j.Name == "apply").Job;

        ((YamlScalarNode)apply.Children[new YamlScalarNode("environment")]).Value.Should().Be("whcctl-apply");
        File.ReadAllText(Path.Combine(Repository.Root, "docs", "gitops.md")).Should().Contain("environment: whcctl-apply").And.Contain("Required reviewers");
    }

    [Fact]
    public void No_workflow_or_doc_counts_an_exit_code_other_than_0_and_2_as_success()
    {
        var files = WorkflowAndActionFiles()
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Repository.Root, f)))
            .Append("README.md");
        var found = files
            .SelectMany(file => File.ReadAllLines(Path.Combine(Repository.Root, file)).Select((line, index) => (file, line, index)))
            .Where(l => OnlyOneIsFailure().IsMatch(l.line))
            .Select(l => $"{l.file}({l.index + 1}): {l.line.Trim()}")
            .ToList();

        found.Should().BeEmpty("a crash (134), an out-of-memory kill (137) or a SIGTERM (143) is not success: test for 0 and 2");
    }

    [Fact]
    public void The_apply_shows_its_progress_in_the_log_while_it_runs()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, ".github", "workflows", "whcctl-apply.yml"));

        text.Should().MatchRegex(@"whcctl apply [^\n]*\| tee apply\.err >&2");
        text.Should().NotContain("2> apply.err");
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Repository.Root, file)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static IEnumerable<(string Name, YamlMappingNode Job)> Jobs(string file) =>
        ((YamlMappingNode)Load(file).Children[new YamlScalarNode("jobs")]).Children
            .Select(pair => (((YamlScalarNode)pair.Key).Value ?? string.Empty, (YamlMappingNode)pair.Value));

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*(?<ref>\S+)")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")]
    private static partial Regex PinnedUsesLine();

    /// <summary>Tests that make every code but 1 a success: <c>-ne 1</c>, <c>-eq 1</c>, <c>!= '1'</c>, <c>== '1'</c> on an exit code.</summary>
    [GeneratedRegex(@"(code|\$\?|exit-code)\S*\s*(-ne|-eq|!=|==)\s*'?1'?(\s|\]|$)")]
    private static partial Regex OnlyOneIsFailure();
}
