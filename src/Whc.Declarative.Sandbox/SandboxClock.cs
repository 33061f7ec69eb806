using System.Globalization;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// The sandbox's clock: a base <see cref="TimeProvider"/> plus an offset the admin API can move, so tests can jump to
/// 23:58 London time or past a token's expiry without sleeping.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    /// <summary>The earliest instant the clock can be moved to.</summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The latest instant the clock can be moved to: far enough from <see cref="DateTimeOffset.MaxValue"/> that token
    /// lifetimes, order timings and qualification expiry added to it cannot overflow.
    /// </summary>
    public static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _source;
    private long _offsetTicks;

    public SandboxClock(TimeProvider source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>What a refused move says: the range the clock stays in.</summary>
    public static string RangeDescription { get; } = string.Create(CultureInfo.InvariantCulture,
        $"the sandbox clock stays between {Earliest:yyyy-MM-ddTHH:mm:ssZ} and {Latest:yyyy-MM-ddTHH:mm:ssZ}");

    public override DateTimeOffset GetUtcNow() => _source.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock forward (or back, with a negative span); throws when it would leave [<see cref="Earliest"/>, <see cref="Latest"/>].</summary>
    public void Advance(TimeSpan by)
    {
        while (true)
        {
            var offset = Interlocked.Read(ref _offsetTicks);
            var now = _source.GetUtcNow().UtcTicks + offset;
            // Compared as distances so that no sum can overflow.
            if (by.Ticks > Latest.UtcTicks - now || by.Ticks < Earliest.UtcTicks - now)
            {
                throw new ArgumentOutOfRangeException(nameof(by), by, RangeDescription);
            }

            if (Interlocked.CompareExchange(ref _offsetTicks, offset + by.Ticks, offset) == offset)
            {
                return;
            }
        }
    }

    /// <summary>Makes the clock read <paramref name="now"/> from this moment on, then keep running.</summary>
    public void Set(DateTimeOffset now)
    {
        if (now < Earliest || now > Latest)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, RangeDescription);
        }

        Interlocked.Exchange(ref _offsetTicks, now.UtcTicks - _source.GetUtcNow().UtcTicks);
    }
}
