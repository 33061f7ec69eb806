using System.Globalization;
using Whc.Declarative.Core.Text;

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
        // A file named "::error::x.yaml" would start a GitHub Actions workflow command; "./" keeps the path and defuses it.
        where = where.StartsWith("::", StringComparison.Ordinal) ? "./" + where : where;
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
    /// Text a diagnostic quotes (a value, a file name, BT's words) with its control characters escaped: a diagnostic
    /// stays one line, so nothing it quotes can start a line of its own (a CI workflow command) or move a terminal's cursor.
    /// Bidi controls and invisible characters are escaped too (<see cref="UnsafeCharacters"/>), so none can reorder or
    /// hide what a reader sees.
    /// </summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (UnsafeCharacters.Find(text) is null)
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length;)
        {
            var valid = System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) == System.Buffers.OperationStatus.Done;
            var length = valid ? consumed : 1;
            if (valid && !UnsafeCharacters.IsUnsafe(rune.Value))
            {
                escaped.Append(text, i, length);
            }
            else
            {
                foreach (var c in text.AsSpan(i, length))
                {
                    escaped.Append(c switch
                    {
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                    });
                }
            }

            i += length;
        }

        return escaped.ToString();
    }
}
