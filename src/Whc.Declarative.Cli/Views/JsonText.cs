using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Whc.Declarative.Cli.Views;

/// <summary>
/// Indented JSON written field by field with <see cref="Utf8JsonWriter"/> (no serializer reflection over our types, so
/// the native build writes the same). The default encoder, as <see cref="JsonSerializer"/>'s, so documents read the same.
/// </summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static string Indented(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
