using System.Text.Json.Nodes;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 17: the ported ringfence's body is assumed, so it lives in the contract like the rest: the default shape,
/// and names an override moves; the inventory's ported mark; the verify route for numbers.
/// </summary>
public sealed class PortedRangeClientTests : ClientTestBase
{
    private static readonly RingFenceRequest Ported =
        new(Contract.Cug, string.Empty, 20, "WHHCBTWKN1484", "QFW103255") { Ported = new PortedRange("01214960500", "01214960519") };

    [Fact]
    public async Task A_ported_ringfence_sends_the_guides_body_with_the_ranges_ends_instead_of_an_area_code()
    {
        Server.On("POST", Contract.RingFencePath, StubResponse.Json(201, Contract.RingFenced));
        var client = CreateClient();

        await client.RingFenceAsync(Ported, default);

        Server.ApiRequests.Single().Body.ShouldBeJson("""
            {
              "customer": { "id": "CUG5019851064", "type": "BUSINESS" },
              "numbers": { "quantity": 20, "characteristics": { "startNumber": "01214960500", "endNumber": "01214960519" } },
              "product": { "name": "WHC" },
              "action": "RingFence",
              "ringFenceId": "WHHCBTWKN1484",
              "qualifierId": "QFW103255"
            }
            """);
    }

    [Fact]
    public async Task The_contract_can_put_the_ranges_ends_where_BT_wants_them()
    {
        Server.On("POST", Contract.RingFencePath, StubResponse.Json(201, Contract.RingFenced));
        var load = ContractLoader.Load([ContractLoader.ParseOverlay("""
            { "routes": { "ringFence": { "request": {
                "numbers.characteristics.startNumber": "portedRange.from",
                "numbers.characteristics.endNumber": "portedRange.to" } } } }
            """, "contract.json").Overlay!]);
        load.Diagnostics.Should().BeEmpty();
        var client = CreateClient(o => o with { Contract = load.Contract! });

        await client.RingFenceAsync(Ported, default);

        var body = JsonNode.Parse(Server.ApiRequests.Single().Body)!;
        (body["portedRange"]!["from"]!.GetValue<string>(), body["portedRange"]!["to"]!.GetValue<string>()).Should().Be(("01214960500", "01214960519"));
        body["numbers"]!["characteristics"]!.AsObject().Should().BeEmpty();
    }

    [Fact]
    public async Task A_range_BT_marks_ported_is_read_as_ported_and_others_are_not()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, """
            { "serviceId": "WHHCBTWKN1484", "companyName": "TheFunNetwork", "companyDomain": "thefunnetwork.com", "customerGroup": "G",
              "cugId": "CUG5019851064", "status": "active",
              "numberRanges": [
                { "areaCode": "0121", "startNumber": "01214960500", "endNumber": "01214960519", "status": "ACTIVE", "serviceId": "WHHNBTWKN1490", "ported": true },
                { "areaCode": "0121", "startNumber": "01214960000", "endNumber": "01214960009", "status": "RINGFENCED" } ],
              "sites": [], "users": [] }
            """));
        var client = CreateClient();

        var company = await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        company!.NumberRanges.Select(r => (r.StartNumber, r.Ported)).Should().Equal(("01214960500", true), ("01214960000", false));
    }

    [Fact]
    public async Task Verify_numbers_asks_for_the_range_and_whose_numbers_not_to_count()
    {
        var path = "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/numbers";
        Server.On("GET", path, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        var taken = await client.IsTakenAsync(Contract.Cug, new VerifyCheck.NumberRange("01214960500", "01214960519", "WHHCBTWKN1484"), default);

        taken.Should().BeFalse();
        Server.ApiRequests.Single().Query.Should().Contain("startNumber", "01214960500").And.Contain("endNumber", "01214960519").And.Contain("companyServiceId", "WHHCBTWKN1484");
    }
}
