using System.Text.Json.Serialization;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// Faults the sandbox injects, set at start (<see cref="SandboxOptions.Faults"/>) or replaced at run time with
/// <c>POST /_sandbox/faults</c>. Route keys are the stable names in <see cref="SandboxRoutes"/>, or <c>*</c> for all.
/// Random choices come from the seeded generator, so a run with the same seed and requests is reproducible.
/// </summary>
public sealed record FaultConfig
{
    public static FaultConfig None { get; } = new();

    /// <summary>Added to every API call (not the admin API).</summary>
    public LatencyFault? Latency { get; init; }

    /// <summary>Probability (0-1) per route that a call fails before doing anything with 500/01 or 503/05 (half each).</summary>
    public IReadOnlyDictionary<string, double> ErrorRates { get; init; } = new Dictionary<string, double>();

    /// <summary>Per-client token bucket; when empty the call gets 429/80 with <c>Retry-After</c>.</summary>
    public RateLimitFault? RateLimit { get; init; }

    /// <summary>Probability per route that a call takes effect but the client gets 504/69 (or a dropped connection).</summary>
    public IReadOnlyDictionary<string, double> TimeoutAfterCommitRates { get; init; } = new Dictionary<string, double>();

    /// <summary>How a random timeout-after-commit shows itself to the client.</summary>
    public TimeoutMode TimeoutMode { get; init; } = TimeoutMode.Response;

    /// <summary>Tokens issued from now on really live this many seconds, whatever <c>expiresIn</c> says.</summary>
    public int? TokenLifetimeSeconds { get; init; }

    /// <summary>When true, applying this configuration revokes every token issued so far (their next use gets 401/42).</summary>
    public bool RevokeTokens { get; init; }

    /// <summary>Deterministic faults: the next <c>count</c> calls of a route get the fault, in list order.</summary>
    public IReadOnlyList<ScriptedFault> Script { get; init; } = [];
}

/// <summary>
/// A fault configuration as <c>POST /_sandbox/faults</c> reads it: a member left out keeps <see cref="FaultConfig.None"/>'s
/// value, one given as null stays null (and is refused). Settable, because source-generated JSON metadata sets every
/// init-only member of a record, given or not, to its type's default, which would turn a left-out list into null.
/// </summary>
internal sealed class FaultConfigBody
{
    public LatencyFault? Latency { get; set; }

    public IReadOnlyDictionary<string, double>? ErrorRates { get; set; } = FaultConfig.None.ErrorRates;

    public RateLimitFault? RateLimit { get; set; }

    public IReadOnlyDictionary<string, double>? TimeoutAfterCommitRates { get; set; } = FaultConfig.None.TimeoutAfterCommitRates;

    public TimeoutMode TimeoutMode { get; set; } = FaultConfig.None.TimeoutMode;

    public int? TokenLifetimeSeconds { get; set; }

    public bool RevokeTokens { get; set; }

    public IReadOnlyList<ScriptedFault>? Script { get; set; } = FaultConfig.None.Script;

    /// <summary>The configuration, or null when a collection was given as null.</summary>
    public FaultConfig? ToConfig() =>
        ErrorRates is { } errorRates && TimeoutAfterCommitRates is { } afterCommit && Script is { } script
            ? new FaultConfig
            {
                Latency = Latency,
                ErrorRates = errorRates,
                RateLimit = RateLimit,
                TimeoutAfterCommitRates = afterCommit,
                TimeoutMode = TimeoutMode,
                TokenLifetimeSeconds = TokenLifetimeSeconds,
                RevokeTokens = RevokeTokens,
                Script = script,
            }
            : null;
}

public sealed record LatencyFault(int FixedMs, int JitterMs);

/// <summary>Token bucket: refills <paramref name="RequestsPerSecond"/>, holds at most <paramref name="Burst"/> (default: one second's worth).</summary>
public sealed record RateLimitFault(double RequestsPerSecond, int? Burst = null);

[JsonConverter(typeof(JsonStringEnumConverter<TimeoutMode>))]
public enum TimeoutMode
{
    /// <summary>The client gets 504/69 after the call took effect.</summary>
    [JsonStringEnumMemberName("response")]
    Response,

    /// <summary>The connection is dropped (HttpContext.Abort) after the call took effect.</summary>
    [JsonStringEnumMemberName("abort")]
    Abort,
}

/// <summary>
/// One scripted fault. <see cref="Fault"/> is one of <see cref="ScriptedFaultKinds"/>: <c>500</c>, <c>503</c>,
/// <c>504</c> (before anything happens), <c>429</c>, <c>401</c> (token expired), <c>timeoutAfterCommit</c>,
/// <c>abortAfterCommit</c>, <c>abort</c> (dropped before anything happens).
/// </summary>
public sealed record ScriptedFault(string Route, string Fault, int Count = 1);

/// <summary>The fault names a script may use.</summary>
public static class ScriptedFaultKinds
{
    public const string InternalError = "500";
    public const string Unavailable = "503";
    public const string GatewayTimeout = "504";
    public const string TooManyRequests = "429";
    public const string TokenExpired = "401";
    public const string TimeoutAfterCommit = "timeoutAfterCommit";
    public const string AbortAfterCommit = "abortAfterCommit";
    public const string Abort = "abort";

    public static IReadOnlyList<string> All { get; } =
        [InternalError, Unavailable, GatewayTimeout, TooManyRequests, TokenExpired, TimeoutAfterCommit, AbortAfterCommit, Abort];
}
