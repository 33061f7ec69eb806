using System.Text.Json.Nodes;

namespace Whc.Declarative.Contract.Tests;

public sealed class WireTranslatorTests
{
    private static WireTranslator With(string json)
    {
        var (overlay, _) = ContractLoader.ParseOverlay(json, "contract.json");
        var load = ContractLoader.Load([overlay!]);
        load.Diagnostics.Should().BeEmpty();
        return new WireTranslator(load.Contract!);
    }

    private const string Order = """
        {
          "externalId": "acme-1",
          "state": "inProgress",
          "relatedParty": [ { "id": "CUG5019851064", "role": "customer", "@referredType": "BtCug" } ],
          "productOrderItem": [ {
            "id": "1", "action": "add", "state": "inProgress",
            "productOffering": { "id": "WHCCompany" },
            "product": { "productCharacteristic": [ { "name": "customerName", "value": "Acme" }, { "name": "resellerRef", "value": "r-1" } ] },
            "productOrderItem": [ {
              "id": "2", "action": "add", "state": "completed",
              "productOffering": { "id": "WHCSite" },
              "product": {
                "place": [ { "id": "X05000455530", "role": "installationAddress", "@referredType": "GeographicAddress" } ],
                "productCharacteristic": [ { "name": "siteName", "value": "hq" }, { "name": "siteLocationCode", "value": "HQ1" } ]
              },
              "productOrderItem": []
            } ]
          } ]
        }
        """;

    [Fact]
    public void The_default_contract_leaves_bodies_as_whcctl_writes_them()
    {
        var translator = new WireTranslator(WhcContract.Default);

        translator.ChangesRequests(ContractRoutes.CreateOrder).Should().BeFalse();
        translator.ChangesResponses(ContractRoutes.ReadOrder).Should().BeFalse();
        translator.ChangesResponses(ContractRoutes.ReadCompany).Should().BeFalse();
        translator.ChangesErrors.Should().BeFalse();
        translator.RequestToWire(ContractRoutes.CreateOrder, JsonNode.Parse(Order))!.ToJsonString().Should().Be(JsonNode.Parse(Order)!.ToJsonString());
    }

    [Fact]
    public void Renamed_names_reach_every_item_of_an_order_and_come_back()
    {
        var translator = With("""
            {
              "productOfferings": { "site": "WHC-SITE" },
              "characteristics": { "site": { "siteLocationCode": "locationCode" }, "company": { "customerName": "companyName" } },
              "roles": { "installationAddress": "siteAddress" },
              "orderStates": { "inProgress": null, "IN_PROGRESS": "inProgress" }
            }
            """);

        var wire = translator.ResponseToWire(ContractRoutes.ReadOrder, JsonNode.Parse(Order))!;

        wire["state"]!.GetValue<string>().Should().Be("IN_PROGRESS");
        var company = wire["productOrderItem"]![0]!;
        company["state"]!.GetValue<string>().Should().Be("IN_PROGRESS");
        company["product"]!["productCharacteristic"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().Equal("companyName", "resellerRef");
        var site = company["productOrderItem"]![0]!;
        site["productOffering"]!["id"]!.GetValue<string>().Should().Be("WHC-SITE");
        site["product"]!["place"]![0]!["role"]!.GetValue<string>().Should().Be("siteAddress");
        site["product"]!["productCharacteristic"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().Equal("siteName", "locationCode");
        wire["relatedParty"]![0]!["role"]!.GetValue<string>().Should().Be("customer");

        translator.ResponseFromWire(ContractRoutes.ReadOrder, wire)!.ToJsonString().Should().Be(JsonNode.Parse(Order)!.ToJsonString());
    }

    [Fact]
    public void A_state_BT_names_that_the_contract_does_not_map_is_left_as_BT_wrote_it()
    {
        var translator = With("""{ "orderStates": { "IN_PROGRESS": "inProgress" } }""");

        var read = translator.ResponseFromWire(ContractRoutes.ReadOrder, JsonNode.Parse("""{ "id": "o1", "state": "awaitingEngineer" }"""))!;

        read["state"]!.GetValue<string>().Should().Be("awaitingEngineer");
    }

    [Fact]
    public void The_guides_servicelid_is_read_as_the_service_id()
    {
        var translator = new WireTranslator(WhcContract.Default);
        var answer = JsonNode.Parse("""{ "id": "Q1", "productOfferingQualificationItem": [ { "product": { "servicelid": { "value": "WHHCBTWKN1484" } } } ] }""");

        var read = translator.ResponseFromWire(ContractRoutes.Qualify, answer)!;

        read["productOfferingQualificationItem"]![0]!["product"]!["serviceId"]!["value"]!.GetValue<string>().Should().Be("WHHCBTWKN1484");
    }

    [Fact]
    public void A_field_map_moves_a_field_inside_each_list_element_both_ways()
    {
        var translator = With("""{ "routes": { "listCompanies": { "response": { "[].serviceId": "[].ids.service" } } } }""");
        var canonical = """[{"serviceId":"S1","companyName":"A"},{"serviceId":"S2","companyName":"B"}]""";

        var wire = translator.ResponseToWire(ContractRoutes.ListCompanies, JsonNode.Parse(canonical))!;

        wire.ToJsonString().Should().Be("""[{"companyName":"A","ids":{"service":"S1"}},{"companyName":"B","ids":{"service":"S2"}}]""");
        translator.ResponseFromWire(ContractRoutes.ListCompanies, wire)!.AsArray().Select(c => c!["serviceId"]!.GetValue<string>()).Should().Equal("S1", "S2");
    }

    [Fact]
    public void The_error_envelope_is_read_under_the_names_BT_uses()
    {
        var translator = With("""{ "errorEnvelope": { "fields": { "code": ["errorCode", "code"], "message": "description" } } }""");

        var read = translator.ErrorFromWire(JsonNode.Parse("""{ "errorCode": "404", "description": "No data found" }"""))!;

        read["code"]!.GetValue<string>().Should().Be("404");
        read["message"]!.GetValue<string>().Should().Be("No data found");
    }
}
