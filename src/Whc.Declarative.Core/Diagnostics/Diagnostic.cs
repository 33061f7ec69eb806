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
        var where = OneLine(Span.ToString());
        var message = OneLine(Shorten(Message, MaxMessageLength));
        return where.Length == 0 ? $"{severity} {Code}: {message}" : $"{where}: {severity} {Code}: {message}";
    }

    /// <summary>A message longer than this (a value of a megabyte quoted back, BT's whole answer) is shortened when shown.</summary>
    public const int MaxMessageLength = 1_000;

    /// <summary>The text cut to <paramref name="length"/> characters, saying how many were left out.</summary>
    public static string Shorten(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= length
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text[..length]}… ({text.Length - length} more characters)");
    }

    /// <summary>
    /// Characters that change how text around them reads without showing themselves: bidi controls (which reorder a
    /// line, "Trojan source"), zero-width characters, and the Unicode line and paragraph separators.
    /// </summary>
    public static bool IsInvisible(char c) =>
        c is '\u061C' or '\u180E' or (>= '\u200B' and <= '\u200F') or (>= '\u2028' and <= '\u202E') or (>= '\u2060' and <= '\u2069') or '\uFEFF';

    /// <summary>
    /// Text a diagnostic quotes (a value, a file name, BT's words) with its control and invisible characters escaped: a
    /// diagnostic stays one line, so nothing it quotes can start a line of its own (a CI workflow command), move a
    /// terminal's cursor, or reorder what the reader sees.
    /// </summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(c => char.IsControl(c) || IsInvisible(c)))
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || IsInvisible(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
