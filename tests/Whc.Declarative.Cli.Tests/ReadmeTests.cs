using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// The README's table of diagnostic codes is generated from the catalogue and must not drift from it. A normal run only
/// compares; <c>WHC_UPDATE_BASELINES=1</c> rewrites the table (and nothing else of the README), as for other baselines.
/// </summary>
public sealed class ReadmeTests
{
    private const string Header = "| Code | Severity | Meaning |";

    private const string Regenerate = "WHC_UPDATE_BASELINES=1 dotnet test tests/Whc.Declarative.Cli.Tests --filter Readme";

    [Fact]
    public void Readme_lists_every_diagnostic_code_exactly_as_the_catalogue_defines_it()
    {
        var path = Path.Combine(Repository.Root, "README.md");
        var readme = File.ReadAllText(path).ReplaceLineEndings("\n");
        // A former code (a code moved to its own range) keeps a row, so a user searching for it finds where it went.
        var rows = DiagnosticCatalog.All.Select(d => (d.Code, d.Severity, d.Title))
            .Concat(DiagnosticCatalog.All.SelectMany(d => d.Aliases.Select(alias => (Code: alias, d.Severity, Title: $"former code of {d.Code}: {d.Title}"))))
            .OrderBy(r => r.Code, StringComparer.Ordinal);
        var expected = Header + "\n|---|---|---|\n" + string.Concat(rows.Select(r =>
            $"| {r.Code} | {(r.Severity == DiagnosticSeverity.Error ? "error" : "warning")} | {r.Title} |\n"));
        var (actual, updated) = CodesTable(readme, expected);

        if (Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1" && updated != readme)
        {
            File.WriteAllText(path, updated);
            return;
        }

        actual.Should().Be(
            expected,
            $"README.md's diagnostic codes table must list every code of DiagnosticCatalog as it is defined; regenerate the table with `{Regenerate}` and review the diff");
    }

    [Fact]
    public void Regenerating_the_codes_table_keeps_what_the_readme_has_around_it()
    {
        var readme = "# whcctl\n\n## Diagnostic codes\n\n" + Header + "\n|---|---|---|\n| WHC1001 | error | old |\n\n## After the table\n\nMore text.\n";
        var table = Header + "\n|---|---|---|\n| WHC1001 | error | new |\n| WHC1002 | error | added |\n";

        var (actual, updated) = CodesTable(readme, table);

        actual.Should().Be(Header + "\n|---|---|---|\n| WHC1001 | error | old |\n");
        updated.Should().Be("# whcctl\n\n## Diagnostic codes\n\n" + table + "\n## After the table\n\nMore text.\n");
    }

    [Fact]
    public void A_codes_table_at_the_end_of_the_readme_is_read_to_its_end()
    {
        var readme = "intro\n\n" + Header + "\n|---|---|---|\n| WHC1001 | error | old |";

        var (actual, updated) = CodesTable(readme, Header + "\n|---|---|---|\n");

        actual.Should().Be(Header + "\n|---|---|---|\n| WHC1001 | error | old |\n");
        updated.Should().Be("intro\n\n" + Header + "\n|---|---|---|\n");
    }

    [Fact]
    public void Diagnostic_codes_are_unique()
    {
        DiagnosticCatalog.All.Select(d => d.Code).Should().OnlyHaveUniqueItems();
        DiagnosticCatalog.All.Should().HaveCountGreaterThan(50);
    }

    /// <summary>
    /// The codes table as the README has it (its header line to its last <c>|</c> line, each ending in a newline) and
    /// the README with that table, and only it, replaced by <paramref name="table"/>.
    /// </summary>
    private static (string Actual, string Updated) CodesTable(string readme, string table)
    {
        var start = readme.IndexOf(Header, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README has a diagnostic codes table starting with '{0}'", Header);
        var end = start;
        while (end < readme.Length && readme[end] == '|')
        {
            var newline = readme.IndexOf('\n', end);
            end = newline < 0 ? readme.Length : newline + 1;
        }

        var actual = readme[start..end];
        if (!actual.EndsWith('\n'))
        {
            actual += "\n";
        }

        return (actual, readme[..start] + table + readme[end..]);
    }
}
