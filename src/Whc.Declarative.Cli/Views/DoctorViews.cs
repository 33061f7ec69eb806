using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Views;

/// <summary>What <c>whcctl doctor</c> reports, one implementation per <c>--format</c> (text, json).</summary>
public interface IDoctorView
{
    /// <param name="endpoint">The endpoint as the connection describes it.</param>
    /// <param name="diagnosis">The one cause behind every failing check (WHC4021), or null; the command writes it on stderr too.</param>
    void Checks(string endpoint, IReadOnlyList<DoctorCheck> checks, Diagnostic? diagnosis = null);
}

/// <summary>Chooses the doctor view for a format: the one place <c>doctor</c> looks at <c>--format</c>.</summary>
public static class DoctorView
{
    public static IDoctorView For(OutputFormat format, TextWriter output) =>
        format == OutputFormat.Json ? new DoctorJsonView(output) : new DoctorTextView(output);

    internal static string ResultWord(DoctorResult result) => result switch
    {
        DoctorResult.Ok => "ok",
        DoctorResult.Differs => "differs",
        _ => "unreachable",
    };
}

/// <summary>A table: one line per route, then the counts.</summary>
public sealed class DoctorTextView(TextWriter output) : IDoctorView
{
    public void Checks(string endpoint, IReadOnlyList<DoctorCheck> checks, Diagnostic? diagnosis = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        output.WriteLine($"whcctl doctor: {Diagnostic.OneLine(endpoint)} (read-only: nothing at BT was changed)");
        var nameWidth = checks.Max(c => c.Name.Length);
        var routeWidth = checks.Max(c => c.Route.Length + c.Method.Length + 1);
        foreach (var check in checks)
        {
            var route = $"{check.Method} {check.Route}";
            output.WriteLine($"  {check.Name.PadRight(nameWidth)}  {Diagnostic.OneLine(route).PadRight(routeWidth)}  {DoctorView.ResultWord(check.Result)}: {Diagnostic.OneLine(check.Detail)}");
        }

        output.WriteLine($"{checks.Count(c => c.Result == DoctorResult.Ok)} ok, {checks.Count(c => c.Result == DoctorResult.Differs)} differ, {checks.Count(c => c.Result == DoctorResult.Unreachable)} unreachable");
    }
}

/// <summary>One JSON document: the endpoint, ok, and every check (written field by field: no reflection, AOT-safe).</summary>
public sealed class DoctorJsonView(TextWriter output) : IDoctorView
{
    public void Checks(string endpoint, IReadOnlyList<DoctorCheck> checks, Diagnostic? diagnosis = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        output.WriteLine(JsonText.Indented(json =>
        {
            json.WriteStartObject();
            json.WriteString("endpoint", endpoint);
            json.WriteBoolean("ok", checks.All(c => c.Result == DoctorResult.Ok));
            json.WriteStartArray("checks");
            foreach (var check in checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteString("method", check.Method);
                json.WriteString("route", check.Route);
                json.WriteString("result", DoctorView.ResultWord(check.Result));
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (diagnosis is not null)
            {
                json.WriteStartObject("diagnosis");
                json.WriteString("code", diagnosis.Code);
                json.WriteString("severity", diagnosis.IsError ? "error" : "warning");
                json.WriteString("message", diagnosis.Message);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }));
    }
}
