using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Tests;

public sealed class OrderPollScheduleTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private const string Kind = "User:Add";

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Until_an_order_was_seen_finished_a_lone_await_reads_after_between_a_quarter_and_all_of_the_time_waited()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using var poll = schedule.Begin(Kind);

        poll.FirstRead.Should().Be(First);
        poll.Unfinished(Ms(200)).Should().Be(Ms(400), "the first turn waits as long again");
        poll.Unfinished(Ms(400)).Should().BeGreaterThanOrEqualTo(Ms(500)).And.BeLessThan(Ms(800));
        poll.Unfinished(Ms(9000)).Should().Be(Ms(14_000), "never more than the longest interval between reads");
    }

    [Fact]
    public void Many_awaits_of_a_kind_not_yet_seen_finished_spread_their_next_reads_evenly()
    {
        var schedule = new OrderPollSchedule(First, Max);
        var polls = Enumerable.Range(0, 40).Select(_ => schedule.Begin(Kind)).ToList();

        var next = polls.Select(p => p.Unfinished(Ms(200))).Order().ToList();

        next[0].Should().BeLessThan(Ms(260));
        next[^1].Should().Be(Ms(400));
        next.Zip(next.Skip(1), (a, b) => b - a).Max().Should().BeLessThan(Ms(10), "40 reads cover 250-400 ms without a gap");
        polls.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task An_await_sleeping_until_a_later_read_wakes_when_an_order_of_its_kind_is_seen_finished_sooner()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using var sleeper = schedule.Begin(Kind);
        using var other = schedule.Begin(Kind);
        var readAt = sleeper.Unfinished(Ms(4000));
        var now = Ms(4000);

        // Timers of this clock never fire: only the news can end the wait.
        var waiting = sleeper.WaitUntilAsync(readAt, () => now, new StoppedClock(), CancellationToken.None);
        other.Finished(Ms(9000));
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse("an order finished later than the planned read tells nothing new");

        now = Ms(5000);
        other.Finished(Ms(4500));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Once_an_order_was_seen_finished_one_await_probes_halfway_and_the_others_read_when_it_was_done()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var learning = schedule.Begin(Kind))
        {
            learning.Unfinished(Ms(200));
            learning.Finished(Ms(1000));
        }

        using var probe = schedule.Begin(Kind);
        using var other = schedule.Begin(Kind);

        probe.FirstRead.Should().Be(Ms(600), "halfway between still unfinished at 200 ms and finished by 1000 ms");
        other.FirstRead.Should().Be(Ms(1062.5), "only one await probes at a time; the others read a sixteenth after the estimate");
        probe.Unfinished(Ms(600)).Should().Be(Ms(1062.5), "after a failed probe the next read is when an order was known to be done");
    }

    [Fact]
    public void Probing_narrows_the_estimate_down_to_the_real_processing_time_and_then_stops()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var learning = schedule.Begin(Kind))
        {
            learning.Unfinished(Ms(200));
            learning.Finished(Ms(1000));
        }

        // Orders really take 450 ms: each probe either finds the order finished or learns it was not yet.
        var firstReads = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            using var poll = schedule.Begin(Kind);
            firstReads.Add(poll.FirstRead);
            var at = poll.FirstRead;
            while (at < Ms(450))
            {
                at = poll.Unfinished(at);
            }

            poll.Finished(at);
        }

        firstReads[^1].Should().BeGreaterThanOrEqualTo(Ms(450)).And.BeLessThan(Ms(450 * 1.2), "the estimate ends just above the processing time");
        firstReads.TakeLast(3).Should().AllBeEquivalentTo(firstReads[^1], "once the bracket is narrow, every await reads at the estimate");
    }

    [Fact]
    public void An_order_slower_than_the_estimate_is_read_again_soon_then_less_and_less_often()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var learning = schedule.Begin(Kind))
        {
            learning.Finished(Ms(1000));
        }

        using var slow = schedule.Begin(Kind);
        slow.Unfinished(Ms(1000)).Should().Be(Ms(1125), "an eighth past the estimate, not as long again as the whole wait");
        slow.Unfinished(Ms(1125)).Should().Be(Ms(1375), "then twice as long as waited past the estimate");
        slow.Unfinished(Ms(1375)).Should().Be(Ms(2125));
        slow.Unfinished(Ms(60_000)).Should().Be(Ms(65_000));
    }

    [Fact]
    public void An_order_still_unfinished_after_the_estimate_moves_it_up_to_what_that_order_took()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var quick = schedule.Begin(Kind))
        {
            quick.Finished(Ms(200)); // unusually quick: orders of this kind really take about 400 ms
        }

        var probing = schedule.Begin(Kind); // the await that probes below the estimate meanwhile
        using (var usual = schedule.Begin(Kind))
        {
            usual.FirstRead.Should().Be(Ms(212.5));
            var at = usual.FirstRead;
            while (at < Ms(400))
            {
                at = usual.Unfinished(at);
            }

            usual.Finished(at);
        }

        probing.Dispose();
        using var probe = schedule.Begin(Kind);
        using var next = schedule.Begin(Kind);
        next.FirstRead.Should().BeGreaterThan(Ms(400), "the estimate is now what the usual order took, so the next await reads once");
        probe.FirstRead.Should().BeGreaterThan(Ms(212.5)).And.BeLessThan(next.FirstRead, "and a probe brings it down again from there");
    }

    [Fact]
    public void An_await_that_does_not_learn_leaves_the_estimate_alone()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var resumed = schedule.Begin(Kind, learn: false))
        {
            // An order submitted by an earlier run is found finished at once: that says nothing about processing time.
            resumed.Unfinished(Ms(2000));
            resumed.Finished(Ms(3000));
        }

        using var next = schedule.Begin(Kind);
        next.FirstRead.Should().Be(First, "no order was seen finished, so there is nothing to probe or wait for");
    }

    [Fact]
    public void Each_kind_of_order_learns_its_own_time_starting_from_the_fastest_known()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var newCompany = schedule.Begin("Company:Add,User:Add"))
        {
            newCompany.Unfinished(Ms(90_000));
            newCompany.Finished(Ms(180_000));
        }

        using (var cease = schedule.Begin("User:Cease"))
        {
            cease.FirstRead.Should().Be(Ms(191_250), "a kind not seen finished starts a sixteenth after the fastest time known");
            cease.Finished(Ms(180_000));
        }

        using (var slow = schedule.Begin("Company:Add,User:Add"))
        {
            slow.Unfinished(Ms(170_000));
        }

        // Ceases keep probing their own bracket, untouched by the slower kind's observations.
        using var probe = schedule.Begin("User:Cease");
        probe.FirstRead.Should().Be(Ms(90_000));
    }

    [Fact]
    public void The_kind_of_an_order_is_the_sorts_of_its_items()
    {
        var company = "fun-network";
        OrderPollSchedule.KindOf(
        [
            new(new ResourceAddress(company, ResourceKind.User, "b"), OrderOperationKind.Add),
            new(new ResourceAddress(company, ResourceKind.Site, "hq"), OrderOperationKind.Add),
            new(new ResourceAddress(company, ResourceKind.User, "a"), OrderOperationKind.Add),
        ]).Should().Be("Site:Add,User:Add");
        OrderPollSchedule.KindOf([]).Should().BeEmpty();
    }

    [Fact]
    public void A_faster_order_lowers_the_estimate_but_never_below_the_first_interval()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using (var poll = schedule.Begin(Kind))
        {
            poll.Finished(Ms(50));
        }

        using var next = schedule.Begin(Kind);
        next.FirstRead.Should().Be(First);
    }
}

/// <summary>A clock whose timers never fire.</summary>
internal sealed class StoppedClock : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
}
