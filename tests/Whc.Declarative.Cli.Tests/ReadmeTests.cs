using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Cli.Tests;

/// <summary>The README's table of diagnostic codes is generated from the catalogue and must not drift from it.</summary>
public sealed class ReadmeTests
{
    private const string Header = "| Code | Severity | Meaning |";

    [Fact]
    public void Readme_lists_every_diagnostic_code_exactly_as_the_catalogue_defines_it()
    {
        var path = Path.Combine(Repository.Root, "README.md");
        var readme = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Header, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README has a diagnostic codes table");
        var expected = Header + "\n|---|---|---|\n" + string.Concat(DiagnosticCatalog.All.Select(d =>
            $"| {d.Code} | {(d.Severity == DiagnosticSeverity.Error ? "error" : "warning")} | {d.Title} |\n"));

        if (Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(path, readme[..start] + expected);
            return;
        }

        readme[start..].Should().Be(expected, "regenerate with WHC_UPDATE_BASELINES=1 dotnet test tests/Whc.Declarative.Cli.Tests --filter Readme");
    }

    [Fact]
    public void Diagnostic_codes_are_unique()
    {
        DiagnosticCatalog.All.Select(d => d.Code).Should().OnlyHaveUniqueItems();
        DiagnosticCatalog.All.Should().HaveCountGreaterThan(50);
    }
}
