using System.Text;
using Whc.Declarative.Cli.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Skips (with the reason in the test report) when bash, git or jq is missing.</summary>
public sealed class RequiresBashGitJqFactAttribute : FactAttribute
{
    public RequiresBashGitJqFactAttribute()
    {
        if (!Support.Process.IsOnPath("bash") || !Support.Process.IsOnPath("git") || !Support.Process.IsOnPath("jq"))
        {
            Skip = "bash, git and jq are needed to run the apply workflow's steps (as GitHub's ubuntu runners have them)";
        }
    }
}

/// <summary>
/// The shell steps of whcctl-apply.yml's plan job, taken from the workflow file as it is and run by bash the way a
/// GitHub runner runs them (<c>bash --noprofile --norc -eo pipefail</c>), in a real git repository, with a stand-in
/// <c>gh</c> that answers from canned GitHub API responses through the real <c>jq</c> and the workflow's own
/// <c>--jq</c> filters. Issue 23: of three quick merges the middle one's apply was dropped and never applied or
/// reported; the label allowing ceases could be set by the triage role.
/// </summary>
public sealed class ApplyWorkflowScriptTests : IDisposable
{
    private const string Repo = "acme/estate";

    private readonly string root = Directory.CreateTempSubdirectory("whcctl-apply-steps-").FullName;
    private readonly string fake;
    private readonly string work;

