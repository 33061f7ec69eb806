using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Contract;

namespace Whc.Declarative.WhcApi.Recording;

/// <summary>
/// Sits between the client and the network, so it sees every HTTP exchange once, as sent (token calls and each retry
/// included), and hands it to the <see cref="WhcRecorder"/> redacted by the sender's own redactor. An access token in a
/// token answer is registered as a secret before that answer is redacted, even when the client later refuses the
/// answer. What is recorded, beyond that redaction by value:
/// <list type="bullet">
/// <item>the token route's answer (a Basic request, or one to the token route's path) with every string value hidden,
/// at any depth and under any field name (numbers, booleans and the shape kept, for replay); hidden whole when it is
/// not JSON;</item>
/// <item>a JSON body with each string (names included) redacted once decoded, so an echo escaped in any mix of JSON
/// escapes is found; it is then written back as compact JSON;</item>
/// <item>an Authorization or Proxy-Authorization header as its scheme and <c>***</c>; a Cookie or Set-Cookie header as
/// each cookie's name and <c>***</c>.</item>
/// </list>
/// </summary>
internal sealed class RecordingHandler(
    HttpMessageHandler inner,
    WhcRecorder recorder,
    Func<string, string> redact,
    Action<string> registerSecret,
    WireTranslator wire,
    TimeProvider clock) : DelegatingHandler(inner)
{
    /// <summary>How a rewritten JSON body is written back: compact, and with no escaping beyond JSON's own.</summary>
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var position = recorder.NextSequence();
        var startedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            var what = e is OperationCanceledException ? "no answer in time (or the run was cancelled)" : $"the connection failed or dropped: {e.Message}";
            recorder.Add(position, Entry(request, requestBody, startedAt, clock.GetElapsedTime(started), null, null) with { Error = redact(what) });
            throw;
        }

        string? responseBody = null;
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            responseBody = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            recorder.Add(position, Entry(request, requestBody, startedAt, clock.GetElapsedTime(started), response, null) with { Error = redact($"the answer's body could not be read: {e.Message}") });
            // The response never reaches the layer above, so it is this handler's to dispose: that hangs up on a server
            // still sending (an endless answer past the cap, a trickle past the timeout).
            response.Dispose();
            throw;
        }

        if (request.Headers.Authorization?.Scheme is { } scheme && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            && WhcWireFormat.TryReadAccessToken(responseBody, wire) is { Length: <= WhcWireFormat.MaxAccessTokenLength } issued)
        {
            // A token answer: the sender registers the token only once it has accepted the answer. A longer one is
            // refused, so never sent, and the answer itself is hidden whole; its hundred forms would cost gigabytes.
            registerSecret(issued);
        }

        recorder.Add(position, Entry(request, requestBody, startedAt, clock.GetElapsedTime(started), response, responseBody));
        return response;
    }

    /// <summary>A token call: it carries the Basic credentials, or goes to the token route's path.</summary>
    private bool IsTokenCall(HttpRequestMessage request)
    {
        if (request.Headers.Authorization?.Scheme is { } scheme && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var route = wire.Contract.Route(ContractRoutes.Token).Path;
        var path = Uri.TryCreate(route, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : route;
        return request.RequestUri is { IsAbsoluteUri: true } uri && path.Length > 1
            && uri.AbsolutePath.TrimEnd('/').EndsWith(path.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The token route's answer with every string value hidden; the whole text hidden when it is not JSON.</summary>
    private string HideTokenAnswer(string body)
    {
        if (!TryRewrite(body, _ => "***", redact, out var rewritten))
        {
            return string.IsNullOrEmpty(body) ? body : "***";
        }

        return redact(rewritten?.ToJsonString(Compact) ?? "null");
    }

    /// <summary>The body redacted by value: string by string once decoded when it is JSON, then as text.</summary>
    private string RedactBody(string body)
    {
        var changed = false;
        string Hide(string value)
        {
            var hidden = redact(value);
            changed |= !string.Equals(hidden, value, StringComparison.Ordinal);
            return hidden;
        }

        return TryRewrite(body, Hide, Hide, out var rewritten) && changed
            ? redact(rewritten?.ToJsonString(Compact) ?? "null")
            : redact(body);
    }

    /// <summary>
    /// <paramref name="body"/> parsed as JSON and rewritten by <see cref="Rewrite"/>; false when it is not JSON (a
    /// duplicate name or a nesting past the parser's depth included).
    /// </summary>
    private static bool TryRewrite(string body, Func<string, string> value, Func<string, string> name, out JsonNode? rewritten)
    {
        rewritten = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            rewritten = Rewrite(JsonNode.Parse(body), value, name);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A copy of <paramref name="node"/> with every string value passed through <paramref name="value"/>, every property name through <paramref name="name"/>.</summary>
    private static JsonNode? Rewrite(JsonNode? node, Func<string, string> value, Func<string, string> name)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var hidden = name(key);
                    // Two names redacted alike stay two members.
                    for (var n = 2; copy.ContainsKey(hidden); n++)
                    {
                        hidden = string.Create(CultureInfo.InvariantCulture, $"{name(key)}~{n}");
                    }

                    copy[hidden] = Rewrite(child, value, name);
                }

                return copy;
            case JsonArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    list.Add(Rewrite(item, value, name));
                }

                return list;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(value(scalar.GetValue<string>()));
            default:
                return node?.DeepClone();
        }
    }

    private HarEntry Entry(HttpRequestMessage request, string? requestBody, DateTimeOffset startedAt, TimeSpan elapsed, HttpResponseMessage? response, string? responseBody)
    {
        var url = redact(request.RequestUri?.AbsoluteUri ?? string.Empty);
        var requestHeaders = Headers(request.Headers, request.Content?.Headers);
        var recordedRequestBody = requestBody is null ? null : RedactBody(requestBody);
        var harRequest = new HarRequest(
            request.Method.Method,
            url,
            Version(request.Version),
            requestHeaders,
            Query(request.RequestUri),
            [],
            -1,
            recordedRequestBody is null ? 0 : Encoding.UTF8.GetByteCount(recordedRequestBody))
        {
            PostData = recordedRequestBody is null ? null : new HarPostData(redact(request.Content?.Headers.ContentType?.ToString() ?? string.Empty), recordedRequestBody),
        };
        var text = responseBody is null ? null : IsTokenCall(request) ? HideTokenAnswer(responseBody) : RedactBody(responseBody);
        var size = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
        var harResponse = response is null
            ? new HarResponse(0, string.Empty, string.Empty, [], [], new HarContent(0, string.Empty), string.Empty, -1, -1)
            : new HarResponse(
                (int)response.StatusCode,
                response.ReasonPhrase ?? string.Empty,
                Version(response.Version),
                Headers(response.Headers, response.Content.Headers),
                [],
                new HarContent(size, response.Content.Headers.ContentType?.ToString() ?? string.Empty) { Text = text },
                redact(response.Headers.Location?.ToString() ?? string.Empty),
                -1,
                text is null ? -1 : size);
        var milliseconds = Math.Round(elapsed.TotalMilliseconds, 3);
        return new HarEntry(startedAt, milliseconds, harRequest, harResponse, new HarCache(), new HarTimings(0, milliseconds, 0));
    }

    private List<HarNameValue> Headers(HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        var list = new List<HarNameValue>();
        foreach (var (name, values) in contentHeaders is null ? headers : headers.Concat(contentHeaders))
        {
            foreach (var value in values)
            {
                list.Add(new HarNameValue(name, Header(name, value)));
            }
        }

        return list;
    }

    private string Header(string name, string value) => name.ToUpperInvariant() switch
    {
        "AUTHORIZATION" or "PROXY-AUTHORIZATION" => Authorization(value),
        "COOKIE" => string.Join("; ", value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(CookieName)),
        "SET-COOKIE" => CookieName(value.Split(';', 2)[0]),
        _ => redact(value),
    };

    /// <summary>A cookie as its name and <c>***</c>: its value is a credential of its own.</summary>
    private string CookieName(string cookie)
    {
        var equals = cookie.IndexOf('=', StringComparison.Ordinal);
        return redact(equals < 0 ? cookie.Trim() : cookie[..equals].Trim()) + "=***";
    }

    /// <summary>The scheme only: a credential is never recorded, registered as a secret or not.</summary>
    private string Authorization(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? redact(value[..space]) + " ***" : "***";
    }

    private List<HarNameValue> Query(Uri? uri)
    {
        var query = uri?.Query.TrimStart('?') ?? string.Empty;
        var list = new List<HarNameValue>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            list.Add(new HarNameValue(redact(Uri.UnescapeDataString(name)), redact(Uri.UnescapeDataString(value))));
        }

        return list;
    }

    private static string Version(Version version) => string.Create(CultureInfo.InvariantCulture, $"HTTP/{version.Major}.{version.Minor}");
}
