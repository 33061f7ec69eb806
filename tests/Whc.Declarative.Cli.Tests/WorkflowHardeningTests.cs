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

    // The template's workflows (generated from these) are held to the same rules: a reseller runs them with real secrets.
    private static IEnumerable<string> WorkflowFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github", "workflows"), "*.yml")
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, "templates", "gitops-repo", ".github", "workflows"), "*.yml"))
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

    /// <summary>
    /// Regression (issue 23): on <c>pull_request: closed</c> in one concurrency group, GitHub keeps one pending run and
    /// cancels the one before it, so of three quick merges the middle one was never applied or reported. On a push to
    /// the default branch every run plans from its commit, so the run GitHub keeps covers the ones it cancelled.
    /// </summary>
    [Fact]
    public void The_apply_workflow_runs_on_push_to_the_default_branch_and_never_cancels_a_started_apply()
    {
        var workflow = Load(ApplyWorkflow);
        var on = (YamlMappingNode)workflow.Children[new YamlScalarNode("on")];

        on.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Should().Contain("push").And.NotContain("pull_request").And.NotContain("pull_request_target");
        var push = (YamlMappingNode)on.Children[new YamlScalarNode("push")];
        ((YamlSequenceNode)push.Children[new YamlScalarNode("branches")]).Children.OfType<YamlScalarNode>().Select(b => b.Value).Should().Equal("main");
        var concurrency = (YamlMappingNode)workflow.Children[new YamlScalarNode("concurrency")];
        ((YamlScalarNode)concurrency.Children[new YamlScalarNode("cancel-in-progress")]).Value.Should().Be("false");
        ((YamlScalarNode)concurrency.Children[new YamlScalarNode("group")]).Value.Should().NotContain("pull_request", "one group for the whole estate, not one per pull request");
    }

    /// <summary>
    /// Least privilege: the secrets that can write state (<c>WHC_STATE</c>, <c>WHC_STATE_PASSWORD</c>) live in the
    /// <c>whcctl-apply</c> environment, so only a job that runs in it (on <c>main</c>, after approval) can use them;
    /// every other job plans with the read-only role (<c>WHC_STATE_READ</c>). Regression: the pull-request plan, the
    /// drift check and the fan-out's first plan read the writing state URL.
    /// </summary>
    [Theory]
    [MemberData(nameof(Workflows))]
    public void Only_jobs_in_the_apply_environment_use_the_secrets_that_write_state(string file)
    {
        foreach (var (name, job) in Jobs(file))
        {
            var secrets = SecretsUsedBy(job);
            var environment = job.Children.TryGetValue(new YamlScalarNode("environment"), out var value) ? (value as YamlScalarNode)?.Value : null;
            if (secrets.Contains("WHC_STATE") || secrets.Contains("WHC_STATE_PASSWORD"))
            {
                environment.Should().Be("whcctl-apply", $"job '{name}' of {file} uses the state-writing secrets");
            }
            else if (secrets.Any(s => s.StartsWith("WHC_", StringComparison.Ordinal)))
            {
                secrets.Should().Contain("WHC_STATE_READ", $"job '{name}' of {file} plans, so it reads state with the read-only role");
            }
        }
    }

    [Fact]
    public void The_pull_request_plan_runs_in_no_environment_and_cannot_write_state()
    {
        foreach (var (name, job) in Jobs(".github/workflows/whcctl-plan.yml"))
        {
            job.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Should().NotContain("environment", $"job '{name}' runs on refs/pull/N/merge");
            SecretsUsedBy(job).Should().NotContain(["WHC_STATE", "WHC_STATE_PASSWORD"]);
        }
    }

    /// <summary>
    /// Nobody approves an apply before its plan exists: the job that waits for approval needs a job that made the plan
    /// and put it in the run's summary, and applies that saved plan (downloaded) rather than planning anew after the
    /// approval. Regression: the fan-out planned and applied in one approved job, so the approver saw no plan.
    /// </summary>
    [Theory]
    [InlineData(".github/workflows/whcctl-apply.yml")]
    [InlineData(".github/workflows/whcctl-fanout.yml")]
    public void The_approved_apply_needs_a_plan_job_that_shows_the_plan_before_the_approval(string file)
    {
        var jobs = Jobs(file).ToDictionary(j => j.Name, j => j.Job, StringComparer.Ordinal);
        var gated = jobs.Where(j => j.Value.Children.ContainsKey(new YamlScalarNode("environment"))).ToList();
        gated.Should().NotBeEmpty();
        foreach (var (name, job) in gated)
        {
            var needs = Needs(job);
            var planners = needs.Where(n => jobs.TryGetValue(n, out var need) && RunText(need).Contains("whcctl plan", StringComparison.Ordinal)
                && RunText(need).Contains("GITHUB_STEP_SUMMARY", StringComparison.Ordinal)
                && UsesOf(need).Any(u => u.StartsWith("actions/upload-artifact@", StringComparison.Ordinal))).ToList();
            planners.Should().NotBeEmpty($"job '{name}' of {file} waits for approval, so it needs the job that made and showed the plan");
            RunText(job).Should().NotContain("whcctl plan", $"job '{name}' of {file} applies the plan shown before the approval, not a new one");
            UsesOf(job).Should().Contain(u => u.StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        }
    }

    /// <summary>A run that applies several merges, or a head that moved on, comments on every pull request it covers.</summary>
    [Fact]
    public void The_apply_finds_the_pull_requests_it_covers_and_comments_on_each()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, ApplyWorkflow));

        text.Should().Contain("commits/$sha/pulls", "the pull requests merged since the last applied commit are found from their commits");
        text.Should().Contain("--status success", "the last applied commit is the head of the last successful apply run");
        text.Should().Contain("merge-base --is-ancestor", "a re-run of an older apply must not roll the estate back");
        text.Should().Contain("issues.createComment");
    }

    /// <summary>The triage role can set labels, so a label alone does not allow ceases: who set it must have write access.</summary>
    [Fact]
    public void Ceases_are_allowed_only_by_a_label_set_by_someone_with_write_access()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, ApplyWorkflow));

        text.Should().NotContain("contains(github.event.pull_request.labels", "a label is no permission by itself");
        text.Should().Contain("/events").And.Contain("/permission").And.Contain("role_name");
        text.Should().MatchRegex(@"admin\|maintain\|write");
        text.Should().Contain("--max-destroy");
    }

    [Fact]
    public void The_docs_name_the_ref_the_apply_really_runs_on()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "gitops.md"));

        docs.Should().NotContain("pull_request: closed` with `merged == true`");
        docs.Should().Contain("refs/heads/main").And.Contain("refs/pull/");
        docs.Should().Contain("GRANT SELECT ON ALL TABLES IN SCHEMA").And.Contain("default_transaction_read_only");
        docs.Should().Contain("## Threat model");
    }

    private const string ApplyWorkflow = ".github/workflows/whcctl-apply.yml";

    /// <summary>Names of the secrets a job reads (<c>secrets.NAME</c> anywhere in it).</summary>
    private static List<string> SecretsUsedBy(YamlNode job) =>
        [.. Scalars(job).SelectMany(s => SecretReference().Matches(s).Select(m => m.Groups["name"].Value)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.SelectMany(pair => Scalars(pair.Key).Concat(Scalars(pair.Value))),
        _ => [],
    };

    private static List<string> Needs(YamlMappingNode job) =>
        !job.Children.TryGetValue(new YamlScalarNode("needs"), out var needs) ? []
        : needs is YamlSequenceNode list ? [.. list.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty)]
        : [((YamlScalarNode)needs).Value ?? string.Empty];

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("steps"), out var steps) ? ((YamlSequenceNode)steps).Children.OfType<YamlMappingNode>() : [];

    private static string RunText(YamlMappingNode job) =>
        string.Join('\n', Steps(job).Select(s => s.Children.TryGetValue(new YamlScalarNode("run"), out var run) ? ((YamlScalarNode)run).Value : null).OfType<string>());

    private static List<string> UsesOf(YamlMappingNode job) =>
        [.. Steps(job).Select(s => s.Children.TryGetValue(new YamlScalarNode("uses"), out var uses) ? ((YamlScalarNode)uses).Value : null).OfType<string>()];

    [GeneratedRegex(@"secrets\.(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SecretReference();

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
