using System.Collections.Immutable;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>The client secret and access tokens never reach logs or exception messages.</summary>
public sealed class SecretTests : ClientTestBase
{
    [Fact]
    public async Task Logs_of_a_whole_journey_with_retries_and_renewals_never_contain_the_secret_or_a_token()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(503, Contract.ServerError), StubResponse.Json(404, Contract.NotFound));
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(401, Contract.TokenExpired), StubResponse.Json(201, Contract.Qualified));
        Server.On("POST", Contract.OrderPath, StubResponse.Json(500, Contract.ServerError));
        var client = CreateClient();

        await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);
        await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);
        var act = () => client.CreateOrderAsync(
            new OrderRequest("whcctl-1", Contract.Cug, "GB1", new OrderItem(WhcProducts.Company, OrderItemAction.NoChange, "WHHCBTWKN1484", ImmutableSortedDictionary<string, string>.Empty, null, null, [])),
            default);
        await act.Should().ThrowAsync<WhcApiException>();

        Logs.Lines.Should().NotBeEmpty();
        Logs.All.Should().NotContain(StubServer.ClientSecret)
            .And.NotContain("token-1").And.NotContain("token-2")
            .And.NotContain("Basic ").And.NotContain("Bearer")
            .And.NotContain("TheFunNetwork", "query values stay out of logs");
    }

    [Fact]
    public async Task Each_request_is_logged_with_operation_method_route_status_and_tracking_id()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        var trackingId = Server.ApiRequests.Single().Header(WhcHttpSender.TrackingHeader);
        Logs.Lines.Should().Contain(line =>
            line.Contains("readCompany GET /bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/company -> 404")
            && line.Contains(trackingId!)
            && line.Contains("DurationMs="));
    }

    [Fact]
    public async Task An_error_message_echoing_the_secret_or_token_is_redacted()
    {
        Server.On("POST", Contract.SubmitPath, StubResponse.Json(400, $$"""{"code":"29","message":"bad request from {{StubServer.ClientSecret}} with token-1"}"""));
        var client = CreateClient();

        var act = () => client.SubmitOrderAsync("BTWKN1485", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Message.Should().NotContain(StubServer.ClientSecret).And.NotContain("token-1").And.Contain("***");
    }

    public static TheoryData<string, string> EchoedForms => new()
    {
        { "URL-encoded", Uri.EscapeDataString(StubServer.ClientSecret) },
        { "form-encoded", System.Net.WebUtility.UrlEncode(StubServer.ClientSecret) },
        { "upper-cased", StubServer.ClientSecret.ToUpperInvariant() },
        { "base64", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(StubServer.ClientSecret)) },
        { "the token upper-cased", "TOKEN-1" },
        { "the token base64", Convert.ToBase64String("token-1"u8.ToArray()) },
    };

    [Theory]
    [MemberData(nameof(EchoedForms))]
    public async Task A_secret_echoed_by_BT_in_another_form_is_redacted_too(string form, string echoed)
    {
        Server.On("POST", Contract.SubmitPath, StubResponse.Json(400, $$"""{"code":"29","message":"bad request from {{echoed}}"}"""));
        var client = CreateClient();

        var act = () => client.SubmitOrderAsync("BTWKN1485", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Message.Should().NotContain(echoed, form).And.Contain("***");
    }

    [Fact]
    public void Credentials_and_options_never_show_the_secret_when_printed()
    {
        var credentials = new WhcCredentials("id-1", StubServer.ClientSecret);
        var options = new WhcClientOptions { BaseUri = new Uri("https://example.test"), Credentials = credentials };

        credentials.ToString().Should().Contain("id-1").And.NotContain(StubServer.ClientSecret);
        options.ToString().Should().NotContain(StubServer.ClientSecret);
    }
}
