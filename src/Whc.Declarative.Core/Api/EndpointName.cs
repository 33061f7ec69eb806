using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whc.Declarative.Core.Api;

/// <summary>
/// The name whcctl knows a BT endpoint by: a preset's name (<c>sandbox</c>, <c>testa</c>, <c>production</c>) or a base
/// URL without a trailing slash. It is the one value a state is bound to, a plan checks that binding against, a saved
/// plan records and apply compares with the endpoint it talks to, so every one of them derives and compares it the
/// same way, however the URL was spelled on the command line. Files keep it as its text (<see cref="Value"/>).
/// </summary>
[JsonConverter(typeof(EndpointNameJsonConverter))]
public sealed record EndpointName
{
    private EndpointName(string value) => Value = value;

    /// <summary>The name as files record it: a preset's name or the URL without a trailing slash.</summary>
    public string Value { get; }

    /// <summary>
    /// The name for recorded or resolved text: an absolute http(s) URL is normalised (scheme and host lower case,
    /// default port dropped, no trailing slash), any other text is kept as it is. Validation of what the user typed is
    /// the client's (<c>WhcEndpoint.Resolve</c>); a name read back from a file is only ever compared.
    /// </summary>
    public static EndpointName Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? new EndpointName(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'))
            : new EndpointName(trimmed);
    }

    /// <summary>The name of recorded text, or null when nothing is recorded.</summary>
    public static EndpointName? OfRecorded(string? text) => string.IsNullOrWhiteSpace(text) ? null : Of(text);

    public override string ToString() => Value;
}

/// <summary>An endpoint name in JSON is its text (a state's or a plan's <c>endpoint</c> field).</summary>
public sealed class EndpointNameJsonConverter : JsonConverter<EndpointName>
{
    public override EndpointName? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { } text ? EndpointName.Of(text) : throw new JsonException("an endpoint is a string");

    public override void Write(Utf8JsonWriter writer, EndpointName value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Value);
    }
}
