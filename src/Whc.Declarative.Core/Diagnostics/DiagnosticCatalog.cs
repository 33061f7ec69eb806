using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>
/// Every diagnostic code whcctl can emit, in one catalogue split by range across partial files:
/// WHC1xxx load and schema, WHC2xxx semantic checks, WHC3xxx plan, WHC4xxx apply and API, WHC5xxx state and locking,
/// WHC6xxx the command line itself.
/// </summary>
public static partial class DiagnosticCatalog
{
    // Filled by Error and Warning as the type's initialiser creates each entry (every partial file's initialisers run
    // before any member is used), so the list needs no reflection over the catalogue. No initialiser of its own: one
    // could run after some entries were added and drop them.
    private static List<DiagnosticDescriptor>? registered;

    private static readonly Lazy<ImmutableArray<DiagnosticDescriptor>> AllDescriptors = new(() =>
        [.. (registered ?? []).OrderBy(d => d.Code, StringComparer.Ordinal)]);

    private static readonly Lazy<FrozenDictionary<string, DiagnosticDescriptor>> ByCode = new(() =>
        All.SelectMany(d => d.Aliases.Prepend(d.Code).Select(code => KeyValuePair.Create(code, d))).ToFrozenDictionary(StringComparer.Ordinal));

    /// <summary>All codes, sorted; used to render the README table and to check codes are unique.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All => AllDescriptors.Value;

    /// <summary>The entry with this code, or with it as a former code (WHC3017 finds WHC6001); null when none has it.</summary>
    public static DiagnosticDescriptor? Find(string code) => ByCode.Value.GetValueOrDefault(code);

    private static DiagnosticDescriptor Error(string code, string title, string? formerly = null) => Register(new(code, DiagnosticSeverity.Error, title), formerly);

    private static DiagnosticDescriptor Warning(string code, string title, string? formerly = null) => Register(new(code, DiagnosticSeverity.Warning, title), formerly);

    private static DiagnosticDescriptor Register(DiagnosticDescriptor descriptor, string? formerly)
    {
        var entry = formerly is null ? descriptor : descriptor with { Aliases = [formerly] };
        (registered ??= []).Add(entry);
        return entry;
    }
}
