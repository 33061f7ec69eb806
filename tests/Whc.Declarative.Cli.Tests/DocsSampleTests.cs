using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27: every sample output in README.md and docs/ that claims to be real is made here by the real whcctl (run
/// in-process, against the embedded sandbox or a served one on 127.0.0.1, in a copy of examples/), so the docs cannot
/// drift from the program. The docs mark each sample (<see cref="DocSamples"/>); a normal run compares, and
/// <c>WHC_UPDATE_BASELINES=1 dotnet test tests/Whc.Declarative.Cli.Tests --filter DocsSample</c> rewrites them.
/// </summary>
public sealed class DocsSampleTests
{
    /// <summary>Every sample the docs may show, by name: how whcctl makes it.</summary>
    private static readonly Dictionary<string, Func<Task<string>>> Samples = new(StringComparer.Ordinal)
    {
        ["readme-quickstart"] = ReadmeQuickstartAsync,
        ["cli-validate-errors"] = ValidateErrorsAsync,
        ["cli-apply-json"] = ApplyJsonAsync,
        ["cli-log-json"] = LogJsonAsync,
        ["cli-graph"] = GraphAsync,
        ["gitops-local-check"] = LocalCheckAsync,
        ["gitops-plan-comment"] = PlanCommentAsync,
        ["gitops-stale-plan"] = StalePlanAsync,
        ["gitops-drift"] = DriftAsync,
        ["gitops-changed-companies"] = ChangedCompaniesAsync,
        ["manifest-moved"] = MovedAsync,
    };

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var name in Samples.Keys.Order(StringComparer.Ordinal))
        {
            names.Add(name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_docs_show_what_whcctl_prints(string name)
    {
        var regions = DocSamples.Files.SelectMany(DocSamples.RegionsIn).Where(r => r.Name == name).ToList();
        regions.Should().NotBeEmpty($"sample '{name}' is made by this test, so some doc must show it");

        var sample = await Samples[name]();

        foreach (var region in regions)
        {
            DocSamples.Check(region, sample);
        }
    }

    [Fact]
    public void Every_sample_the_docs_mark_is_one_this_test_makes()
    {
        var unknown = DocSamples.Files.SelectMany(DocSamples.RegionsIn).Where(r => !Samples.ContainsKey(r.Name)).Select(r => $"{r.File}({r.Line}): {r.Name}");

        unknown.Should().BeEmpty("every marked sample needs a producer in DocsSampleTests");
    }

    [Fact]
    public void A_sample_that_differs_from_the_doc_fails_and_says_how_to_regenerate()
    {
        var region = new DocSamples.Region("docs/x.md", "x", 0, 3, "$ whcctl plan\nPlan: 1 to add", 0, 0, Fenced: true, "```", "console");

        var check = () => DocSamples.Check(region, "$ whcctl plan\nPlan: 2 to add");

        if (!DocSamples.Updating)
        {
            check.Should().Throw<Exception>().WithMessage("*docs/x.md(3)*sample 'x'*WHC_UPDATE_BASELINES=1*");
        }
    }

    [Fact]
    public void Volatile_parts_are_written_one_way()
    {
        var text = "plan made 2026-11-26 16:05:50Z by whcctl 0.1.0 · in /tmp/w1/examples\n  [1/5] done    x (0.2s)   \n{\"duration_ms\":41}\n";

        DocSamples.Normalise(text + "-> 200 in 352 ms {\"DurationMs\":352}", "/tmp/w1").Should().Be("plan made <time> by whcctl <version> · in <workspace>/examples\n  [1/5] done    x (<duration>)\n{\"duration_ms\":<duration>}\n-> 200 in <duration> {\"DurationMs\":<duration>}");
    }

    private static async Task<string> ReadmeQuickstartAsync()
    {
        using var shell = new Transcript();
        await shell.RunAsync(["validate", "examples/"]);
        await shell.RunAsync(["plan", "examples/quickstart"]);
        await shell.RunAsync(["apply", "examples/quickstart", "--auto-approve"], "> /dev/null", r => r.Error);
        await shell.RunAsync(["plan", "examples/quickstart", "--detailed-exitcode"], "    # exit 0: BT matches the manifest");
        return shell.Text;
    }

    private static async Task<string> ValidateErrorsAsync()
    {
        using var shell = new Transcript();
        BreakQuickstart(shell);
        await shell.RunAsync(["validate", "examples/quickstart"]);
        shell.ExitCode();
        return shell.Text;
    }

    private static async Task<string> LogJsonAsync()
    {
        using var shell = new Transcript();
        // The first line only: the calls after the token may run side by side.
        await shell.RunAsync(["plan", "examples/quickstart", "-v", "--log-format", "json"], "2>&1 > /dev/null | head -1", r => r.Error.Split('\n')[0]);
        BreakQuickstart(shell);
        await shell.RunAsync(["validate", "examples/quickstart", "--log-format", "json"]);
        return shell.Text;
    }

    /// <summary>A second user given Jane's extension, and a postcode cut short.</summary>
    private static void BreakQuickstart(Transcript shell)
    {
        shell.Edit("examples/quickstart/company.yaml", "      users:\n", "      users:\n        - { username: john.doe, firstName: John, lastName: Doe, extension: \"2001\", number: { from: brum } }\n");
        shell.Edit("examples/quickstart/company.yaml", "postcode: IP5 3RE", "postcode: IP5");
    }

    private static async Task<string> ApplyJsonAsync()
    {
        using var shell = new Transcript();
        await shell.RunAsync(["apply", "examples/quickstart", "--auto-approve", "--format", "json"], "2> /dev/null", r => r.Output);
        return shell.Text;
    }

    private static async Task<string> GraphAsync()
    {
        using var shell = new Transcript();
        await shell.RunAsync(["graph", "examples/quickstart"]);
        return shell.Text;
    }

    private static async Task<string> LocalCheckAsync()
    {
        using var shell = new Transcript();
        Directory.CreateDirectory(shell.File("companies"));
        File.Copy(shell.File("examples/quickstart/company.yaml"), shell.File("companies/fun-network.yaml"));
        shell.Line("$ dotnet tool install --global whcctl          # or: dotnet pack src/Whc.Declarative.Cli -o feed && dotnet tool install --global --add-source feed whcctl");
        await shell.RunAsync(["validate", "companies/"]);
        await shell.RunAsync(["plan", "companies/"], "| tail -1                # against the embedded sandbox: nothing touches BT", r => r.Output.TrimEnd().Split('\n')[^1]);
        return shell.Text;
    }

    private static async Task<string> PlanCommentAsync()
    {
        using var shell = new Transcript();
        var plan = await shell.RunAsync(["plan", "examples/quickstart", "--format", "markdown", "--out", "whcctl.plan.json", "--detailed-exitcode"]);
        plan.ExitCode.Should().Be(2, plan.ToString());
        // gitops.md says the comment's diagram is the one `whcctl graph` prints.
        var graph = await shell.RunAsync(["graph", "examples/quickstart"]);
        plan.Output.ReplaceLineEndings("\n").Should().Contain("```mermaid\n" + graph.Output.ReplaceLineEndings("\n").TrimEnd('\n') + "\n```");
        return shell.Normalise(plan.Output);
    }

    private static async Task<string> StalePlanAsync()
    {
        using var shell = new Transcript();
        var plan = await shell.RunAsync(["plan", "examples/quickstart", "--out", "whcctl.plan.json"]);
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        // Another pull request is applied first: the state the saved plan was made from moves on.
        var other = await shell.RunAsync(["apply", "examples/quickstart", "--auto-approve"]);
        other.ExitCode.Should().Be(ExitCodes.Success, other.ToString());
        shell.Clear();

        await shell.RunAsync(["apply", "whcctl.plan.json"]);
        shell.ExitCode();
        return shell.Text;
    }

    private static async Task<string> DriftAsync()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");
        // Someone changes the user at BT (the sandbox's admin API stands in for BT's portal).
        await session.AdminPostAsync("/_sandbox/outside/users/jane.smith", new { lastName = "Jones" });

        var drift = await session.RunAsync("plan", "examples/quickstart", "--refresh-only", "--detailed-exitcode", "--format", "markdown");

        drift.ExitCode.Should().Be(2, drift.ToString());
        return DocSamples.Normalise(drift.Output, session.Workspace.Path);
    }

    private static async Task<string> ChangedCompaniesAsync()
    {
        using var shell = new Transcript();
        var apply = await shell.RunAsync(["apply", "examples/", "--auto-approve"]);
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        shell.Edit("examples/multi-site/company.yaml", "quantity: 20", "quantity: 30");
        shell.Clear();

        // jq -c .changed_companies, done here: the sample needs no jq installed.
        await shell.RunAsync(["plan", "examples/", "--format", "json"], "| jq -c .changed_companies", r => JsonNode.Parse(r.Output)?["changed_companies"]?.ToJsonString() ?? "(no changed_companies)");
        return shell.Text;
    }

    private static async Task<string> MovedAsync()
    {
        using var shell = new Transcript();
        var apply = await shell.RunAsync(["apply", "examples/quickstart", "--auto-approve"]);
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        shell.Edit("examples/quickstart/company.yaml", "name: ipswich-hq", "name: ipswich-main");
        shell.Edit("examples/quickstart/company.yaml", "name: brum", "name: birmingham");
        shell.Edit("examples/quickstart/company.yaml", "from: brum", "from: birmingham");
        shell.Edit("examples/quickstart/company.yaml", "spec:\n", "spec:\n  moved:\n    - { from: site/ipswich-hq, to: site/ipswich-main }\n    - { from: number-block/brum, to: number-block/birmingham }\n");

        var plan = await shell.RunAsync(["plan", "examples/quickstart"]);

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        return shell.Normalise(string.Join('\n', plan.Output.Split('\n').Where(l => l.Contains("(moved)", StringComparison.Ordinal))));
    }

    /// <summary>
    /// A shell session as a doc shows it: <c>$ whcctl ARGS</c>, then what the command printed (stdout, then stderr),
    /// run in a copy of examples/ against the embedded sandbox (data under .whc/, as for a user), not a terminal.
    /// </summary>
    private sealed class Transcript : IDisposable
    {
        private readonly TempWorkspace workspace = new();
        private readonly StringBuilder text = new();
        private int lastExitCode;

        private readonly Dictionary<string, string?> environment = new(StringComparer.Ordinal) { ["NO_COLOR"] = "1" };

        public string Text => Normalise(text.ToString());

        public string File(string relative) => workspace.File(relative);

        public string Normalise(string output) => DocSamples.Normalise(output, workspace.Path);

        /// <summary>Runs whcctl; <paramref name="shell"/> is what the doc writes after the arguments (a redirection, a pipe, a comment) and <paramref name="shown"/> what it then prints.</summary>
        public async Task<CliResult> RunAsync(string[] args, string shell = "", Func<CliResult, string>? shown = null)
        {
            var result = await Whcctl.RunAsync(workspace.Path, environment, args);
            lastExitCode = result.ExitCode;
            text.Append("$ whcctl ").Append(string.Join(' ', args)).Append(shell.Length > 0 && !shell.StartsWith(' ') ? " " : string.Empty).Append(shell).Append('\n');
            var output = shown?.Invoke(result) ?? result.Output + result.Error;
            if (output.Length > 0)
            {
                text.Append(output.TrimEnd('\n')).Append('\n');
            }

            return result;
        }

        /// <summary><c>$ echo $?</c> and the last command's exit code.</summary>
        public void ExitCode() => text.Append("$ echo $?\n").Append(lastExitCode).Append('\n');

        public void Line(string line) => text.Append(line).Append('\n');

        /// <summary>Forgets what was shown so far (set-up the doc does not show).</summary>
        public void Clear() => text.Clear();

        public void Edit(string relative, string from, string to)
        {
            var path = workspace.File(relative);
            var content = System.IO.File.ReadAllText(path);
            content.Should().Contain(from, $"the edit of {relative} must find its text");
            System.IO.File.WriteAllText(path, content.Replace(from, to, StringComparison.Ordinal));
        }

        public void Dispose() => workspace.Dispose();
    }
}
