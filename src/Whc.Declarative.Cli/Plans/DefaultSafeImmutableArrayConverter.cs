using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whc.Declarative.Cli.Plans;

/// <summary>
/// Writes an uninitialised (default) <see cref="ImmutableArray{T}"/> as an empty JSON array instead of throwing, and
/// reads arrays back as usual. Plan records leave optional arrays at default (e.g. the operations of a non-order step).
/// </summary>
public sealed class DefaultSafeImmutableArrayConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var element = typeToConvert.GetGenericArguments()[0];
        return (JsonConverter?)Activator.CreateInstance(typeof(ElementConverter<>).MakeGenericType(element));
    }

    private sealed class ElementConverter<T> : JsonConverter<ImmutableArray<T>>
    {
        public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<List<T>>(ref reader, options) is { } items ? [.. items] : [];

        public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            if (!value.IsDefault)
            {
                foreach (var item in value)
                {
                    JsonSerializer.Serialize(writer, item, options);
                }
            }

            writer.WriteEndArray();
        }
    }
}
