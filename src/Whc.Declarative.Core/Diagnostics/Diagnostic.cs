using System.Globalization;

namespace Whc.Declarative.Core.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>Where a diagnostic points: a file and a 1-based line and column, or a field path when there is no file.</summary>
public sealed record SourceSpan(string File, int Line, int Column)
{
    public static SourceSpan None { get; } = new(string.Empty, 0, 0);

    public static SourceSpan FileOnly(string file) => new(file, 0, 0);

    public bool HasPosition => Line > 0;

    public override string ToString() =>
        HasPosition ? string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column})") : File;
}

/// <summary>
/// One problem found in the input or during planning or applying. Diagnostics are collected and returned, never thrown,
/// so that one run reports everything it found.
/// </summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, SourceSpan Span, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The editor- and CI-friendly line: <c>path(line,col): error WHC2003: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var where = Span.ToString();
        return where.Length == 0 ? $"{severity} {Code}: {Message}" : $"{where}: {severity} {Code}: {Message}";
    }
}
