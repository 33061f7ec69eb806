using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>Whatever a caller sends, the sandbox answers in BT's error shape and keeps working: a 400, never a 500.</summary>
public sealed class HostileInputTests
{
    public static TheoryData<string, string> EveryPostRoute => new()
    {
        { "api", Paths.Qualify },
        { "api", Paths.RingFence },
        { "api", Paths.Address },
        { "api", Paths.Orders },
        { "api", Paths.Submit },
        { "admin", "/_sandbox/faults" },
        { "admin", "/_sandbox/clock" },
        { "admin", "/_sandbox/tokens/revoke" },
        { "admin", "/_sandbox/outside/users/jane.smith" },
        { "admin", "/_sandbox/outside/companies/TheFunNetwork/cease" },
        { "admin", "/_sandbox/outside/orders/BTWKN1485/state" },
        { "admin", "/_sandbox/reset" },
    };

    [Theory]
    [MemberData(nameof(EveryPostRoute))]
    public async Task Malformed_JSON_is_refused_with_400_29_on_every_POST_route(string kind, string path)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();

        foreach (var body in new[]
                 {
                     """{"a":""", """{"a":1,"a":2}""", """{"relatedParty":[{"id":"x","id":"y"}]}""", "not json",
                     """{"postcode":"\ud800","productOrder":{"id":"\ud800"},"state":"\udc00"}""", """{"\ud800":1}""", """[{"a":["\ud83dx"]}]""",
                 })
        {
            var reply = kind == "api"
                ? await sandbox.SendRawAsync(HttpMethod.Post, path, body)
                : await sandbox.AdminAsync(HttpMethod.Post, path, body);

            (reply.Code, reply.ErrorCode).Should().Be((400, "29"), $"POST {path} with {body}: {reply.Json?.ToJsonString()}");
        }

        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().ContainSingle()
            .Which!["status"]!.GetValue<string>().Should().Be("active", "a refused call changes nothing");
    }

    public static TheoryData<string, string> WrongTypes => new()
    {
        { Paths.Qualify, "[]" },
        { Paths.Qualify, "\"a string\"" },
        { Paths.Qualify, "null" },
        { Paths.Qualify, """{"relatedParty":{"id":"CUG5019851064","role":"customer"}}""" },
        { Paths.Qualify, """{"relatedParty":[1,[2],"three"],"productOfferingQualificationItem":{"id":"1"}}""" },
        { Paths.RingFence, """{"customer":{"id":"CUG5019851064"},"numbers":{"quantity":"ten","characteristics":{"numberString":"0121"}},"product":{"name":"WHC"},"action":"RingFence","ringFenceId":"WHHCBTWKN1484"}""" },
        { Paths.RingFence, """{"customer":{"id":"CUG5019851064"},"numbers":{"quantity":99999999999999999999,"characteristics":{"numberString":"0121"}},"product":{"name":"WHC"},"action":"RingFence","ringFenceId":"WHHCBTWKN1484"}""" },
        { Paths.RingFence, """{"customer":{"id":"CUG5019851064"},"numbers":{"quantity":1e400,"characteristics":{"numberString":"0121"}},"product":{"name":"WHC"},"action":"RingFence","ringFenceId":"WHHCBTWKN1484"}""" },
        { Paths.RingFence, """{"customer":["CUG5019851064"],"numbers":[10]}""" },
        { Paths.Address, """{"postcode":12345}""" },
        { Paths.Orders, """{"relatedParty":[{"id":"CUG5019851064","role":"customer"}],"productOrderItem":{"id":"1"}}""" },
        { Paths.Orders, """{"relatedParty":[{"id":"CUG5019851064","role":"customer"}],"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"WHCFax"},"productOrderItem":[{"id":"1.1","action":"add","productOffering":{"id":"WHCSite"}}]}]}""" },
        { Paths.Orders, """{"relatedParty":[{"id":"CUG5019851064","role":"customer"}],"productOrderItem":[{"id":1,"action":["add"],"productOffering":"WHCCompany","product":[],"productOrderItem":"none"}]}""" },
        { Paths.Submit, """{"productOrder":["BTWKN1485"]}""" },
        { Paths.Submit, """{"productOrder":{"id":1485}}""" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_body_of_the_wrong_shape_is_a_400_in_BTs_error_shape(string path, string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.SendRawAsync(HttpMethod.Post, path, body);

        reply.Code.Should().Be(400, $"POST {path} with {body}: {reply.Json?.ToJsonString()}");
        reply.ErrorCode.Should().NotBeNull();
    }

    [Fact]
    public async Task Nesting_deeper_than_the_parser_allows_is_a_400_29()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var deep = new string('[', 10_000) + new string(']', 10_000);

        var reply = await sandbox.SendRawAsync(HttpMethod.Post, Paths.Orders, deep);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("admin")]
    public async Task A_body_larger_than_the_sandbox_accepts_is_a_400_29(string kind)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var huge = $$"""{"postcode":"IP5 3RE","buildingName":"{{new string('x', 31_000_000)}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, kind == "api" ? Paths.Address : "/_sandbox/outside/users/jane.smith")
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", "huge");
        request.Headers.Authorization = new("Bearer", await sandbox.TokenAsync());
        // The sandbox answers before reading the body; without 100-continue the client would still be sending it.
        request.Headers.ExpectContinue = true;

        var reply = await SandboxHarness.ReadAsync(await sandbox.Http.SendAsync(request));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Theory]
    [InlineData("""{"advance":"P99999999D"}""")]
    [InlineData("""{"advance":"P10000000D"}""")]
    [InlineData("""{"advance":"-P800000D"}""")]
    [InlineData("""{"set":"9999-12-31T23:59:59Z"}""")]
    [InlineData("""{"set":"0001-01-01T00:00:00+14:00"}""")]
    [InlineData("""{"set":"1969-12-31T23:59:59Z"}""")]
    public async Task A_clock_move_out_of_the_sandboxs_range_is_refused_with_400_29_and_the_clock_keeps_working(string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.AdminAsync(HttpMethod.Post, "/_sandbox/clock", body);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"), reply.Json?.ToJsonString());
        (await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/clock")).Json!["now"]!.GetValue<DateTimeOffset>().Should().Be(SandboxHarness.Start);
        (await sandbox.QualifyAsync()).Code.Should().Be(201);
    }

    [Fact]
    public async Task Advancing_a_clock_set_near_the_end_of_its_range_past_that_end_is_refused_with_400_29()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        (await sandbox.SetClockAsync("8999-12-31T23:59:00Z")).Code.Should().Be(200);

        var reply = await sandbox.AdvanceClockAsync("P1D");

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"), reply.Json?.ToJsonString());
        (await sandbox.QualifyAsync()).Code.Should().Be(201, "the clock still reads 8999-12-31T23:59:00Z");
    }

    [Theory]
    [InlineData("""{"errorRates":null}""")]
    [InlineData("""{"timeoutAfterCommitRates":null}""")]
    [InlineData("""{"script":null}""")]
    [InlineData("""{"script":[null]}""")]
    [InlineData("""{"latency":null,"rateLimit":null,"script":[{"route":null,"fault":null}]}""")]
    [InlineData("""{"latency":{"fixedMs":0,"jitterMs":2147483647}}""")]
    [InlineData("""{"latency":{"fixedMs":2147483647,"jitterMs":1}}""")]
    [InlineData("""{"errorRates":{"*":1e400}}""")]
    [InlineData("""{"tokenLifetimeSeconds":99999999999}""")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task A_hostile_fault_configuration_is_refused_with_400_29_and_calls_keep_working(string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.SetFaultsAsync(body);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"), reply.Json?.ToJsonString());
        (await sandbox.QualifyAsync()).Code.Should().Be(201);
    }

    [Fact]
    public async Task A_very_long_company_name_is_answered_without_a_500()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var name = new string('n', 1_000_000);

        var reply = await sandbox.QualifyAsync(name, "long.example");
        var read = await sandbox.GetAsync(Paths.Company("x") + "&companyName=" + new string('y', 60_000));

        reply.Code.Should().BeLessThan(500);
        read.Code.Should().BeLessThan(500);
    }

    [Fact]
    public async Task The_admin_API_refuses_a_body_of_the_wrong_shape_with_400_29()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        foreach (var (path, body) in new[]
                 {
                     ("/_sandbox/outside/users/jane.smith", "[1,2]"),
                     ("/_sandbox/outside/users/jane.smith", """{"lastName":5}"""),
                     ("/_sandbox/outside/orders/BTWKN1/state", """{"state":"failed","errorMessage":{"text":"x"}}"""),
                     ("/_sandbox/outside/orders/BTWKN1/state", """{"state":["failed"]}"""),
                     ("/_sandbox/clock", """{"advance":2}"""),
                     ("/_sandbox/clock", "[]"),
                 })
        {
            var reply = await sandbox.AdminAsync(HttpMethod.Post, path, body);
            (reply.Code, reply.ErrorCode).Should().Be((400, "29"), $"POST {path} {body}");
        }
    }
}
