using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26, item 2: ported and new-number ranges in one area code, with BT marking ported ranges in its answers and
/// not (the sandbox's <see cref="SandboxServer.MarksPortedRanges"/>). Whether a lost answer is recognised in the run or
/// by the next plan, a range is adopted into one block only: the ported block gets exactly its ends, the new-number
/// block never takes the ported range for its own (nor the reverse).
/// </summary>
public sealed class ExactlyOnceMatrixPortedTests(ExactlyOnceMatrixFixture fixture) : IClassFixture<ExactlyOnceMatrixFixture>
{
    public const string Marked = "BT marks ported ranges";
    public const string Unmarked = "BT does not mark ported ranges";

    public const string InRunBothLost = "in the run: both answers lost";
    public const string InRunPortedLostNewNeverSent = "in the run: ported answer lost, new numbers never reached BT";
    public const string KilledBothReached = "killed run: both ringfences reached BT";
    public const string KilledPortedReachedNewNot = "killed run: the ported ringfence reached BT, the new numbers did not";

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var marks in new[] { Marked, Unmarked })
        {
            foreach (var loss in new[] { InRunBothLost, InRunPortedLostNewNeverSent, KilledBothReached, KilledPortedReachedNewNot })
            {
                rows.Add(marks, loss);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Ported_and_new_number_ranges_of_one_area_code_are_each_adopted_into_their_own_block_once(string marks, string loss)
    {
        var harness = fixture.Harness;
        harness.Sandbox.ReplaceFaults(FaultConfig.None);
        harness.Sandbox.MarksPortedRanges = marks == Marked;
        var company = fixture.NextCompany();
        var manifests = EngineHarness.Manifests(Yaml(company));
        try
        {
            if (loss is InRunBothLost or InRunPortedLostNewNeverSent)
            {
                // Given both ringfences run in one apply, the ported one's answer lost after BT took it, and the new
                // numbers' answer lost too (after BT took them, or before the request reached BT)
                var plan = await harness.PlanAsync(manifests);
                var second = loss == InRunBothLost ? ScriptedFaultKinds.AbortAfterCommit : ScriptedFaultKinds.GatewayTimeout;
                harness.Sandbox.ReplaceFaults(new FaultConfig
                {
                    Script = [new ScriptedFault(SandboxRoutes.RingFence, ScriptedFaultKinds.AbortAfterCommit, 1), new ScriptedFault(SandboxRoutes.RingFence, second, 1)],
                });

                // (the new numbers' question is asked while the ported range is at BT and not yet recorded)
                var api = new PortedFirstApi(harness.Client);
                var result = await MatrixBars.ApplyAsync(harness, plan, api);
                harness.Sandbox.ReplaceFaults(FaultConfig.None);

                // Then the run recognises each answer for its own block
                result.Succeeded.Should().BeTrue(MatrixBars.Messages(result));
            }
            else
            {
                // Given a run killed while both ringfences were at BT (or only the ported one was), answers lost
                var api = new KillAtRingFencesApi(harness.Client, newNumbersReachBt: loss == KilledBothReached);
                var killed = await harness.PlanAsync(manifests, api);
                await ((Func<Task>)(() => MatrixBars.ApplyAsync(harness, killed, api))).Should().ThrowAsync<ProcessKilledException>();
                (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!.Intents.Where(i => i.Operation == IntentOperations.RingFence)
                    .Should().HaveCount(2, "both ringfences were in flight when the run died");

                // When the next plan answers both intents
                var plan = await harness.PlanAsync(manifests);
                plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
                plan.Companies.Single().Reconciliation!.Resolutions.Select(r => r.Outcome).Order()
                    .Should().Equal(loss == KilledBothReached ? [IntentOutcome.Found, IntentOutcome.Found] : [IntentOutcome.Found, IntentOutcome.NotFound]);
                var result = await MatrixBars.ApplyAsync(harness, plan, harness.Client);
                result.Succeeded.Should().BeTrue(MatrixBars.Messages(result));
            }

            // Then each block holds its own kind of numbers, once, and BT holds exactly the two ranges
            var state = (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!;
            var moved = state.NumberBlocks.Single(b => b.Name == "moved");
            moved.Ported.Should().BeTrue();
            moved.Ranges.Select(r => (r.StartNumber, r.EndNumber)).Should().Equal((company.PortedStart, company.PortedEnd));
            var fresh = state.NumberBlocks.Single(b => b.Name == "fresh");
            fresh.Ported.Should().BeFalse();
            fresh.Ranges.Should().ContainSingle().Which.StartNumber.Should().StartWith("0121496", "new numbers come from BT's pool, never the ported range");
            fresh.RingfencedCount.Should().Be(5);
            harness.Sandbox.MarksPortedRanges = true;
            var ranges = MatrixBars.Ranges(await harness.InventoryAsync(), company.Name);
            ranges.Should().HaveCount(2, "one range of each kind, none duplicated");
            ranges.Should().Contain($"{company.PortedStart}-{company.PortedEnd} ported");
            (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
            await Assertions.StateMatchesBtAsync(harness, company.Key, company.Name);
        }
        finally
        {
            harness.Sandbox.ReplaceFaults(FaultConfig.None);
            harness.Sandbox.MarksPortedRanges = true;
        }
    }

    /// <summary>The sandbox switch itself: with it off, BT's company answer leaves the mark out, and whcctl reads the range as not ported.</summary>
    [Fact]
    public async Task The_sandbox_can_answer_without_marking_ported_ranges()
    {
        var harness = fixture.Harness;
        var company = fixture.NextCompany();
        var manifests = EngineHarness.Manifests(Yaml(company));
        try
        {
            (await harness.PlanAndApplyAsync(manifests)).Succeeded.Should().BeTrue();

            harness.Sandbox.MarksPortedRanges = false;
            var unmarked = await harness.Client.ReadCompanyAsync("CUG5019851064", company.Name, CancellationToken.None);
            harness.Sandbox.MarksPortedRanges = true;
            var marked = await harness.Client.ReadCompanyAsync("CUG5019851064", company.Name, CancellationToken.None);

            unmarked!.NumberRanges.Should().HaveCount(2).And.OnlyContain(r => !r.Ported);
            marked!.NumberRanges.Should().ContainSingle(r => r.Ported).Which.StartNumber.Should().Be(company.PortedStart);
            unmarked.NumberRanges.Select(r => (r.StartNumber, r.EndNumber, r.AreaCode)).Should().Equal(marked.NumberRanges.Select(r => (r.StartNumber, r.EndNumber, r.AreaCode)));
        }
        finally
        {
            harness.Sandbox.MarksPortedRanges = true;
        }
    }

    /// <summary>A block of 5 new numbers and a ported range of 20, both in 0121; a user on each.</summary>
    private static string Yaml(MatrixCompany company) => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: {{company.Key}}
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: {{company.Name}}, domain: {{company.Key}}.example.com, customerGroup: TestGroup }
          numberBlocks:
            - { name: fresh, areaCode: "0121", quantity: 5 }
            - { name: moved, ported: { from: "{{company.PortedStart}}", to: "{{company.PortedEnd}}" } }
          sites:
            - name: hq
              locationCode: {{string.Create(CultureInfo.InvariantCulture, $"ROW{company.Row:00}")}}
              address: { nadKey: X05000455530 }
              users:
                - { username: {{company.Key}}.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: moved } }
                - { username: {{company.Key}}.bob, firstName: Bob, lastName: Two, extension: "2002", number: { from: fresh } }
        """;
}

/// <summary>
/// Orders the two ringfences of one apply so that the new numbers' lost answer is looked for while the ported range
/// is already at BT but not yet recorded: the new-number call waits until the ported call has been answered (or lost),
/// and the ported call's lost answer is handed back only after the new-number step has asked BT about its own.
/// </summary>
internal sealed class PortedFirstApi(IWhcApi inner) : WhcApiDecorator(inner)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource portedSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource newFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource newAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
    {
        if (request.Ported is not null)
        {
            try
            {
                return await Inner.RingFenceAsync(request, cancellationToken);
            }
            catch (WhcApiException) when (!portedSent.Task.IsCompleted)
            {
                portedSent.TrySetResult();
                await newAsked.Task.WaitAsync(Patience, cancellationToken);
                throw;
            }
            finally
            {
                portedSent.TrySetResult();
            }
        }

        if (!newFailed.Task.IsCompleted)
        {
            await portedSent.Task.WaitAsync(Patience, cancellationToken);
            try
            {
                return await Inner.RingFenceAsync(request, cancellationToken);
            }
            catch (WhcApiException)
            {
                newFailed.TrySetResult();
                throw;
            }
        }

        return await Inner.RingFenceAsync(request, cancellationToken);
    }

    public override async Task<Core.Inventory.CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
    {
        var answer = await Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);
        if (newFailed.Task.IsCompleted && !newAsked.Task.IsCompleted)
        {
            // The new-number step's question; give it a moment to record its answer before the ported step asks.
            _ = Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ContinueWith(_ => newAsked.TrySetResult(), TaskScheduler.Default);
        }

        return answer;
    }
}

/// <summary>
/// A process that dies while both ringfences of a company are at BT: the ported one always reaches BT, the new numbers'
/// only when asked; the run dies once both calls were made, so neither answer is seen and both intents stay in state.
/// </summary>
internal sealed class KillAtRingFencesApi(IWhcApi inner, bool newNumbersReachBt) : WhcApiDecorator(inner)
{
    private readonly TaskCompletionSource bothMade = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int made;

    public override async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
    {
        if (request.Ported is not null || newNumbersReachBt)
        {
            await Inner.RingFenceAsync(request, cancellationToken);
        }

        if (Interlocked.Increment(ref made) == 2)
        {
            bothMade.TrySetResult();
        }

        // Both steps run at once (they depend only on the qualification); should they not, the test says so below.
        await bothMade.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        throw new ProcessKilledException();
    }
}
