using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Small, forgiving readers over request JSON; schema problems are collected, not thrown.</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node, params string[] path)
    {
        var current = Walk(node, path);
        return current is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }

    public static int? Int(JsonNode? node, params string[] path)
    {
        var current = Walk(node, path);
        if (current is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number when value.TryGetValue<int>(out var i) => i,
            JsonValueKind.String when int.TryParse(value.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    public static JsonArray Array(JsonNode? node, params string[] path) => Walk(node, path) as JsonArray ?? [];

    public static JsonNode? Walk(JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var segment in path)
        {
            current = current is JsonObject obj && obj.TryGetPropertyValue(segment, out var next) ? next : null;
        }

        return current;
    }

    /// <summary>The <c>id</c> of the related party with role <c>customer</c> (the CUG).</summary>
    public static string? CustomerCug(JsonNode? body) =>
        Array(body, "relatedParty").Select(p => (Role: String(p, "role"), Id: String(p, "id")))
            .FirstOrDefault(p => string.Equals(p.Role, "customer", StringComparison.OrdinalIgnoreCase)).Id;

    /// <summary>name → value of a TMF <c>productCharacteristic</c> array; the last value wins.</summary>
    public static Dictionary<string, string> Characteristics(JsonNode? product)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Array(product, "productCharacteristic"))
        {
            var name = String(item, "name");
            var raw = Walk(item, "value");
            if (name is null || raw is not JsonValue value)
            {
                continue;
            }

            result[name] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        }

        return result;
    }
}
