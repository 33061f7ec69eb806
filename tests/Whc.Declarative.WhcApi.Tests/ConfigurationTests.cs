using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

public sealed class ConfigurationTests : ClientTestBase
{
    [Theory]
    [InlineData(null, "sandbox", null)]
    [InlineData("", "sandbox", null)]
    [InlineData("Sandbox", "sandbox", null)]
    [InlineData("testa", "testa", "https://api-testa.business.bt.com/")]
    [InlineData("production", "production", "https://api.wholesale.bt.com/")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("https://gateway.example.test/whc/", "https://gateway.example.test/whc", "https://gateway.example.test/whc/")]
    public void Endpoint_resolves_presets_and_absolute_urls(string? value, string name, string? baseUri)
    {
        var endpoint = WhcEndpoint.Resolve(value);

        endpoint.Name.Value.Should().Be(name);
        endpoint.BaseUri?.AbsoluteUri.Should().Be(baseUri);
        endpoint.IsSandbox.Should().Be(baseUri is null);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("ftp://host")]
    [InlineData("/relative")]
    public void Endpoint_rejects_anything_else_with_WHC4002(string value)
    {
        var act = () => WhcEndpoint.Resolve(value);

        act.Should().Throw<WhcConfigurationException>().Which.Diagnostic.Code.Should().Be("WHC4002");
    }

    [Fact]
    public void Endpoint_with_user_info_is_rejected_without_echoing_it()
    {
        var act = () => WhcEndpoint.Resolve("https://me:hunter2@host.test");

        act.Should().Throw<WhcConfigurationException>().Which.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public void Credentials_are_read_from_the_environment()
    {
        var env = new Dictionary<string, string?> { ["WHC_CLIENT_ID"] = "abc", ["WHC_CLIENT_SECRET"] = "xyz" };

        WhcCredentials.FromEnvironment(env).Should().Be(new WhcCredentials("abc", "xyz"));
    }

    [Fact]
    public void A_missing_secret_is_reported_as_WHC4001_naming_the_variable_and_not_the_other_value()
    {
        var env = new Dictionary<string, string?> { ["WHC_CLIENT_ID"] = "my-client-id", ["WHC_CLIENT_SECRET"] = " " };

        var act = () => WhcCredentials.FromEnvironment(env);

        var diagnostic = act.Should().Throw<WhcConfigurationException>().Which.Diagnostic;
        diagnostic.Code.Should().Be("WHC4001");
        diagnostic.Message.Should().Contain("WHC_CLIENT_SECRET is not set").And.NotContain("WHC_CLIENT_ID").And.NotContain("my-client-id");
    }

    [Fact]
    public void Both_missing_credentials_are_named()
    {
        var act = () => WhcCredentials.FromEnvironment(new Dictionary<string, string?>());

        act.Should().Throw<WhcConfigurationException>().Which.Diagnostic.Message.Should().Contain("WHC_CLIENT_ID and WHC_CLIENT_SECRET are not set");
    }

    [Fact]
    public async Task Routes_overridden_from_a_file_are_the_paths_the_client_calls()
    {
        var contract = FromRoutesFile("""
            {
              // BT's test A uses other paths (comments are allowed)
              "verifyCompany": "/custom/resellers/{cugId}/companies",
              "productOrderById": "/custom/orders/{orderId}",
              "token": "/custom/oauth/token",
              "tokenMethod": "POST"
            }
            """);
        Server.On("GET", "/custom/resellers/CUG5019851064/companies", StubResponse.Json(200, Contract.Company));
        Server.On("POST", "/custom/oauth/token", StubResponse.Json(200, """{"accessToken":"t","tokenType":"BearerToken","expiresIn":899}"""));
        var client = CreateClient(o => o with { Contract = contract });

        var taken = await client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default);

        taken.Should().BeTrue();
        Server.Requests.Select(r => $"{r.Method} {r.Path}").Should().Equal("POST /custom/oauth/token", "GET /custom/resellers/CUG5019851064/companies");
        contract.Route(ContractRoutes.Qualify).Path.Should().Be(WhcContract.Default.Route(ContractRoutes.Qualify).Path);
    }

    private static WhcContract FromRoutesFile(string json)
    {
        var (overlay, problem) = LegacyRoutesFile.ToOverlay(json, "routes.json");
        problem.Should().BeNull();
        var load = ContractLoader.Load([overlay!]);
        load.Diagnostics.Should().BeEmpty();
        return load.Contract!;
    }

    [Fact]
    public void A_routes_file_with_an_unknown_key_is_WHC4004_listing_the_known_keys()
    {
        var diagnostic = LegacyRoutesFile.ToOverlay("""{"verifyCompanyName":"/x/{cugId}"}""", "routes.json").Problem!;

        diagnostic.Code.Should().Be("WHC4004");
        diagnostic.Span.File.Should().Be("routes.json");
        diagnostic.Message.Should().Contain("verifyCompanyName").And.Contain("verifyCompany,");
    }

    [Fact]
    public void A_route_without_its_placeholder_is_WHC4005()
    {
        LegacyRoutesFile.ToOverlay("""{"productOrderById":"/orders/id"}""", "routes.json").Problem!.Code.Should().Be("WHC4005");
    }

    [Theory]
    [InlineData("""{"qualify": 3}""")]
    [InlineData("""["/a"]""")]
    [InlineData("""{"qualify": """)]
    public void A_routes_file_that_is_not_an_object_of_strings_is_WHC4003(string json)
    {
        LegacyRoutesFile.ToOverlay(json, "routes.json").Problem!.Code.Should().Be("WHC4003");
    }

    [Fact]
    public async Task A_base_uri_with_a_path_prefix_is_kept_in_front_of_every_route()
    {
        Server.On("GET", "/prefix" + Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        Server.On("GET", "/prefix/oauth/accesstoken", StubResponse.Json(200, """{"accessToken":"t","tokenType":"BearerToken","expiresIn":899}"""));
        var client = CreateClient(o => o with { BaseUri = new Uri(Server.BaseUri, "/prefix/") });

        var company = await client.ReadCompanyAsync(Contract.Cug, "X", default);

        company.Should().BeNull();
        Server.Requests.Select(r => r.Path).Should().Equal("/prefix/oauth/accesstoken", "/prefix" + Contract.CompanyPath);
    }

    [Fact]
    public async Task A_shared_rate_limit_spaces_requests_of_all_calls_of_one_client()
    {
        Server.On("GET", $"/bt-wholesale/v1/whc/resourceInventory/resellers/{Contract.Cug}/user", StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient(o => o with { RequestsPerSecond = 20 });
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.IsTakenAsync(Contract.Cug, new VerifyCheck.Username($"u{i}"), default)));

        // 11 requests (token included) at 20/s need at least ~0.45 s; only a lower bound, which cannot flake.
        started.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(400));
        Server.Requests.Should().HaveCount(11);
    }

    [Theory]
    [InlineData("https://api.example/whc?api_key=PW-secret")]
    [InlineData("ftp://user:PW-secret@api.example/whc")]
    [InlineData("https://api.example/whc#PW-secret")]
    public void An_endpoint_that_is_refused_is_named_without_its_credentials(string endpoint)
    {
        var resolve = () => WhcEndpoint.Resolve(endpoint);

        resolve.Should().Throw<WhcConfigurationException>().Which.Diagnostic.Message.Should().NotContain("PW-secret").And.Contain("api.example");
    }
}
