using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// When to read an order that is being awaited. BT publishes no completion events for WHC, so orders are polled; a
/// fixed ladder (first interval, then doubling, capped) reads too often or notices completion late. Orders of one kind
/// (the same sorts of items: a new company, users added, users ceased, ...) take similar times, so the schedule learns
/// per kind:
/// <list type="bullet">
/// <item>Once an order has been seen finished, the estimate is the shortest time after which one was; later awaits
/// first read a sixteenth after it, which costs one read per order. An order still unfinished then is read again an
/// eighth later, then less and less often, and the time it took becomes the estimate (one unusually quick order must
/// not make every later await miss). While the estimate is well above the longest time at which an order was still
/// unfinished, one await of the kind at a time probes halfway between the two, so the estimate comes down to the real
/// processing time at the cost of at most one extra read per probe.</item>
/// <item>Until then, an await that found its order unfinished reads again after between a quarter and all of the time
/// it has waited (a ladder growing by 1.25x to 2x); the awaits of one kind take turns along that range, so when many
/// wait at once (the first orders of every company in an apply) their reads cover it evenly instead of all landing
/// together at twice the first interval.</item>
/// <item>An await sleeping until a later read wakes as soon as an order of its kind is seen finished sooner, and reads
/// then: the first of many to find out tells the others.</item>
/// <item>A kind not seen finished yet starts from the fastest time learned for any kind, else from the first interval.</item>
/// </list>
/// All times are measured from when BT answered the order's submit; an await that cannot tell (an earlier run submitted
/// the order) measures from its own start and is not learned from. One instance serves one apply; thread-safe.
/// </summary>
internal sealed class OrderPollSchedule
{
    // Spreads the turns of an unknown kind evenly over [1/4, 1] of the time waited (the golden ratio's fractional
    // part gives a sequence that stays even however many awaits take part).
    private const double GoldenFraction = 0.6180339887498949;

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

