using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Contract;

namespace Whc.Declarative.WhcApi.Recording;

/// <summary>What became of one recorded exchange when it was sent again.</summary>
public enum ReplayOutcome
{
    /// <summary>Same status, and a body of the same shape.</summary>
    Ok,

    /// <summary>Another status, or a body of another shape (see the differences).</summary>
    Differs,

    /// <summary>Not sent: the recording holds no answer to compare with (a timeout or a dropped connection).</summary>
    Skipped,
}

/// <param name="Number">The entry's place in the recording, from 1.</param>
/// <param name="Path">The request's path and query, as sent in the replay.</param>
public sealed record ReplayedEntry(int Number, string Method, string Path, int RecordedStatus, int? ReplayedStatus, ReplayOutcome Outcome, IReadOnlyList<string> Differences);

public sealed record ReplayReport(IReadOnlyList<ReplayedEntry> Entries)
{
    public bool Ok => Entries.All(e => e.Outcome != ReplayOutcome.Differs);
}

/// <summary>
/// Sends the requests of a recording (<see cref="WhcRecorder"/>, HAR 1.2) again, in order, to another endpoint (the
/// sandbox, usually), and compares each answer with the recorded one. The rule (docs/first-contact.md):
/// <list type="bullet">
/// <item>the status codes must be equal;</item>
/// <item>when the recorded body is JSON, the answer's must be too, with the same set of JSON paths and, per path, the
/// same value kinds (object, array, string, number, boolean); array elements count as one path
/// (<c>$.items[]</c>), so lists may differ in length; values (ids, dates, tracking ids, names BT made up) may differ;
/// <c>null</c> is "no value yet" (a user's directory number while its order runs) and goes with any kind: a path
/// holding only nulls on one side matches any kind on the other, and nulls beside other kinds are not compared;</item>
/// <item>a body that is not JSON is not compared.</item>
/// </list>
/// The replay authenticates with its own credentials (a recording holds none): a recorded Basic request gets this
/// endpoint's credentials, a Bearer request the token this replay obtained last. An id-like string that the endpoint
/// answers differently (a qualification, order or service id) is replaced by the endpoint's own in every later
/// request's path, query and body, so the journey holds together.
/// <para>
/// Orders take BT minutes and the sandbox moments, so a recorded read of an order still in progress and a replayed one
/// that finished would differ by timing alone. With <paramref name="settleOrder"/> (see <see cref="ForSandbox"/>) the
/// endpoint keeps orders as submitted until a recorded read shows one final: before that read is sent, the order is
/// settled (completed or failed) as recorded.
/// </para>
/// </summary>
/// <param name="settleOrder">Makes the endpoint settle an order (id, <c>completed</c> or <c>failed</c>); null: orders move on their own.</param>
/// <param name="contract">The contract the recorded run spoke (token answer names, order state words); the built-in one by default.</param>
public sealed class WhcReplayer(Uri baseUri, WhcCredentials credentials, HttpMessageHandler? handler = null, Func<string, string, CancellationToken, Task>? settleOrder = null, WhcContract? contract = null)
{
    private static readonly HashSet<string> FinalOrderStates = new(StringComparer.OrdinalIgnoreCase) { "completed", "failed" };

    private readonly WireTranslator wire = new(contract ?? WhcContract.Default);

