using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Views;

/// <summary>What <c>whcctl state show</c> and <c>state history</c> print, one implementation per <c>--format</c> (text, json).</summary>
public interface IStateView
{
    /// <summary>One resource's recorded attributes, as state holds them.</summary>
    void Resource(ResourceAddress address, JsonNode node);

    /// <summary>A company's stored versions, newest first (never empty).</summary>
    void History(IReadOnlyList<StateVersionInfo> versions);
}

/// <summary>Chooses the state view for a format: the one place the state commands look at <c>--format</c>.</summary>
public static class StateView
{
    /// <param name="format">The option's value: <c>text</c> or <c>json</c> (the parser accepts nothing else).</param>
    public static IStateView For(string? format, TextWriter output) =>
        string.Equals(format, "json", StringComparison.Ordinal) ? new StateJsonView(output) : new StateTextView(output);
}

/// <summary>
/// For people: a resource as <c>key = value</c> lines, a history as a table. Names and values come from a state file,
/// which may have been edited by hand: escaped, one per line.
/// </summary>
public sealed class StateTextView(TextWriter output) : IStateView
{
    public void Resource(ResourceAddress address, JsonNode node)
    {
        output.WriteLine($"# {Diagnostic.OneLine(address.ToString())}");
        var lines = new List<(string Key, string Value)>();
        Flatten(node, string.Empty, lines);
        lines = [.. lines.Select(l => (Diagnostic.OneLine(l.Key), Diagnostic.OneLine(l.Value)))];
        var width = lines.Count == 0 ? 0 : lines.Max(l => l.Key.Length);
        foreach (var (key, value) in lines)
        {
            output.WriteLine($"{key.PadRight(width)} = {value}");
        }
    }

    public void History(IReadOnlyList<StateVersionInfo> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        output.WriteLine("SERIAL  WRITTEN AT (UTC)      WRITTEN BY");
        foreach (var version in versions)
        {
            // Every lineage is listed (a forced push or migrate starts another); a version outside the current one says so.
            var lineage = string.Equals(version.Lineage, versions[0].Lineage, StringComparison.Ordinal) ? string.Empty : $"  (lineage {Diagnostic.OneLine(version.Lineage)})";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{version.Serial,6}  {version.WrittenAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z  {Diagnostic.OneLine(version.WrittenBy)}{lineage}"));
        }

        output.WriteLine($"lineage {versions[0].Lineage}");
    }

    private static void Flatten(JsonNode? node, string prefix, List<(string Key, string Value)> lines)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}", lines);
                }

                break;
            case JsonArray array when array.All(item => item is JsonValue or null):
                lines.Add((prefix, "[" + string.Join(", ", array.Select(Scalar)) + "]"));
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], string.Create(CultureInfo.InvariantCulture, $"{prefix}[{i}]"), lines);
                }

                break;
            default:
                lines.Add((prefix, Scalar(node)));
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}

/// <summary>For scripts: the resource's JSON as state holds it; the history as an array of versions.</summary>
public sealed class StateJsonView(TextWriter output) : IStateView
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Resource(ResourceAddress address, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        output.WriteLine(node.ToJsonString(Indented));
    }

    public void History(IReadOnlyList<StateVersionInfo> versions)
    {
        var array = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject
        {
            ["serial"] = v.Serial,
            ["lineage"] = v.Lineage,
            ["writtenBy"] = v.WrittenBy,
            ["writtenAt"] = v.WrittenAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        })]);
        output.WriteLine(array.ToJsonString(Indented));
    }
}
