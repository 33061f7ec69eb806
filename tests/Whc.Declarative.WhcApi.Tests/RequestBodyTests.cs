using System.Collections.Immutable;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>Each request body is exactly the JSON docs/whc-api.md describes.</summary>
public sealed class RequestBodyTests : ClientTestBase
{
    [Fact]
    public async Task Qualify_sends_the_guide_body_with_cug_billing_account_and_company_characteristics()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();

        await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);

        var request = Server.ApiRequests.Single();
        request.Header("Content-Type").Should().StartWith("application/json");
        request.Body.ShouldBeJson("""
            {
              "relatedParty": [ { "id": "CUG5019851064", "role": "customer", "@referredType": "BtCug" } ],
              "billingAccount": { "id": "GB12345678" },
              "productOfferingQualificationItem": [ {
                "id": "1",
                "productOffering": { "id": "WHCCompany" },
                "product": { "productCharacteristic": [
                  { "name": "customerName", "value": "TheFunNetwork" },
                  { "name": "customerDomain", "value": "thefunnetwork.com" },
                  { "name": "customerGroup", "value": "SWAINsTelecom" } ] } } ]
            }
            """);
    }

    [Fact]
    public async Task RingFence_sends_the_guide_body_with_the_qualifier_id()
    {
        Server.On("POST", Contract.RingFencePath, StubResponse.Json(201, Contract.RingFenced));
        var client = CreateClient();

        await client.RingFenceAsync(new RingFenceRequest(Contract.Cug, "0121", 10, "WHHCBTWKN1484", "QFW103255"), default);

        Server.ApiRequests.Single().Body.ShouldBeJson("""
            {
              "customer": { "id": "CUG5019851064", "type": "BUSINESS" },
              "numbers": { "quantity": 10, "characteristics": { "numberString": "0121" } },
              "product": { "name": "WHC" },
              "action": "RingFence",
              "ringFenceId": "WHHCBTWKN1484",
              "qualifierId": "QFW103255"
            }
            """);
    }

    [Fact]
    public async Task RingFence_leaves_out_the_qualifier_id_when_there_is_none()
    {
        Server.On("POST", Contract.RingFencePath, StubResponse.Json(201, Contract.RingFenced));
        var client = CreateClient();

        await client.RingFenceAsync(new RingFenceRequest(Contract.Cug, "0113", 5, "WHHCBTWKN1484", null), default);

        Server.ApiRequests.Single().Body.ShouldBeJson("""
            {
              "customer": { "id": "CUG5019851064", "type": "BUSINESS" },
              "numbers": { "quantity": 5, "characteristics": { "numberString": "0113" } },
              "product": { "name": "WHC" },
              "action": "RingFence",
              "ringFenceId": "WHHCBTWKN1484"
            }
            """);
    }

    [Fact]
    public async Task CreateAddress_sends_postcode_building_street_and_city()
    {
        Server.On("POST", Contract.AddressPath, StubResponse.Json(201, Contract.TemporaryAddress));
        var client = CreateClient();

        await client.CreateAddressAsync(new NewAddress("IP5 3RE", "Unit 7", "New Road", "Ipswich"), default);

        Server.ApiRequests.Single().Body.ShouldBeJson("""{"postcode":"IP5 3RE","buildingName":"Unit 7","streetName":"New Road","city":"Ipswich"}""");
    }

    [Fact]
    public async Task CreateOrder_sends_the_item_tree_nested_with_actions_service_ids_place_and_qualification()
    {
        Server.On("POST", Contract.OrderPath, StubResponse.Json(201, Contract.OrderCreated));
        var client = CreateClient();
        var user = new OrderItem(
            WhcProducts.User,
            OrderItemAction.Add,
            null,
            Chars(("directoryNumber", "01214960001"), ("extension", "2002"), ("firstName", "Raj"), ("lastName", "Patel"), ("licence", "standard"), ("macAddress", "001122AABBCE,001122AABBCF"), ("username", "raj.patel")),
            null,
            null,
            []);
        var changedUser = new OrderItem(WhcProducts.User, OrderItemAction.Modify, "WHHUBTWKN1492", Chars(("licence", "premium")), null, null, []);
        var site = new OrderItem(WhcProducts.Site, OrderItemAction.NoChange, "WHHSBTWKN1491", Chars(), null, null, [user, changedUser]);
        var newSite = new OrderItem(WhcProducts.Site, OrderItemAction.Add, null, Chars(("siteLocationCode", "LDS01"), ("siteName", "leeds")), "X05000455531", null, []);
        var ceasedNumbers = new OrderItem(WhcProducts.NewNumber, OrderItemAction.Delete, "WHHNBTWKN1490", Chars(), null, null, []);
        var root = new OrderItem(WhcProducts.Company, OrderItemAction.NoChange, "WHHCBTWKN1484", Chars(), null, "QFW103255", [ceasedNumbers, site, newSite]);

        await client.CreateOrderAsync(new OrderRequest("whcctl-6f0c", Contract.Cug, "GB12345678", root), default);

        Server.ApiRequests.Single().Body.ShouldBeJson("""
            {
              "externalId": "whcctl-6f0c",
              "relatedParty": [ { "id": "CUG5019851064", "role": "customer", "@referredType": "BtCug" } ],
              "billingAccount": { "id": "GB12345678" },
              "productOrderItem": [ {
                "id": "1", "action": "noChange", "productOffering": { "id": "WHCCompany" },
                "qualification": [ { "id": "QFW103255" } ],
                "product": { "id": "WHHCBTWKN1484", "productCharacteristic": [] },
                "productOrderItem": [
                  { "id": "2", "action": "delete", "productOffering": { "id": "WHCNewnumber" },
                    "product": { "id": "WHHNBTWKN1490", "productCharacteristic": [] }, "productOrderItem": [] },
                  { "id": "3", "action": "noChange", "productOffering": { "id": "WHCSite" },
                    "product": { "id": "WHHSBTWKN1491", "productCharacteristic": [] },
                    "productOrderItem": [
                      { "id": "4", "action": "add", "productOffering": { "id": "WHCUser" },
                        "product": { "productCharacteristic": [
                          { "name": "directoryNumber", "value": "01214960001" }, { "name": "extension", "value": "2002" },
                          { "name": "firstName", "value": "Raj" }, { "name": "lastName", "value": "Patel" },
                          { "name": "licence", "value": "standard" }, { "name": "macAddress", "value": "001122AABBCE,001122AABBCF" },
                          { "name": "username", "value": "raj.patel" } ] },
                        "productOrderItem": [] },
                      { "id": "5", "action": "modify", "productOffering": { "id": "WHCUser" },
                        "product": { "id": "WHHUBTWKN1492", "productCharacteristic": [ { "name": "licence", "value": "premium" } ] },
                        "productOrderItem": [] } ] },
                  { "id": "6", "action": "add", "productOffering": { "id": "WHCSite" },
                    "product": {
                      "place": [ { "id": "X05000455531", "role": "installationAddress", "@referredType": "GeographicAddress" } ],
                      "productCharacteristic": [ { "name": "siteLocationCode", "value": "LDS01" }, { "name": "siteName", "value": "leeds" } ] },
                    "productOrderItem": [] } ] } ]
            }
            """);
    }

    [Fact]
    public async Task SubmitOrder_sends_the_order_reference()
    {
        Server.On("POST", Contract.SubmitPath, StubResponse.Json(201, Contract.OrderSubmitted));
        var client = CreateClient();

        await client.SubmitOrderAsync("BTWKN1485", default);

        Server.ApiRequests.Single().Body.ShouldBeJson("""{"productOrder":{"id":"BTWKN1485","@referredType":"ProductOrder"}}""");
    }

    [Theory]
    [InlineData("company", "companyName=TheFunNetwork")]
    [InlineData("domain", "companyDomain=thefunnetwork.com")]
    [InlineData("site", "siteName=ipswich hq&companyServiceId=WHHCBTWKN1484")]
    [InlineData("user", "username=jane.smith")]
    [InlineData("extension", "extension=2001&companyServiceId=WHHCBTWKN1484")]
    public async Task IsTaken_calls_the_verify_route_of_the_check_with_its_query(string resource, string expectedQuery)
    {
        Server.On("GET", $"/bt-wholesale/v1/whc/resourceInventory/resellers/{Contract.Cug}/{resource}", StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();
        VerifyCheck check = resource switch
        {
            "company" => new VerifyCheck.CompanyName("TheFunNetwork"),
            "domain" => new VerifyCheck.CompanyDomain("thefunnetwork.com"),
            "site" => new VerifyCheck.SiteName("ipswich hq", "WHHCBTWKN1484"),
            "user" => new VerifyCheck.Username("jane.smith"),
            _ => new VerifyCheck.Extension("2001", "WHHCBTWKN1484"),
        };

        await client.IsTakenAsync(Contract.Cug, check, default);

        var request = Server.ApiRequests.Single();
        request.Method.Should().Be("GET");
        request.Path.Should().Be($"/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/{resource}");
        string.Join("&", request.Query.Select(q => $"{q.Key}={q.Value}")).Should().Be(expectedQuery);
    }

    [Fact]
    public async Task SearchAddresses_sends_the_postcode_and_the_ROBT_source()
    {
        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, Contract.Addresses));
        var client = CreateClient();

        await client.SearchAddressesAsync("IP5 3RE", default);

        Server.ApiRequests.Single().Query.Should().Equal(new Dictionary<string, string> { ["postcode"] = "IP5 3RE", ["addressSource"] = "ROBT" });
    }

    internal static ImmutableSortedDictionary<string, string> Chars(params (string Name, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
}
