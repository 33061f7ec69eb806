using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Review of issue 26: within a run, two new-number ringfences of one area code and one size run side by side. One
/// call's outcome is lost (it never reached BT); the other went through and its answer is still on its way when the
/// first is recognised. The range BT holds is then the in-flight call's effect, which that step records as soon as
/// its answer lands: recognising it for the lost call too would put one range in two blocks.
/// </summary>
public sealed class RingFenceInFlightClaimTests
{
    private const string TwoAlike = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: twins
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: TwinsLtd, domain: twins.example.com, customerGroup: TestGroup }
          numberBlocks:
            - { name: east, areaCode: "0121", quantity: 20 }
            - { name: west, areaCode: "0121", quantity: 20 }
          sites:
            - name: hq
              locationCode: TWN01
              address: { nadKey: X05000455530 }
              users:
                - { username: twins.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: east } }
                - { username: twins.bob, firstName: Bob, lastName: Two, extension: "2002", number: { from: west } }
        """;

    [Fact]
    public async Task A_lost_ringfence_never_adopts_the_range_of_a_same_size_ringfence_still_in_flight_in_the_run()
    {
        // Given the first ringfence is lost before it reaches BT, and the second goes through with its answer held back
        // until the first has read the company again
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TwoAlike);
        var api = new LosesFirstHoldsSecondApi(harness.Client);

        // When the company is applied, and planned and applied again if the first apply left something open
        await harness.ApplyAsync(await harness.PlanAsync(manifests, api), api, parallelism: 4);
        api.Interleaved.Should().BeTrue("the lost ringfence was recognised while the other was in flight");
        var first = await harness.Store.ReadAsync("twins", CancellationToken.None);

        // Then no range is in two blocks, at any point
        first!.NumberBlocks.SelectMany(b => b.Ranges).Select(r => r.StartNumber).Should().OnlyHaveUniqueItems("a range is never adopted into two blocks");
        if ((await harness.PlanAsync(manifests)).HasChanges)
        {
            var again = await harness.ApplyAsync(await harness.PlanAsync(manifests));
            again.Succeeded.Should().BeTrue(string.Join("; ", again.Steps.Where(s => s.Message is not null).Select(s => $"{s.Step.Id}: {s.Message}")));
        }

        var state = await harness.Store.ReadAsync("twins", CancellationToken.None);
        state!.NumberBlocks.Should().OnlyContain(b => b.Ranges.Length == 1);
        state.NumberBlocks.SelectMany(b => b.Ranges).Select(r => r.StartNumber).Should().OnlyHaveUniqueItems();
        var company = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!;
        company["numberRanges"]!.AsArray().Should().HaveCount(2, "one range per block, none duplicated");
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
    }

    /// <summary>
    /// BT as the test needs it, over the real client: the first ringfence waits for the second to reach BT, then is lost
    /// without reaching BT; the second's answer is held until the first's step has read the company again.
    /// </summary>
    private sealed class LosesFirstHoldsSecondApi(IWhcApi inner) : WhcApiDecorator(inner)
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
        private readonly TaskCompletionSource secondCommitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource firstRecognised = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;
        private volatile bool firstLost;
        private volatile bool secondAnswered;

        public bool Interleaved { get; private set; }

        public override async Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
        {
            var inventory = await Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);
            if (firstLost && !firstRecognised.Task.IsCompleted)
            {
                Interleaved = !secondAnswered;
                // The second answer is let go a moment after this read: the lost step recognises from it first.
                _ = Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None).ContinueWith(_ => firstRecognised.TrySetResult(), TaskScheduler.Default);
            }

            return inventory;
        }

        public override async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref calls);
            if (call == 1)
            {
                await secondCommitted.Task.WaitAsync(Patience, cancellationToken);
                firstLost = true;
                throw new WhcApiException(WhcFailureKind.Timeout, 0, null, "the answer was lost (test)", null);
            }

            if (call == 2)
            {
                var answer = await Inner.RingFenceAsync(request, cancellationToken);
                secondCommitted.TrySetResult();
                await firstRecognised.Task.WaitAsync(Patience, cancellationToken);
                secondAnswered = true;
                return answer;
            }

            return await Inner.RingFenceAsync(request, cancellationToken);
        }
    }
}
