using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// As at BT, a client is bound to its reseller CUG(s): a call for another CUG gets 403/51, and another CUG's orders
/// look unknown. A client without CUGs (the default) is unbound and may act for any.
/// </summary>
public sealed class CugBindingTests
{
    private const string ThirdCug = "CUG1234567890";
    private const string BoundId = "reseller-a";
    private const string BoundSecret = "reseller-a-secret";

    /// <summary>The default client unbound (to set things up anywhere) and <see cref="BoundId"/> bound to <see cref="SandboxHarness.Cug"/>.</summary>
    private static Task<SandboxHarness> StartWithBoundClientAsync(params string[] cugs) => SandboxHarness.StartAsync(new SandboxOptions
    {
        Clients = [SandboxOptions.DefaultClient, new SandboxClient(BoundId, BoundSecret) { Cugs = cugs.Length == 0 ? [SandboxHarness.Cug] : cugs }],
    });

    [Fact]
    public async Task A_bound_client_acts_for_its_own_CUG_through_the_whole_journey()
    {
        // The harness's journey runs as the default client; bound here, it proves every route lets a bound client through.
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { Clients = [SandboxOptions.DefaultClient with { Cugs = [SandboxHarness.Cug] }] });

        var company = await sandbox.ActiveCompanyAsync();

        foreach (var path in new[]
                 {
                     Paths.Company("TheFunNetwork"),
                     Paths.Reseller + SandboxHarness.Cug + "/companies",
                     Paths.Reseller + SandboxHarness.Cug + "/domain?companyDomain=thefunnetwork.com",
                     Paths.Reseller + SandboxHarness.Cug + $"/site?siteName=ipswich-hq&companyServiceId={company.ServiceId}",
                     Paths.Reseller + SandboxHarness.Cug + "/user?username=jane.smith",
                     Paths.Reseller + SandboxHarness.Cug + $"/extension?extension=2001&companyServiceId={company.ServiceId}",
                     Paths.Orders + "?externalId=whcctl-test-1",
                 })
        {
            var reply = await sandbox.GetAsync(path);
            reply.Code.Should().Be(200, $"GET {path}: {reply.Json?.ToJsonString()}");
        }

