using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

public sealed class TokenTests : ClientTestBase
{
    private static readonly VerifyCheck Check = new VerifyCheck.CompanyName("TheFunNetwork");

    [Fact]
    public async Task Should_fetch_a_token_with_basic_auth_and_client_credentials_grant_by_GET_before_the_first_call()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        await client.IsTakenAsync(Contract.Cug, Check, default);

        var token = Server.TokenRequests.Should().ContainSingle().Subject;
        token.Method.Should().Be("GET");
        token.Query.Should().Contain("grant_type", "client_credentials");
        token.Header("Authorization").Should().Be(
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{StubServer.ClientId}:{StubServer.ClientSecret}")));
        Server.ApiRequests.Single().Header("Authorization").Should().Be("Bearer token-1");
    }

    [Fact]
    public async Task Should_accept_a_snake_case_token_response()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        Server.SnakeCaseToken = true;
        var client = CreateClient();

        await client.IsTakenAsync(Contract.Cug, Check, default);

        Server.ApiRequests.Single().Header("Authorization").Should().Be("Bearer token-1");
    }

    [Fact]
    public async Task Should_use_POST_for_the_token_when_the_routes_say_so()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var post = ContractLoader.Load([new ContractOverlay(new JsonObject { ["routes"] = new JsonObject { ["token"] = new JsonObject { ["method"] = "POST" } } }, "test")]).Contract!;
        var client = CreateClient(o => o with { Contract = post });

        await client.IsTakenAsync(Contract.Cug, Check, default);

        Server.TokenRequests.Single().Method.Should().Be("POST");
    }

    [Fact]
    public async Task Should_reuse_the_cached_token_while_it_is_fresh()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await client.IsTakenAsync(Contract.Cug, Check, default);
            Clock.Now += TimeSpan.FromMinutes(4);
        }

        Server.TokenRequests.Should().ContainSingle();
        Server.ApiRequests.Select(r => r.Header("Authorization")).Should().AllBe("Bearer token-1");
    }

    [Fact]
    public async Task Should_renew_the_token_before_it_expires_when_less_than_ten_percent_remains()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();
        await client.IsTakenAsync(Contract.Cug, Check, default);

        Clock.Now += TimeSpan.FromSeconds(899 - 80);
        await client.IsTakenAsync(Contract.Cug, Check, default);

        Server.TokenRequests.Should().HaveCount(2);
        Server.ApiRequests[1].Header("Authorization").Should().Be("Bearer token-2");
    }

    [Fact]
    public async Task Should_renew_the_token_once_and_repeat_even_a_POST_when_BT_answers_401_code_42()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(401, Contract.TokenExpired), StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();

        var result = await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);

        result.Id.Should().Be("QFW103255");
        Server.TokenRequests.Should().HaveCount(2);
        Server.ApiRequests.Select(r => r.Header("Authorization")).Should().Equal("Bearer token-1", "Bearer token-2");
    }

    [Fact]
    public async Task Should_not_renew_more_than_once_per_call_when_BT_keeps_answering_401_code_42()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(401, Contract.TokenExpired));
        var client = CreateClient();

        var act = () => client.IsTakenAsync(Contract.Cug, Check, default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Kind.Should().Be(WhcFailureKind.Unauthorized);
        Server.TokenRequests.Should().HaveCount(2);
        Server.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Should_share_one_token_fetch_between_concurrent_callers()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.IsTakenAsync(Contract.Cug, Check, default)));

        Server.TokenRequests.Should().ContainSingle();
        Server.ApiRequests.Should().HaveCount(12);
    }

    [Fact]
    public async Task Should_report_refused_credentials_as_unauthorized_naming_the_client_id_but_not_the_secret()
    {
        var client = CreateClient(o => o with { Credentials = new WhcCredentials(StubServer.ClientId, "wrong-secret-value") });

        var act = () => client.IsTakenAsync(Contract.Cug, Check, default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.Unauthorized);
        failure.BtCode.Should().Be("41");
        failure.Message.Should().Contain(StubServer.ClientId).And.NotContain("wrong-secret-value");
        Server.ApiRequests.Should().BeEmpty();
    }
}