    /// <summary>
    /// Starts the polling of one order of the given kind; dispose it when the await ends. With <paramref name="learn"/>
    /// false, what its reads find does not change what the schedule knows.
    /// </summary>
    public Poll Begin(string kind, bool learn = true)
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
                return new Poll(this, estimate, AtLeastFirst(fastest is { } other ? WithMargin(other) : first), probe: false, learn);
            }

            var gap = known - estimate.UnfinishedAt;
            if (learn && !estimate.Probing && gap > known / 8)
            {
                estimate.Probing = true;
                return new Poll(this, estimate, AtLeastFirst(estimate.UnfinishedAt + (gap / 2)), probe: true, learn);
            }

            return new Poll(this, estimate, AtLeastFirst(WithMargin(known)), probe: false, learn);
        }
    }

    private TimeSpan AtLeastFirst(TimeSpan at) => at < first ? first : at;

    // The shortest time an order was seen finished by is the edge: orders of a kind vary a little, and reading right
    // at it misses about as often as not. A sixteenth more costs little and rarely misses.
    private static TimeSpan WithMargin(TimeSpan finishedBy) => finishedBy + (finishedBy / 16);

    private TimeSpan Within(TimeSpan wait) => wait < first / 10 ? first / 10 : wait > max ? max : wait;

    private TimeSpan Unfinished(Estimate estimate, TimeSpan sent, bool learn)
    {
        lock (gate)
        {
            if (learn && sent > estimate.UnfinishedAt && (estimate.FinishedBy is null || sent < estimate.FinishedBy))
            {
                estimate.UnfinishedAt = sent;
            }

            if (estimate.FinishedBy is { } known)
            {
                if (sent < known)
                {
                    // Another order of this kind was finished by then: read again at that point.
                    return sent + Within(WithMargin(known) - sent);
                }

                // Slower than the others: read again soon (an eighth of the estimate), then twice as long as waited past it.
                var past = sent - known;
                return sent + Within(past * 2 > known / 8 ? past * 2 : known / 8);
            }

            var turn = estimate.Turns++;
            var fraction = 0.25 + (0.75 * (1 - ((turn * GoldenFraction) % 1)));
            return sent + Within(sent * fraction);
        }
    }

    private void Finished(Estimate estimate, TimeSpan sent, TimeSpan unfinishedAt)
    {
        TaskCompletionSource? wake = null;
        lock (gate)
        {
            if (estimate.FinishedBy is null || sent < estimate.FinishedBy)
            {
                estimate.FinishedBy = sent;
                if (estimate.UnfinishedAt >= sent)
                {
                    estimate.UnfinishedAt = TimeSpan.Zero;
                }

                wake = estimate.Sooner;
                estimate.Sooner = NewSignal();
            }
            else if (unfinishedAt >= estimate.FinishedBy)
            {
                // This order was still unfinished after the time orders of its kind were thought done by: that time
                // came from an order that was unusually quick (or timed late), and would make every later await miss.
                // Move up to what this order took; probing brings the estimate down again as far as it holds.
                estimate.FinishedBy = sent;
                estimate.UnfinishedAt = unfinishedAt;
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>
    /// When a poll that plans to read at <paramref name="readAt"/>, and last saw its order unfinished at
    /// <paramref name="unfinishedAt"/>, should read; and the signal that the answer may have changed.
    /// </summary>
    private (TimeSpan ReadAt, Task Sooner) Next(Estimate estimate, TimeSpan readAt, TimeSpan unfinishedAt)
    {
        lock (gate)
        {
            var sooner = estimate.FinishedBy is { } known && WithMargin(known) < readAt && known > unfinishedAt ? WithMargin(known) : readAt;
            return (sooner, estimate.Sooner.Task);
        }
    }

    private void EndProbe(Estimate estimate)
    {
        lock (gate)
        {
            estimate.Probing = false;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What has been learned about one kind of order.</summary>
    internal sealed class Estimate
    {
        /// <summary>The time after which orders of the kind are expected to be finished; null until one was seen finished.</summary>
        public TimeSpan? FinishedBy { get; set; }

        /// <summary>The longest time, shorter than <see cref="FinishedBy"/>, at which an order was seen unfinished.</summary>
        public TimeSpan UnfinishedAt { get; set; }

        public bool Probing { get; set; }

        /// <summary>Reads of this kind that found an order unfinished before any was seen finished.</summary>
        public int Turns { get; set; }

        /// <summary>Set (and replaced) whenever <see cref="FinishedBy"/> comes down.</summary>
        public TaskCompletionSource Sooner { get; set; } = NewSignal();
    }

    /// <summary>The polling of one order.</summary>
    internal sealed class Poll : IDisposable
    {
        private readonly OrderPollSchedule schedule;
        private readonly Estimate estimate;
        private readonly bool probe;
        private readonly bool learn;
        private TimeSpan unfinishedAt;
        private bool disposed;

        internal Poll(OrderPollSchedule schedule, Estimate estimate, TimeSpan firstRead, bool probe, bool learn)
        {
            this.schedule = schedule;
            this.estimate = estimate;
            this.probe = probe;
            this.learn = learn;
            FirstRead = firstRead;
        }

        /// <summary>When to read the order the first time.</summary>
        public TimeSpan FirstRead { get; }

        /// <summary>A read sent at <paramref name="sent"/> found the order unfinished: when to read it next.</summary>
        public TimeSpan Unfinished(TimeSpan sent)
        {
            unfinishedAt = sent > unfinishedAt ? sent : unfinishedAt;
            return schedule.Unfinished(estimate, sent, learn);
        }

        /// <summary>A read sent at <paramref name="sent"/> found the order finished.</summary>
        public void Finished(TimeSpan sent)
        {
            if (learn)
            {
                schedule.Finished(estimate, sent, unfinishedAt);
            }
        }

        /// <summary>
        /// Waits until <paramref name="readAt"/> (<paramref name="elapsed"/> tells the time), or less when an order of
        /// this kind is seen finished sooner than that.
        /// </summary>
        public async Task WaitUntilAsync(TimeSpan readAt, Func<TimeSpan> elapsed, TimeProvider clock, CancellationToken cancellationToken)
        {
            while (true)
            {
                var (at, sooner) = schedule.Next(estimate, readAt, unfinishedAt);
                var wait = at - elapsed();
                if (wait <= TimeSpan.Zero)
                {
                    return;
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait, clock, stop.Token);
                if (await Task.WhenAny(delay, sooner) == delay)
                {
                    await delay;
                    return;
                }

                await stop.CancelAsync();
            }
        }

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
