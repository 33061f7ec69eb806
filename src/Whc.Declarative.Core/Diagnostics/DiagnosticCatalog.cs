using System.Collections.Immutable;
using System.Reflection;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>
/// Every diagnostic code whcctl can emit, in one catalogue split by range across partial files:
/// WHC1xxx load and schema, WHC2xxx semantic checks, WHC3xxx plan, WHC4xxx apply and API, WHC5xxx state and locking.
/// </summary>
public static partial class DiagnosticCatalog
{
    private static readonly Lazy<ImmutableArray<DiagnosticDescriptor>> AllDescriptors = new(() =>
        [.. typeof(DiagnosticCatalog)
            .GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
            .Select(p => p.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .OrderBy(d => d.Code, StringComparer.Ordinal)]);

    /// <summary>All codes, sorted; used to render the README table and to check codes are unique.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All => AllDescriptors.Value;

    private static DiagnosticDescriptor Error(string code, string title) => new(code, DiagnosticSeverity.Error, title);

    private static DiagnosticDescriptor Warning(string code, string title) => new(code, DiagnosticSeverity.Warning, title);
}
