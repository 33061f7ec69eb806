using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.State.Tests;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Team state on a real PostgreSQL server (issue 7): many runners applying at once, each with its own connection, as
/// separate pipeline jobs would. Different companies never block each other; the same company is applied once.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class ConcurrentApplyTests(PostgresServerFixture postgres)
{
    [PostgresFact]
    public async Task Ten_concurrent_applies_of_different_companies_all_succeed()
    {
        await using var harness = await EngineHarness.StartAsync();
        var schema = PostgresServerFixture.NewSchemaName();
        var companies = Enumerable.Range(0, 10)
            .Select(i => EngineHarness.Manifests(TestManifests.Company($"co{i:00}", $"Company{i:00}", users: 2, areaCode: i % 2 == 0 ? "0121" : "0161")))
            .ToList();

        var results = await Task.WhenAll(companies.Select(async manifests =>
        {
            await using var store = postgres.NewStore(schema);
            var plan = await harness.PlanAsync(manifests);
            return await harness.ApplyAsync(plan, store: store);
        }));

        results.Should().OnlyContain(r => r.Succeeded);
        await using var reader = postgres.NewStore(schema);
        (await reader.ListCompaniesAsync(CancellationToken.None)).Should().HaveCount(10);
        var inventory = await harness.InventoryAsync();
        inventory["companies"]!.AsArray().Should().HaveCount(10).And.OnlyContain(c => c!["status"]!.GetValue<string>() == "active");
        inventory["orders"]!.AsArray().Should().HaveCount(10);
    }

    [PostgresFact]
    public async Task Two_concurrent_applies_of_one_company_apply_it_once_and_the_loser_names_the_lock_holder()
    {
        await using var harness = await EngineHarness.StartAsync(new Sandbox.FaultConfig { Latency = new Sandbox.LatencyFault(20, 0) });
        var schema = PostgresServerFixture.NewSchemaName();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 4));
        var plan = await harness.PlanAsync(manifests);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var store = postgres.NewStore(schema);
            return await harness.ApplyAsync(plan, store: store);
        }));

        results.Count(r => r.Succeeded).Should().Be(1);
        var loser = results.Single(r => !r.Succeeded);
        loser.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d =>
            (d.Code == "WHC5001" && d.Message.Contains("locked by test@")) || d.Code == DiagnosticCatalog.StalePlan.Code);
        await Assertions.NoDuplicatesAsync(harness, expectedOrders: 2);
        await using var reader = postgres.NewStore(schema);
        var state = await reader.ReadAsync("acme", CancellationToken.None);
        state!.Users.Should().HaveCount(4, "the winner's results are all recorded");
    }

    [PostgresFact]
    public async Task A_second_apply_that_waits_for_the_lock_finds_its_plan_stale_and_changes_nothing()
    {
        await using var harness = await EngineHarness.StartAsync();
        var schema = PostgresServerFixture.NewSchemaName();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));
        var plan = await harness.PlanAsync(manifests);
        await using var first = postgres.NewStore(schema);
        (await harness.ApplyAsync(plan, store: first)).Succeeded.Should().BeTrue();
        var ordersBefore = (await harness.InventoryAsync())["orders"]!.AsArray().Count;

        await using var second = postgres.NewStore(schema);
        var again = await harness.ApplyAsync(plan, store: second);

        again.Succeeded.Should().BeFalse();
        again.Diagnostics.Should().ContainSingle(d => d.Code == DiagnosticCatalog.StalePlan.Code)
            .Which.Message.Should().Contain("then: no state").And.Contain("Run plan again");
        (await harness.InventoryAsync())["orders"]!.AsArray().Count.Should().Be(ordersBefore);
    }
}
