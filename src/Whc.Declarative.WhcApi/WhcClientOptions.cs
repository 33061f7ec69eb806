using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whc.Declarative.Contract;

namespace Whc.Declarative.WhcApi;

/// <summary>How a <see cref="WhcClient"/> talks to BT: where, as whom, and how patiently.</summary>
public sealed record WhcClientOptions
{
    /// <summary>The API's base URL (scheme, host, port and an optional path prefix); routes are appended to it.</summary>
    public required Uri BaseUri { get; init; }

    public required WhcCredentials Credentials { get; init; }

    /// <summary>Every wire detail: routes, query names, field maps, characteristic names, states (docs/whc-api.md).</summary>
    public WhcContract Contract { get; init; } = WhcContract.Default;

    /// <summary>
    /// Origins (scheme, host, port) besides <see cref="BaseUri"/>'s that calls may go to, e.g. BT's separate address
    /// host (<c>--allow-origin</c>, <c>WHC_ALLOW_ORIGINS</c>). Each is https, or http on loopback, with no path, query
    /// or user info. A contract route on any other origin is refused when the client is built.
    /// </summary>
    public IReadOnlyList<Uri> AllowedOrigins { get; init; } = [];

    /// <summary>How long one HTTP request may take before it counts as a timeout, the answer's whole body included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take in all: every attempt, the waits between them and the token it needs.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Largest answer body read, in bytes; a larger one fails the call (WHC4020). At most
    /// <see cref="WhcOutboundPolicy.MaxAnswerBytesCeiling"/>.
    /// </summary>
    public long MaxAnswerBytes { get; init; } = WhcOutboundPolicy.DefaultMaxAnswerBytes;

    /// <summary>Most pages one listing may take (<c>import --all</c>); more fails the listing (WHC4020).</summary>
    public int MaxPages { get; init; } = 1_000;

    /// <summary>Most companies one listing may return; more fails the listing (WHC4020).</summary>
    public int MaxListedCompanies { get; init; } = 100_000;

    /// <summary>Attempts per call, first try included (a token renewal after 401/42 does not count).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>First backoff delay; doubled per attempt, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on a backoff delay; a Retry-After longer than this is not waited for (the call fails as rate limited).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Optional client-side limit shared by every call of one client (token bucket, no burst beyond one second's worth).</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>Clock for token expiry and retry delays (tests pass one that does not sleep).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed for the backoff jitter; null for a shared unseeded generator.</summary>
    public int? RandomSeed { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Optional HTTP handler (tests, proxies); the client owns and disposes it.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>
    /// Optional: receives every HTTP exchange (token calls and retries included), redacted, for <c>--record</c>.
    /// </summary>
    public Recording.WhcRecorder? Recorder { get; init; }
}
