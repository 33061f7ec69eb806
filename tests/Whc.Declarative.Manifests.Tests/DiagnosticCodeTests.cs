using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Tests;

public sealed class DiagnosticCodeTests
{
    // Not DiagnosticCatalog.All: in the foundation its reflection also reads the All property itself and recurses
    // (reported to the lead); filtering on the property type avoids that.
    private static IEnumerable<DiagnosticDescriptor> ManifestCodes =>
        typeof(DiagnosticCatalog).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
            .Select(p => (DiagnosticDescriptor)p.GetValue(null)!)
            .Where(d => d.Code.StartsWith("WHC1", StringComparison.Ordinal) || d.Code.StartsWith("WHC2", StringComparison.Ordinal));

    [Fact]
    public void Load_and_semantic_codes_are_unique()
    {
        ManifestCodes.Select(d => d.Code).Should().OnlyHaveUniqueItems().And.HaveCountGreaterThan(40);
    }

    [Fact]
    public void Every_load_and_semantic_code_is_documented_in_docs_manifest_md()
    {
        var documentation = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "manifest.md"));

        foreach (var descriptor in ManifestCodes)
        {
            documentation.Should().Contain(
                $"| {descriptor.Code} | {DescribeSeverity(descriptor.Severity)} |",
                $"{descriptor.Code} ({descriptor.Title}) needs a row in the codes table");
        }
    }

    private static string DescribeSeverity(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Error ? "error" : "warning";
}