    public ApplyWorkflowScriptTests()
    {
        fake = Path.Combine(root, "gh-data");
        work = Path.Combine(root, "repo");
        Directory.CreateDirectory(fake);
        Directory.CreateDirectory(work);
        var bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "gh"), FakeGh);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "gh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [RequiresBashGitJqFact]
    public async Task Three_quick_merges_whose_middle_run_was_dropped_are_all_covered_by_the_last_run_with_a_fresh_plan()
    {
        var (_, m1, m2, m3) = await MergesAsync();
        LastSuccessfulApplyRunAt(m1);
        PullsOf(m2, 2);
        PullsOf(m3, 3);
        PullRequest(3, merge: m3, head: "h3");
        PlanRunFor("h3", 42);

        var covered = await RunStepAsync("covered", m3);
        covered.Outputs["prs"].Should().Be("[2,3]", covered.ToString());
        covered.Outputs["last"].Should().Be(m1);

        var choose = await RunStepAsync("choose", m3, ("PRS", covered.Outputs["prs"]), ("FRESH", "false"));
        choose.Outputs["mode"].Should().Be("fresh");
        choose.Outputs["reason"].Should().Contain("2 pull requests were merged since the last applied commit");
    }

    [RequiresBashGitJqFact]
    public async Task A_run_for_exactly_one_merge_applies_the_plan_reviewed_on_that_pull_request()
    {
        var (_, _, m2, m3) = await MergesAsync();
        LastSuccessfulApplyRunAt(m2);
        PullsOf(m3, 3);
        PullRequest(3, merge: m3, head: "h3");
        PlanRunFor("h3", 42);

        var covered = await RunStepAsync("covered", m3);
        covered.Outputs["prs"].Should().Be("[3]", covered.ToString());
        var choose = await RunStepAsync("choose", m3, ("PRS", "[3]"), ("FRESH", "false"));

        choose.Outputs["mode"].Should().Be("reviewed", choose.ToString());
        choose.Outputs["pr"].Should().Be("3");
        choose.Outputs["run-id"].Should().Be("42");
    }

    [RequiresBashGitJqFact]
    public async Task A_head_that_moved_on_or_a_pull_request_without_a_plan_run_gets_a_fresh_plan_and_the_reason()
    {
        var (_, _, m2, m3) = await MergesAsync();
        PullRequest(2, merge: m2, head: "h2");
        PullRequest(3, merge: m3, head: "h3");

        var moved = await RunStepAsync("choose", m3, ("PRS", "[2]"), ("FRESH", "false"));
        moved.Outputs["mode"].Should().Be("fresh");
        moved.Outputs["reason"].Should().Contain("is not the merge commit of #2");

        var unplanned = await RunStepAsync("choose", m3, ("PRS", "[3]"), ("FRESH", "false"));
        unplanned.Outputs["mode"].Should().Be("fresh");
        unplanned.Outputs["reason"].Should().Contain("has no successful plan run");
    }

    [RequiresBashGitJqFact]
    public async Task A_re_run_of_an_older_apply_run_stops_before_planning_rather_than_undo_later_merges()
    {
        var (_, _, m2, m3) = await MergesAsync();
        LastSuccessfulApplyRunAt(m3);

        var rerun = await RunStepAsync("covered", m2);

        rerun.ExitCode.Should().NotBe(0);
        rerun.Output.Should().Contain("Older than the last apply");
        rerun.Outputs.Should().NotContainKey("prs");
    }

    [RequiresBashGitJqFact]
    public async Task Only_a_label_last_added_by_someone_with_write_access_on_every_covered_pull_request_allows_ceases()
    {
        var (_, _, _, m3) = await MergesAsync();
        Role("tia", "triage");
        Role("wes", "write");
        Role("max", "maintain");
        Labelled(2, ("labeled", "wes"));
        Labelled(3, ("labeled", "tia"));
        Labelled(4, ("labeled", "max"), ("unlabeled", "tia"));
        Labelled(5, ("labeled", "tia"), ("labeled", "max"));

        (await Destroy("[2]")).Should().Be("true");
        (await Destroy("[5]")).Should().Be("true", "the label's last setter decides");
        (await Destroy("[3]")).Should().Be("false", "the triage role can set labels");
        (await Destroy("[4]")).Should().Be("false", "the label was removed");
        (await Destroy("[2,3]")).Should().Be("false", "every pull request covered must allow it");
        (await Destroy("[2,6]")).Should().Be("false", "#6 has no label");
        (await Destroy("[]")).Should().Be("false");

        async Task<string> Destroy(string prs) =>
            (await RunStepAsync("destroy", m3, ("PRS", prs), ("BY_HAND", "false"))).Outputs["allow"];
    }

    private async Task<(string Base, string M1, string M2, string M3)> MergesAsync()
    {
        await GitAsync("init", "-q", "-b", "main");
        var commits = new List<string>();
        foreach (var message in new[] { "base", "merge #1", "merge #2", "merge #3" })
        {
            await GitAsync("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", message);
            commits.Add((await GitAsync("rev-parse", "HEAD")).Trim());
        }

        return (commits[0], commits[1], commits[2], commits[3]);
    }

    private async Task<string> GitAsync(params string[] args)
    {
        var result = await Support.Process.RunAsync("git", work, null, args);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Output;
    }

    private void Canned(string key, string json) => File.WriteAllText(Path.Combine(fake, key.Replace('/', '_') + ".json"), json);

    private void LastSuccessfulApplyRunAt(string sha) => Canned("runs-whcctl-apply.yml", $$"""[{"headSha":"{{sha}}"}]""");

    private void PlanRunFor(string headSha, long runId) => Canned($"runs-whcctl-plan.yml-{headSha}", $$"""[{"databaseId":{{runId}}}]""");

    /// <summary>The pull requests GitHub associates with a commit: the merged one, and an open one that also holds it.</summary>
    private void PullsOf(string sha, int number) => Canned(
        $"repos/{Repo}/commits/{sha}/pulls",
        $$$"""[{"number":{{{number}}},"merged_at":"2026-12-06T04:00:00Z","base":{"ref":"main"}},{"number":99,"merged_at":null,"base":{"ref":"main"}}]""");

    private void PullRequest(int number, string merge, string head) =>
        Canned($"repos/{Repo}/pulls/{number}", $$$"""{"number":{{{number}}},"merge_commit_sha":"{{{merge}}}","head":{"sha":"{{{head}}}"}}""");

    private void Role(string login, string role) =>
        Canned($"repos/{Repo}/collaborators/{login}/permission", $$"""{"permission":"read","role_name":"{{role}}"}""");

    private void Labelled(int number, params (string Event, string Actor)[] events)
    {
        var json = new StringBuilder("[{\"event\":\"labeled\",\"actor\":{\"login\":\"wes\"},\"label\":{\"name\":\"bug\"}}");
        foreach (var (kind, actor) in events)
        {
            json.Append($$$""",{"event":"{{{kind}}}","actor":{"login":"{{{actor}}}"},"label":{"name":"whcctl:allow-destroy"}}""");
        }

        Canned($"repos/{Repo}/issues/{number}/events", json.Append(']').ToString());
    }

    /// <summary>Runs one step of the plan job, by its id, as GitHub's bash would, and reads what it wrote to GITHUB_OUTPUT.</summary>
    private async Task<StepResult> RunStepAsync(string id, string sha, params (string Name, string Value)[] env)
    {
        var step = PlanJobSteps().Single(s => s.Children.TryGetValue(new YamlScalarNode("id"), out var value) && ((YamlScalarNode)value).Value == id);
        var script = ((YamlScalarNode)step.Children[new YamlScalarNode("run")]).Value ?? string.Empty;
        script.Should().NotContain("${{", "step inputs reach a script through env, never pasted into it");
        var scriptFile = Path.Combine(root, $"step-{id}.sh");
        var output = Path.Combine(root, $"output-{id}-{Guid.NewGuid():N}");
        File.WriteAllText(scriptFile, script);
        File.WriteAllText(output, string.Empty);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Path.Combine(root, "bin") + Path.PathSeparator + (Environment.GetEnvironmentVariable("PATH") ?? string.Empty),
            ["FAKE_GH"] = fake,
            ["GITHUB_OUTPUT"] = output,
            ["GITHUB_SHA"] = sha,
            ["GITHUB_REPOSITORY"] = Repo,
            ["GITHUB_ACTOR"] = "octo",
            ["GH_TOKEN"] = "not-a-token",
        };
        foreach (var (name, value) in env)
        {
            environment[name] = value;
        }

        var result = await Support.Process.RunAsync("bash", work, environment, "--noprofile", "--norc", "-eo", "pipefail", scriptFile);
        var outputs = File.ReadAllLines(output)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        return new StepResult(result.ExitCode, result.Output + result.Error, outputs);
    }

    private static IEnumerable<YamlMappingNode> PlanJobSteps()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Repository.Root, ".github", "workflows", "whcctl-apply.yml")));
        stream.Load(reader);
        var jobs = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode).Children[new YamlScalarNode("jobs")];
        var plan = (YamlMappingNode)jobs.Children[new YamlScalarNode("plan")];
        return ((YamlSequenceNode)plan.Children[new YamlScalarNode("steps")]).Children.OfType<YamlMappingNode>();
    }

    private sealed record StepResult(int ExitCode, string Output, IReadOnlyDictionary<string, string> Outputs)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\noutputs: {string.Join(", ", Outputs.Select(o => $"{o.Key}={o.Value}"))}";
    }

    /// <summary>
    /// A stand-in for the GitHub CLI: `gh run list --workflow W [--commit C]` and `gh api PATH` answer from canned JSON
    /// in $FAKE_GH, filtered by the caller's own --jq expression through the real jq (gh prints strings raw, as jq -r).
    /// A missing collaborator is a 404, as on GitHub; any other missing list is empty.
    /// </summary>
    private const string FakeGh = """
        #!/usr/bin/env bash
        set -euo pipefail
        filter="."; workflow=""; commit=""; words=()
        while [ $# -gt 0 ]; do
          case "$1" in
            --jq) filter="$2"; shift 2 ;;
            --workflow) workflow="$2"; shift 2 ;;
            --commit) commit="$2"; shift 2 ;;
            --repo|--branch|--status|--limit|--json) shift 2 ;;
            --paginate) shift ;;
            *) words+=("$1"); shift ;;
          esac
        done
        case "${words[0]} ${words[1]:-}" in
          "run list") key="runs-$workflow${commit:+-$commit}" ;;
          api*) key="${words[1]//\//_}" ;;
          *) echo "fake gh: unexpected: ${words[*]}" >&2; exit 2 ;;
        esac
        file="$FAKE_GH/$key.json"
        if [ ! -f "$file" ]; then
          case "$key" in
            *_permission) echo "gh: Not Found (HTTP 404)" >&2; exit 1 ;;
            *) echo '[]' > "$file.empty"; file="$file.empty" ;;
          esac
        fi
        jq -r "$filter" "$file"
        """;
}
