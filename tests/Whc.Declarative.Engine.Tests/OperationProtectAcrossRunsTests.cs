using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26: a block, site or company recorded from a lost answer is protected as the run that made the call had it
/// (the flag travels in the intent), as the step runner records it within a run, whatever the manifest says by then.
/// </summary>
public sealed class OperationProtectAcrossRunsTests
{
    private const string Protected = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: acme
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: AcmeWidgets, domain: acme.example.com, customerGroup: TestGroup }
          numberBlocks:
            - { name: main, areaCode: "0121", quantity: 4, protect: true }
          sites:
            - name: site-0
              locationCode: ACM00
              address: { nadKey: X05000455530 }
              users:
                - { username: acme.user0, firstName: User, lastName: Number0, extension: "2000", number: { from: main } }
        """;

    [Fact]
    public async Task A_protected_block_whose_ringfence_answer_a_killed_run_lost_is_recorded_protected_when_the_next_manifest_drops_it()
    {
        // Given a run that died after BT ringfenced the protected block's numbers, before it recorded them
        await using var harness = await EngineHarness.StartAsync();
        var api = new KillAtApi(harness.Client, KillAtApi.RingFence, reachesBt: true);
        var killed = await harness.PlanAsync(EngineHarness.Manifests(Protected), api);
        await ((Func<Task>)(() => harness.ApplyAsync(killed, api))).Should().ThrowAsync<ProcessKilledException>();
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Intents.Should().ContainSingle(i => i.Operation == IntentOperations.RingFence);

        // When the next plan is made from a manifest that no longer has the block
        var dropped = Protected
            .Replace("    - { name: main, areaCode: \"0121\", quantity: 4, protect: true }\n", string.Empty, StringComparison.Ordinal)
            .Replace("  numberBlocks:\n", string.Empty, StringComparison.Ordinal)
            .Replace(", number: { from: main }", string.Empty, StringComparison.Ordinal);
        var plan = await harness.PlanAsync(EngineHarness.Manifests(dropped));

        // Then the lost range is adopted into a block protected as the run that made the call had it (today's manifest says nothing of it)
        plan.Companies.Single().Reconciliation!.Resolutions.Should().ContainSingle().Which.Outcome.Should().Be(IntentOutcome.Found);
        plan.Companies.Single().Reconciliation!.State.NumberBlocks.Should().ContainSingle().Which.Protected.Should().BeTrue();
    }
}
