namespace Whc.Declarative.Sandbox;

/// <summary>What the fault injector decided for one call.</summary>
internal readonly record struct FaultDecision(string? Fault, int RetryAfterSeconds = 0)
{
    public static FaultDecision None => default;

    public bool AfterCommit => Fault is ScriptedFaultKinds.TimeoutAfterCommit or ScriptedFaultKinds.AbortAfterCommit;
}

/// <summary>
/// Decides which fault, if any, a call gets: scripted faults first (deterministic), then the per-client token bucket,
/// then the random error and timeout-after-commit rates (from a generator seeded at start, so runs reproduce).
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);
    private FaultConfig _config = FaultConfig.None;
    private List<(ScriptedFault Fault, int Remaining)> _script = [];

    /// <summary>The most latency a call can be given; more would overflow the jitter draw and no test needs it.</summary>
    public const int MaxLatencyMs = 600_000;

    public FaultInjector(TimeProvider clock, int seed, FaultConfig initial)
    {
        _clock = clock;
        _random = new Random(seed);
        Replace(initial);
    }

    public FaultConfig Current
    {
        get
        {
            lock (_gate)
            {
                return _config with { Script = _script.Where(s => s.Remaining > 0).Select(s => s.Fault with { Count = s.Remaining }).ToList() };
            }
        }
    }

    internal const string NullCollections = "errorRates, timeoutAfterCommitRates and script must not be null";

    /// <summary>Checks a configuration; returns the problems (empty when valid).</summary>
    public static List<string> Validate(FaultConfig config)
    {
        var errors = new List<string>();
        // Members are null when the JSON says so ("errorRates": null), whatever their declared type.
        if (config.ErrorRates is null || config.TimeoutAfterCommitRates is null || config.Script is null)
        {
            errors.Add(NullCollections);
            return errors;
        }

        foreach (var (route, rate) in config.ErrorRates.Concat(config.TimeoutAfterCommitRates))
        {
            if (!SandboxRoutes.IsKnown(route))
            {
                errors.Add($"unknown route '{route}' (known: {string.Join(", ", SandboxRoutes.All)}, *)");
            }

            if (!(rate is >= 0 and <= 1))
            {
                errors.Add($"rate for '{route}' must be between 0 and 1");
            }
        }

        foreach (var step in config.Script)
        {
            if (step is null)
            {
                errors.Add("script: an entry must be an object");
                continue;
            }

            if (!SandboxRoutes.IsKnown(step.Route))
            {
                errors.Add($"script: unknown route '{step.Route}'");
            }

            if (!ScriptedFaultKinds.All.Contains(step.Fault, StringComparer.Ordinal))
            {
                errors.Add($"script: unknown fault '{step.Fault}' (known: {string.Join(", ", ScriptedFaultKinds.All)})");
            }

            if (step.Count < 1)
            {
                errors.Add("script: count must be at least 1");
            }
        }

        if (config.RateLimit is { } limit && (limit.RequestsPerSecond <= 0 || limit.Burst is < 1))
        {
            errors.Add("rateLimit: requestsPerSecond must be positive and burst at least 1");
        }

        if (config.Latency is { } latency && (latency.FixedMs < 0 || latency.JitterMs < 0 || (long)latency.FixedMs + latency.JitterMs > MaxLatencyMs))
        {
            errors.Add($"latency: fixedMs and jitterMs must not be negative and add up to at most {MaxLatencyMs} (ten minutes)");
        }

        if (config.TokenLifetimeSeconds is < 0)
        {
            errors.Add("tokenLifetimeSeconds must not be negative");
        }

        return errors;
    }

    public void Replace(FaultConfig config)
    {
        lock (_gate)
        {
            _config = config;
            _script = config.Script.Select(s => (s, s.Count)).ToList();
            _buckets.Clear();
        }
    }

    public TimeSpan? TokenLifetime
    {
        get
        {
            var seconds = Volatile.Read(ref _config).TokenLifetimeSeconds;
            return seconds is null ? null : TimeSpan.FromSeconds(seconds.Value);
        }
    }

    /// <summary>The delay to add to a call; zero when no latency is configured.</summary>
    public TimeSpan Latency()
    {
        var latency = Volatile.Read(ref _config).Latency;
        if (latency is null || latency.FixedMs == 0 && latency.JitterMs == 0)
        {
            return TimeSpan.Zero;
        }

        lock (_gate)
        {
            return TimeSpan.FromMilliseconds(latency.FixedMs + (latency.JitterMs > 0 ? _random.Next(latency.JitterMs + 1) : 0));
        }
    }

    public FaultDecision Decide(string route, string clientKey)
    {
        var config = Volatile.Read(ref _config);
        if (_script.Count == 0 && config.RateLimit is null && config.ErrorRates.Count == 0 && config.TimeoutAfterCommitRates.Count == 0)
        {
            return FaultDecision.None;
        }

        lock (_gate)
        {
            for (var i = 0; i < _script.Count; i++)
            {
                var (step, remaining) = _script[i];
                if (remaining > 0 && (step.Route == route || step.Route == SandboxRoutes.Any))
                {
                    _script[i] = (step, remaining - 1);
                    return new FaultDecision(step.Fault, step.Fault == ScriptedFaultKinds.TooManyRequests ? 1 : 0);
                }
            }

            if (config.RateLimit is { } limit && !TakeToken(limit, clientKey, out var retryAfter))
            {
                return new FaultDecision(ScriptedFaultKinds.TooManyRequests, retryAfter);
            }

            if (Rate(config.ErrorRates, route) is var errorRate && errorRate > 0 && _random.NextDouble() < errorRate)
            {
                return new FaultDecision(_random.Next(2) == 0 ? ScriptedFaultKinds.InternalError : ScriptedFaultKinds.Unavailable);
            }

            if (Rate(config.TimeoutAfterCommitRates, route) is var timeoutRate && timeoutRate > 0 && _random.NextDouble() < timeoutRate)
            {
                return new FaultDecision(config.TimeoutMode == TimeoutMode.Abort ? ScriptedFaultKinds.AbortAfterCommit : ScriptedFaultKinds.TimeoutAfterCommit);
            }

            return FaultDecision.None;
        }
    }

    private static double Rate(IReadOnlyDictionary<string, double> rates, string route) =>
        rates.TryGetValue(route, out var rate) ? rate : rates.TryGetValue(SandboxRoutes.Any, out var any) ? any : 0;

    private bool TakeToken(RateLimitFault limit, string clientKey, out int retryAfterSeconds)
    {
        var now = _clock.GetUtcNow();
        var capacity = (double)(limit.Burst ?? Math.Max(1, (int)Math.Ceiling(limit.RequestsPerSecond)));
        var (tokens, at) = _buckets.TryGetValue(clientKey, out var bucket) ? bucket : (capacity, now);
        tokens = Math.Min(capacity, tokens + Math.Max(0, (now - at).TotalSeconds) * limit.RequestsPerSecond);
        if (tokens >= 1)
        {
            _buckets[clientKey] = (tokens - 1, now);
            retryAfterSeconds = 0;
            return true;
        }

        _buckets[clientKey] = (tokens, now);
        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((1 - tokens) / limit.RequestsPerSecond));
        return false;
    }
}
