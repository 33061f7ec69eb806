namespace Whc.Declarative.Sandbox;

/// <summary>
/// The sandbox's clock: a base <see cref="TimeProvider"/> plus an offset the admin API can move, so tests can jump to
/// 23:58 London time or past a token's expiry without sleeping.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    private readonly TimeProvider _source;
    private long _offsetTicks;

    public SandboxClock(TimeProvider source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    public override DateTimeOffset GetUtcNow() => _source.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock forward (or back, with a negative span).</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Makes the clock read <paramref name="now"/> from this moment on, then keep running.</summary>
    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _offsetTicks, (now - _source.GetUtcNow()).Ticks);
}
