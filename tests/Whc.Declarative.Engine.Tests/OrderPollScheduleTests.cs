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
    public void Until_an_order_was_seen_finished_reads_follow_the_ladder_first_then_doubling_then_capped()
    {
        var schedule = new OrderPollSchedule(First, Max);
        using var poll = schedule.Begin(Kind);

        poll.FirstRead.Should().Be(First);
        poll.Unfinished(Ms(200)).Should().Be(Ms(200), "the next read comes after waiting as long again");
        poll.Unfinished(Ms(1600)).Should().Be(Ms(1600));
        poll.Unfinished(Ms(9000)).Should().Be(Max);
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
        other.FirstRead.Should().Be(Ms(1000), "only one await probes at a time");
        probe.Unfinished(Ms(600)).Should().Be(Ms(400), "after a failed probe the next read is when an order was known to be done");
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
                at += poll.Unfinished(at);
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
        slow.Unfinished(Ms(1000)).Should().Be(First, "just past the estimate, not as long again as the whole wait");
        slow.Unfinished(Ms(1200)).Should().Be(Ms(400));
        slow.Unfinished(Ms(1600)).Should().Be(Ms(800));
        slow.Unfinished(Ms(60_000)).Should().Be(Max);
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
            cease.FirstRead.Should().Be(Ms(180_000), "a kind not seen finished starts from the fastest time known");
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