    /// <summary>
    /// Never sent again: the recording's own credentials and cookies (the replay authenticates with its own), and the
    /// headers that frame the request or name its host, which the replay's HTTP client sets itself.
    /// </summary>
    private static readonly HashSet<string> NotReplayedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Host", "Content-Length", "Content-Type", "Transfer-Encoding",
        "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "TE", "Trailer", "Expect",
    };

    /// <summary>
    /// Sends the recording's requests again, in order, each to this replayer's endpoint.
    /// </summary>
    /// <exception cref="ReplayRefusedException">An entry names another origin, has a path that is a URL, or a header that is
    /// not one; nothing was sent (<see cref="Problems"/>).</exception>
    public async Task<ReplayReport> ReplayAsync(HarDocument recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recording);
        // Every entry is checked before the first is sent: a hostile recording sends nothing at all.
        if (Problems(recording) is { Count: > 0 } problems)
        {
            throw new ReplayRefusedException(problems);
        }

        // No redirect, no proxy, no cookie jar: every request goes straight to the endpoint and nowhere else; and no
        // answer read past the client's own cap.
        var network = handler ?? new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        WhcOutboundPolicy.FollowNoRedirect(network);
        using var http = new HttpClient(network, disposeHandler: handler is null)
        {
            Timeout = TimeSpan.FromSeconds(60),
            MaxResponseContentBufferSize = WhcOutboundPolicy.DefaultMaxAnswerBytes,
        };
        var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
        string? token = null;
        var results = new List<ReplayedEntry>();
        var number = 0;
        foreach (var entry in recording.Log.Entries)
        {
            number++;
            var target = Target(entry.Request.Url, replacements);
            if (entry.Response.Status == 0)
            {
                results.Add(new ReplayedEntry(number, entry.Request.Method, target, 0, null, ReplayOutcome.Skipped, ["the recording holds no answer: " + (entry.Error ?? "none")]));
                continue;
            }

            var scheme = Scheme(entry.Request.Headers);
            if (scheme == "Bearer" && token is null)
            {
                token = await FetchTokenAsync(http, cancellationToken);
            }

            var recordedJson = ParseJson(entry.Response.Content.Text);
            if (settleOrder is not null && entry.Request.Method == "GET")
            {
                foreach (var (orderId, state) in FinalOrders(recordedJson.Node))
                {
                    await settleOrder(Replace(orderId, replacements), state.ToLowerInvariant(), cancellationToken);
                }
            }

            using var request = new HttpRequestMessage(new HttpMethod(entry.Request.Method), OnEndpoint(target));
            foreach (var header in entry.Request.Headers.Where(h => !NotReplayedHeaders.Contains(h.Name)))
            {
                request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }

            request.Headers.Authorization = scheme switch
            {
                "Basic" => BasicAuthorization(),
                "Bearer" => new AuthenticationHeaderValue("Bearer", token),
                _ => null,
            };
            if (entry.Request.PostData is { } post)
            {
                request.Content = new StringContent(Replace(post.Text, replacements), Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(post.MimeType, out var mime) ? mime : new MediaTypeHeaderValue("application/json");
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (scheme == "Basic" && WhcWireFormat.TryReadAccessToken(body, wire) is { } fresh)
            {
                token = fresh;
            }

            var differences = new List<string>();
            if (status != entry.Response.Status)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"status {status}, recorded {entry.Response.Status}"));
            }

            if (recordedJson.IsJson)
            {
                var replayedJson = ParseJson(body);
                if (!replayedJson.IsJson)
                {
                    differences.Add("the answer is not JSON; the recorded one is");
                }
                else
                {
                    differences.AddRange(CompareShapes(recordedJson.Node, replayedJson.Node));
                    LearnReplacements(recordedJson.Node, replayedJson.Node, replacements);
                }
            }

            results.Add(new ReplayedEntry(number, entry.Request.Method, target, entry.Response.Status, status, differences.Count == 0 ? ReplayOutcome.Ok : ReplayOutcome.Differs, differences));
        }

        return new ReplayReport(results);
    }

    /// <summary>
    /// A replayer for the project's sandbox at <paramref name="sandboxUri"/>, started with orders that never move on
    /// their own (e.g. <c>OrderTimings</c> of years): a recorded final order is settled through the sandbox's admin
    /// API (<c>POST /_sandbox/outside/orders/{id}/state</c>) before its read is replayed.
    /// </summary>
    public static WhcReplayer ForSandbox(Uri sandboxUri, WhcCredentials credentials, WhcContract? contract = null)
    {
        ArgumentNullException.ThrowIfNull(sandboxUri);
        return new WhcReplayer(sandboxUri, credentials, null, contract: contract, settleOrder: async (orderId, state, cancellationToken) =>
        {
            using var admin = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = sandboxUri };
            using var body = new StringContent(new JsonObject { ["state"] = state }.ToJsonString(), Encoding.UTF8, "application/json");
            // An order already final (settled by an earlier read) is refused with 400: nothing to do.
            using var response = await admin.PostAsync(new Uri($"_sandbox/outside/orders/{Uri.EscapeDataString(orderId)}/state", UriKind.Relative), body, cancellationToken);
        });
    }

    /// <summary>
    /// Why the recording cannot be replayed, one line per entry ("entry N: ..."), in entry order; empty when it can.
    /// The rules: every entry's URL is an http(s) URL without user info on the recording's origin (its first entry's,
    /// the contract's absolute routes aside) or on the origin of an absolute route of the contract; its path is a path, not an absolute URL
    /// (<c>/http://host/x</c>) or a scheme-relative one (<c>//host/x</c>), with no backslash or control character,
    /// escaped or not; every header name is an HTTP token and no header value (nor the body's media type) holds a
    /// control character other than a tab (CR LF would add headers of its own).
    /// </summary>
    public IReadOnlyList<string> Problems(HarDocument recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var entries = recording.Log.Entries;
        var origins = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in wire.Contract.Routes.Values)
        {
            if (Uri.TryCreate(route.Path, UriKind.Absolute, out var absolute))
            {
                origins.Add(Origin(absolute));
            }
        }

        // The recording's own origin: the endpoint's, i.e. that of its first entry not on a contract route's own origin.
        var recordingOrigin = entries
            .Select(e => Uri.TryCreate(e.Request.Url, UriKind.Absolute, out var uri) ? Origin(uri) : null)
            .FirstOrDefault(o => o is not null && !origins.Contains(o)) ?? "(none)";
        origins.Add(recordingOrigin);

        var problems = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var why = EntryProblems(entries[i], origins, recordingOrigin);
            if (why.Count > 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"entry {i + 1}: {string.Join("; ", why)}"));
            }
        }

        return problems;
    }

    private static List<string> EntryProblems(HarEntry entry, SortedSet<string> origins, string recordingOrigin)
    {
        var why = new List<string>();
        var url = entry.Request.Url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            why.Add("its URL is not an http(s) URL");
            return why;
        }

        if (uri.UserInfo.Length > 0)
        {
            why.Add("its URL carries user info");
        }

        if (!origins.Contains(Origin(uri)))
        {
            why.Add($"its URL names {Printable(Origin(uri))}, not the recording's origin {Printable(recordingOrigin)}");
        }

        // The path as written (Uri turns a backslash into '/') and as decoded: neither may start another URL.
        var written = url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..];
        written = written.IndexOfAny(['/', '\\']) is var slash and >= 0 ? written[slash..] : "/";
        foreach (var path in new[] { written, uri.AbsolutePath, Uri.UnescapeDataString(uri.AbsolutePath) })
        {
            var firstSegment = path.TrimStart('/').Split('/', '?')[0];
            if (path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal) || firstSegment.Contains(':', StringComparison.Ordinal))
            {
                why.Add($"its path {Printable(uri.AbsolutePath)} is a URL or starts like one; a replay sends paths only");
                break;
            }

            if (path.Any(char.IsControl))
            {
                why.Add("its path holds a control character");
                break;
            }
        }

        foreach (var header in entry.Request.Headers)
        {
            if (header.Name.Length == 0 || !header.Name.All(IsTokenChar))
            {
                why.Add($"the header name {Printable(header.Name)} is not an HTTP token");
            }
            else if (header.Value.Any(c => c != '\t' && char.IsControl(c)))
            {
                why.Add($"the header {header.Name} holds a control character (CR or LF would add headers of its own)");
            }
        }

        if (entry.Request.PostData?.MimeType is { } mime && mime.Any(char.IsControl))
        {
            why.Add("the body's media type holds a control character");
        }

        return why;
    }

    /// <summary>RFC 9110's tchar: what a header name is made of.</summary>
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    /// <summary>The outbound policy's origin (scheme, ASCII host, port spelled out): one notion of "same origin" in the client.</summary>
    private static string Origin(Uri uri) => WhcOutboundPolicy.Origin(uri);

    /// <summary>Recorded text in a message: control characters shown as escapes, so it stays one line.</summary>
    private static string Printable(string text) =>
        "'" + string.Concat(text.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString())) + "'";

    /// <summary>
    /// <paramref name="pathAndQuery"/> on this replayer's endpoint, whatever it holds: the endpoint's scheme, host and
    /// port are written first and the path after one slash, so no path (checked or rewritten by id replacements) can
    /// name another host.
    /// </summary>
    private Uri OnEndpoint(string pathAndQuery)
    {
        var root = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var target = new Uri(root + "/" + pathAndQuery.TrimStart('/', '\\'));
        if (Origin(target) != Origin(baseUri))
        {
            throw new ReplayRefusedException([$"the path {Printable(pathAndQuery)} would leave the endpoint"]);
        }

        return target;
    }

    /// <summary>The orders (an order, or a list of them) that a recorded answer shows completed or failed (in whcctl's words).</summary>
    private IEnumerable<(string Id, string State)> FinalOrders(JsonNode? answer)
    {
        IEnumerable<JsonNode?> candidates = answer is JsonArray list ? list : [answer];
        foreach (var candidate in candidates)
        {
            if (candidate is JsonObject order && order.ContainsKey("productOrderItem")
                && order["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String
                && order["state"] is JsonValue state && state.GetValueKind() == JsonValueKind.String
                && wire.Contract.OrderStates.GetValueOrDefault(state.GetValue<string>(), state.GetValue<string>()) is var canonical
                && FinalOrderStates.Contains(canonical))
            {
                yield return (id.GetValue<string>(), canonical);
            }
        }
    }

    /// <summary>Every JSON path of <paramref name="node"/> (array elements as <c>[]</c>) with the kinds of value found there.</summary>
    public static SortedDictionary<string, SortedSet<string>> Shape(JsonNode? node)
    {
        var shape = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        AddShape(node, "$", shape);
        return shape;
    }

    /// <summary>How the shape of <paramref name="replayed"/> differs from that of <paramref name="recorded"/>; empty when it does not.</summary>
    public static IReadOnlyList<string> CompareShapes(JsonNode? recorded, JsonNode? replayed)
    {
        var before = Shape(recorded);
        var after = Shape(replayed);
        var differences = new List<string>();
        foreach (var (path, kinds) in before)
        {
            if (!after.TryGetValue(path, out var now))
            {
                differences.Add($"{path} is missing (recorded {string.Join('|', kinds)})");
            }
            else if (!SameKinds(kinds, now))
            {
                differences.Add($"{path} is {string.Join('|', now)}, recorded {string.Join('|', kinds)}");
            }
        }

        differences.AddRange(after.Where(a => !before.ContainsKey(a.Key)).Select(a => $"{a.Key} is new ({string.Join('|', a.Value)}; not in the recording)"));
        return differences;
    }

    /// <summary>The same kinds, null aside; a side with nothing but null goes with anything.</summary>
    private static bool SameKinds(SortedSet<string> recorded, SortedSet<string> replayed)
    {
        var before = recorded.Where(k => k != "null").ToHashSet(StringComparer.Ordinal);
        var after = replayed.Where(k => k != "null").ToHashSet(StringComparer.Ordinal);
        return before.Count == 0 || after.Count == 0 || before.SetEquals(after);
    }

    private static void AddShape(JsonNode? node, string path, SortedDictionary<string, SortedSet<string>> shape)
    {
        if (!shape.TryGetValue(path, out var kinds))
        {
            shape[path] = kinds = new SortedSet<string>(StringComparer.Ordinal);
        }

        kinds.Add(Kind(node));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    AddShape(value, $"{path}.{name}", shape);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AddShape(item, path + "[]", shape);
                }

                break;
        }
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "undefined",
    };

    /// <summary>Walks both answers side by side; an id-like string answered differently is remembered, recorded → replayed.</summary>
    private static void LearnReplacements(JsonNode? recorded, JsonNode? replayed, Dictionary<string, string> replacements)
    {
        switch (recorded)
        {
            case JsonObject before when replayed is JsonObject after:
                foreach (var (name, value) in before)
                {
                    if (after.TryGetPropertyValue(name, out var now))
                    {
                        LearnReplacements(value, now, replacements);
                    }
                }

                break;
            case JsonArray before when replayed is JsonArray after:
                for (var i = 0; i < Math.Min(before.Count, after.Count); i++)
                {
                    LearnReplacements(before[i], after[i], replacements);
                }

                break;
            case JsonValue before when replayed is JsonValue after
                && before.GetValueKind() == JsonValueKind.String && after.GetValueKind() == JsonValueKind.String:
                var was = before.GetValue<string>();
                var now2 = after.GetValue<string>();
                if (was != now2 && LooksLikeId(was))
                {
                    replacements[was] = now2;
                }

                break;
        }
    }

    /// <summary>An id as BT writes them (QFW103255, BTWKN1485, X05000455530, 01214960000): a digit, no space, not redacted.</summary>
    private static bool LooksLikeId(string value) =>
        value.Length >= 4 && value.Any(char.IsAsciiDigit) && !value.Any(char.IsWhiteSpace) && !value.Contains("***", StringComparison.Ordinal);

    private static string Target(string recordedUrl, Dictionary<string, string> replacements) =>
        Replace(new Uri(recordedUrl).PathAndQuery, replacements);

    private static string Replace(string text, Dictionary<string, string> replacements)
    {
        foreach (var (from, to) in replacements.OrderByDescending(r => r.Key.Length))
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }

    private static string? Scheme(IReadOnlyList<HarNameValue> headers)
    {
        var value = headers.FirstOrDefault(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))?.Value;
        var space = value?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        var scheme = value is null ? null : space > 0 ? value[..space] : value;
        return scheme switch
        {
            null => null,
            _ when scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) => "Basic",
            _ when scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) => "Bearer",
            _ => null,
        };
    }

    private AuthenticationHeaderValue BasicAuthorization() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ClientId}:{credentials.ClientSecret}")));

    /// <summary>A token for a recording that starts after its token call: the contract's token route, as the client would call it.</summary>
    private async Task<string?> FetchTokenAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var route = wire.Contract.Route(ContractRoutes.Token);
        var path = route.IsAbsolute ? new Uri(route.Path).AbsolutePath : route.Path;
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), OnEndpoint(path + "?grant_type=client_credentials"));
        request.Headers.Authorization = BasicAuthorization();
        request.Headers.TryAddWithoutValidation(WhcHttpSender.TrackingHeader, Guid.NewGuid().ToString("D"));
        using var response = await http.SendAsync(request, cancellationToken);
        return WhcWireFormat.TryReadAccessToken(await response.Content.ReadAsStringAsync(cancellationToken), wire);
    }

    private static (bool IsJson, JsonNode? Node) ParseJson(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (false, null);
        }

        try
        {
            return (true, JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }
}
