using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Tests.Shared;

/// <summary>For tests that look for a secret in JSON: every field name and string value once unescaped, a line each.</summary>
internal static class JsonStrings
{
    public static string Decoded(string json)
    {
        var into = new StringBuilder();
        Collect(JsonNode.Parse(json), into);
        return into.ToString();
    }

    private static void Collect(JsonNode? node, StringBuilder into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    into.Append(name).Append('\n');
                    Collect(value, into);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, into);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                into.Append(value.GetValue<string>()).Append('\n');
                break;
        }
    }
}
