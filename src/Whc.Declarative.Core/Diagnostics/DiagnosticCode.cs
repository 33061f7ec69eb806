using System.Collections.Immutable;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>A catalogue entry: the stable code, its default severity and a one-line title for the README table.</summary>
public sealed partial record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title)
{
    /// <summary>Codes this entry had before (a code moved to its own range); still found by <see cref="DiagnosticCatalog.Find"/>.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];

    public Diagnostic At(SourceSpan span, string message) => new(Code, Severity, span, message);
}
