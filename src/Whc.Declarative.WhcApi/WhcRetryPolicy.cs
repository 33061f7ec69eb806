using System.Net.Http.Headers;

namespace Whc.Declarative.WhcApi;

/// <summary>Backoff delays: exponential from the base delay, capped, with "equal jitter" (half fixed, half random).</summary>
internal sealed class WhcRetryPolicy
{
    private readonly Random random;
    private readonly Lock gate = new();

    public WhcRetryPolicy(WhcClientOptions options)
    {
        Options = options;
        random = options.RandomSeed is int seed ? new Random(seed) : new Random();
    }

    public WhcClientOptions Options { get; }

    /// <summary>Delay before attempt <paramref name="failedAttempt"/> + 1.</summary>
    public TimeSpan Backoff(int failedAttempt)
    {
        var exponent = Math.Min(failedAttempt - 1, 20);
        var ceiling = Math.Min(Options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), Options.MaxDelay.TotalMilliseconds);
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + (NextDouble() * half));
    }

    /// <summary>The delay BT asked for, plus up to 10% jitter so parallel callers do not return in lockstep; null when absent.</summary>
    public TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        TimeSpan? asked = header switch
        {
            { Delta: TimeSpan delta } => delta,
            { Date: DateTimeOffset date } => date - Options.TimeProvider.GetUtcNow(),
            _ => null,
        };
        if (asked is not TimeSpan value)
        {
            return null;
        }

        value = value < TimeSpan.Zero ? TimeSpan.Zero : value;
        return value + TimeSpan.FromMilliseconds(value.TotalMilliseconds * 0.1 * NextDouble());
    }

    private double NextDouble()
    {
        lock (gate)
        {
#pragma warning disable CA5394 // Jitter spreads retries; it is not security-sensitive.
            return random.NextDouble();
#pragma warning restore CA5394
        }
    }
}
