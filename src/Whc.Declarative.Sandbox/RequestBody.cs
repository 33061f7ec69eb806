using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// Reads a request's JSON body; malformed, ambiguous or oversized input is a 400/29. A body that stops short (the client
/// closed the connection, or its framing broke) throws Kestrel's <see cref="BadHttpRequestException"/>: the caller decides.
/// </summary>
internal static class RequestBody
{
    // Duplicate names are refused: JsonObject would otherwise throw on first use, deep inside a handler.
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>The body as JSON; null when it is empty and <paramref name="required"/> is false.</summary>
    public static async Task<(JsonNode? Json, ApiResult? Error)> ReadAsync(HttpContext context, string problem, bool required)
    {
        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's body size limit (413): the caller sent more than any request of this API needs.
            return (null, ApiResult.SchemaInvalid(problem, [$"request body refused: {e.Message}"]));
        }

        if (bytes.Length == 0 && !required)
        {
            return (null, null);
        }

        try
        {
            var json = JsonNode.Parse(bytes, documentOptions: Strict);
            ReadEveryString(json);
            return (json, null);
        }
        catch (JsonException e)
        {
            return (null, ApiResult.SchemaInvalid(problem, [$"request body is not valid JSON: {e.Message}"]));
        }
        catch (InvalidOperationException e)
        {
            return (null, ApiResult.SchemaInvalid(problem, [$"request body holds a string that is not valid Unicode: {e.Message}"]));
        }
    }

    /// <summary>
    /// Decodes every name and string once: an escaped lone surrogate (<c>"\ud800"</c>) parses, then throws
    /// InvalidOperationException wherever it is first read, deep inside a handler. Depth is bounded by the parser (64).
    /// </summary>
    private static void ReadEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    ReadEveryString(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ReadEveryString(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }
}
