using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 28: a plan reads its states while the manifests load, reads and parses each state file once, and plans its
/// companies on several threads, with the same plan, to the byte, as one thread makes.
/// </summary>
public sealed class PlanPipelineTests : IAsyncLifetime
{
    private const int NewCompanies = 40;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private EngineHarness harness = null!;
    private Workspace workspace = null!;

    public async Task InitializeAsync()
    {
        // An estate of every kind of company a plan meets: applied and unchanged (co0), grown (co1), shrunk (co2), only
        // in state (co3), under a new key without its moved entry (co4 → co4b), and many not applied yet.
        harness = await EngineHarness.StartAsync();
        workspace = new Workspace();
        var applied = string.Join("---\n", Enumerable.Range(0, 5).Select(i => TestManifests.Company($"co{i}", $"Company{i}Widgets", users: 4, sites: 2)));
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(applied))).Succeeded.Should().BeTrue();
        Write("co0.yaml", TestManifests.Company("co0", "Company0Widgets", users: 4, sites: 2));
        Write("co1.yaml", TestManifests.Company("co1", "Company1Widgets", users: 6, sites: 2));
        Write("co2.yaml", TestManifests.Company("co2", "Company2Widgets", users: 2, sites: 2));
        Write("co4b.yaml", TestManifests.Company("co4b", "Company4Widgets", users: 4, sites: 2));
        for (var i = 0; i < NewCompanies; i++)
        {
            Write($"new{i:00}.yaml", TestManifests.Company($"new{i:00}", $"NewCompany{i:00}", users: 1 + (i % 3) + (i % 5), sites: 1 + (i % 3)));
        }
    }

    public async Task DisposeAsync()
    {
        workspace.Dispose();
        await harness.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Planning_companies_on_several_threads_gives_the_plan_one_thread_gives_byte_for_byte(bool refresh)
    {
        // When the estate is planned on one thread, and then on eight, several times
        var sequential = await PlanTextAsync(harness.Store, refresh, threads: 1);
        var parallel = new List<string>();
        for (var run = 0; run < 3; run++)
        {
            parallel.Add(await PlanTextAsync(harness.Store, refresh, threads: 8));
        }

        // Then every plan is the one-thread plan: the saved file (changes, steps, diagnostics, in order) and the diagnostics as told
        sequential.Should().Contain("co4b").And.Contain("new39");
        parallel.Should().AllSatisfy(p => p.Should().Be(sequential));
    }

    [Fact]
    public async Task A_plan_reads_each_state_file_once_and_parses_it_once()
    {
        // Given a store that counts what it reads and parses
        var probe = new StateReadProbe();
        var store = new LocalStateStore(harness.Store.Directory, serializer: new StateSerializer([], probe), probe: probe);

        // When the estate is planned from state
        await PlanTextAsync(store, refresh: false, threads: 8);

        // Then each state file was read once, and its JSON gone through once (the format check came from the same pass)
        var files = Directory.GetFiles(harness.Store.Directory, "*.json").Order(StringComparer.Ordinal).ToList();
        files.Should().HaveCount(5);
        probe.Reads.Should().Equal(files.Select(f => new KeyValuePair<string, int>(f, 1)));
        probe.Parses.Should().Equal(files.Select(f => new KeyValuePair<string, int>(f, 1)));
    }

    [Fact]
    public async Task Of_several_damaged_states_the_plan_reports_the_first_in_company_order_whichever_is_read_first()
    {
        // Given many companies whose state files are damaged
        var damaged = Enumerable.Range(0, NewCompanies).Select(i => $"new{i:00}").ToList();
        foreach (var company in damaged)
        {
            File.WriteAllText(harness.Store.StatePath(company), "{ \"version\": 3, \"serial\": ");
        }

        // When the estate is planned, several times
        for (var run = 0; run < 5; run++)
        {
            var plan = () => PlanTextAsync(harness.Store, refresh: false, threads: 8);

            // Then each plan fails on the first damaged company in order, as a plan reading one state at a time would
            (await plan.Should().ThrowAsync<StateException>()).Which.Message.Should().Contain("new00.json");
        }
    }

    [Fact]
    public async Task Manifests_that_do_not_load_are_reported_alone_though_a_state_read_ahead_is_damaged()
    {
        // Given a damaged state file, and a manifest that does not load
        File.WriteAllText(harness.Store.StatePath("co3"), "not json");
        Write("broken.yaml", "apiVersion: whc.declarative/v1\nkind: Company\nmetadata: { name: broken }\nspec: [\n");

        // When the estate is planned
        var outcome = await RunAsync(harness.Store, refresh: false, threads: 8);

        // Then the plan stops at the manifests, saying nothing of the state it never needed
        outcome.Plan.Should().BeNull();
        outcome.Diagnostics.Should().Contain(d => d.IsError && d.Span.File.EndsWith("broken.yaml", StringComparison.Ordinal));
        outcome.Diagnostics.Should().NotContain(d => d.Message.Contains("co3", StringComparison.Ordinal));
    }

    private void Write(string name, string yaml) => File.WriteAllText(System.IO.Path.Combine(workspace.Path, name), yaml);

    private Task<PlanOutcome> RunAsync(IStateStore store, bool refresh, int threads)
    {
        var request = new PlanRequest(["."], PlanMode.Normal, refresh, [], harness.MaxUsersPerOrder, 4, []) { Endpoint = EndpointName.Of("sandbox") };
        return PlanOperation.RunAsync(request, workspace.Path, new FixedClock(Now), store, refresh ? harness.Client : null, CancellationToken.None, planningThreads: threads);
    }

    /// <summary>The plan as saved to a file, and its diagnostics as told, one after the other.</summary>
    private async Task<string> PlanTextAsync(IStateStore store, bool refresh, int threads)
    {
        var outcome = await RunAsync(store, refresh, threads);
        outcome.Plan.Should().NotBeNull(string.Join("; ", outcome.Diagnostics));
        var plan = outcome.Plan!;
        var file = PlanFile.Create(plan, EndpointName.Of("sandbox"), "0.0.0-test", outcome.Request ?? new PlanRequest(["."], PlanMode.Normal, refresh, [], 3, 4, []));
        return file.ToJson() + "\n" + string.Join("\n", plan.AllDiagnostics.Select(d => d.ToString()));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Workspace : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "whc-pipeline-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
