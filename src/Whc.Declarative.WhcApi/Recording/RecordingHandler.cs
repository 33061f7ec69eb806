using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Whc.Declarative.Contract;

namespace Whc.Declarative.WhcApi.Recording;

/// <summary>
/// Sits between the client and the network, so it sees every HTTP exchange once, as sent (token calls and each retry
/// included), and hands it to the <see cref="WhcRecorder"/> redacted by the sender's own redactor. An access token in a
/// token answer is registered as a secret before that answer is redacted, even when the client later refuses the
/// answer. An Authorization header is always recorded as its scheme and <c>***</c>.
/// </summary>
internal sealed class RecordingHandler(
    HttpMessageHandler inner,
    WhcRecorder recorder,
    Func<string, string> redact,
    Action<string> registerSecret,
    WireTranslator wire,
    TimeProvider clock) : DelegatingHandler(inner)
{
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
            throw;
        }

        if (request.Headers.Authorization?.Scheme is { } scheme && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            && WhcWireFormat.TryReadAccessToken(responseBody, wire) is { } issued)
        {
            // A token answer: the sender registers the token only once it has accepted the answer.
            registerSecret(issued);
        }

        recorder.Add(position, Entry(request, requestBody, startedAt, clock.GetElapsedTime(started), response, responseBody));
        return response;
    }

    private HarEntry Entry(HttpRequestMessage request, string? requestBody, DateTimeOffset startedAt, TimeSpan elapsed, HttpResponseMessage? response, string? responseBody)
    {
        var url = redact(request.RequestUri?.AbsoluteUri ?? string.Empty);
        var requestHeaders = Headers(request.Headers, request.Content?.Headers);
        var harRequest = new HarRequest(
            request.Method.Method,
            url,
            Version(request.Version),
            requestHeaders,
            Query(request.RequestUri),
            [],
            -1,
            requestBody is null ? 0 : Encoding.UTF8.GetByteCount(redact(requestBody)))
        {
            PostData = requestBody is null ? null : new HarPostData(request.Content?.Headers.ContentType?.ToString() ?? string.Empty, redact(requestBody)),
        };
        var text = responseBody is null ? null : redact(responseBody);
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
                list.Add(new HarNameValue(name, name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? Authorization(value) : redact(value)));
            }
        }

        return list;
    }

    /// <summary>The scheme only: a credential is never recorded, registered as a secret or not.</summary>
    private static string Authorization(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? value[..space] + " ***" : "***";
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
