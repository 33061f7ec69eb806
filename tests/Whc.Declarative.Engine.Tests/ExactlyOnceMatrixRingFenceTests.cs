using System.Globalization;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26: a lost ringfence of new numbers is recognised by one rule, in the run and across runs. Today the run adopts
/// one unclaimed range (the one of the size asked for, else the first) and the next plan every unclaimed range of the
/// area code; they part when the company holds numbers no block claims (a forgotten block's) and the lost call never
/// reached BT.
/// </summary>
public sealed class ExactlyOnceMatrixRingFenceTests(ExactlyOnceMatrixFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ExactlyOnceMatrixFixture>
{
    [Fact]
    public async Task A_lost_ringfence_is_answered_the_same_in_the_run_and_by_the_next_plan()
    {
        var inRun = await AdoptedAsync(killed: false);
        var acrossRuns = await AdoptedAsync(killed: true);

        output.WriteLine("in the run: " + string.Join("; ", inRun) + " | across runs: " + string.Join("; ", acrossRuns));
        acrossRuns.Should().Equal(inRun, "the answer to a lost ringfence does not depend on who asks BT: the run, or the next plan");
    }

    /// <summary>
    /// A company whose blocks old1 (3 numbers) and old2 (2) were ringfenced but never ordered, then left the manifest
    /// (forgotten: BT keeps the numbers, no block claims them), and whose new block of 4 in the same area code is
    /// ringfenced by a call lost before it reached BT. Returns the sizes of the ranges the new block ends with, and
    /// whether each was one of the forgotten blocks'.
    /// </summary>
    private async Task<List<string>> AdoptedAsync(bool killed)
    {
        var harness = fixture.Harness;
        harness.Sandbox.ReplaceFaults(FaultConfig.None);
        var company = fixture.NextCompany();
        try
        {
            var before = await KillAtApiAsync(harness, company, Yaml(company, ("old1", 3), ("old2", 2)), KillAtApi.CreateOrder);
            var forgotten = before.NumberBlocks.SelectMany(b => b.Ranges).Select(r => r.StartNumber).ToHashSet(StringComparer.Ordinal);
            forgotten.Should().HaveCount(2);

            // (a run without them forgets them: no block claims their numbers any more)
            var forget = await harness.PlanAsync(EngineHarness.Manifests(Yaml(company)));
            (await MatrixBars.ApplyAsync(harness, forget, harness.Client)).Succeeded.Should().BeTrue();
            (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!.NumberBlocks.Should().BeEmpty();
            var manifests = EngineHarness.Manifests(Yaml(company, ("other", 4)));

            CompanyState recorded;
            if (killed)
            {
                // What the next plan records from BT's answer (applied only when the plan can be)
                await KillAtApiAsync(harness, company, Yaml(company, ("other", 4)), KillAtApi.RingFence);
                var plan = await harness.PlanAsync(manifests);
                recorded = plan.Companies.Single().Reconciliation!.State;
                if (!plan.HasErrors)
                {
                    (await MatrixBars.ApplyAsync(harness, plan, harness.Client)).Succeeded.Should().BeTrue();
                }
            }
            else
            {
                var plan = await harness.PlanAsync(manifests);
                harness.Sandbox.ReplaceFaults(new FaultConfig { Script = [new ScriptedFault(SandboxRoutes.RingFence, ScriptedFaultKinds.GatewayTimeout, 1)] });
                var result = await MatrixBars.ApplyAsync(harness, plan, harness.Client);
                harness.Sandbox.ReplaceFaults(FaultConfig.None);
                result.Succeeded.Should().BeTrue(MatrixBars.Messages(result));
                recorded = (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!;
            }

            recorded.NumberBlocks.SelectMany(b => b.Ranges).Select(r => r.StartNumber).Should().OnlyHaveUniqueItems("no range is adopted into two blocks");
            return [.. recorded.NumberBlocks.Single(b => b.Name == "other").Ranges
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Count} numbers, {(forgotten.Contains(r.StartNumber) ? "a forgotten block's" : "ringfenced for it")}"))
                .Order(StringComparer.Ordinal)];
        }
        finally
        {
            harness.Sandbox.ReplaceFaults(FaultConfig.None);
        }
    }

    private static async Task<CompanyState> KillAtApiAsync(EngineHarness harness, MatrixCompany company, string yaml, string killAt)
    {
        var api = new KillAtApi(harness.Client, killAt, reachesBt: false);
        var plan = await harness.PlanAsync(EngineHarness.Manifests(yaml), api);
        await ((Func<Task>)(() => MatrixBars.ApplyAsync(harness, plan, api))).Should().ThrowAsync<ProcessKilledException>();
        return (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!;
    }

    private static string Yaml(MatrixCompany company, params (string Name, int Quantity)[] blocks) => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: {{company.Key}}
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: {{company.Name}}, domain: {{company.Key}}.example.com, customerGroup: TestGroup }
          numberBlocks: [{{string.Join(", ", blocks.Select(b => string.Create(CultureInfo.InvariantCulture, $"{{ name: {b.Name}, areaCode: \"0121\", quantity: {b.Quantity} }}")))}}]
          sites:
            - name: hq
              locationCode: {{string.Create(CultureInfo.InvariantCulture, $"ROW{company.Row:00}")}}
              address: { nadKey: X05000455530 }
              users:
                - { username: {{company.Key}}.ann, firstName: Ann, lastName: One, extension: "2001"{{(blocks.Length > 0 && blocks[0].Name == "old1" ? ", number: { from: old1 }" : string.Empty)}} }
        """;
}
