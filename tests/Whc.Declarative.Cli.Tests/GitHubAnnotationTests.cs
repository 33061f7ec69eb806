using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 16, part 4: <c>--format github</c>, diagnostics as annotations on the pull request's files.</summary>
public sealed class GitHubAnnotationTests
{
    [Fact]
    public async Task Validate_writes_each_diagnostic_as_an_annotation_at_its_file_line_and_column()
    {
        using var workspace = new TempWorkspace();
        var file = workspace.File("examples/quickstart/company.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("extension: \"2001\"", "extension: \"20x1\"", StringComparison.Ordinal));

        var validate = await Whcctl.RunAsync(workspace.Path, "validate", "examples/quickstart", "--format", "github");

        validate.ExitCode.Should().Be(ExitCodes.Error);
        var annotation = validate.Output.Split('\n').Should().ContainSingle(l => l.StartsWith("::error ", StringComparison.Ordinal)).Subject;
        annotation.Should().MatchRegex(@"^::error file=examples/quickstart/company\.yaml,line=[0-9]+,col=[0-9]+,title=WHC[0-9]{4}::.*20x1");
        validate.Error.Should().Contain("1 error");
    }

    [Fact]
    public async Task Newlines_percent_signs_colons_and_commas_are_encoded_so_nothing_can_start_a_command()
    {
        using var workspace = new TempWorkspace();
        var directory = Path.Combine(workspace.Path, "odd:name,here");
        Directory.CreateDirectory(directory);
        var manifest = File.ReadAllText(workspace.File("examples/quickstart/company.yaml"));
        File.WriteAllText(Path.Combine(directory, "company.yaml"), manifest.Replace("extension: \"2001\"", "extension: \"x%0A::warning::forged\"", StringComparison.Ordinal));

        var validate = await Whcctl.RunAsync(workspace.Path, "validate", "odd:name,here", "--format", "github");

        validate.ExitCode.Should().Be(ExitCodes.Error);
        var lines = validate.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().OnlyContain(l => l.StartsWith("::error ", StringComparison.Ordinal) || l.StartsWith("::warning title=whcctl::", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("file=odd%3Aname%2Chere/company.yaml", StringComparison.Ordinal));
        validate.Output.Should().Contain("x%250A::warning::forged", "the % of the value is encoded, so GitHub does not decode it into a newline");
    }

    [Fact]
    public void A_message_with_a_line_break_stays_one_command_and_bidi_controls_are_shown_escaped()
    {
        using var writer = new StringWriter();

        Rendering.DiagnosticsRenderer.WriteGitHub(writer, [Core.Diagnostics.DiagnosticCatalog.UsageInvalid.At(Core.Diagnostics.SourceSpan.None, "first\r\nsecond 100%")]);

        // Shown escaped as every renderer shows control characters, then encoded by GitHub's rules: one line, one command.
        writer.ToString().Should().Be("::error title=WHC6001::first\\r\\nsecond 100%25" + Environment.NewLine);
        Rendering.DiagnosticsRenderer.GitHubData("a\r\nb%").Should().Be("a%0D%0Ab%25");
        using var bidi = new StringWriter();
        Rendering.DiagnosticsRenderer.WriteGitHub(bidi, [Core.Diagnostics.DiagnosticCatalog.UsageInvalid.At(Core.Diagnostics.SourceSpan.None, "evil\u202Etxt.yaml")]);
        bidi.ToString().Should().NotContain("\u202E").And.Contain("evil");
    }

    [Fact]
    public void At_most_fifty_annotations_per_file_then_one_line_saying_how_many_more()
    {
        using var writer = new StringWriter();
        var many = Enumerable.Range(1, 60).Select(i => Core.Diagnostics.DiagnosticCatalog.UsageInvalid.At(new Core.Diagnostics.SourceSpan("a.yaml", i, 1), $"problem {i}"));

        Rendering.DiagnosticsRenderer.WriteGitHub(writer, many);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.StartsWith("::error file=a.yaml,", StringComparison.Ordinal)).Should().Be(Rendering.DiagnosticsRenderer.MaxPerFile);
        lines[^1].Should().Be("::warning title=whcctl::10 more diagnostics in a.yaml (the first 50 are shown)");
    }

    [Fact]
    public async Task Plan_annotates_its_errors_and_prints_the_plan_as_text()
    {
        await using var session = await SandboxSession.StartAsync();

        var good = await session.RunAsync("plan", "examples/quickstart", "--format", "github");
        session.Edit("examples/quickstart/company.yaml", "areaCode: \"0121\"", "areaCode: \"9999\"");
        var bad = await session.RunAsync("plan", "examples/quickstart", "--format", "github");

        good.ExitCode.Should().Be(ExitCodes.Success, good.ToString());
        good.Output.Should().Contain("Plan: 4 to add").And.NotContain("::error");
        bad.ExitCode.Should().Be(ExitCodes.Error);
        bad.Output.Should().MatchRegex(@"::error file=examples/quickstart/company\.yaml,line=[0-9]+,col=[0-9]+,title=WHC[0-9]{4}::");
    }
}
