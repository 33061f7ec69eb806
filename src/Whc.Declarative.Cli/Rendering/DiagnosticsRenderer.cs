using System.Globalization;
using System.Text.Json;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>
/// Renders diagnostics the same way for every command: one editor- and CI-friendly line each
/// (<c>path(line,col): error WHCnnnn: message</c>), a count line, or JSON objects for --format json.
/// </summary>
public static class DiagnosticsRenderer
{
    /// <summary>At most this many diagnostics are shown per file; a generated or hostile file could hold millions.</summary>
    public const int MaxPerFile = 50;

    public static void WriteText(TextWriter writer, IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var (shown, left) = Capped(diagnostics);
        foreach (var diagnostic in shown)
        {
            // On stderr each diagnostic keeps its structure (a JSON object under --log-format json; errors only under -q).
            if (writer is Infrastructure.StderrWriter stderr)
            {
                stderr.Write(diagnostic);
            }
            else
            {
                writer.WriteLine(diagnostic.ToString());
            }
        }

        foreach (var (file, count) in left)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"… and {Counted.Of(count, "more diagnostic")} {(file.Length == 0 ? "without a file" : $"in {Diagnostic.OneLine(file)}")} (the first {MaxPerFile} are shown)"));
        }
    }

    /// <summary>The first <see cref="MaxPerFile"/> diagnostics of each file, in order, and how many more each file had.</summary>
    private static (List<Diagnostic> Shown, Dictionary<string, int> Left) Capped(IEnumerable<Diagnostic> diagnostics)
    {
        var shown = new List<Diagnostic>();
        var perFile = new Dictionary<string, int>(StringComparer.Ordinal);
        var left = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            var file = diagnostic.Span.File ?? string.Empty;
            if (perFile.GetValueOrDefault(file) == MaxPerFile)
            {
                left[file] = left.GetValueOrDefault(file) + 1;
                continue;
            }

            perFile[file] = perFile.GetValueOrDefault(file) + 1;
            shown.Add(diagnostic);
        }

        return (shown, left);
    }

    /// <summary>
    /// Each diagnostic as a GitHub Actions workflow command (<c>::error file=F,line=L,col=C,title=WHCnnnn::message</c>),
    /// so it shows as an annotation on the file in the pull request. Values are encoded by GitHub's rules (data:
    /// <c>%</c>, CR, LF; properties also <c>:</c> and <c>,</c>), so no text of a manifest or of BT can end the command
    /// or start another. The same per-file cap as the text form.
    /// </summary>
    public static void WriteGitHub(TextWriter writer, IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var (shown, left) = Capped(diagnostics);
        foreach (var diagnostic in shown)
        {
            var file = diagnostic.Span.File ?? string.Empty;
            var command = diagnostic.Severity switch
            {
                DiagnosticSeverity.Error => "error",
                DiagnosticSeverity.Warning => "warning",
                _ => "notice",
            };
            var properties = new List<string>();
            if (file.Length > 0)
            {
                properties.Add($"file={GitHubProperty(Diagnostic.OneLine(file).Replace('\\', '/'))}");
                if (diagnostic.Span.HasPosition)
                {
                    properties.Add(string.Create(CultureInfo.InvariantCulture, $"line={diagnostic.Span.Line},col={diagnostic.Span.Column}"));
                }
            }

            properties.Add($"title={GitHubProperty(diagnostic.Code)}");
            // OneLine as everywhere else (invisible, bidi and terminal control characters shown as escapes), then GitHub's encoding.
            writer.WriteLine($"::{command} {string.Join(',', properties)}::{GitHubData(Diagnostic.OneLine(Diagnostic.Shorten(diagnostic.Message, Diagnostic.MaxMessageLength)))}");
        }

        foreach (var (file, count) in left)
        {
            writer.WriteLine($"::warning title=whcctl::{GitHubData($"{Counted.Of(count, "more diagnostic")} {(file.Length == 0 ? "without a file" : $"in {Diagnostic.OneLine(file)}")} (the first {MaxPerFile} are shown)")}");
        }
    }

    /// <summary>GitHub's encoding of a workflow command's message.</summary>
    public static string GitHubData(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
    }

    /// <summary>GitHub's encoding of a workflow command's property value.</summary>
    public static string GitHubProperty(string text) =>
        GitHubData(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    /// <summary>"2 errors, 1 warning"; "no problems" when there are none.</summary>
    public static string Count(IReadOnlyCollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        if (errors == 0 && warnings == 0)
        {
            return "no problems";
        }

        var parts = new List<string>();
        if (errors > 0)
        {
            parts.Add(Counted.Of(errors, "error"));
        }

        if (warnings > 0)
        {
            parts.Add(Counted.Of(warnings, "warning"));
        }

        return string.Join(", ", parts);
    }

    /// <summary>Writes <c>[{"code","severity","file","line","column","message"}, ...]</c>.</summary>
    public static void WriteJson(Utf8JsonWriter writer, IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(diagnostics);
        writer.WriteStartArray();
        foreach (var diagnostic in diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("code", diagnostic.Code);
            writer.WriteString("severity", SeverityName(diagnostic.Severity));
            writer.WriteString("file", diagnostic.Span.File);
            writer.WriteNumber("line", diagnostic.Span.Line);
            writer.WriteNumber("column", diagnostic.Span.Column);
            writer.WriteString("message", diagnostic.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };
}
