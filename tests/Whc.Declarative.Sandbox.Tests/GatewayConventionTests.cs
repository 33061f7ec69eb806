using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class GatewayConventionTests
{
    public static TheoryData<string, string, string> EveryRoute => new()
    {
        { "GET", Paths.Company("Acme"), "" },
        { "GET", Paths.Reseller + SandboxHarness.Cug + "/domain?companyDomain=a.com", "" },
        { "GET", Paths.Reseller + SandboxHarness.Cug + "/site?siteName=a&companyServiceId=X", "" },
        { "GET", Paths.Reseller + SandboxHarness.Cug + "/user?username=a", "" },
        { "GET", Paths.Reseller + SandboxHarness.Cug + "/extension?extension=1&companyServiceId=X", "" },
        { "POST", Paths.Qualify, "{}" },
        { "POST", Paths.RingFence, "{}" },
        { "GET", Paths.Address + "?postcode=IP5%203RE", "" },
        { "POST", Paths.Address, "{}" },
        { "POST", Paths.Orders, "{}" },
        { "GET", Paths.Orders + "?externalId=x", "" },
        { "POST", Paths.Submit, "{}" },
        { "GET", Paths.Order("BTWKN1"), "" },
    };

    [Theory]
    [MemberData(nameof(EveryRoute))]
    public async Task Every_route_fakes_BT_errors_for_the_tracking_scenario_ids(string method, string path, string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var expected = new Dictionary<string, (int Status, string Code)>
        {
            ["E00101"] = (500, "01"), ["E00501"] = (503, "05"), ["E02901"] = (400, "29"), ["E06001"] = (404, "60"),
        };

        foreach (var (tracking, (status, code)) in expected)
        {
            var reply = await sandbox.SendAsync(new HttpMethod(method), path, body.Length == 0 ? null : JsonNode.Parse(body), tracking);
            (reply.Code, reply.ErrorCode).Should().Be((status, code), $"{method} {path} with {tracking}");
        }
    }

    [Fact]
    public async Task The_token_route_fakes_BT_errors_for_the_tracking_scenario_ids_too()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/oauth/accesstoken?grant_type=client_credentials");
        request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", "E00501");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + SandboxHarness.Basic("whcctl-sandbox", "sandbox-secret"));

        var reply = await SandboxHarness.ReadAsync(await sandbox.Http.SendAsync(request));

        (reply.Code, reply.ErrorCode).Should().Be((503, "05"));
    }

    [Fact]
    public async Task A_call_without_the_tracking_header_gets_400_25()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Company("Acme"), tracking: null);
        (reply.Code, reply.ErrorCode).Should().Be((400, "25"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task A_malformed_tracking_header_gets_400_26(string tracking)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Company("Acme"), tracking);
        (reply.Code, reply.ErrorCode).Should().Be((400, "26"));
    }

    [Fact]
    public async Task A_tracking_header_longer_than_255_characters_gets_400_26()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Company("Acme"), new string('a', 256));
        (reply.Code, reply.ErrorCode).Should().Be((400, "26"));
    }

    [Fact]
    public async Task An_unknown_route_gets_404_60_in_the_error_envelope()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync("/bt-wholesale/v1/whc/nothing-here");
        (reply.Code, reply.ErrorCode).Should().Be((404, "60"));
        reply.Json!["message"].Should().NotBeNull();
    }

    [Fact]
    public async Task A_known_route_with_the_wrong_method_gets_405_61()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.SendAsync(HttpMethod.Delete, Paths.Qualify);
        (reply.Code, reply.ErrorCode).Should().Be((405, "61"));
    }

    [Fact]
    public async Task A_call_without_a_bearer_token_gets_401_40()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.SendAsync(HttpMethod.Get, Paths.Company("Acme"), auth: false);
        (reply.Code, reply.ErrorCode).Should().Be((401, "40"));
    }

    [Fact]
    public async Task A_call_with_an_unknown_token_gets_401_41()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.SendAsync(HttpMethod.Get, Paths.Company("Acme"), token: "not-a-token");
        (reply.Code, reply.ErrorCode).Should().Be((401, "41"));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_400_29_with_errors()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Paths.Qualify) { Content = new StringContent("{nope", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", "t1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await sandbox.TokenAsync());

        var reply = await SandboxHarness.ReadAsync(await sandbox.Http.SendAsync(request));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task The_request_log_records_route_status_tracking_id_and_client_but_never_the_token()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.TokenAsync();
        await sandbox.GetAsync(Paths.Company("Acme"), tracking: "track-me-1");

        var log = await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/requests");

        var entry = log.Json!.AsArray().Last()!;
        entry["route"]!.GetValue<string>().Should().Be("readCompany");
        entry["status"]!.GetValue<int>().Should().Be(404);
        entry["trackingId"]!.GetValue<string>().Should().Be("track-me-1");
        entry["clientId"]!.GetValue<string>().Should().Be("whcctl-sandbox");
        entry["method"]!.GetValue<string>().Should().Be("GET");
        entry["durationMs"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
        log.Json.ToJsonString().Should().NotContain(token).And.NotContain("sandbox-secret");
    }

    [Fact]
    public async Task The_request_log_is_bounded()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { RequestLogCapacity = 3 });
        for (var i = 0; i < 5; i++)
        {
            await sandbox.GetAsync(Paths.Company("Acme"), tracking: $"t{i}");
        }

        sandbox.Server.Requests.Select(r => r.TrackingId).Should().Equal("t2", "t3", "t4");
    }
}
