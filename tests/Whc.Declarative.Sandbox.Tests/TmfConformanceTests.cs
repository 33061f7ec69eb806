using System.Text.Json.Nodes;
using Whc.Declarative.Tests.Tmf;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// The sandbox's order answers validate against TM Forum's TMF622 v4 ProductOrder schema, at every stage of an order's
/// life (created, in flight, completed). The schemas are read from ../shared/tmf beside the repository; a clone without
/// them skips these tests, saying why.
/// </summary>
public sealed class TmfConformanceTests
{
    [TmfFact]
    public async Task Order_reads_validate_against_TMF622_ProductOrder_while_pending_in_flight_and_completed()
    {
        var productOrder = await TmfSchemas.DefinitionAsync("tmf622-v4.0.0-productorder.defs.json", "ProductOrder");
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var range = (await sandbox.RingFenceAsync(serviceId, qualification, 5)).Json!["numberRange"]!;
        var created = await sandbox.PostAsync(Paths.Orders, Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>()));
        var id = created.Json!["id"]!.GetValue<string>();

        var pending = (await sandbox.GetAsync(Paths.Order(id))).Json!;
        (await sandbox.PostAsync(Paths.Submit, Bodies.Submit(id))).Code.Should().Be(201);
        var inFlight = (await sandbox.GetAsync(Paths.Order(id))).Json!;
        await sandbox.AdvanceClockAsync("PT1M");
        var completed = (await sandbox.GetAsync(Paths.Order(id))).Json!;

        foreach (var (stage, order) in new[] { ("pending", pending), ("in flight", inFlight), ("completed", completed) })
        {
            productOrder.Validate(order.ToJsonString()).Select(e => $"{e.Path}: {e.Kind}").Should().BeEmpty($"the {stage} order is a TMF622 ProductOrder: {order.ToJsonString()}");
        }
    }
}
