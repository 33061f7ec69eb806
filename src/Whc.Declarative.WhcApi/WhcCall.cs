using System.Net.Http.Headers;

namespace Whc.Declarative.WhcApi;

internal enum WhcAuthentication
{
    Bearer,
    Basic,
}

/// <summary>
/// One logical API call: the operation name (for counting and logging), a human description (for messages), the
/// contract route it uses, the route template (logged instead of the real path so no query or path values reach
/// logs), the filled path (or absolute URL), query and body (in whcctl's shape; the sender translates it to the
/// contract's), and whether repeating it is safe.
/// </summary>
internal sealed record WhcCall(
    string Operation,
    string Description,
    HttpMethod Method,
    string RouteName,
    string Route,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? JsonBody,
    bool Idempotent,
    WhcAuthentication Authentication = WhcAuthentication.Bearer);

/// <summary>
/// BT's answer to the last attempt of a call, body already read and translated to whcctl's shape.
/// <paramref name="IsNoData"/>: it is the contract's positive "no data" answer, the only answer that means "free" or
/// "not found" (any other 404, such as a gateway's for a route it does not know, fails closed).
/// </summary>
internal sealed record WhcResponse(int Status, string Body, string TrackingId, RetryConditionHeaderValue? RetryAfter, bool IsNoData = false);
