using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Contract;

/// <summary>
/// The effective contract for people: as JSON (the document, with where each part comes from) and as the Markdown
/// reference in docs/whc-api.md. Sources: <c>guide</c> (BT's guide), <c>tmf</c> (TM Forum v4), <c>assumed</c>
/// (whcctl's guess) and <c>override</c> (set by a contract file or routes file).
/// </summary>
public static class ContractReference
{
    public const string Override = "override";

    /// <summary>Where the part at <paramref name="path"/> (dotted) comes from.</summary>
    public static string SourceOf(ContractLoad load, string path)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (load.Overridden.Any(o => o == path || o.StartsWith(path + ".", StringComparison.Ordinal) || path.StartsWith(o + ".", StringComparison.Ordinal)))
        {
            return Override;
        }

        var provenance = ContractLoader.DefaultProvenance;
        for (var key = path; key.Length > 0; key = key.Contains('.', StringComparison.Ordinal) ? key[..key.LastIndexOf('.')] : string.Empty)
        {
            if (provenance?[key] is JsonValue value && value.TryGetValue(out string? source))
            {
                return source;
            }
        }

        return "assumed";
    }

    /// <summary>The effective document; its <c>provenance</c> names where each part comes from, overrides included.</summary>
    public static JsonObject ToJson(ContractLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var document = (JsonObject)load.Document.DeepClone();
        var provenance = document["provenance"] as JsonObject ?? [];
        document.Remove("provenance");
        foreach (var path in load.Overridden.Order(StringComparer.Ordinal))
        {
            provenance[path] = Override;
        }

        document["provenance"] = provenance;
        return document;
    }

    /// <summary>The contract as Markdown tables (docs/whc-api.md's "The contract" is this, for the default).</summary>
    public static string ToMarkdown(ContractLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var contract = load.Contract ?? throw new ArgumentException("the contract did not load", nameof(load));
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        Line("| route | method | path | query (whcctl → wire) | success | path from | request from | answer from |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var (name, route) in contract.Routes)
        {
            var query = route.Query.Select(q => q.Key == q.Value ? Code(q.Key) : $"{Code(q.Key)} → {Code(q.Value)}")
                .Concat(route.QueryValues.Select(q => Code($"{q.Key}={q.Value}")));
            Line($"| {Code(name)} | {route.Method} | {Code(route.Path)} | {string.Join(", ", query)} | {string.Join(", ", route.Success.Select(s => s.ToString(CultureInfo.InvariantCulture)))} | "
                + $"{SourceOf(load, $"routes.{name}.path")} | {SourceOf(load, $"routes.{name}.request")} | {SourceOf(load, $"routes.{name}.response")} |");
        }

        var fieldMaps = contract.Routes.SelectMany(r =>
            r.Value.Request.Select(f => (Route: r.Key, Part: "request", f.Key, f.Value))
                .Concat(r.Value.Response.Select(f => (Route: r.Key, Part: "answer", f.Key, f.Value))))
            .ToList();
        if (fieldMaps.Count > 0)
        {
            Line(string.Empty);
            Line("Field maps (whcctl's field → the field on the wire; with several, the first one present is read):");
            Line(string.Empty);
            Line("| route | body | whcctl's field | on the wire |");
            Line("|---|---|---|---|");
            foreach (var (route, part, field, wires) in fieldMaps)
            {
                Line($"| {Code(route)} | {part} | {Code(field)} | {string.Join(", ", wires.Select(Code))} |");
            }
        }

        Line(string.Empty);
        Line("| product | offering id | from | characteristics (whcctl → wire) | from |");
        Line("|---|---|---|---|---|");
        foreach (var (product, offering) in contract.ProductOfferings)
        {
            IReadOnlyDictionary<string, string> names = contract.Characteristics.TryGetValue(product, out var map) ? map : new Dictionary<string, string>();
            var characteristics = names.Select(c => c.Key == c.Value ? Code(c.Key) : $"{Code(c.Key)} → {Code(c.Value)}");
            var sources = names.Select(c => SourceOf(load, $"characteristics.{product}.{c.Key}")).Distinct(StringComparer.Ordinal);
            Line($"| {Code(product)} | {Code(offering)} | {SourceOf(load, $"productOfferings.{product}")} | {string.Join(", ", characteristics)} | {string.Join(", ", sources)} |");
        }

        Line(string.Empty);
        Line($"Roles ({SourceOf(load, "roles")}): {string.Join(", ", contract.Roles.Select(r => r.Key == r.Value ? Code(r.Key) : $"{Code(r.Key)} → {Code(r.Value)}"))}.");
        Line(string.Empty);
        Line($"Order states, BT's word → whcctl's ({SourceOf(load, "orderStates")}): {string.Join(", ", contract.OrderStates.Select(s => s.Key == s.Value ? Code(s.Key) : $"{Code(s.Key)} → {Code(s.Value)}"))}. Any other state is waited through, with one warning.");
        Line(string.Empty);
        var envelope = contract.ErrorEnvelope;
        Line($"Error envelope ({SourceOf(load, "errorEnvelope")}): fields {string.Join(", ", envelope.Fields.Select(f => $"{Code(f.Key)} → {string.Join(", ", f.Value.Select(Code))}"))}; "
            + $"BT's \"no data\" answer is status {envelope.NoDataStatus.ToString(CultureInfo.InvariantCulture)} with code {Code(envelope.NoDataCode)}, and only that answer means \"free\" or \"not found\".");
        return text.ToString();
    }

    /// <summary>A contract value in a table cell: a code span, its pipes escaped as GitHub tables need.</summary>
    private static string Code(string value) => MarkdownCode.Span(Diagnostic.OneLine(value).Replace("|", "\\|", StringComparison.Ordinal));
}
