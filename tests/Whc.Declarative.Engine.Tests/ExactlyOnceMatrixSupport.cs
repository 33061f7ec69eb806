using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// One sandbox for every row of the exactly-once matrix (issue 26): rows run one after another (one test class), each
/// on a company of its own, so a row's faults and BT's answers never meet another row's.
/// </summary>
public sealed class ExactlyOnceMatrixFixture : IAsyncLifetime
{
    private int rows;

    public EngineHarness Harness { get; private set; } = null!;

    /// <summary>A fresh company for one row: its own key, name, premises and ported numbers.</summary>
    public MatrixCompany NextCompany() => new(Interlocked.Increment(ref rows));

    public async Task InitializeAsync() => Harness = await EngineHarness.StartAsync(requestLogCapacity: 200_000);

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>The operations of the matrix: the non-idempotent BT calls, each made exactly once.</summary>
public static class MatrixOperations
{
    public const string Qualify = "qualify";
    public const string RingFence = "ringfence";
    public const string PortedRingFence = "ported-ringfence";
    public const string CreateAddress = "create-address";
    public const string CreateOrder = "create-order";

    public static IReadOnlyList<string> All { get; } = [Qualify, RingFence, PortedRingFence, CreateAddress, CreateOrder];

    /// <summary>The sandbox route of the call.</summary>
    public static string Route(string operation) => operation switch
    {
        Qualify => SandboxRoutes.Qualify,
        RingFence or PortedRingFence => SandboxRoutes.RingFence,
        CreateAddress => SandboxRoutes.CreateAddress,
        CreateOrder => SandboxRoutes.CreateOrder,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>The route of the question whcctl asks BT about an unknown outcome of the call.</summary>
    public static string Question(string operation) => operation switch
    {
        Qualify or RingFence or PortedRingFence => SandboxRoutes.ReadCompany,
        CreateAddress => SandboxRoutes.SearchAddress,
        CreateOrder => SandboxRoutes.ListOrders,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>The name <see cref="KillAtApi"/> knows the call by.</summary>
    public static string KillAt(string operation) => operation switch
    {
        Qualify => KillAtApi.Qualify,
        RingFence or PortedRingFence => KillAtApi.RingFence,
        CreateAddress => KillAtApi.CreateAddress,
        CreateOrder => KillAtApi.CreateOrder,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>The intent's operation name in state (today's names; a module's tag must read the same).</summary>
    public static string Intent(string operation) => operation switch
    {
        Qualify => IntentOperations.Qualify,
        RingFence or PortedRingFence => IntentOperations.RingFence,
        CreateAddress => IntentOperations.CreateAddress,
        CreateOrder => IntentOperations.CreateOrder,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}

/// <summary>
/// A company of one matrix row: one site at an address BT does not list yet (made by an address step), one block (new
/// numbers in 0121, or a ported range of its own outside the sandbox's pool), everything protected. "Changed" adds a
/// user between runs.
/// </summary>
public sealed record MatrixCompany(int Row)
{
    public string Key => string.Create(CultureInfo.InvariantCulture, $"row{Row}");

    public string Name => string.Create(CultureInfo.InvariantCulture, $"Row{Row}Ltd");

    public string Premises => string.Create(CultureInfo.InvariantCulture, $"Row{Row} House");

    public const string Postcode = "LS1 4AP";

    /// <summary>20 numbers of 0121 no other row and no new-number ringfence (0121496xxxx) ever holds.</summary>
    public string PortedStart => string.Create(CultureInfo.InvariantCulture, $"0121555{Row * 20:0000}");

    public string PortedEnd => string.Create(CultureInfo.InvariantCulture, $"0121555{(Row * 20) + 19:0000}");

    public ImmutableArray<CompanyManifest> Manifests(bool ported, bool changed) => EngineHarness.Manifests(Yaml(ported, changed));

    public string Yaml(bool ported, bool changed)
    {
        var block = ported
            ? $"- {{ name: main, ported: {{ from: \"{PortedStart}\", to: \"{PortedEnd}\" }}, protect: true }}"
            : "- { name: main, areaCode: \"0121\", quantity: 3, protect: true }";
        var bob = changed
            ? $"\n        - {{ username: {Key}.bob, firstName: Bob, lastName: Two, extension: \"2002\", number: {{ from: main }} }}"
            : string.Empty;
        return $$"""
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: {{Key}}
            spec:
              protect: true
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: {{Name}}, domain: {{Key}}.example.com, customerGroup: TestGroup }
              numberBlocks:
                {{block}}
              sites:
                - name: hq
                  locationCode: {{string.Create(CultureInfo.InvariantCulture, $"ROW{Row:00}")}}
                  protect: true
                  address: { postcode: {{Postcode}}, premises: {{Premises}}, street: Wellington Street, city: Leeds }
                  users:
                    - { username: {{Key}}.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: main } }{{bob}}
            """;
    }
}

/// <summary>Passes every call to BT; once the watched call has been made (whatever its answer), runs an action (once).</summary>
public sealed class AfterCallApi(IWhcApi inner, string operation, Action after) : WhcApiDecorator(inner)
{
    private int done;

    private async Task<T> Watch<T>(string name, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        finally
        {
            if (name == operation && Interlocked.Exchange(ref done, 1) == 0)
            {
                after();
            }
        }
    }

    public override Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken) =>
        Watch(MatrixOperations.Qualify, () => Inner.QualifyAsync(request, cancellationToken));

    public override Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken) =>
        Watch(request.Ported is null ? MatrixOperations.RingFence : MatrixOperations.PortedRingFence, () => Inner.RingFenceAsync(request, cancellationToken));

    public override Task<Core.Inventory.AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken) =>
        Watch(MatrixOperations.CreateAddress, () => Inner.CreateAddressAsync(address, cancellationToken));

    public override Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken) =>
        Watch(MatrixOperations.CreateOrder, () => Inner.CreateOrderAsync(order, cancellationToken));
}

/// <summary>What every row checks: the exactly-once bars, read from BT's own inventory and the state on disk.</summary>
public static class MatrixBars
{
    /// <summary>An apply with few step attempts, so a row whose questions BT cannot answer ends in a second, not ten.</summary>
    public static async Task<ApplyResult> ApplyAsync(EngineHarness harness, Plan plan, IWhcApi api)
    {
        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        var options = EngineHarness.Options() with { MaxAttemptsPerStep = 2 };
        var executor = new ApplyExecutor(api, harness.Store, TimeProvider.System, options, NullApplyObserver.Instance);
        return await executor.ApplyAsync(plan, CancellationToken.None);
    }

