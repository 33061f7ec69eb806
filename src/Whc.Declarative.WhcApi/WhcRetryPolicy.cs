using System.Net.Http.Headers;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The delays of the client's Polly retry: exponential from the base delay, capped, with "equal jitter" (half fixed,
/// half random, from a seedable generator so a fault run can be reproduced); Retry-After as BT asked plus up to 10%.
/// </summary>
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

    /// <summary>The delay BT asked for in Retry-After (seconds or an HTTP date), never negative; null when absent.</summary>
    public TimeSpan? AskedDelay(RetryConditionHeaderValue? header)
    {
        TimeSpan? asked = header switch
        {
            { Delta: TimeSpan delta } => delta,
            { Date: DateTimeOffset date } => date - Options.TimeProvider.GetUtcNow(),
            _ => null,
        };
        return asked is TimeSpan value && value < TimeSpan.Zero ? TimeSpan.Zero : asked;
    }

    /// <summary>The delay BT asked for, plus up to 10% jitter so parallel callers do not return in lockstep; null when absent.</summary>
    public TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        AskedDelay(header) is TimeSpan value ? value + TimeSpan.FromMilliseconds(value.TotalMilliseconds * 0.1 * NextDouble()) : null;

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
