using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// A step that reads BT and records what it read (an await reconciling the company, the final settle) must not undo
/// what another step of the same company recorded while the read was under way. Seen in the chaos test under load: a
/// range ringfenced while an unfinished order's await read the company was dropped from state by the await's older
/// read, so the next plan ringfenced it again (the block then held more numbers than it asked for).
/// </summary>
public sealed class CompanySessionTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "whc-session-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_write_that_comes_while_BT_is_read_for_an_update_waits_and_is_not_undone()
    {
        // Given a session, and an update from BT whose read is under way (BT's answer does not hold the new range yet)
        Directory.CreateDirectory(directory);
        var store = new LocalStateStore(directory);
        var plan = new CompanyPlan("acme", null, 0, null, "none", [], [], ImmutableSortedDictionary<string, string>.Empty, []);
        using var session = new CompanySession(store, TimeProvider.System, "test", null, plan, CompanyState.New("acme", Guid.NewGuid().ToString()));
        var reading = new TaskCompletionSource();
        var answer = new TaskCompletionSource<ImmutableArray<NumberRangeState>>();
        var fromBt = session.UpdateFromBtAsync(
            async _ =>
            {
                reading.SetResult();
                return await answer.Task;
            },
            (state, liveRanges) => state with { NumberBlocks = [.. state.NumberBlocks.Select(b => b with { Ranges = [.. b.Ranges.Where(liveRanges.Contains)] })] },
            CancellationToken.None);
        await reading.Task;

        // When a ringfence step records its range meanwhile
        var range = new NumberRangeState("01214960010", "01214960012", false, null);
        var ringFence = session.UpdateAsync(s => s with { NumberBlocks = [new NumberBlockState("main", "0121", 3, [range])] }, CancellationToken.None);
        await Task.Delay(200);
        ringFence.IsCompleted.Should().BeFalse("the write waits until the read and its update are done");
        answer.SetResult([]);
        await fromBt;
        await ringFence;

        // Then the range is in state: the older read was applied before it, not after
        session.State.NumberBlocks.Should().ContainSingle().Which.Ranges.Should().Equal(range);
        (await store.ReadAsync("acme", CancellationToken.None))!.NumberBlocks.Should().ContainSingle().Which.Ranges.Should().Equal(range);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
