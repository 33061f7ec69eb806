using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26: the rule that stops one range being adopted into two blocks (ported and new numbers in one area code)
/// holds within a run too, not only across runs: the step runner recognises a lost ringfence with the same module and
/// the same claims as the reconciler, so an outstanding ported intent's exact range is never taken for new numbers,
/// even when BT does not mark it as ported.
/// </summary>
public sealed class OperationClaimInRunTests
{
    // The ported range lies first in the sandbox's 0121 pool, so new numbers of the same size come after it.
    private const string Both = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: movers
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: MoversLtd, domain: movers.example.com, customerGroup: TestGroup }
          numberBlocks:
            - { name: fresh, areaCode: "0121", quantity: 20 }
            - { name: moved, ported: { from: "01214960000", to: "01214960019" } }
          sites:
            - name: hq
              locationCode: MOV01
              address: { nadKey: X05000455530 }
              users:
                - { username: movers.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: moved } }
                - { username: movers.bob, firstName: Bob, lastName: Two, extension: "2002", number: { from: fresh } }
        """;

    [Fact]
    public async Task A_lost_new_number_ringfence_never_adopts_the_range_of_a_ported_ringfence_still_outstanding_in_the_run()
    {
        // Given BT takes the ported range, then new numbers of the same size, and both answers are lost; BT does not mark
        // ported ranges; the new-number ringfence is recognised while the ported one is still outstanding
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(Both);
        var api = new LosesBothRingFenceAnswersApi(harness.Client);

        // When the company is applied
        var result = await harness.ApplyAsync(await harness.PlanAsync(manifests, api), api, parallelism: 4);

        // Then each block holds its own range, once, and BT holds exactly the two ranges
        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => $"{s.Step.Id}: {s.Message}")));
        api.Interleaved.Should().BeTrue("the new-number ringfence was recognised while the ported one was outstanding");
        var state = await harness.Store.ReadAsync("movers", CancellationToken.None);
        state!.NumberBlocks.Single(b => b.Name == "moved").Ranges.Should().ContainSingle().Which.StartNumber.Should().Be("01214960000");
        state.NumberBlocks.Single(b => b.Name == "fresh").Ranges.Should().ContainSingle().Which.StartNumber.Should().NotBe("01214960000");
        var company = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!;
        company["numberRanges"]!.AsArray().Should().HaveCount(2, "one range per call, none duplicated");
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
    }

    /// <summary>
    /// BT as the test needs it, over the real client: ported ranges unmarked in reads; the ported ringfence goes through,
    /// then its answer is held back until the new-number ringfence (which goes through after it, its answer lost too)
    /// has read the company again, and is then lost.
    /// </summary>
    private sealed class LosesBothRingFenceAnswersApi(IWhcApi inner) : WhcApiDecorator(inner)
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
        private readonly TaskCompletionSource portedCommitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource freshRecognised = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int freshCalls;
        private int portedCalls;
        private volatile bool freshLost;

        public bool Interleaved { get; private set; }

        public override async Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
        {
            var inventory = await Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);
            if (freshLost && !freshRecognised.Task.IsCompleted)
            {
                Interleaved = Volatile.Read(ref portedCalls) == 1;
                // The ported answer is let go a moment after this read: the new-number step recognises from it first.
                _ = Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None).ContinueWith(_ => freshRecognised.TrySetResult(), TaskScheduler.Default);
            }

            return inventory is null ? null : inventory with { NumberRanges = [.. inventory.NumberRanges.Select(r => r with { Ported = false })] };
        }

        public override async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
        {
            if (request.Ported is not null)
            {
                if (Interlocked.Increment(ref portedCalls) > 1)
                {
                    return await Inner.RingFenceAsync(request, cancellationToken);
                }

                await Inner.RingFenceAsync(request, cancellationToken);
                portedCommitted.TrySetResult();
                await freshRecognised.Task.WaitAsync(Patience, cancellationToken);
                throw Lost();
            }

            if (Interlocked.Increment(ref freshCalls) > 1)
            {
                return await Inner.RingFenceAsync(request, cancellationToken);
            }

            await portedCommitted.Task.WaitAsync(Patience, cancellationToken);
            await Inner.RingFenceAsync(request, cancellationToken);
            freshLost = true;
            throw Lost();
        }

        private static WhcApiException Lost() => new(WhcFailureKind.Timeout, 0, null, "the answer was lost (test)", null);
    }
}