        (await sandbox.GetAsync(Paths.Orders + "?externalId=whcctl-test-1")).Json!.AsArray().Should().ContainSingle();
    }

    public static TheoryData<string, string, string> EveryCugScopedRoute => new()
    {
        { SandboxRoutes.ReadCompany, "GET", Paths.Company("TheFunNetwork", SandboxHarness.OtherCug) },
        { SandboxRoutes.ListCompanies, "GET", Paths.Reseller + SandboxHarness.OtherCug + "/companies" },
        { SandboxRoutes.VerifyDomain, "GET", Paths.Reseller + SandboxHarness.OtherCug + "/domain?companyDomain=thefunnetwork.com" },
        { SandboxRoutes.VerifySite, "GET", Paths.Reseller + SandboxHarness.OtherCug + "/site?siteName=ipswich-hq&companyServiceId=WHHCBTWKN1484" },
        { SandboxRoutes.VerifyUser, "GET", Paths.Reseller + SandboxHarness.OtherCug + "/user?username=jane.smith" },
        { SandboxRoutes.VerifyExtension, "GET", Paths.Reseller + SandboxHarness.OtherCug + "/extension?extension=2001&companyServiceId=WHHCBTWKN1484" },
        { SandboxRoutes.VerifyNumbers, "GET", Paths.Reseller + SandboxHarness.OtherCug + "/numbers?startNumber=01214960000&endNumber=01214960009" },
        { SandboxRoutes.Qualify, "POST", Paths.Qualify },
        { SandboxRoutes.RingFence, "POST", Paths.RingFence },
        { SandboxRoutes.CreateOrder, "POST", Paths.Orders },
    };

    [Theory]
    [MemberData(nameof(EveryCugScopedRoute))]
    public async Task A_bound_client_calling_for_another_CUG_gets_403_51_and_nothing_happens(string route, string method, string path)
    {
        await using var sandbox = await StartWithBoundClientAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync("Other", "other.example", SandboxHarness.OtherCug);
        var before = (await sandbox.InventoryAsync()).ToJsonString();
        var token = await sandbox.TokenForAsync(BoundId, BoundSecret);
        JsonNode? body = route switch
        {
            SandboxRoutes.Qualify => Bodies.Qualify("Fresh", "fresh.example", SandboxHarness.OtherCug),
            SandboxRoutes.RingFence => Bodies.RingFence(serviceId, qualification, 10, cug: SandboxHarness.OtherCug),
            SandboxRoutes.CreateOrder => Bodies.NewCompanyOrder(qualification, "Other", "other.example", "01214960000", "01214960009", SandboxHarness.OtherCug),
            _ => null,
        };

        var reply = await sandbox.SendAsync(new HttpMethod(method), path, body, token: token);

        (reply.Code, reply.ErrorCode).Should().Be((403, "51"), $"{route}: {reply.Json?.ToJsonString()}");
        reply.Json!["message"]!.GetValue<string>().Should().Contain(SandboxHarness.OtherCug);
        (await sandbox.InventoryAsync()).ToJsonString().Should().Be(before, "a refused call changes nothing");
        sandbox.Server.Requests[^1].Status.Should().Be(403, "the refusal is in the request log");
    }

    [Fact]
    public async Task A_bound_client_cannot_read_submit_or_list_another_CUGs_order_which_looks_unknown()
    {
        await using var sandbox = await StartWithBoundClientAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync("Other", "other.example", SandboxHarness.OtherCug);
        var range = (await sandbox.RingFenceAsync(serviceId, qualification, 10, cug: SandboxHarness.OtherCug)).Json!["numberRange"]!;
        var order = Bodies.NewCompanyOrder(qualification, "Other", "other.example", range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>(), SandboxHarness.OtherCug, externalId: "other-1");
        var orderId = (await sandbox.PostAsync(Paths.Orders, order)).Json!["id"]!.GetValue<string>();
        var token = await sandbox.TokenForAsync(BoundId, BoundSecret);

        var read = await sandbox.SendAsync(HttpMethod.Get, Paths.Order(orderId), token: token);
        var unknown = await sandbox.SendAsync(HttpMethod.Get, Paths.Order("BTWKN999999"), token: token);
        var submit = await sandbox.SendAsync(HttpMethod.Post, Paths.Submit, Bodies.Submit(orderId), token: token);
        var list = await sandbox.SendAsync(HttpMethod.Get, Paths.Orders + "?externalId=other-1", token: token);

        (read.Code, read.ErrorCode).Should().Be((unknown.Code, unknown.ErrorCode)).And.Be((404, "60"));
        read.Json!["message"]!.GetValue<string>().Should().Be($"Order {orderId} not found", "worded as for an unknown order");
        (submit.Code, submit.ErrorCode).Should().Be((404, "60"));
        list.Json!.AsArray().Should().BeEmpty("as for an external id nobody used");
        var unbound = await sandbox.GetAsync(Paths.Order(orderId));
        unbound.Json!["state"]!.GetValue<string>().Should().Be("pending", "the bound client's submit did nothing");
        (await sandbox.GetAsync(Paths.Orders + "?externalId=other-1")).Json!.AsArray().Should().ContainSingle("the unbound default client sees every CUG's orders");
    }

    [Fact]
    public async Task A_client_bound_to_two_CUGs_acts_for_both_and_no_third()
    {
        await using var sandbox = await StartWithBoundClientAsync(SandboxHarness.Cug, SandboxHarness.OtherCug);
        var token = await sandbox.TokenForAsync(BoundId, BoundSecret);

        var first = await sandbox.SendAsync(HttpMethod.Post, Paths.Qualify, Bodies.Qualify("First", "first.example", SandboxHarness.Cug), token: token);
        var second = await sandbox.SendAsync(HttpMethod.Post, Paths.Qualify, Bodies.Qualify("Second", "second.example", SandboxHarness.OtherCug), token: token);
        var third = await sandbox.SendAsync(HttpMethod.Post, Paths.Qualify, Bodies.Qualify("Third", "third.example", ThirdCug), token: token);

        first.Code.Should().Be(201);
        second.Code.Should().Be(201);
        (third.Code, third.ErrorCode).Should().Be((403, "51"));
    }

    [Fact]
    public async Task The_unbound_default_client_acts_for_any_CUG()
    {
        await using var sandbox = await StartWithBoundClientAsync();

        (await sandbox.QualifyAsync("First", "first.example", SandboxHarness.Cug)).Code.Should().Be(201);
        (await sandbox.QualifyAsync("Second", "second.example", SandboxHarness.OtherCug)).Code.Should().Be(201);
        (await sandbox.GetAsync(Paths.Reseller + ThirdCug + "/companies")).Code.Should().Be(200);
    }

    [Fact]
    public async Task Address_routes_are_not_CUG_scoped()
    {
        await using var sandbox = await StartWithBoundClientAsync();
        var token = await sandbox.TokenForAsync(BoundId, BoundSecret);

        (await sandbox.SendAsync(HttpMethod.Get, Paths.Address + "?postcode=IP5%203RE", token: token)).Code.Should().Be(200);
        (await sandbox.SendAsync(HttpMethod.Post, Paths.Address, new JsonObject { ["postcode"] = "IP5 3RE", ["streetName"] = "Main Road" }, token: token)).Code.Should().Be(201);
    }

    [Fact]
    public async Task A_bound_client_whose_body_names_no_CUG_gets_the_schema_error_not_403()
    {
        await using var sandbox = await StartWithBoundClientAsync();
        var token = await sandbox.TokenForAsync(BoundId, BoundSecret);

        var reply = await sandbox.SendAsync(HttpMethod.Post, Paths.Qualify, new JsonObject(), token: token);

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Theory]
    [InlineData("CUG123")]
    [InlineData("cug5019851064")]
    [InlineData("CUG50198510640")]
    [InlineData("CUG5019851064\n")]
    [InlineData("")]
    public async Task A_client_bound_to_something_that_is_not_a_CUG_id_is_refused_at_start(string cug)
    {
        var options = new SandboxOptions { Clients = [new SandboxClient("ci", "ci-secret") { Cugs = [cug] }] };

        var act = () => SandboxServer.StartAsync(options, CancellationToken.None);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("client 'ci'").And.Contain("CUG followed by 10 digits");
    }
}
