using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// BT's error envelope <c>{"code":"29","message":"...","errors":["..."]}</c> (TMF's <c>reason</c> read when there is no
/// message), already in whcctl's names (the contract's <c>errorEnvelope.fields</c>), and its mapping to <see cref="WhcApiException"/>.
/// </summary>
internal sealed record WhcErrorEnvelope(string? Code, string? Message, ImmutableArray<string> Errors)
{
    /// <summary>The envelope in <paramref name="body"/>, or null when the body is not one.</summary>
    public static WhcErrorEnvelope? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var code = root.TryGetProperty("code", out var c) ? Scalar(c) : null;
            // TMF's error has a short reason beside the message; either may be all BT sends.
            var message = (root.TryGetProperty("message", out var m) ? Scalar(m) : null) ?? (root.TryGetProperty("reason", out var r) ? Scalar(r) : null);
            var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
                ? [.. e.EnumerateArray().Select(x => Scalar(x) ?? x.GetRawText())]
                : ImmutableArray<string>.Empty;
            return code is null && message is null ? null : new WhcErrorEnvelope(code, message, errors);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static WhcFailureKind KindOf(int status) => status switch
    {
        404 => WhcFailureKind.NotFound,
        401 or 403 => WhcFailureKind.Unauthorized,
        429 => WhcFailureKind.RateLimited,
        >= 500 => WhcFailureKind.ServerError,
        _ => WhcFailureKind.Rejected,
    };

    /// <summary>
    /// The exception for a failed answer: "&lt;description&gt;: BT answered 400 (code 29): message; errors: a; b
    /// (tracking id ...)". Every known secret is redacted from BT's text.
    /// </summary>
    public static WhcApiException ToException(string description, WhcResponse response, Func<string, string> redact)
    {
        var envelope = Parse(response.Body);
        var kind = KindOf(response.Status);
        var text = new StringBuilder()
            .Append(description)
            .Append(CultureInfo.InvariantCulture, $": BT answered {response.Status}");
        if (envelope?.Code is { } code)
        {
            text.Append(CultureInfo.InvariantCulture, $" (code {code})");
        }

        if (envelope?.Message is { Length: > 0 } message)
        {
            text.Append(": ").Append(message);
        }
        else if (envelope is null)
        {
            text.Append(" without BT's error envelope");
        }

        if (envelope is { Errors.Length: > 0 })
        {
            text.Append("; errors: ").Append(string.Join("; ", envelope.Errors));
        }

        text.Append(kind switch
        {
            WhcFailureKind.RateLimited => "; still rate limited after the allowed retries",
            WhcFailureKind.ServerError => "; the outcome is unknown until it is checked",
            WhcFailureKind.NotFound when !response.IsNoData => "; that is not BT's 'no data' answer, so this route may not exist at this endpoint: check the contract (whcctl contract show, --contract)",
            _ => string.Empty,
        });
        text.Append(CultureInfo.InvariantCulture, $" (tracking id {response.TrackingId})");
        return new WhcApiException(kind, response.Status, envelope?.Code, redact(text.ToString()), response.TrackingId);
    }

    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };
}
