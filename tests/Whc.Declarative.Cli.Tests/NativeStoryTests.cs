using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 28 item 3: the end-to-end stories, run as a child process against whichever whcctl is configured
/// (<see cref="CliExecutable"/>: the native AOT publish in CI, <c>dotnet whcctl.dll</c> otherwise). Stories that other
/// classes already tell as a child process carry the same trait (<see cref="CliExecutable.StoryCategory"/>): the killed
/// apply (ProcessKillTests), record and replay (ReflectionFreeToolTests), a saved plan applied by URL
/// (EndpointIdentityTests), JSON logs and usage errors (MachineOutputTests). Where the output is the whole story
/// (invalid manifests) it must be byte for byte what the in-process build prints.
/// </summary>
[Trait("Category", CliExecutable.StoryCategory)]
public sealed class NativeStoryTests
{
    private const string Cug = "CUG5019851064";

    /// <summary>Bad manifests of the Manifests corpus: schema shape, unknown field, version, cross-field, format, credential, YAML.</summary>
    public static TheoryData<string> CorpusCases => new(
        "missing-required-field",
        "wrong-type-list",
        "unknown-field-typo",
        "unknown-api-version",
        "duplicate-extension",
        "bad-email",
        "credential-field",
        "alias-undefined");

    [Theory]
    [MemberData(nameof(CorpusCases))]
    public async Task An_invalid_manifest_of_the_corpus_is_reported_exactly_as_its_baseline_says(string name)
    {
        // Given a bad manifest of the corpus, at the path its baseline names
        await using var session = await SandboxSession.StartAsync();
        var corpus = Path.Combine(Repository.Root, "tests", "Whc.Declarative.Manifests.Tests", "Corpus");
        session.Write($"Corpus/{name}.yaml", await File.ReadAllTextAsync(Path.Combine(corpus, $"{name}.yaml")));
        var expected = (await File.ReadAllTextAsync(Path.Combine(corpus, $"{name}.expected.txt"))).ReplaceLineEndings("\n");

        // When the configured whcctl validates and plans it
        var validate = await session.RunChildAsync("validate", $"Corpus/{name}.yaml");
        var plan = await session.RunChildAsync("plan", $"Corpus/{name}.yaml");

        // Then each fails with the corpus's diagnostics, word for word, and prints exactly what the in-process build prints
        foreach (var (run, args) in new[] { (validate, new[] { "validate", $"Corpus/{name}.yaml" }), (plan, new[] { "plan", $"Corpus/{name}.yaml" }) })
        {
            run.ExitCode.Should().Be(ExitCodes.Error, run.ToString());
            foreach (var line in expected.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                run.Error.Split('\n').Should().Contain(line, run.ToString());
            }

            var inProcess = await session.RunAsync(args);
            run.Should().Be(inProcess, $"{CliExecutable.Description} must print what the in-process build prints");
        }
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_saved_plan_is_applied_then_nothing_is_left_to_change_and_state_lists_it(string backend)
    {
        // Given the quickstart, with its state on the local directory or on PostgreSQL
        await using var session = await SandboxSession.StartAsync(backend);

        // When the configured whcctl saves a plan, shows it, applies it, and plans again
        var plan = await session.RunChildAsync("plan", "examples/quickstart", "--out", "plan.json");
        var show = await session.RunChildAsync("show", "plan.json");
        var apply = await session.RunChildAsync("apply", "plan.json");
        var again = await session.RunChildAsync("plan", "examples/quickstart", "--detailed-exitcode");
        var list = await session.RunChildAsync("state", "list");

        // Then every step succeeds, BT holds the company, and its state names what was made
        foreach (var run in new[] { plan, show, apply, again, list })
        {
            ShouldBeClean(run, ExitCodes.Success);
        }

        plan.Output.Should().Contain("Plan:");
        show.Output.Should().Be(plan.Output, "show of a saved plan prints the plan as plan did");
        again.Output.Should().Contain("No changes");
        list.Output.Should().Contain("fun-network");
        (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task A_company_another_state_made_is_imported_and_then_plans_with_no_changes()
    {
        // Given the quickstart company at BT, made under another state
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        // When the configured whcctl imports it, writing its manifest, and plans that manifest
        var import = await session.RunChildAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "adopted/fun-network/company.yaml");
        var plan = await session.RunChildAsync("plan", "adopted", "--detailed-exitcode");

        // Then the import succeeds, writes the manifest the in-process build writes, and nothing is left to change
        ShouldBeClean(import, ExitCodes.Success);
        import.Error.Should().Contain("Imported 'TheFunNetwork' as 'fun-network'");
        Baseline.Match("import-quickstart.yaml", session.Read("adopted/fun-network/company.yaml"), session.Workspace.Path);
        ShouldBeClean(plan, ExitCodes.Success);
        plan.Output.Should().Contain("No changes");
    }

    [Fact]
    public async Task Doctor_checks_every_route_of_the_sandbox_in_text_and_json()
    {
        await using var session = await SandboxSession.StartAsync();

        var text = await session.RunChildAsync("doctor", "--cug", Cug);
        var json = await session.RunChildAsync("doctor", "--cug", Cug, "--format", "json");

        ShouldBeClean(text, ExitCodes.Success);
        text.Output.Should().Contain("11 ok, 0 differ, 0 unreachable");
        ShouldBeClean(json, ExitCodes.Success);
        var report = System.Text.Json.Nodes.JsonNode.Parse(json.Output)!;
        report["ok"]!.GetValue<bool>().Should().BeTrue(json.ToString());
        report["checks"]!.AsArray().Should().HaveCount(11).And.OnlyContain(c => c!["result"]!.GetValue<string>() == "ok");
    }

    /// <summary>The exit code expected, and nothing on stderr that only a crash or a missing code path prints.</summary>
    private static void ShouldBeClean(CliResult run, int exitCode)
    {
        run.ExitCode.Should().Be(exitCode, $"{CliExecutable.Description}\n{run}");
        run.Error.Should().NotContain("WHC6002", run.ToString()).And.NotContain("Exception", run.ToString());
    }
}
