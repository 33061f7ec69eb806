using System.Net.Http.Headers;

namespace Whc.Declarative.WhcApi;

internal enum WhcAuthentication
{
    Bearer,
    Basic,
}

/// <summary>
/// One logical API call: the operation name (for counting and logging), a human description (for messages), the
/// route template (logged instead of the real path so no query or path values reach logs), the filled path, query and
/// body, and whether repeating it is safe.
/// </summary>
internal sealed record WhcCall(
    string Operation,
    string Description,
    HttpMethod Method,
    string Route,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? JsonBody,
    bool Idempotent,
    WhcAuthentication Authentication = WhcAuthentication.Bearer);

/// <summary>BT's answer to the last attempt of a call, body already read.</summary>
internal sealed record WhcResponse(int Status, string Body, string TrackingId, RetryConditionHeaderValue? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
