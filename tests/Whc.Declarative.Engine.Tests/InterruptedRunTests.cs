using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 12: a run killed in the middle of a call, then the manifest changed before the next run. What the killed run
/// left (an intent) is answered from BT first; the next plan is made against that truth and the current manifest.
/// </summary>
public sealed class InterruptedRunTests
{
    private const string UserNine = "      - { username: acme.user9, firstName: New, lastName: Starter, extension: \"2009\", number: { from: main } }\n";

    [Fact]
    public async Task A_an_order_that_never_reached_BT_for_a_user_since_removed_simply_disappears()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        await KilledApplyAsync(harness, original + UserNine, KillAtApi.CreateOrder, reachesBt: false);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Intents.Should().ContainSingle(i => i.Operation == IntentOperations.CreateOrder);

        var manifests = EngineHarness.Manifests(original);
        var plan = await harness.PlanAsync(manifests);

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Single().Steps.Should().BeEmpty("the order never reached BT and nobody wants the user any more");
        plan.Companies.Single().Reconciliation!.Resolutions.Should().ContainSingle().Which.Outcome.Should().Be(IntentOutcome.NotFound);
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 1);
    }

    [Fact]
    public async Task A_an_order_that_reached_BT_for_a_user_since_removed_is_finished_and_the_user_ceased_in_one_apply()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        await KilledApplyAsync(harness, original + UserNine, KillAtApi.CreateOrder, reachesBt: true);

        var manifests = EngineHarness.Manifests(original);
        var plan = await harness.PlanAsync(manifests);

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Single().Changes.Where(c => c.Action != ChangeAction.NoOp).Select(c => (c.Address.Name, c.Action))
            .Should().Equal(("acme.user9", ChangeAction.Delete));
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 3);
        UserStatus(await harness.InventoryAsync(), "acme.user9").Should().Be("ceased");
    }

    [Fact]
    public async Task B_the_first_order_of_an_unchanged_company_is_created_after_an_interruption_before_BT_saw_it()
    {
        await using var harness = await EngineHarness.StartAsync();
        const string manifest = """
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: fun-network
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks:
                - { name: brum, areaCode: "0121", quantity: 10 }
              sites:
                - name: ipswich-hq
                  locationCode: IPS01
                  address: { postcode: IP5 3RE, premises: Adastral Park, street: Main Road, city: Ipswich }
                  users:
                    - { username: jane.smith, firstName: Jane, lastName: Smith, extension: "2001", number: { from: brum } }
            """;
        await KilledApplyAsync(harness, manifest, KillAtApi.CreateOrder, reachesBt: false);

        var manifests = EngineHarness.Manifests(manifest);
        var plan = await harness.PlanAsync(manifests);

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Single().Steps.Select(s => s.Kind).Should().NotContain([StepKind.Qualify, StepKind.RingFence], "both went through before the kill");
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "fun-network", "TheFunNetwork", orders: 1);
    }

    [Fact]
    public async Task C_a_ringfence_whose_answer_was_lost_is_adopted_whatever_the_block_now_asks_for()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2, quantity: 10);
        await KilledApplyAsync(harness, original, KillAtApi.RingFence, reachesBt: true);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Intents.Should().ContainSingle(i => i.Operation == IntentOperations.RingFence);

        var manifests = EngineHarness.Manifests(original.Replace("quantity: 10", "quantity: 15", StringComparison.Ordinal));
        var plan = await harness.PlanAsync(manifests);

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Single().Steps.OfType<RingFenceStep>().Should().ContainSingle().Which.Quantity.Should().Be(5);
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 1);
        var ranges = Company(await harness.InventoryAsync(), "AcmeWidgets")["numberRanges"]!.AsArray()
            .Where(r => r!["status"]!.GetValue<string>() != "CEASED")
            .Select(r => long.Parse(r!["endNumber"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) - long.Parse(r!["startNumber"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) + 1);
        ranges.Sum().Should().Be(15, "BT holds exactly the block's 15 numbers: the lost range was adopted, not ringfenced again");
    }

    [Fact]
    public async Task D_an_address_made_for_a_site_since_removed_leaves_nothing_in_state_and_is_noted_in_the_plan()
    {
        await using var harness = await EngineHarness.StartAsync();
        await KilledApplyAsync(harness, TwoSites, KillAtApi.CreateAddress, reachesBt: true);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Intents.Should().Contain(i => i.Operation == IntentOperations.CreateAddress);

        var manifests = EngineHarness.Manifests(WithoutLeeds);
        var plan = await harness.PlanAsync(manifests);

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Single().Changes.Should().ContainSingle(c => c.Address.Name == "leeds")
            .Which.Action.Should().Be(ChangeAction.Forget);
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 1);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Sites.Select(s => s.Name).Should().Equal("park");
    }

    [Fact]
    public async Task D_a_pending_site_removed_from_the_manifest_is_dropped_from_state()
    {
        await using var harness = await EngineHarness.StartAsync();
        await KilledApplyAsync(harness, TwoSites, KillAtApi.CreateOrder, reachesBt: false);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Sites.Should().Contain(s => s.Name == "leeds" && s.ServiceId == null);

        var manifests = EngineHarness.Manifests(WithoutLeeds);
        var plan = await harness.PlanAsync(manifests);

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 1);
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Sites.Select(s => s.Name).Should().Equal("park");
    }

    [Fact]
    public async Task A_range_ringfenced_while_the_blocks_first_order_was_unfinished_is_ordered_after_it()
    {
        // Given a new company whose first order reached BT but was never submitted (killed), then a grown block whose
        // second ringfence went through at BT while that order was still unfinished, its answer lost (killed again)
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2, quantity: 10);
        await KilledApplyAsync(harness, original, KillAtApi.CreateOrder, reachesBt: true);
        var grown = original.Replace("quantity: 10", "quantity: 15", StringComparison.Ordinal);
        await KilledApplyAsync(harness, grown, KillAtApi.RingFence, reachesBt: true);

        // When the grown manifest is planned and applied
        var manifests = EngineHarness.Manifests(grown);
        var plan = await harness.PlanAsync(manifests);

        // Then the adopted range gets an order of its own, after the unfinished one, and one apply converges
        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.Companies.Single().Steps.Where(s => s.Kind == StepKind.CreateOrder).Should().ContainSingle()
            .Which.Should().BeOfType<CreateOrderStep>().Which.Operations.Should().Equal(new OrderOperation(new ResourceAddress("acme", ResourceKind.NumberBlock, "main"), OrderOperationKind.Add));
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 2);
    }

    [Fact]
    public async Task A_block_ringfenced_but_never_ordered_that_leaves_the_manifest_is_forgotten_and_the_plan_settles()
    {
        // Given a new company killed before its first order, so block main is ringfenced and never ordered
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2, quantity: 10);
        await KilledApplyAsync(harness, original, KillAtApi.CreateOrder, reachesBt: false);

        // When the manifest takes its numbers from another block instead
        var manifests = EngineHarness.Manifests(original
            .Replace("{ name: main, areaCode: \"0121\"", "{ name: other, areaCode: \"0161\"", StringComparison.Ordinal)
            .Replace("number: { from: main }", "number: { from: other }", StringComparison.Ordinal));
        var plan = await harness.PlanAsync(manifests);

        // Then main is forgotten, naming the numbers BT keeps, rather than "ceased" by an order with nothing in it
        var forget = plan.Companies.Single().Changes.Should().ContainSingle(c => c.Address.Name == "main").Subject;
        forget.Action.Should().Be(ChangeAction.Forget);
        forget.Reason.Should().Contain("01214960000");
        plan.Companies.Single().Steps.Where(s => s.Kind == StepKind.CreateOrder).Should().ContainSingle("only the first order; nothing to cease");
        await ApplySucceedsAsync(harness, plan);
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.NumberBlocks.Select(b => b.Name).Should().Equal("other");
    }

    [Fact]
    public async Task An_order_BT_refused_for_its_size_is_planned_afresh_with_the_current_limit_not_sent_again()
    {
        // Given an apply with orders of 5 users, which BT answers 504 (code 69) without creating anything
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 5));
        var tooLarge = await harness.PlanAsync(manifests, maxUsersPerOrder: 5);
        (await harness.ApplyAsync(tooLarge)).Succeeded.Should().BeFalse();
        (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Intents.Should().ContainSingle(i => i.Operation == IntentOperations.CreateOrder, "a 504 leaves the outcome unknown");

        // When it is planned again with BT's limit of 3
        var plan = await harness.PlanAsync(manifests);

        // Then BT is asked, holds no such order, and the users are ordered afresh in orders of at most 3
        plan.Companies.Single().Reconciliation!.Resolutions.Should().ContainSingle().Which.Outcome.Should().Be(IntentOutcome.NotFound);
        plan.Companies.Single().Steps.OfType<CreateOrderStep>().Select(s => s.Operations.Count(o => o.Address.Kind == ResourceKind.User))
            .Should().Equal(3, 2);
        await ApplySucceedsAsync(harness, plan);
        await ConvergedAsync(harness, manifests, "acme", "AcmeWidgets", orders: 2);
    }

    [Fact]
    public async Task A_plan_without_refresh_refuses_a_state_with_calls_whose_outcome_only_BT_knows()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2);
        await KilledApplyAsync(harness, original, KillAtApi.CreateOrder, reachesBt: true);

        var plan = await harness.PlanAsync(EngineHarness.Manifests(original), refresh: false);

        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == DiagnosticCatalog.IntentsNeedRefresh.Code).Which.Message.Should().Contain("create-order");
    }

    /// <summary>A company with a site BT's address list lacks (Leeds: made by an address step while applying).</summary>
    private const string TwoSites = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: acme
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: AcmeWidgets, domain: acme.example.com, customerGroup: TestGroup }
          numberBlocks:
            - { name: main, areaCode: "0121", quantity: 5 }
          sites:
            - name: park
              locationCode: ACM01
              address: { nadKey: X05000455530 }
              users:
                - { username: acme.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: main } }
            - name: leeds
              locationCode: ACM02
              address: { postcode: LS1 4AP, premises: Aire House, street: Wellington Street, city: Leeds }
              users:
                - { username: acme.bob, firstName: Bob, lastName: Two, extension: "2002" }
        """;

    private static readonly string WithoutLeeds = TwoSites[..TwoSites.IndexOf("    - name: leeds", StringComparison.Ordinal)];

    private static async Task KilledApplyAsync(EngineHarness harness, string manifest, string killAt, bool reachesBt)
    {
        var api = new KillAtApi(harness.Client, killAt, reachesBt);
        var plan = await harness.PlanAsync(EngineHarness.Manifests(manifest), api);
        var apply = () => harness.ApplyAsync(plan, api);
        await apply.Should().ThrowAsync<ProcessKilledException>();
    }

    private static async Task ApplySucceedsAsync(EngineHarness harness, Plan plan)
    {
        var result = await harness.ApplyAsync(plan);
        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => $"{s.Step.Id}: {s.Message}")));
    }

    private static async Task ConvergedAsync(EngineHarness harness, ImmutableArray<CompanyManifest> manifests, string key, string name, int orders)
    {
        var again = await harness.PlanAsync(manifests);
        again.HasChanges.Should().BeFalse("one apply converges: {0}", string.Join("; ", again.Companies.SelectMany(c => c.Changes.Where(x => x.Action != ChangeAction.NoOp).Select(x => $"{x.Address} {x.Action}")).Concat(again.Companies.SelectMany(c => c.Steps.Select(s => s.Id.ToString())))));
        var state = await harness.Store.ReadAsync(key, CancellationToken.None);
        state!.Intents.Should().BeEmpty();
        var company = Company(await harness.InventoryAsync(), name);
        company["qualifications"]!.AsArray().Should().HaveCount(1, "the company is qualified exactly once");
        (await harness.InventoryAsync())["orders"]!.AsArray().Should().HaveCount(orders, "no order is duplicated");
        await Assertions.StateMatchesBtAsync(harness, key, name);
    }

    private static JsonNode Company(JsonNode inventory, string name) =>
        inventory["companies"]!.AsArray().Single(c => c!["companyName"]!.GetValue<string>() == name)!;

    private static string? UserStatus(JsonNode inventory, string username) =>
        inventory["companies"]!.AsArray().SelectMany(c => c!["users"]!.AsArray()).Single(u => u!["username"]!.GetValue<string>() == username)!["status"]?.GetValue<string>();
}

/// <summary>
/// A process that dies at the first call of one operation: before the request reaches BT, or after BT acted on it but
/// before its answer was seen. Every later call of the dead process fails too.
/// </summary>
public sealed class KillAtApi(IWhcApi inner, string operation, bool reachesBt) : IWhcApi
{
    public const string Qualify = "qualify";
    public const string RingFence = "ringFence";
    public const string CreateAddress = "createAddress";
    public const string CreateOrder = "createOrder";

    private volatile bool dead;

    private async Task<T> Call<T>(string name, Func<Task<T>> call)
    {
        if (dead)
        {
            throw new ProcessKilledException();
        }

        if (name != operation)
        {
            return await call();
        }

        dead = true;
        if (reachesBt)
        {
            await call();
        }

        throw new ProcessKilledException();
    }

    public Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken) =>
        Call("readCompany", () => inner.ReadCompanyAsync(cugId, companyName, cancellationToken));

    public Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken) =>
        Call("listCompanies", () => inner.ListCompaniesAsync(cugId, cancellationToken));

    public Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken) =>
        Call("verify", () => inner.IsTakenAsync(cugId, check, cancellationToken));

    public Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken) =>
        Call(Qualify, () => inner.QualifyAsync(request, cancellationToken));

    public Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken) =>
        Call(RingFence, () => inner.RingFenceAsync(request, cancellationToken));

    public Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken) =>
        Call("searchAddresses", () => inner.SearchAddressesAsync(postcode, cancellationToken));

    public Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken) =>
        Call(CreateAddress, () => inner.CreateAddressAsync(address, cancellationToken));

    public Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken) =>
        Call(CreateOrder, () => inner.CreateOrderAsync(order, cancellationToken));

    public Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Call("submitOrder", async () =>
        {
            await inner.SubmitOrderAsync(orderId, cancellationToken);
            return true;
        });

    public Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Call("readOrder", () => inner.ReadOrderAsync(orderId, cancellationToken));

    public Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        Call("findOrder", () => inner.FindOrderByExternalIdAsync(externalId, cancellationToken));
}
