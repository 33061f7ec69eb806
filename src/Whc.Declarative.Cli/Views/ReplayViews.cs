using System.Globalization;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.Cli.Views;

/// <summary>What <c>whcctl sandbox replay</c> reports, one implementation per <c>--format</c> (text, json).</summary>
public interface IReplayView
{
    /// <param name="recording">The recording's path as given.</param>
    void Report(string recording, ReplayReport report);
}

/// <summary>Chooses the replay view for a format: the one place <c>sandbox replay</c> looks at <c>--format</c>.</summary>
public static class ReplayView
{
    public static IReplayView For(OutputFormat format, TextWriter output) =>
        format == OutputFormat.Json ? new ReplayJsonView(output) : new ReplayTextView(output);

    internal static string Word(ReplayOutcome outcome) => outcome switch
    {
        ReplayOutcome.Ok => "ok",
        ReplayOutcome.Differs => "differs",
        _ => "skipped",
    };
}

/// <summary>One line per entry (ok, differs and how, skipped), then the counts.</summary>
public sealed class ReplayTextView(TextWriter output) : IReplayView
{
    public void Report(string recording, ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        output.WriteLine($"whcctl sandbox replay: {Diagnostic.OneLine(recording)} against a fresh sandbox");
        foreach (var entry in report.Entries)
        {
            var status = entry.ReplayedStatus is { } s ? s.ToString(CultureInfo.InvariantCulture) : "-";
            var detail = entry.Differences.Count == 0 ? string.Empty : ": " + string.Join("; ", entry.Differences);
            output.WriteLine(Diagnostic.OneLine(
                string.Create(CultureInfo.InvariantCulture, $"  #{entry.Number} {entry.Method} {entry.Path} -> {status} (recorded {entry.RecordedStatus}) {ReplayView.Word(entry.Outcome)}{detail}")));
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Entries.Count(e => e.Outcome == ReplayOutcome.Ok)} ok, {report.Entries.Count(e => e.Outcome == ReplayOutcome.Differs)} differ, {report.Entries.Count(e => e.Outcome == ReplayOutcome.Skipped)} skipped"));
    }
}

/// <summary>One JSON document: the recording, ok, and every entry (written field by field: no reflection, AOT-safe).</summary>
public sealed class ReplayJsonView(TextWriter output) : IReplayView
{
    public void Report(string recording, ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        output.WriteLine(JsonText.Indented(json =>
        {
            json.WriteStartObject();
            json.WriteString("recording", recording);
            json.WriteBoolean("ok", report.Ok);
            json.WriteStartArray("entries");
            foreach (var entry in report.Entries)
            {
                json.WriteStartObject();
                json.WriteNumber("number", entry.Number);
                json.WriteString("method", entry.Method);
                json.WriteString("path", entry.Path);
                json.WriteNumber("recordedStatus", entry.RecordedStatus);
                if (entry.ReplayedStatus is { } status)
                {
                    json.WriteNumber("status", status);
                }
                else
                {
                    json.WriteNull("status");
                }

                json.WriteString("result", ReplayView.Word(entry.Outcome));
                JsonText.WriteStrings(json, "differences", entry.Differences);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }));
    }
}
