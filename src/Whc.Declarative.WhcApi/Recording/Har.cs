using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Whc.Declarative.WhcApi.Recording;

/// <summary>
/// A HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/), the format browsers' developer tools and HAR
/// viewers open: the fields whcctl writes and reads, with the names the specification gives them. Custom fields start
/// with an underscore, as the specification asks.
/// </summary>
public sealed record HarDocument(HarLog Log)
{
    /// <summary>
    /// Written as an API would: no HTML-safe escaping, so the file's text is what was sent and received. The metadata is
    /// source-generated (<see cref="HarJson"/>), never reflected, so the native executable records and replays too.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = HarJson.Default,
    };

    private static JsonTypeInfo<HarDocument> Metadata { get; } = (JsonTypeInfo<HarDocument>)SerializerOptions.GetTypeInfo(typeof(HarDocument));

    public string ToJson() => JsonSerializer.Serialize(this, Metadata);

    /// <summary>Reads a HAR document; throws <see cref="JsonException"/> when the text is not one.</summary>
    public static HarDocument Parse(string json)
    {
        var document = JsonSerializer.Deserialize(json, Metadata);
        if (document?.Log is null)
        {
            throw new JsonException("it has no \"log\" object");
        }

        if (document.Log.Version != "1.2")
        {
            throw new JsonException($"its log.version is '{document.Log.Version}', not '1.2'");
        }

        if (document.Log.Entries is null)
        {
            throw new JsonException("it has no log.entries");
        }

        for (var i = 0; i < document.Log.Entries.Count; i++)
        {
            var entry = document.Log.Entries[i];
            if (entry?.Request is null || entry.Response is null || string.IsNullOrEmpty(entry.Request.Method) || !Uri.TryCreate(entry.Request.Url, UriKind.Absolute, out _))
            {
                throw new JsonException($"entry {i + 1} has no request (method and absolute URL) or no response");
            }

            // Everything the replay reads must be there and well formed: the file may come from anywhere.
            if (!entry.Request.Method.All(char.IsAsciiLetterUpper)
                || entry.Request.Headers is null || entry.Request.Headers.Any(h => h?.Name is null || h.Value is null)
                || entry.Response.Headers is null || entry.Response.Headers.Any(h => h?.Name is null || h.Value is null)
                || entry.Response.Content is null)
            {
                throw new JsonException($"entry {i + 1} lacks headers or content, or its method is not an HTTP method");
            }
        }

        return document;
    }
}

public sealed record HarLog(string Version, HarCreator Creator, IReadOnlyList<HarEntry> Entries);

public sealed record HarCreator(string Name, string Version);

public sealed record HarEntry(
    DateTimeOffset StartedDateTime,
    double Time,
    HarRequest Request,
    HarResponse Response,
    HarCache Cache,
    HarTimings Timings)
{
    /// <summary>Why there is no answer (status 0): a timeout or a dropped connection. Custom field.</summary>
    [JsonPropertyName("_error")]
    public string? Error { get; init; }
}

public sealed record HarRequest(
    string Method,
    string Url,
    string HttpVersion,
    IReadOnlyList<HarNameValue> Headers,
    IReadOnlyList<HarNameValue> QueryString,
    IReadOnlyList<HarNameValue> Cookies,
    long HeadersSize,
    long BodySize)
{
    public HarPostData? PostData { get; init; }
}

public sealed record HarResponse(
    int Status,
    string StatusText,
    string HttpVersion,
    IReadOnlyList<HarNameValue> Headers,
    IReadOnlyList<HarNameValue> Cookies,
    HarContent Content,
    string RedirectUrl,
    long HeadersSize,
    long BodySize)
{
    /// <summary>HAR spells it <c>redirectURL</c>.</summary>
    [JsonPropertyName("redirectURL")]
    public string RedirectUrl { get; init; } = RedirectUrl;
}

public sealed record HarNameValue(string Name, string Value);

public sealed record HarPostData(string MimeType, string Text);

public sealed record HarContent(long Size, string MimeType)
{
    public string? Text { get; init; }
}

/// <summary>Nothing is cached: HAR requires the object, which may be empty.</summary>
public sealed record HarCache;

/// <summary>Milliseconds; whcctl measures the whole exchange and reports it as <c>wait</c>.</summary>
public sealed record HarTimings(double Send, double Wait, double Receive);

/// <summary>The HAR types' JSON metadata; <see cref="HarDocument.SerializerOptions"/> adds the encoder an attribute cannot name.</summary>
[JsonSerializable(typeof(HarDocument))]
internal sealed partial class HarJson : JsonSerializerContext;
