namespace Whc.Declarative.Sandbox.Tests;

/// <summary>The admin API's "BT's staff settle an order" (for stories where BT fails or completes an order on its own).</summary>
public sealed class OutsideOrderStateTests
{
    [Fact]
    public async Task Only_an_unfinished_order_can_be_settled_and_only_as_failed_or_completed()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();
        var completed = (await sandbox.InventoryAsync())["orders"]!.AsArray().Single()!["id"]!.GetValue<string>();

        var final = await sandbox.AdminAsync(HttpMethod.Post, $"/_sandbox/outside/orders/{completed}/state", """{"state":"failed"}""");
        var unknown = await sandbox.AdminAsync(HttpMethod.Post, "/_sandbox/outside/orders/BTWKN0/state", """{"state":"failed"}""");
        var invalid = await sandbox.AdminAsync(HttpMethod.Post, $"/_sandbox/outside/orders/{completed}/state", """{"state":"held"}""");

        (final.Code, final.ErrorCode).Should().Be((400, "29"));
        final.Json!["errors"]!.ToJsonString().Should().Contain("already completed");
        unknown.Code.Should().Be(404);
        (invalid.Code, invalid.ErrorCode).Should().Be((400, "29"));
    }
}
