using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26: applying a saved plan reads BT once per company (it used to read twice: once to check BT had not moved,
/// once to derive the plan again), at the apply's own --parallelism (it used to be the plan's, or four).
/// </summary>
public sealed class SavedPlanApplyReadTests
{
    private const int Companies = 6;

    [Fact]
    public async Task Applying_a_saved_plan_reads_each_company_at_BT_once()
    {
        // Given companies applied, then a saved plan that adds a user to each
        await using var harness = await EngineHarness.StartAsync();
        using var workspace = new Workspace();
        var file = await SavePlanAsync(harness, workspace, harness.Client, parallelism: 8);

        // When the saved plan is applied
        var before = harness.Sandbox.Requests.Count;
        var hooks = new NoHooks(() => harness.Sandbox.Requests.Skip(before).Count(r => r.Route == SandboxRoutes.ReadCompany));
        var outcome = await ApplyOperation.RunAsync(
            new ApplyRequest(null, file, workspace.Path, AllowDestroy: false, EngineHarness.Options(parallelism: 8) with { Endpoint = file.Endpoint }),
            harness.Store,
            harness.Client,
            TimeProvider.System,
            hooks,
            NullApplyObserver.Instance,
            CancellationToken.None);

        // Then, before the plan was carried out, BT saw one company read per company
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
        outcome.Result.Should().NotBeNull();
        hooks.ReadsBeforeApply.Should().Be(Companies, "one read per company checks BT has not moved and derives the plan again");
    }

    [Fact]
    public async Task Applying_a_saved_plan_reads_BT_at_the_configured_parallelism()
    {
        // Given a saved plan made at --parallelism 8
        await using var harness = await EngineHarness.StartAsync();
        using var workspace = new Workspace();
        var file = await SavePlanAsync(harness, workspace, harness.Client, parallelism: 8);

        // When it is applied at --parallelism 2, with BT slow enough for reads to overlap
        var counting = new ConcurrencyCountingApi(harness.Client);
        var outcome = await ApplyOperation.RunAsync(
            new ApplyRequest(null, file, workspace.Path, AllowDestroy: false, EngineHarness.Options(parallelism: 2) with { Endpoint = file.Endpoint }),
            harness.Store,
            counting,
            TimeProvider.System,
            new NoHooks(() => 0),
            NullApplyObserver.Instance,
            CancellationToken.None);

        // Then at most two companies were read at once, and two were
        outcome.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
        counting.MaxConcurrent.Should().Be(2);
    }

    private static async Task<PlanFile> SavePlanAsync(EngineHarness harness, Workspace workspace, IWhcApi api, int parallelism)
    {
        string Yaml(int users) => string.Join("---\n", Enumerable.Range(0, Companies).Select(i => TestManifests.Company($"co{i}", $"Company{i}Widgets", users)));
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(Yaml(1)))).Succeeded.Should().BeTrue();
        File.WriteAllText(System.IO.Path.Combine(workspace.Path, "companies.yaml"), Yaml(2));
        var request = new PlanRequest(["companies.yaml"], PlanMode.Normal, Refresh: true, [], harness.MaxUsersPerOrder, parallelism, []) { Endpoint = EndpointName.Of("sandbox") };
        var outcome = await PlanOperation.RunAsync(request, workspace.Path, TimeProvider.System, harness.Store, api, CancellationToken.None);
        outcome.Plan.Should().NotBeNull(string.Join("; ", outcome.Diagnostics));
        var plan = outcome.Plan!;
        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Should().OnlyContain(c => c.WritesState);
        return PlanFile.Create(plan, EndpointName.Of("sandbox"), "0.0.0-test", outcome.Request ?? request);
    }

    /// <summary>Approves without asking; notes how many company reads BT had seen when the plan was ready to run.</summary>
    private sealed class NoHooks(Func<int> reads) : IApplyHooks
    {
        public int ReadsBeforeApply { get; private set; }

        public void PlanReady(Plan plan) => ReadsBeforeApply = reads();

        public void Notice(string message)
        {
        }

        public Task<bool?> ApproveAsync(Plan plan) => Task.FromResult<bool?>(true);
    }

    /// <summary>Counts how many company reads are in flight at once; each takes long enough for others to start.</summary>
    private sealed class ConcurrencyCountingApi(IWhcApi inner) : WhcApiDecorator(inner)
    {
        private int current;
        private int max;

        public int MaxConcurrent => Volatile.Read(ref max);

        public override async Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref current);
            int seen;
            while ((seen = Volatile.Read(ref max)) < now && Interlocked.CompareExchange(ref max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(150, cancellationToken);
                return await Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref current);
            }
        }
    }

    private sealed class Workspace : IDisposable
    {
        public Workspace()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "whc-saved-plan-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
