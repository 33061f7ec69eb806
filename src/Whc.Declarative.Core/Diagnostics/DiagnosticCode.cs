namespace Whc.Declarative.Core.Diagnostics;

/// <summary>A catalogue entry: the stable code, its default severity and a one-line title for the README table.</summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title)
{
    public Diagnostic At(SourceSpan span, string message) => new(Code, Severity, span, message);
}
