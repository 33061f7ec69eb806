using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;
using Whc.Declarative.Sandbox;

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
        ["manifest-nadkey-unlisted"] = NadKeyUnlistedAsync,
        ["cli-doctor-cug"] = DoctorCugAsync,
        ["cli-import-header"] = ImportHeaderAsync,
        ["gitops-rename-comment"] = RenameCommentAsync,
        ["cli-completion"] = CompletionAsync,
        ["template-local-check"] = TemplateLocalCheckAsync,
        ["cli-show-state"] = ShowStateAsync,
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

    /// <summary>The quickstart applied to the embedded sandbox, as the samples that change it start from.</summary>
    private static async Task ApplyQuickstartAsync(Transcript shell)
    {
        var apply = await shell.RunAsync(["apply", "examples/quickstart", "--auto-approve"]);
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
    }

    /// <summary>The quickstart's site ipswich-hq renamed ipswich-main and its block brum renamed birmingham (with its users' references).</summary>
    private static void RenameSiteAndBlock(Transcript shell)
    {
        shell.Edit("examples/quickstart/company.yaml", "name: ipswich-hq", "name: ipswich-main");
        shell.Edit("examples/quickstart/company.yaml", "name: brum", "name: birmingham");
        shell.Edit("examples/quickstart/company.yaml", "from: brum", "from: birmingham");
    }

    private static async Task<string> MovedAsync()
    {
        using var shell = new Transcript();
        await ApplyQuickstartAsync(shell);
        RenameSiteAndBlock(shell);
        shell.Edit("examples/quickstart/company.yaml", "spec:\n", "spec:\n  moved:\n    - { from: site/ipswich-hq, to: site/ipswich-main }\n    - { from: number-block/brum, to: number-block/birmingham }\n");

        var plan = await shell.RunAsync(["plan", "examples/quickstart"]);

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        return shell.Normalise(string.Join('\n', plan.Output.Split('\n').Where(l => l.Contains("(moved)", StringComparison.Ordinal))));
    }

    /// <summary>Issue 27 item 9: a NAD key BT's address search does not list at the site's postcode fails the plan (WHC3060).</summary>
    private static async Task<string> NadKeyUnlistedAsync()
    {
        using var shell = new Transcript();
        shell.Edit("examples/quickstart/company.yaml", "        premises: Adastral Park\n        street: Main Road\n        city: Ipswich\n", "        nadKey: X05000999999\n");
        await shell.RunAsync(["plan", "examples/quickstart"]);
        shell.ExitCode();
        return shell.Text;
    }

    /// <summary>
    /// Issue 27 item 6: doctor for a CUG the client may not act for (a served sandbox whose only client is bound to
    /// another CUG, as a BT developer app is): the rows, then one diagnosis (WHC4021); in JSON, the report's
    /// <c>diagnosis</c> field. The sandbox's port varies, so the doc shows it as <c>&lt;port&gt;</c>.
    /// </summary>
    private static async Task<string> DoctorCugAsync()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            OrderTimings = OrderTimings.Immediate,
            Contract = WhcContract.Default,
            Clients = [SandboxOptions.DefaultClient with { Cugs = ["CUG5019851064"] }],
        });
        using var shell = new Transcript(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
            ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
            ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
        });
        await shell.RunAsync(["doctor", "--cug", "CUG7000000001"]);
        shell.ExitCode();
        await shell.RunAsync(["doctor", "--cug", "CUG7000000001", "--format", "json"], "| jq .diagnosis", r => JsonNode.Parse(r.Output)?["diagnosis"]?.ToJsonString(JqStyle) ?? "null");
        // The port varies, and so does the made-up order id doctor asks for (a fresh one each run, so it never exists).
        var port = sandbox.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = shell.Text.Replace($"127.0.0.1:{port}", "127.0.0.1:<port>", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(text, "whcctl-doctor-[0-9a-f]{12}", "whcctl-doctor-<id>");
    }

    /// <summary>How jq prints JSON: indented by two, no escaping of what needs none.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions JqStyle = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Issue 27 item 8: the head of a manifest import writes, its <c>$schema</c> the schema's published <c>$id</c>.</summary>
    private static async Task<string> ImportHeaderAsync()
    {
        using var shell = new Transcript();
        // The company is made at BT (the embedded sandbox) by another state: import finds it there and not in this one.
        var made = await shell.RunAsync(["apply", "examples/quickstart", "--auto-approve", "--state", "elsewhere"]);
        made.ExitCode.Should().Be(ExitCodes.Success, made.ToString());
        shell.Clear();

        await shell.RunAsync(["import", "fun-network", "--cug", "CUG5019851064", "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "companies/fun-network.yaml"]);
        shell.Line("$ head -n 12 companies/fun-network.yaml");
        shell.Line(string.Join('\n', System.IO.File.ReadAllText(shell.File("companies/fun-network.yaml")).ReplaceLineEndings("\n").Split('\n').Take(12)));
        return shell.Text;
    }

    /// <summary>
    /// Issue 27 item 7: the pull-request comment of a plan that renames a site and a block without <c>moved</c>: its
    /// warnings (WHC3043, WHC3042) in a <c>[!WARNING]</c> alert, each with the entry that keeps the resource.
    /// </summary>
    private static async Task<string> RenameCommentAsync()
    {
        using var shell = new Transcript();
        await ApplyQuickstartAsync(shell);
        RenameSiteAndBlock(shell);
        shell.Edit("examples/quickstart/company.yaml", "locationCode: IPS01", "locationCode: IPS02");

        var plan = await shell.RunAsync(["plan", "examples/quickstart", "--format", "markdown"]);

        plan.Output.Should().Contain("[!WARNING]", plan.ToString());
        return shell.Normalise(plan.Output);
    }

    /// <summary>Issue 27 item 10: what TAB offers after <c>state show</c> and <c>destroy</c>, read from the state the command would read.</summary>
    private static async Task<string> CompletionAsync()
    {
        using var shell = new Transcript();
        await ApplyQuickstartAsync(shell);
        shell.Clear();

        await shell.TabAsync("whcctl state show fun-network/");
        await shell.TabAsync("whcctl plan examples/ --target fun");
        await shell.TabAsync("whcctl destroy f");
        await shell.TabAsync("whcctl state history f");
        return shell.Text;
    }

    /// <summary>docs/cli.md, "Show": what state holds, as <c>terraform show</c> prints it.</summary>
    private static async Task<string> ShowStateAsync()
    {
        using var shell = new Transcript();
        await ApplyQuickstartAsync(shell);
        shell.Clear();

        await shell.RunAsync(["show"], "| head -n 16", r => string.Join('\n', r.Output.Split('\n').Take(16)));
        return shell.Text;
    }

    /// <summary>templates/gitops-repo/README.md: validate and plan in a fresh copy of the template, against the embedded sandbox.</summary>
    private static async Task<string> TemplateLocalCheckAsync()
    {
        using var shell = new Transcript();
        TempWorkspace.CopyDirectory(System.IO.Path.Combine(Repository.Root, "templates", "gitops-repo", "companies"), shell.File("companies"));
        await shell.RunAsync(["validate", "companies"]);
        await shell.RunAsync(["plan", "companies"], "| tail -1", r => r.Output.TrimEnd().Split('\n')[^1]);
        return shell.Text;
    }

    /// <summary>What the template's README says it holds: its file list and the secrets its workflows read.</summary>
    [Fact]
    public void The_template_readme_names_the_files_and_secrets_the_template_has()
    {
        var template = System.IO.Path.Combine(Repository.Root, "templates", "gitops-repo");
        var readme = System.IO.File.ReadAllText(System.IO.Path.Combine(template, "README.md"));
        var workflows = string.Join('\n', Directory.GetFiles(System.IO.Path.Combine(template, ".github", "workflows"), "*.yml").Order(StringComparer.Ordinal).Select(System.IO.File.ReadAllText));

        foreach (var listed in new[] { ".github/workflows/whcctl-plan.yml", ".github/workflows/whcctl-apply.yml", ".github/workflows/whcctl-drift.yml", ".github/workflows/whcctl-fanout.yml", ".github/CODEOWNERS" })
        {
            readme.Should().Contain(listed);
            System.IO.File.Exists(System.IO.Path.Combine(template, listed)).Should().BeTrue($"the template's README lists {listed}");
        }

        Directory.GetDirectories(System.IO.Path.Combine(template, "companies")).Should().NotBeEmpty()
            .And.AllSatisfy(d => System.IO.File.Exists(System.IO.Path.Combine(d, "company.yaml")).Should().BeTrue("companies/<key>/company.yaml"));
        foreach (var secret in new[] { "WHC_CLIENT_ID", "WHC_CLIENT_SECRET", "WHC_STATE", "WHC_STATE_PASSWORD", "WHC_STATE_READ", "WHC_STATE_READ_PASSWORD" })
        {
            readme.Should().Contain($"`{secret}`");
            workflows.Should().Contain($"secrets.{secret}", $"the README's secrets table names {secret}");
        }

        workflows.Should().Contain("WHC_ENDPOINT: testa").And.Contain("WHCCTL_MAX_DESTROY").And.Contain("whcctl:allow-destroy");
        readme.Should().Contain("WHC_ENDPOINT: testa").And.Contain("WHCCTL_MAX_DESTROY").And.Contain("whcctl:allow-destroy");
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

        public Transcript()
        {
        }

        /// <summary>A session with these environment variables set too (a served sandbox's endpoint and client).</summary>
        public Transcript(IReadOnlyDictionary<string, string?> extra)
        {
            foreach (var (name, value) in extra)
            {
                environment[name] = value;
            }
        }

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

        /// <summary>
        /// TAB at the end of <paramref name="line"/>, shown as <c>$ LINE&lt;TAB&gt;</c> and the suggestions: what the
        /// completion script asks whcctl (the <c>[suggest:POSITION]</c> directive, the cursor's position, the line).
        /// </summary>
        public async Task TabAsync(string line)
        {
            var result = await Whcctl.RunAsync(workspace.Path, environment, $"[suggest:{line.Length}]", line);
            result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
            text.Append("$ ").Append(line).Append("<TAB>\n").Append(result.Output.TrimEnd('\n')).Append('\n');
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
