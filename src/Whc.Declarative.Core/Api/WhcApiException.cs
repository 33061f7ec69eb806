namespace Whc.Declarative.Core.Api;

/// <summary>What kind of failure an API call met, so callers decide retry and reconciliation without parsing messages.</summary>
public enum WhcFailureKind
{
    /// <summary>BT refused the request (4xx other than auth and rate limit); retrying the same request will not help.</summary>
    Rejected,
    NotFound,
    Unauthorized,
    RateLimited,
    /// <summary>5xx: BT failed; for a non-idempotent call the request may or may not have taken effect.</summary>
    ServerError,
    /// <summary>No answer in time or the connection dropped; the request may or may not have taken effect.</summary>
    Timeout,
    /// <summary>A 3xx: whcctl follows no redirect; the request reached something, so a changing call's outcome is unknown.</summary>
    Redirected,
    /// <summary>The answer was too large, too slow or had too many pages; the request reached BT, so a changing call's outcome is unknown.</summary>
    AnswerUnbounded,
}

/// <summary>A failed WHC API call: the HTTP status, BT's error code from the envelope, and the tracking id to quote to BT.</summary>
public sealed class WhcApiException : Exception
{
    public WhcApiException(WhcFailureKind kind, int status, string? btCode, string message, string? trackingId, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
        BtCode = btCode;
        TrackingId = trackingId;
    }

    public WhcApiException()
    {
    }

    public WhcApiException(string message)
        : base(message)
    {
    }

    public WhcApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WhcFailureKind Kind { get; }

    public int Status { get; }

    public string? BtCode { get; }

    public string? TrackingId { get; }

    /// <summary>True when the request may have taken effect at BT although no success was seen.</summary>
    public bool OutcomeUnknown => Kind is WhcFailureKind.ServerError or WhcFailureKind.Timeout or WhcFailureKind.Redirected or WhcFailureKind.AnswerUnbounded;
}