    public static string Messages(ApplyResult result) =>
        string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => $"{s.Step.Id}: {s.Message}"));

    /// <summary>
    /// BT cannot answer: the plan is refused (today the refresh fails with BT's error; a reconciler that turns it into
    /// an unknown answer refuses with WHC3015), and the intent stays in state, untouched.
    /// </summary>
    public static async Task PlanIsRefusedAsync(EngineHarness harness, ImmutableArray<CompanyManifest> manifests, MatrixCompany company, string operation)
    {
        var before = await harness.Store.ReadAsync(company.Key, CancellationToken.None);
        Plan? plan = null;
        try
        {
            plan = await harness.PlanAsync(manifests);
        }
        catch (WhcApiException e)
        {
            e.OutcomeUnknown.Should().BeTrue("BT did not answer: {0}", e.Message);
        }

        if (plan is not null)
        {
            plan.AllDiagnostics.Should().Contain(d => d.Code == DiagnosticCatalog.IntentsNeedRefresh.Code, "a plan over an unanswered intent is refused");
            plan.HasErrors.Should().BeTrue();
        }

        var after = await harness.Store.ReadAsync(company.Key, CancellationToken.None);
        after!.Intents.Select(i => (i.Id, i.Operation, i.StepId, i.StartedAt)).Should().Equal(before!.Intents.Select(i => (i.Id, i.Operation, i.StepId, i.StartedAt)), "an unknown answer leaves the intent as it was");
        after.Intents.Should().ContainSingle(i => i.Operation == MatrixOperations.Intent(operation));
    }

    /// <summary>The resolution of the row's intent in the plan made after the run that left it.</summary>
    public static IntentResolution Resolution(Plan plan, string operation) =>
        plan.Companies.Single().Reconciliation!.Resolutions.Should().ContainSingle(r => r.Operation == MatrixOperations.Intent(operation)).Subject;

    /// <summary>
    /// The call's result is recorded with the protection the manifest asks for, whether it was recognised in the run or
    /// by a later plan (issue 26: one Record for both).
    /// </summary>
    public static void RecordedProtected(CompanyState state, string operation)
    {
        switch (operation)
        {
            case MatrixOperations.Qualify:
                state.Record!.Protected.Should().BeTrue("the company's protect flag is recorded with its qualification");
                break;
            case MatrixOperations.RingFence or MatrixOperations.PortedRingFence:
                state.NumberBlocks.Should().ContainSingle(b => b.Name == "main").Which.Protected.Should().BeTrue("the block's protect flag is recorded with its range");
                break;
            case MatrixOperations.CreateAddress:
                state.Sites.Should().ContainSingle(s => s.Name == "hq").Which.Protected.Should().BeTrue("the site's protect flag is recorded with its address");
                break;
        }
    }

    /// <summary>
    /// One apply converged, and BT holds exactly one effect of every call: one qualification, one range (of the right
    /// kind), one address at the row's premises, and no order state does not know; state holds BT's ids, no intents.
    /// </summary>
    public static async Task ConvergedAsync(EngineHarness harness, ImmutableArray<CompanyManifest> manifests, MatrixCompany company, bool ported)
    {
        var again = await harness.PlanAsync(manifests);
        again.HasChanges.Should().BeFalse(
            "one apply converges: {0}",
            string.Join("; ", again.Companies.SelectMany(c => c.Changes.Where(x => x.Action != ChangeAction.NoOp).Select(x => $"{x.Address} {x.Action} ({x.Reason})").Concat(c.Steps.Select(s => s.Id.ToString())))));
        var state = await harness.Store.ReadAsync(company.Key, CancellationToken.None);
        state!.Intents.Should().BeEmpty();

        var inventory = await harness.InventoryAsync();
        var bt = inventory["companies"]!.AsArray().Single(c => c!["companyName"]!.GetValue<string>() == company.Name)!;
        bt["qualifications"]!.AsArray().Should().HaveCount(1, "the company is qualified exactly once");
        var ranges = bt["numberRanges"]!.AsArray().Where(r => r!["status"]!.GetValue<string>() != "CEASED").ToList();
        ranges.Should().ContainSingle("the block is ringfenced exactly once");
        if (ported)
        {
            ranges.Single()!["startNumber"]!.GetValue<string>().Should().Be(company.PortedStart);
            ranges.Single()!["endNumber"]!.GetValue<string>().Should().Be(company.PortedEnd);
            ranges.Single()!["ported"]!.GetValue<bool>().Should().BeTrue();
        }
        else
        {
            ranges.Single()!["ported"]!.GetValue<bool>().Should().BeFalse();
        }

        inventory["createdAddresses"]!.AsArray().Count(a => a!["buildingName"]?.GetValue<string>() == company.Premises)
            .Should().Be(1, "the site's address is created exactly once");

        var serviceId = bt["serviceId"]!.GetValue<string>();
        var orders = inventory["orders"]!.AsArray().Where(o => o!["companyServiceId"]?.GetValue<string>() == serviceId).ToList();
        orders.Select(o => o!["id"]!.GetValue<string>()).Should().BeEquivalentTo(state.Orders.Select(o => o.Id), "BT holds no order state does not know, so none was made twice");
        orders.Select(o => o!["externalId"]?.GetValue<string>()).Should().OnlyHaveUniqueItems();
        await Assertions.StateMatchesBtAsync(harness, company.Key, company.Name);
    }

    /// <summary>Ranges BT holds for a company (not ceased), as "start-end ported|new".</summary>
    public static List<string> Ranges(JsonObject inventory, string companyName) =>
        [.. inventory["companies"]!.AsArray()
            .Single(c => c!["companyName"]!.GetValue<string>() == companyName)!["numberRanges"]!.AsArray()
            .Where(r => r!["status"]!.GetValue<string>() != "CEASED")
            .Select(r => $"{r!["startNumber"]}-{r["endNumber"]} {(r["ported"]?.GetValue<bool>() == true ? "ported" : "new")}")
            .Order(StringComparer.Ordinal)];
}
