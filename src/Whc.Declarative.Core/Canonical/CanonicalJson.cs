using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Core.Canonical;

/// <summary>
/// The canonical form of a JSON value that every fingerprint, hash and content comparison in whcctl is taken over
/// (BT's inventory for a saved plan, a state's content, a saved plan's hash and its companies): object keys sorted
/// (ordinal), no insignificant whitespace, strings escaped as System.Text.Json's default encoder does, numbers as
/// written. So a hash changes with the content only, never with indentation or the order a serialiser happens to emit
/// properties in. Values reach it as <see cref="JsonNode"/>s made by source-generated contexts (no reflection).
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical UTF-8 bytes of <paramref name="node"/>.</summary>
    public static byte[] Of(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the canonical form.</summary>
    public static string Sha256(JsonNode? node) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Of(node)));

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject value:
                writer.WriteStartObject();
                foreach (var (name, item) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, item);
                }

                writer.WriteEndObject();
                break;
            case JsonArray items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
