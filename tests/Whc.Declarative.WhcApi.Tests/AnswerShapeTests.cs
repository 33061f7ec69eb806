using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 22, item 3 (fail closed on shape): every field whcctl reads from an answer, lists included, must be there with
/// the JSON kind it expects, or the read is WHC4016 naming the route and the field path. A missing list is never an
/// empty one: read as empty, a company whose lists BT names otherwise looks as if its sites were ceased, and a plan
/// re-creates them.
/// </summary>
public sealed class AnswerShapeTests : ClientTestBase
{
    private const string CompanyRoute = "GET /bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/company";

    [Fact]
    public async Task A_company_answer_with_its_lists_under_other_names_is_an_error_never_a_company_without_sites()
    {
        var renamed = JsonNode.Parse(Contract.Company)!.AsObject();
        renamed["ranges"] = renamed["numberRanges"]!.DeepClone();
        renamed["locations"] = renamed["sites"]!.DeepClone();
        renamed.Remove("numberRanges");
        renamed.Remove("sites");
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, renamed.ToJsonString()));

        var act = () => CreateClient().ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>("a company read without its ranges and sites would plan them anew")).Which;
        failure.ToDiagnostic().Code.Should().Be("WHC4016");
        failure.Status.Should().Be(200);
        failure.Message.Should().Contain(CompanyRoute).And.Contain("'numberRanges'").And.Contain("missing");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"serviceId":"WHHCBTWKN1485","cugId":"CUG5019851064"}]""")]
    public async Task A_company_answer_that_is_a_list_is_an_error_never_a_name_another_reseller_holds(string answer)
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, answer));

        var act = () => CreateClient().ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>("a list has no serviceId or cugId, and is no answer about another reseller")).Which;
        failure.ToDiagnostic().Code.Should().Be("WHC4016");
        failure.Message.Should().Contain(CompanyRoute).And.Contain("not an object");
    }

    [Fact]
    public async Task A_reader_refusal_quoting_an_answer_value_never_echoes_the_token()
    {
        // BT echoes the bearer token it was sent where a status belongs: the refusal quotes the value, redacted.
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, Apply(Contract.Company, """{"$.status": "token-1"}""")));

        var act = () => CreateClient().ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.ToDiagnostic().Code.Should().Be("WHC4016");
        failure.Message.Should().Contain("company status '***'").And.NotContainEquivalentOf("token-1");
    }

    public static TheoryData<string, string, string> BrokenCompanies => new()
    {
        { "no sites", """{"$.sites": null}""", "'sites'" },
        { "users not a list", """{"$.users": {"serviceId": "x"}}""", "'users'" },
        { "numberRanges a string", """{"$.numberRanges": "none"}""", "'numberRanges'" },
        { "a device list missing", """{"$.users[0].devices": null}""", "'users[0].devices'" },
        { "a site name as an object", """{"$.sites[0].siteName": {"value": "ipswich-hq"}}""", "'sites[0].siteName'" },
        { "a first name as a list", """{"$.users[0].firstName": ["Jane"]}""", "'users[0].firstName'" },
        { "ported as a word", """{"$.numberRanges[0].ported": "yes"}""", "'numberRanges[0].ported'" },
        { "a range that is not an object", """{"$.numberRanges[1]": "01134960000"}""", "'numberRanges[1]'" },
        { "a MAC address as a boolean", """{"$.users[0].devices[1].macAddress": true}""", "'users[0].devices[1].macAddress'" },
        { "a status as a number list", """{"$.status": [1]}""", "'status'" },
    };

    [Theory]
    [MemberData(nameof(BrokenCompanies))]
    public async Task A_company_field_missing_or_of_another_kind_is_named_by_its_path(string why, string change, string path)
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, Apply(Contract.Company, change)));

        var act = () => CreateClient().ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>(why)).Which;
        failure.ToDiagnostic().Code.Should().Be("WHC4016", why);
        failure.Message.Should().Contain(path, why).And.Contain(CompanyRoute, why);
    }

    [Fact]
    public async Task Empty_lists_and_the_optional_fields_BT_may_leave_out_are_read()
    {
        var company = JsonNode.Parse(Contract.Company)!.AsObject();
        company["numberRanges"] = new JsonArray();
        var user = company["users"]![0]!.AsObject();
        user.Remove("directoryNumber");
        user["licence"] = null;
        user["devices"] = new JsonArray();
        company["sites"]![0]!.AsObject().Remove("siteLocationCode");
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, company.ToJsonString()));

        var read = await CreateClient().ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        read!.NumberRanges.Should().BeEmpty();
        read.Sites.Should().ContainSingle().Which.LocationCode.Should().BeEmpty();
        read.Users.Should().ContainSingle().Which.DirectoryNumber.Should().BeNull();
    }

    [Fact]
    public async Task Our_own_company_without_its_service_id_is_an_error_not_another_resellers()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, Apply(Contract.Company, """{"$.serviceId": null}""")));

        var act = () => CreateClient().ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'serviceId'");
    }

    [Fact]
    public async Task A_company_listing_entry_with_a_field_of_another_kind_is_named()
    {
        Server.On("GET", "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/companies",
            StubResponse.Json(200, """[{"serviceId":"WHHCBTWKN1484","companyName":"A","status":"active"},{"serviceId":"WHHCBTWKN1485","companyName":{"name":"B"},"status":"active"}]"""));

        var act = () => CreateClient().ListCompaniesAsync(Contract.Cug, default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'[1].companyName'").And.Contain("/companies");
    }

    [Fact]
    public async Task An_order_list_entry_without_its_externalId_is_an_error_never_not_found()
    {
        // Read as "not ours", a renamed externalId would make every order look never created: ordered twice.
        Server.On("GET", Contract.OrderPath, StubResponse.Json(200, """[{"id":"BTWKN1485","reference":"whcctl-6f0c","state":"inProgress"}]"""));

        var act = () => CreateClient().FindOrderByExternalIdAsync("whcctl-6f0c", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.ToDiagnostic().Code.Should().Be("WHC4016");
        failure.Message.Should().Contain("'[0].externalId'");
    }

    [Fact]
    public async Task An_orders_failure_reason_and_unknown_state_never_carry_the_token_on()
    {
        // Texts BT writes that whcctl prints (an apply's failure, an order's state): redacted as they are read.
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(200, """{"id":"BTWKN1485","externalId":"x","state":"stuck-token-1","errorMessage":"refused Bearer token-1"}"""));

        var order = await CreateClient().ReadOrderAsync("BTWKN1485", default);

        order.FailureReason.Should().Be("refused Bearer ***");
        order.StateText.Should().Be("stuck-***");
    }

    [Fact]
    public async Task An_order_error_message_of_another_kind_is_an_error()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(200, """{"id":"BTWKN1485","externalId":"x","state":"failed","errorMessage":{"text":"duplicate"}}"""));

        var act = () => CreateClient().ReadOrderAsync("BTWKN1485", default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'errorMessage'").And.Contain("/productOrder/{orderId}");
    }

    [Fact]
    public async Task An_address_whose_sub_address_is_not_a_list_is_an_error_and_one_without_is_read()
    {
        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, Apply(Contract.Addresses, """{"$[0].geographicSubAddress": {"buildingName": "Adastral Park"}}""")));

        var act = () => CreateClient().SearchAddressesAsync("IP5 3RE", default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'[0].geographicSubAddress'");

        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, """[{"id":"X05000455530","postcode":"IP5 3RE","buildingName":"Adastral Park","streetName":"Main Road","city":"Ipswich"}]"""));
        (await CreateClient().SearchAddressesAsync("IP5 3RE", default)).Should().ContainSingle().Which.BuildingName.Should().Be("Adastral Park");
    }

    [Fact]
    public async Task A_qualification_whose_reasons_are_not_a_list_is_an_error()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Apply(Contract.Unqualified, """{"$.productOfferingQualificationItem[0].eligibilityUnavailabilityReason": {"code": "nameTaken"}}""")));

        var act = () => CreateClient().QualifyAsync(new QualificationRequest(Contract.Cug, "GB1", "TheFunNetwork", "fun.example", "G"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'productOfferingQualificationItem[0].eligibilityUnavailabilityReason'");
    }

    [Theory]
    [InlineData("{\"value\": \"WHHCBTWKN1484\"}")]
    [InlineData("\"WHHCBTWKN1484\"")]
    public async Task A_qualified_service_id_is_read_as_a_value_object_or_as_text(string serviceId)
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Apply(Contract.Qualified, $$"""{"$.productOfferingQualificationItem[0].product.serviceId": {{serviceId}}}""")));

        var result = await CreateClient().QualifyAsync(new QualificationRequest(Contract.Cug, "GB1", "TheFunNetwork", "fun.example", "G"), default);

        result.CompanyServiceId.Should().Be("WHHCBTWKN1484");
    }

    [Fact]
    public async Task A_qualified_service_id_as_a_list_is_an_error()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Apply(Contract.Qualified, """{"$.productOfferingQualificationItem[0].product.serviceId": ["WHHCBTWKN1484"]}""")));

        var act = () => CreateClient().QualifyAsync(new QualificationRequest(Contract.Cug, "GB1", "TheFunNetwork", "fun.example", "G"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'productOfferingQualificationItem[0].product.serviceId'");
    }

    [Fact]
    public async Task A_qualification_without_its_items_names_the_list()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, """{"id":"QFW103255","items":[]}"""));

        var act = () => CreateClient().QualifyAsync(new QualificationRequest(Contract.Cug, "GB1", "TheFunNetwork", "fun.example", "G"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("'productOfferingQualificationItem'").And.Contain("POST /bt-wholesale/v1/whc/productOfferingQualification");
    }

    /// <summary>
    /// The answer with each change applied: a JSON object of <c>$.a.b</c> or <c>$.a[0].b</c> (or <c>$[0].b</c>) paths to
    /// new values; a null value removes the member (or sets the element to null).
    /// </summary>
    private static string Apply(string answer, string changes)
    {
        var root = JsonNode.Parse(answer)!;
        foreach (var (path, value) in JsonNode.Parse(changes)!.AsObject())
        {
            var steps = path[1..].Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);
            var parent = root;
            foreach (var step in steps[..^1])
            {
                parent = step.StartsWith('[') ? parent[int.Parse(step[1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : parent[step]!;
            }

            var last = steps[^1];
            if (last.StartsWith('['))
            {
                parent.AsArray()[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = value?.DeepClone();
            }
            else if (value is null)
            {
                parent.AsObject().Remove(last);
            }
            else
            {
                parent[last] = value.DeepClone();
            }
        }

        return root.ToJsonString();
    }
}
