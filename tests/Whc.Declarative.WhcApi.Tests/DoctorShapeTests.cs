using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 22, item 3: <c>whcctl doctor</c> checks each route's answer as the client reads it (field by field, lists
/// included), probes every route the engine reads (the order by id and the company by name included), and says
/// "differs" for a redirect or a page that is not JSON, never "ok".
/// </summary>
public sealed class DoctorShapeTests : ClientTestBase
{
    private const string Reseller = "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064";
    private const string Listing = """[{"serviceId":"WHHCBTWKN1484","companyName":"TheFunNetwork","status":"active"}]""";

    /// <summary>A BT that answers every probe as documented: "no data" for made-up values, a listed company, an address.</summary>
    private void AnswerAsBt(string? company = null, string listing = Listing)
    {
        // The made-up name first, then the listed company.
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound), StubResponse.Json(200, company ?? Contract.Company));
        foreach (var verify in new[] { "domain", "site", "user", "extension", "numbers" })
        {
            Server.On("GET", $"{Reseller}/{verify}", StubResponse.Json(404, Contract.NotFound));
        }

        Server.On("GET", $"{Reseller}/companies", StubResponse.Json(200, listing));
        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, Contract.Addresses));
        Server.On("GET", Contract.OrderPath, StubResponse.Json(404, Contract.NotFound));
        // The order by id: the stub answers a made-up id 404/60, as BT's guide has it for an unknown order.
    }

    private async Task<DoctorCheck> RowAsync(string name)
    {
        var checks = await WhcDoctor.RunAsync(CreateClient(), Contract.Cug, default);
        return checks.Should().ContainSingle(c => c.Name == name, string.Join("\n", checks)).Subject;
    }

    [Fact]
    public async Task Against_an_endpoint_answering_as_documented_every_route_is_ok_the_order_and_the_listed_company_included()
    {
        AnswerAsBt();

        var checks = await WhcDoctor.RunAsync(CreateClient(), Contract.Cug, default);

        checks.Select(c => c.Name).Should().Equal(
            "token", "read company", "verify domain", "verify site", "verify user", "verify extension", "verify numbers",
            "list companies", "read listed company", "search addresses", "find order", "read order");
        checks.Should().OnlyContain(c => c.Result == DoctorResult.Ok, string.Join("\n", checks));
        Server.ApiRequests.Should().OnlyContain(r => r.Method == "GET");
        Server.ApiRequests.Should().Contain(r => r.Path.StartsWith(Contract.OrderPath + "/whcctl-doctor-", StringComparison.Ordinal));
        Server.ApiRequests.Where(r => r.Path == Contract.CompanyPath).Select(r => r.Query["companyName"]).Should().Contain("TheFunNetwork");
    }

    [Fact]
    public async Task A_company_answer_with_its_lists_under_other_names_differs_and_names_the_field()
    {
        var renamed = JsonNode.Parse(Contract.Company)!.AsObject();
        renamed["ranges"] = renamed["numberRanges"]!.DeepClone();
        renamed["locations"] = renamed["sites"]!.DeepClone();
        renamed.Remove("numberRanges");
        renamed.Remove("sites");
        AnswerAsBt(company: renamed.ToJsonString());

        var row = await RowAsync("read listed company");

        row.Result.Should().Be(DoctorResult.Differs);
        row.Route.Should().EndWith("/{cugId}/company");
        row.Detail.Should().Contain("'numberRanges'").And.Contain("missing");
    }

    [Fact]
    public async Task A_listing_whose_entries_name_their_fields_otherwise_differs()
    {
        AnswerAsBt(listing: """[{"serviceId":"WHHCBTWKN1484","name":"TheFunNetwork","status":"active"}]""");

        var row = await RowAsync("list companies");

        row.Result.Should().Be(DoctorResult.Differs);
        row.Detail.Should().Contain("'[0].companyName'");
    }

    [Fact]
    public async Task An_empty_listing_is_ok_and_says_the_company_answer_could_not_be_checked()
    {
        AnswerAsBt(listing: "[]");

        var checks = await WhcDoctor.RunAsync(CreateClient(), Contract.Cug, default);

        checks.Should().NotContain(c => c.Name == "read listed company");
        checks.Single(c => c.Name == "list companies").Detail.Should().Contain("not checked");
    }

    [Fact]
    public async Task An_address_answer_of_another_shape_differs()
    {
        AnswerAsBt();
        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, """[{"nadKey":"X05000455530","postcode":"IP5 3RE"}]"""));

        var row = await RowAsync("search addresses");

        row.Result.Should().Be(DoctorResult.Differs);
        row.Detail.Should().Contain("'[0].id'");
    }

    [Theory]
    [InlineData("verify user", Reseller + "/user", 200)]
    [InlineData("search addresses", Contract.AddressPath, 200)]
    [InlineData("read company", Contract.CompanyPath, 200)]
    public async Task An_HTML_page_differs_as_not_JSON(string name, string path, int status)
    {
        AnswerAsBt();
        Server.On("GET", path, new StubResponse(status, "<!DOCTYPE html><html><body>Sign in</body></html>", new Dictionary<string, string> { ["Content-Type"] = "text/html" }));

        var row = await RowAsync(name);

        row.Result.Should().Be(DoctorResult.Differs);
        row.Detail.Should().StartWith("not JSON");
    }

    [Fact]
    public async Task A_redirect_the_client_does_not_follow_differs_as_a_redirect()
    {
        AnswerAsBt();
        Server.On("GET", Reseller + "/domain", new StubResponse(302));

        var row = await RowAsync("verify domain");

        row.Result.Should().Be(DoctorResult.Differs);
        row.Detail.Should().StartWith("redirect");
    }

    [Fact]
    public async Task A_redirect_on_the_token_route_differs_as_a_redirect()
    {
        Server.On("GET", "/oauth/accesstoken", new StubResponse(307));

        var checks = await WhcDoctor.RunAsync(CreateClient(), Contract.Cug, default);

        var token = checks.Should().ContainSingle().Subject;
        token.Result.Should().Be(DoctorResult.Differs);
        token.Detail.Should().StartWith("redirect");
    }

    [Fact]
    public async Task An_empty_body_where_an_answer_is_expected_differs_as_not_JSON()
    {
        AnswerAsBt();
        Server.On("GET", Contract.AddressPath, new StubResponse(200));

        var row = await RowAsync("search addresses");

        row.Result.Should().Be(DoctorResult.Differs);
        row.Detail.Should().StartWith("not JSON").And.Contain("empty body");
    }

    [Fact]
    public void A_refused_redirect_differs_as_a_redirect_naming_the_host()
    {
        var refused = new WhcApiException(WhcFailureKind.Redirected, 302, null, "checking username 'x': BT answered 302 redirecting to catcher.invalid; whcctl follows no redirect", null);

        var (result, detail) = WhcDoctor.Judge(refused);

        result.Should().Be(DoctorResult.Differs);
        detail.Should().StartWith("redirect").And.Contain("catcher.invalid");
    }

    // Seen failing on this branch alone (doctor said "ok": the sender followed the 302 and the catcher's "no data" was
    // read as BT's); it passes with the sender of issue 22 item 1, which refuses every redirect (WhcFailureKind.Redirected).
    [Fact]
    public async Task A_redirect_to_another_port_differs_and_nothing_reaches_the_other_host()
    {
        await using var catcher = await Catcher.StartAsync();
        AnswerAsBt();
        Server.On("GET", Reseller + "/user", new StubResponse(302, null, new Dictionary<string, string> { ["Location"] = catcher.Url + "user" }));

        var row = await RowAsync("verify user");

        row.Result.Should().Be(DoctorResult.Differs);
        row.Detail.Should().StartWith("redirect").And.Contain("127.0.0.1");
        catcher.Hits.Should().Be(0);
    }

    /// <summary>Another server on 127.0.0.1 that answers BT's "no data" to anything, and counts what reaches it.</summary>
    private sealed class Catcher : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int hits;

        private Catcher(WebApplication app) => this.app = app;

        public string Url { get; private set; } = string.Empty;

        public int Hits => Volatile.Read(ref hits);

        public static async Task<Catcher> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var catcher = new Catcher(app);
            app.Run(async context =>
            {
                Interlocked.Increment(ref catcher.hits);
                context.Response.StatusCode = 404;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(Contract.NotFound);
            });
            await app.StartAsync();
            catcher.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
            return catcher;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
