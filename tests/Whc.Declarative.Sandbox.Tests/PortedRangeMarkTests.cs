using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// Issue 26: whether BT marks ported ranges in its company answers is assumed, so the sandbox can leave the mark out
/// (<see cref="SandboxOptions.MarkPortedRanges"/>, at run time <see cref="SandboxServer.MarksPortedRanges"/>). Its own
/// inventory keeps knowing which range is ported.
/// </summary>
public sealed class PortedRangeMarkTests
{
    private static JsonNode PortedBody(string serviceId, string qualificationId) => JsonNode.Parse($$"""
        {
          "customer": { "id": "{{SandboxHarness.Cug}}", "type": "BUSINESS" },
          "numbers": { "quantity": 1, "characteristics": { "startNumber": "01419990100", "endNumber": "01419990109" } },
          "product": { "name": "WHC" },
          "action": "RingFence",
          "ringFenceId": "{{serviceId}}",
          "qualifierId": "{{qualificationId}}"
        }
        """)!;

    [Fact]
    public async Task Company_answers_leave_the_ported_mark_out_when_the_switch_is_off_and_the_inventory_keeps_it()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { MarkPortedRanges = false });
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        (await sandbox.PostAsync(Paths.RingFence, PortedBody(serviceId, qualification))).Code.Should().Be(201);

        var unmarked = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["numberRanges"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        sandbox.Server.MarksPortedRanges = true;
        var marked = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["numberRanges"]!.AsArray().Should().ContainSingle().Subject!.AsObject();

        sandbox.Server.MarksPortedRanges.Should().BeTrue();
        unmarked.ContainsKey("ported").Should().BeFalse("this BT does not say which ranges are ported");
        (unmarked["startNumber"]!.GetValue<string>(), unmarked["areaCode"]!.GetValue<string>()).Should().Be(("01419990100", "0141"));
        marked["ported"]!.GetValue<bool>().Should().BeTrue();
        var inventory = JsonNode.Parse(await sandbox.Http.GetStringAsync("/_sandbox/inventory"))!;
        inventory["companies"]![0]!["numberRanges"]![0]!["ported"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Ported_ranges_are_marked_by_default()
    {
        new SandboxOptions().MarkPortedRanges.Should().BeTrue();
    }
}
