using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Engine;

/// <summary>
/// When to read an order that is being awaited. BT publishes no completion events for WHC, so orders are polled; a
/// fixed ladder (first interval, then doubling, capped) reads too often or notices completion late. Orders of one kind
/// (the same sorts of items: a new company, users added, users ceased, ...) take similar times, so the schedule learns
/// per kind: once an order has been seen finished, later awaits first read at the shortest wait after which one was
/// seen finished, which costs one read per order. While that is well above the longest wait at which an order was
/// still unfinished, one await of the kind at a time probes halfway between the two, so the estimate comes down to
/// the real processing time at the cost of at most one extra read per probe. A kind not seen finished yet starts from
/// the fastest time learned for any kind, else from the ladder.
/// One instance serves one apply (all companies); thread-safe. Waits are measured from the start of each await.
/// </summary>
internal sealed class OrderPollSchedule
{
    private readonly object gate = new();
    private readonly Dictionary<string, Estimate> estimates = new(StringComparer.Ordinal);
    private readonly TimeSpan first;
    private readonly TimeSpan max;

    public OrderPollSchedule(TimeSpan first, TimeSpan max)
    {
        this.first = first > TimeSpan.Zero ? first : TimeSpan.FromMilliseconds(1);
        this.max = max > this.first ? max : this.first;
    }

    /// <summary>The kind of an order: the sorts of items it has, e.g. "Site:Add,User:Add" (empty when not known).</summary>
    public static string KindOf(ImmutableArray<OrderOperation> operations) =>
        string.Join(',', operations.Select(o => $"{o.Address.Kind}:{o.Kind}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>Starts the polling of one order of the given kind; dispose it when the await ends.</summary>
    public Poll Begin(string kind)
    {
        lock (gate)
        {
            if (!estimates.TryGetValue(kind, out var estimate))
            {
                estimate = new Estimate();
                estimates[kind] = estimate;
            }

            if (estimate.FinishedBy is not { } known)
            {
                var fastest = estimates.Values.Select(e => e.FinishedBy).Where(f => f is not null).Min();
                return new Poll(this, estimate, AtLeastFirst(fastest ?? first), probe: false);
            }

            var gap = known - estimate.UnfinishedAt;
            if (!estimate.Probing && gap > known / 8)
            {
                estimate.Probing = true;
                return new Poll(this, estimate, AtLeastFirst(estimate.UnfinishedAt + (gap / 2)), probe: true);
            }

            return new Poll(this, estimate, AtLeastFirst(known), probe: false);
        }
    }

    private TimeSpan AtLeastFirst(TimeSpan wait) => wait < first ? first : wait;

    private TimeSpan Unfinished(Estimate estimate, TimeSpan elapsed)
    {
        lock (gate)
        {
            if (elapsed > estimate.UnfinishedAt && (estimate.FinishedBy is null || elapsed < estimate.FinishedBy))
            {
                estimate.UnfinishedAt = elapsed;
            }

            if (estimate.FinishedBy is { } known && elapsed < known)
            {
                // Another order of this kind was finished by then: read again at that point.
                var remaining = known - elapsed;
                var floor = first / 10;
                return remaining < floor ? floor : remaining;
            }

            // Past anything learned: wait about as long again as waited so far, or as waited past the time orders were
            // seen to finish by (doubling either way), within bounds.
            var wait = estimate.FinishedBy is { } late ? elapsed - late + first : elapsed;
            return wait < first ? first : wait > max ? max : wait;
        }
    }

    private void Finished(Estimate estimate, TimeSpan elapsed)
    {
        lock (gate)
        {
            if (estimate.FinishedBy is null || elapsed < estimate.FinishedBy)
            {
                estimate.FinishedBy = elapsed;
                if (estimate.UnfinishedAt >= elapsed)
                {
                    estimate.UnfinishedAt = TimeSpan.Zero;
                }
            }
        }
    }

    private void EndProbe(Estimate estimate)
    {
        lock (gate)
        {
            estimate.Probing = false;
        }
    }

    /// <summary>What has been learned about one kind of order.</summary>
    internal sealed class Estimate
    {
        /// <summary>The shortest wait after which an order was seen finished; null until one was.</summary>
        public TimeSpan? FinishedBy { get; set; }

        /// <summary>The longest wait, shorter than <see cref="FinishedBy"/>, at which an order was seen unfinished.</summary>
        public TimeSpan UnfinishedAt { get; set; }

        public bool Probing { get; set; }
    }

    /// <summary>The polling of one order.</summary>
    internal sealed class Poll : IDisposable
    {
        private readonly OrderPollSchedule schedule;
        private readonly Estimate estimate;
        private readonly bool probe;
        private bool disposed;

        internal Poll(OrderPollSchedule schedule, Estimate estimate, TimeSpan firstRead, bool probe)
        {
            this.schedule = schedule;
            this.estimate = estimate;
            this.probe = probe;
            FirstRead = firstRead;
        }

        /// <summary>How long after the start of the await to read the order the first time.</summary>
        public TimeSpan FirstRead { get; }

        /// <summary>A read sent <paramref name="elapsed"/> into the await found the order unfinished: how long to wait for the next.</summary>
        public TimeSpan Unfinished(TimeSpan elapsed) => schedule.Unfinished(estimate, elapsed);

        /// <summary>A read sent <paramref name="elapsed"/> into the await found the order finished.</summary>
        public void Finished(TimeSpan elapsed) => schedule.Finished(estimate, elapsed);

        public void Dispose()
        {
            if (probe && !disposed)
            {
                disposed = true;
                schedule.EndProbe(estimate);
            }
        }
    }
}
