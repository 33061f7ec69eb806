using System.Text.Json.Nodes;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>Issue 15: the client speaks whatever the contract says, and fails closed on what it does not say.</summary>
public sealed class ContractClientTests : ClientTestBase
{
    private static WhcContract With(string json)
    {
        var load = ContractLoader.Load([ContractLoader.ParseOverlay(json, "contract.json").Overlay!]);
        load.Diagnostics.Should().BeEmpty();
        return load.Contract!;
    }

    [Fact]
    public async Task The_no_data_answer_is_the_one_the_contract_describes_under_its_field_names()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, """{"errorCode":"NO_DATA","reason":"nothing found"}"""));
        var client = CreateClient(o => o with { Contract = With("""{ "errorEnvelope": { "fields": { "code": "errorCode" }, "noData": { "code": "NO_DATA" } } }""") });

        var taken = await client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default);

        taken.Should().BeFalse();
    }

    [Fact]
    public async Task The_guides_no_data_answer_is_an_error_when_the_contract_says_BT_answers_otherwise()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient(o => o with { Contract = With("""{ "errorEnvelope": { "noData": { "code": "NO_DATA" } } }""") });

        var act = () => client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("not BT's 'no data' answer");
    }

    [Fact]
    public async Task A_2xx_the_route_does_not_list_is_not_taken_for_success()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(202, "{}"));
        var client = CreateClient();

        var act = () => client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Status.Should().Be(202);
    }

    [Fact]
    public async Task Query_names_and_fixed_parameters_come_from_the_contract()
    {
        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, Contract.Addresses));
        var client = CreateClient(o => o with { Contract = With("""{ "routes": { "searchAddress": { "query": { "postcode": "postCode" }, "queryValues": { "addressSource": null, "source": "NAD" } } } }""") });

        await client.SearchAddressesAsync("IP5 3RE", default);

        var query = Server.ApiRequests.Single().Query;
        query.Should().Contain("postCode", "IP5 3RE").And.Contain("source", "NAD").And.NotContainKey("addressSource").And.NotContainKey("postcode");
    }

    [Fact]
    public async Task An_absolute_route_is_called_as_it_is_whatever_the_base_url()
    {
        Server.On("GET", "/gam/v2/addresses", StubResponse.Json(200, Contract.Addresses));
        var routes = new JsonObject
        {
            ["searchAddress"] = new JsonObject { ["path"] = new Uri(Server.BaseUri, "/gam/v2/addresses").AbsoluteUri },
            ["token"] = new JsonObject { ["path"] = new Uri(Server.BaseUri, "/oauth/accesstoken").AbsoluteUri },
        };
        var client = CreateClient(o => o with { BaseUri = new Uri(Server.BaseUri, "/elsewhere/"), Contract = With(new JsonObject { ["routes"] = routes }.ToJsonString()) });

        var addresses = await client.SearchAddressesAsync("IP5 3RE", default);

        addresses.Should().NotBeEmpty();
        Server.ApiRequests.Single().Path.Should().Be("/gam/v2/addresses");
    }

    [Fact]
    public async Task A_reason_without_a_message_still_reaches_the_error()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(400, """{"code":"29","reason":"companyName too long"}"""));
        var client = CreateClient();

        var act = () => client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("(code 29): companyName too long");
    }
}
