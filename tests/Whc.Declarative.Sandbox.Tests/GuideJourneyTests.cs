using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>BT's Provide Order User Guide, steps 1-7, over HTTP with the guide's own example bodies.</summary>
public sealed class GuideJourneyTests
{
    [Fact]
    public async Task The_guide_seven_steps_answer_with_the_guide_status_codes_and_shapes()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        // Step 1: token, GET with Basic auth and the guide's headers.
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "/oauth/accesstoken?grant_type=client_credentials");
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", SandboxHarness.Basic("whcctl-sandbox", "sandbox-secret"));
        tokenRequest.Content = new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded");
        var token = await SandboxHarness.ReadAsync(await sandbox.Http.SendAsync(tokenRequest));
        token.Code.Should().Be(200);
        token.Json!.AsObject().Select(p => p.Key).Should().Equal("accessToken", "tokenType", "expiresIn");
        token.Json["tokenType"]!.GetValue<string>().Should().Be("BearerToken");
        token.Json["expiresIn"]!.GetValue<int>().Should().Be(899);
        var bearer = token.Json["accessToken"]!.GetValue<string>();

        // Step 2: verify TheFunNetwork -> 404 No data found.
        var verify = await sandbox.SendAsync(HttpMethod.Get, "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/company?companyName=TheFunNetwork", tracking: "abc", token: bearer);
        verify.Code.Should().Be(404);
        JsonNode.DeepEquals(verify.Json, JsonNode.Parse("""{"code":"404","message":"No data found"}""")).Should().BeTrue(verify.Json!.ToJsonString());

        // Step 3: qualify -> 201 with the guide's shape.
        var qualify = await sandbox.SendAsync(HttpMethod.Post, Paths.Qualify, Bodies.Qualify("TheFunNetwork", "TheFunNetwork.com"), tracking: "ABC", token: bearer);
        qualify.Code.Should().Be(201);
        var q = qualify.Json!;
        q["id"]!.GetValue<string>().Should().Be("QFW103255");
        var item = q["productOfferingQualificationItem"]![0]!;
        item["id"]!.GetValue<string>().Should().Be("QFW103255-1");
        item["qualificationItemResult"]!.GetValue<string>().Should().Be("Qualified");
        item["product"]!["serviceId"]!["value"]!.GetValue<string>().Should().Be("WHHCBTWKN1484");
        item["product"]!["place"]!.AsArray().Should().BeEmpty();
        item["product"]!["productCharacteristic"]!.AsArray().Select(c => $"{c!["name"]}={c["value"]}").Should().Equal(
            "customerName=TheFunNetwork", "customerDomain=TheFunNetwork.com", "customerGroup=SWAINsTelecom", "networkType=BT");
        JsonNode.DeepEquals(item["productOffering"], JsonNode.Parse("""{"id":"WHCCompany","name":"WHC Hosted Communications"}""")).Should().BeTrue();
        item["productOfferingQualificationItem"]!.AsArray().Should().BeEmpty();
        JsonNode.DeepEquals(q["relatedParty"], JsonNode.Parse("""[{"id":"CUG5019851064","role":"customer","@referredType":"BtCug"}]""")).Should().BeTrue();

        // Step 4: ringfence with the guide's body -> 201 with the guide's shape.
        var ringFence = await sandbox.SendAsync(HttpMethod.Post, Paths.RingFence, JsonNode.Parse("""
            {
              "customer": { "id": "CUG5019851064", "type": "BUSINESS" },
              "numbers": { "quantity": 1, "characteristics": { "numberString": "0121" } },
              "product": { "name": "WHC" },
              "action": "RingFence",
              "ringFenceId": "WHHCBTWKN1484",
              "qualifierId": "QFW103255"
            }
            """), tracking: "ABC", token: bearer);
        ringFence.Code.Should().Be(201);
        JsonNode.DeepEquals(ringFence.Json, JsonNode.Parse("""
            {"action":"Ringfence","numberRange":{"startNumber":"01214960000","endNumber":"01214960000"},"ringFenceId":"WHHCBTWKN1484","status":"RINGFENCED"}
            """)).Should().BeTrue(ringFence.Json!.ToJsonString());

        // Step 5: address search IP5 3RE -> the NAD key of Adastral Park.
        var address = await sandbox.SendAsync(HttpMethod.Get, Paths.Address + "?postcode=IP5%203RE&addressSource=ROBT", tracking: "ABC", token: bearer);
        address.Code.Should().Be(200);
        address.Json!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Should().Contain("X05000455530");
        address.Json[0]!["geographicSubAddress"]![0]!["buildingName"]!.GetValue<string>().Should().Be("Adastral Park");

        // Step 6: create order -> 201 {id, @referredType}.
        var order = Bodies.NewCompanyOrder("QFW103255", "TheFunNetwork", "TheFunNetwork.com", "01214960000", "01214960000",
            users: [Bodies.User("1.1.1", "jane.smith", "2001", "01214960000")]);
        var created = await sandbox.SendAsync(HttpMethod.Post, Paths.Orders, order, tracking: "3dd57ffe-f884-4f85-ae5c-7f2b4f596ee0", token: bearer);
        created.Code.Should().Be(201, created.Json?.ToJsonString());
        JsonNode.DeepEquals(created.Json, JsonNode.Parse("""{"id":"BTWKN1485","@referredType":"ProductOrder"}""")).Should().BeTrue(created.Json!.ToJsonString());

        // Step 7: submit with the guide's body -> 201 echo.
        var submit = await sandbox.SendAsync(HttpMethod.Post, Paths.Submit, JsonNode.Parse("""{ "productOrder": { "id": "BTWKN1485", "@referredType": "ProductOrder" } }"""),
            tracking: "3dd57ffe-f884-4f85-ae5c-7f2b4f596ee0", token: bearer);
        submit.Code.Should().Be(201);
        JsonNode.DeepEquals(submit.Json, JsonNode.Parse("""{"id":"BTWKN1485","productOrder":{"id":"BTWKN1485","@referredType":"ProductOrder"}}""")).Should().BeTrue(submit.Json!.ToJsonString());
    }

    [Fact]
    public async Task After_the_journey_the_order_completes_and_the_company_reads_back_with_its_site_user_and_numbers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();

        var read = await sandbox.GetAsync(Paths.Company("TheFunNetwork"));

        read.Code.Should().Be(200);
        read.Json!["status"]!.GetValue<string>().Should().Be("active");
        read.Json["serviceId"]!.GetValue<string>().Should().Be(company.ServiceId);
        read.Json["numberRanges"]![0]!["status"]!.GetValue<string>().Should().Be("ACTIVE");
        read.Json["numberRanges"]![0]!["serviceId"]!.GetValue<string>().Should().StartWith("WHHNBTWKN");
        read.Json["sites"]![0]!["nadKey"]!.GetValue<string>().Should().Be("X05000455530");
        read.Json["users"]![0]!["username"]!.GetValue<string>().Should().Be("jane.smith");
        read.Json["users"]![0]!["siteServiceId"]!.GetValue<string>().Should().Be(company.SiteServiceId);
    }
}
