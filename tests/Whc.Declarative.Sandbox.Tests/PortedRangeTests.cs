using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// Issue 17: ported ranges. The ringfence body carries the range's ends instead of an area code [ASSUMED]; the sandbox
/// takes any UK range no company holds, marks it ported in the inventory, and orders it as WHCPortednumber.
/// </summary>
public sealed class PortedRangeTests
{
    private static JsonNode PortedBody(string serviceId, string qualificationId, string start, string end, string cug = SandboxHarness.Cug) => JsonNode.Parse($$"""
        {
          "customer": { "id": "{{cug}}", "type": "BUSINESS" },
          "numbers": { "quantity": 1, "characteristics": { "startNumber": "{{start}}", "endNumber": "{{end}}" } },
          "product": { "name": "WHC" },
          "action": "RingFence",
          "ringFenceId": "{{serviceId}}",
          "qualifierId": "{{qualificationId}}"
        }
        """)!;

    private static string Verify(string start, string end, string? serviceId = null) =>
        $"{Paths.Reseller}{SandboxHarness.Cug}/numbers?startNumber={start}&endNumber={end}{(serviceId is null ? string.Empty : "&companyServiceId=" + serviceId)}";

    [Fact]
    public async Task A_range_outside_the_pool_of_new_numbers_is_ringfenced_as_asked_and_shown_as_ported()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();

        var reply = await sandbox.PostAsync(Paths.RingFence, PortedBody(serviceId, qualification, "01419990100", "01419990109"));

        reply.Code.Should().Be(201, reply.Json?.ToJsonString());
        (reply.Json!["numberRange"]!["startNumber"]!.GetValue<string>(), reply.Json["numberRange"]!["endNumber"]!.GetValue<string>()).Should().Be(("01419990100", "01419990109"));
        var range = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!["numberRanges"]!.AsArray().Should().ContainSingle().Subject!;
        (range["areaCode"]!.GetValue<string>(), range["status"]!.GetValue<string>(), range["ported"]!.GetValue<bool>()).Should().Be(("0141", "RINGFENCED", true));
    }

    [Fact]
    public async Task A_ported_range_in_the_pool_is_never_handed_out_again_as_new_numbers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        (await sandbox.PostAsync(Paths.RingFence, PortedBody(serviceId, qualification, "01214960000", "01214960004"))).Code.Should().Be(201);

        var fresh = await sandbox.RingFenceAsync(serviceId, qualification, 2);

        fresh.Json!["numberRange"]!["startNumber"]!.GetValue<string>().Should().Be("01214960005");
    }

    [Theory]
    [InlineData("01214960505", "01214960509", "held by another company")]
    [InlineData("01214960490", "01214960500", "held by another company")]
    public async Task A_range_another_company_holds_is_refused_with_BTs_400_29(string start, string end, string reason)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var a = await sandbox.QualifiedAsync("A", "a.example");
        var b = await sandbox.QualifiedAsync("B", "b.example");
        (await sandbox.PostAsync(Paths.RingFence, PortedBody(a.ServiceId, a.QualificationId, "01214960500", "01214960519"))).Code.Should().Be(201);

        var reply = await sandbox.PostAsync(Paths.RingFence, PortedBody(b.ServiceId, b.QualificationId, start, end));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["message"]!.GetValue<string>().Should().Contain(reason);
        (await sandbox.GetAsync(Paths.Company("B"))).Json!["numberRanges"]!.AsArray().Should().BeEmpty("nothing happens on a refused call");
    }

    [Theory]
    [InlineData("01214960519", "01214960500")]
    [InlineData("0121496050", "01214960519")]
    [InlineData("07700900000", "07700900009")]
    [InlineData("01214960000", "01214961000")]
    public async Task A_range_that_is_not_a_range_of_UK_numbers_is_refused(string start, string end)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();

        var reply = await sandbox.PostAsync(Paths.RingFence, PortedBody(serviceId, qualification, start, end));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Fact]
    public async Task Verify_numbers_answers_no_data_when_free_and_200_when_another_company_holds_any_of_them()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var a = await sandbox.QualifiedAsync("A", "a.example");
        (await sandbox.PostAsync(Paths.RingFence, PortedBody(a.ServiceId, a.QualificationId, "01214960500", "01214960519"))).Code.Should().Be(201);

        var free = await sandbox.GetAsync(Verify("01214960520", "01214960529"));
        var held = await sandbox.GetAsync(Verify("01214960519", "01214960529"));
        var own = await sandbox.GetAsync(Verify("01214960519", "01214960529", a.ServiceId));
        var missing = await sandbox.GetAsync($"{Paths.Reseller}{SandboxHarness.Cug}/numbers?startNumber=01214960500");

        (free.Code, free.ErrorCode).Should().Be((404, "404"));
        held.Code.Should().Be(200);
        held.Json!.AsArray().Single()!["startNumber"]!.GetValue<string>().Should().Be("01214960500");
        own.Code.Should().Be(404, "the company's own numbers are not another company's");
        (missing.Code, missing.ErrorCode).Should().Be((400, "27"));
    }

    [Fact]
    public async Task A_ported_range_is_ordered_as_WHCPortednumber_and_only_so()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        (await sandbox.PostAsync(Paths.RingFence, PortedBody(serviceId, qualification, "01214960500", "01214960509"))).Code.Should().Be(201);
        var asNew = Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", "01214960500", "01214960509");

        var refused = await sandbox.PostAsync(Paths.Orders, asNew);

        (refused.Code, refused.ErrorCode).Should().Be((400, "29"), "a WHCNewnumber item cannot order a ported range");
        var order = Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com", "01214960500", "01214960509", externalId: "whcctl-ported",
            users: [Bodies.User("1.1.1", "jane.smith", "2001", "01214960500")]);
        order["productOrderItem"]![0]!["productOrderItem"]![0]!["productOffering"]!["id"] = "WHCPortednumber";
        await sandbox.SubmitAndCompleteAsync(order);
        var company = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!;
        var range = company["numberRanges"]!.AsArray().Single()!;
        (range["status"]!.GetValue<string>(), range["ported"]!.GetValue<bool>()).Should().Be(("ACTIVE", true));
        range["serviceId"]!.GetValue<string>().Should().StartWith("WHHNBTWKN");
        company["users"]!.AsArray().Single()!["directoryNumber"]!.GetValue<string>().Should().Be("01214960500");
    }
}
