using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// stderr, the one channel for talk: logs, diagnostics, progress and result lines. As a command's options say
/// (<see cref="Configure"/>), each line is written as text, or as one JSON object (<c>--log-format json</c>), and with
/// <c>--quiet</c> only errors pass. Diagnostics and logs come in structured (<see cref="Write(Diagnostic)"/>,
/// <see cref="Log"/>); any other line written to it is talk at level information, so no line can slip past either
/// mode. Prompts (<see cref="Prompt"/>) go to the person at the terminal as they are.
/// </summary>
public sealed partial class StderrWriter : TextWriter
{
    /// <summary>
    /// Escapes what a JSON parser or a terminal must not see raw (quotes, backslashes, control characters, line and
    /// paragraph separators) and nothing more: <c>+</c>, <c>-&gt;</c>, <c>&lt;</c>, accents stay as they are. These
    /// lines are never embedded in HTML, which is what the default encoder guards against.
    /// </summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter inner;
    private readonly StringBuilder pending = new();
    private readonly Lock gate = new();
    private bool quiet;
    private bool json;
    private TimeProvider clock = TimeProvider.System;

    public StderrWriter(TextWriter inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        this.inner = inner;
    }

    public override Encoding Encoding => inner.Encoding;

    /// <summary><c>--quiet</c>: only errors pass.</summary>
    public bool Quiet => quiet;

    /// <summary><c>--log-format json</c>: each line is one JSON object.</summary>
    public bool Json => json;

    /// <summary>Sets the mode from the command's options; called once the command line is parsed.</summary>
    public void Configure(bool quiet, bool json, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        lock (gate)
        {
            this.quiet = quiet;
            this.json = json;
            this.clock = clock;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (gate)
        {
            if (!quiet && !json)
            {
                // Whole strings, not characters: stderr is often unbuffered, and a plan can be megabytes.
                inner.Write(value);
                return;
            }

            var start = 0;
            for (var end = value.IndexOf('\n', StringComparison.Ordinal); end >= 0; end = value.IndexOf('\n', start))
            {
                pending.Append(value, start, end - start);
                var line = pending.ToString().TrimEnd('\r');
                pending.Clear();
                EmitTalk(line, LevelOfText(line), "whcctl");
                start = end + 1;
            }

            pending.Append(value, start, value.Length - start);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (gate)
        {
            if (!quiet && !json)
            {
                inner.WriteLine(value);
            }
            else
            {
                Write((value ?? string.Empty) + "\n");
            }
        }
    }

    public override void WriteLine() => WriteLine(string.Empty);

    public override void Flush()
    {
        lock (gate)
        {
            inner.Flush();
        }
    }

    /// <summary>A question for the person at the terminal (no newline): written as it is, in every mode.</summary>
    public void Prompt(string question)
    {
        lock (gate)
        {
            inner.Write(question);
            inner.Flush();
        }
    }

    /// <summary>One line of talk at <paramref name="level"/> (a failed step is an error, progress is information).</summary>
    public void Talk(string line, LogLevel level = LogLevel.Information, string category = "whcctl")
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (gate)
        {
            if (!quiet && !json)
            {
                inner.WriteLine(line);
            }
            else
            {
                EmitTalk(line, level, category);
            }
        }
    }

    /// <summary>
    /// One diagnostic: its editor-friendly line, or an object with <c>category</c> "diagnostic", <c>code</c>,
    /// <c>message</c> and, where known, <c>file</c>, <c>line</c> and <c>column</c>. Under --quiet only errors.
    /// </summary>
    public void Write(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var level = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => LogLevel.Error,
            DiagnosticSeverity.Warning => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        lock (gate)
        {
            if (quiet && level < LogLevel.Error)
            {
                return;
            }

            if (!json)
            {
                inner.WriteLine(diagnostic.ToString());
                return;
            }

            WriteJson(level, "diagnostic", diagnostic.Message, writer =>
            {
                writer.WriteString("code", diagnostic.Code);
                if (diagnostic.Span.File.Length > 0)
                {
                    writer.WriteString("file", diagnostic.Span.File);
                }

                if (diagnostic.Span.HasPosition)
                {
                    writer.WriteNumber("line", diagnostic.Span.Line);
                    writer.WriteNumber("column", diagnostic.Span.Column);
                }
            });
        }
    }

    /// <summary>
    /// A log entry from <see cref="TextWriterLoggerProvider"/>: <c>[info] message</c>, or an object with the
    /// message template's values under <c>fields</c>, typed (numbers as numbers). The logger's own level decides
    /// what is written (<c>-v</c> with <c>-q</c> still logs calls).
    /// </summary>
    public void Log(LogLevel level, string category, string message, IReadOnlyList<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (gate)
        {
            if (!json)
            {
                var tag = level switch
                {
                    LogLevel.Trace => "trace",
                    LogLevel.Debug => "debug",
                    LogLevel.Information => "info",
                    LogLevel.Warning => "warn",
                    _ => "error",
                };
                inner.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{tag}] {message}{(exception is null ? string.Empty : $": {exception.Message}")}"));
                return;
            }

            WriteJson(level, category, message, writer =>
            {
                var structured = fields.Where(f => f.Key != "{OriginalFormat}").ToList();
                if (structured.Count > 0)
                {
                    writer.WriteStartObject("fields");
                    foreach (var (key, value) in structured)
                    {
                        writer.WritePropertyName(key);
                        WriteValue(writer, value);
                    }

                    writer.WriteEndObject();
                }

                if (exception is not null)
                {
                    writer.WriteString("error", exception.Message);
                }
            });
        }
    }

    /// <summary>The level of a line written as plain text: an error diagnostic's line (<c>error WHCnnnn:</c>) is an error.</summary>
    private static LogLevel LevelOfText(string line) => ErrorLine().IsMatch(line) ? LogLevel.Error : LogLevel.Information;

    [GeneratedRegex(@"(^|: )error WHC[0-9]{4}: ", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorLine();

    private void EmitTalk(string line, LogLevel level, string category)
    {
        if (quiet && level < LogLevel.Error)
        {
            return;
        }

        if (json)
        {
            // A blank line is layout for a reader of text; as an entry it would say nothing.
            if (line.Length > 0)
            {
                WriteJson(level, category, line, null);
            }
        }
        else
        {
            inner.WriteLine(line);
        }
    }

    /// <summary>Writes one object: timestamp, level, category, message, then the entry's own keys.</summary>
    private void WriteJson(LogLevel level, string category, string message, Action<Utf8JsonWriter>? more)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("level", LevelName(level));
            writer.WriteString("category", category);
            writer.WriteString("message", message);
            more?.Invoke(writer);
            writer.WriteEndObject();
        }

        inner.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    /// <summary>A field's value with its JSON type: numbers and booleans as such, durations in milliseconds, the rest as text.</summary>
    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double or float when Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case TimeSpan t:
                writer.WriteNumberValue((long)t.TotalMilliseconds);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
