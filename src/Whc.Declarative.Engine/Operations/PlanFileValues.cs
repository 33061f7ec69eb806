using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// An attribute value in a saved plan: an object with one key naming its type (<c>text</c>, <c>number</c>,
/// <c>flag</c>, <c>list</c>), or <c>unknownUntil</c> (with <c>known</c>, the part known already) for a value known only
/// after apply. Written by hand, so the file never depends on reflection over Core's value types.
/// </summary>
internal sealed class PlanFileValueConverter : JsonConverter<AttributeValue>
{
    public override AttributeValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new PlanFileContentException("an attribute value is an object");
        }

        AttributeValue? value = null;
        string? until = null;
        AttributeValue? known = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString();
            reader.Read();
            switch (key)
            {
                case "text":
                    value = AttributeValue.Text(reader.GetString() ?? throw new PlanFileContentException("text is a string"));
                    break;
                case "number":
                    value = AttributeValue.Number(reader.GetInt64());
                    break;
                case "flag":
                    value = AttributeValue.Flag(reader.GetBoolean());
                    break;
                case "list":
                    value = AttributeValue.List(ReadItems(ref reader));
                    break;
                case "unknownUntil":
                    until = reader.GetString();
                    break;
                case "known":
                    known = reader.TokenType == JsonTokenType.Null ? null : Read(ref reader, typeToConvert, options);
                    break;
                default:
                    throw new PlanFileContentException($"an attribute value has no key '{key}'");
            }
        }

        return until is not null ? AttributeValue.KnownAfter(until, known) : value ?? throw new PlanFileContentException("an attribute value names its type");
    }

    public override void Write(Utf8JsonWriter writer, AttributeValue value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case TextValue text:
                writer.WriteString("text", text.Value);
                break;
            case NumberValue number:
                writer.WriteNumber("number", number.Value);
                break;
            case FlagValue flag:
                writer.WriteBoolean("flag", flag.Value);
                break;
            case ListValue list:
                writer.WriteStartArray("list");
                foreach (var item in list.Items)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case UnknownValue unknown:
                writer.WriteString("unknownUntil", unknown.Until);
                if (unknown.Known is { } known)
                {
                    writer.WritePropertyName("known");
                    Write(writer, known, options);
                }

                break;
            default:
                throw new PlanFileContentException($"no form in a plan file for a value of type {value.GetType().Name}");
        }

        writer.WriteEndObject();
    }

    private static ImmutableArray<string> ReadItems(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new PlanFileContentException("a list is an array");
        }

        var items = ImmutableArray.CreateBuilder<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.GetString() ?? throw new PlanFileContentException("a list item is a string"));
        }

        return items.ToImmutable();
    }
}
