namespace Whc.Declarative.Engine;

/// <summary>
/// When to read an order that is being awaited. BT publishes no completion events for WHC, so orders are polled; a
/// fixed ladder (first interval, then doubling, capped) reads too often or notices completion late. Orders in one
/// apply take similar times, so the schedule learns: once an order has been seen finished, later awaits first read
/// at the shortest wait after which one was seen finished, which costs one read per order. While that is well above
/// the longest wait at which an order was still unfinished, one await at a time probes halfway between the two, so
/// the estimate comes down to the real processing time at the cost of at most one extra read per probe.
/// One instance serves one apply (all companies); thread-safe. Waits are measured from the start of each await.
/// </summary>
internal sealed class OrderPollSchedule
{
    private readonly object gate = new();
    private readonly TimeSpan first;
    private readonly TimeSpan max;

    /// <summary>The shortest wait after which an order was seen finished; null until one was.</summary>
    private TimeSpan? finishedBy;

    /// <summary>The longest wait, shorter than <see cref="finishedBy"/>, at which an order was seen unfinished.</summary>
    private TimeSpan unfinishedAt;

    private bool probing;

    public OrderPollSchedule(TimeSpan first, TimeSpan max)
    {
        this.first = first > TimeSpan.Zero ? first : TimeSpan.FromMilliseconds(1);
        this.max = max > this.first ? max : this.first;
    }

    /// <summary>Starts the polling of one order; dispose it when the await ends.</summary>
    public Poll Begin()
    {
        lock (gate)
        {
            if (finishedBy is not { } known)
            {
                return new Poll(this, first, probe: false);
            }

            var gap = known - unfinishedAt;
            if (!probing && gap > known / 8)
            {
                probing = true;
                return new Poll(this, AtLeastFirst(unfinishedAt + (gap / 2)), probe: true);
            }

            return new Poll(this, AtLeastFirst(known), probe: false);
        }
    }

    private TimeSpan AtLeastFirst(TimeSpan wait) => wait < first ? first : wait;

    private TimeSpan Unfinished(TimeSpan elapsed)
    {
        lock (gate)
        {
            if (elapsed > unfinishedAt && (finishedBy is null || elapsed < finishedBy))
            {
                unfinishedAt = elapsed;
            }

            if (finishedBy is { } known && elapsed < known)
            {
                // Another order was finished by then: read again at that point.
                var remaining = known - elapsed;
                var floor = first / 10;
                return remaining < floor ? floor : remaining;
            }

            // Past anything learned: wait about as long again as waited so far, or as waited past the time orders were
            // seen to finish by (doubling either way), within bounds.
            var wait = finishedBy is { } late ? elapsed - late + first : elapsed;
            return wait < first ? first : wait > max ? max : wait;
        }
    }

    private void Finished(TimeSpan elapsed)
    {
        lock (gate)
        {
            if (finishedBy is null || elapsed < finishedBy)
            {
                finishedBy = elapsed;
                if (unfinishedAt >= elapsed)
                {
                    unfinishedAt = TimeSpan.Zero;
                }
            }
        }
    }

    private void EndProbe()
    {
        lock (gate)
        {
            probing = false;
        }
    }

    /// <summary>The polling of one order.</summary>
    internal sealed class Poll(OrderPollSchedule schedule, TimeSpan firstRead, bool probe) : IDisposable
    {
        private bool disposed;

        /// <summary>How long after the start of the await to read the order the first time.</summary>
        public TimeSpan FirstRead { get; } = firstRead;

        /// <summary>A read made <paramref name="elapsed"/> into the await found the order unfinished: how long to wait for the next.</summary>
        public TimeSpan Unfinished(TimeSpan elapsed) => schedule.Unfinished(elapsed);

        /// <summary>A read answered <paramref name="elapsed"/> into the await found the order finished.</summary>
        public void Finished(TimeSpan elapsed) => schedule.Finished(elapsed);

        public void Dispose()
        {
            if (probe && !disposed)
            {
                disposed = true;
                schedule.EndProbe();
            }
        }
    }
}
