using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Contract.Tests;

/// <summary>
/// Issue 22: a contract file renames what BT calls things; it never weakens what whcctl concludes from an answer.
/// Each refusal is WHC4008 naming the file and the field, every problem of a file at once.
/// </summary>
public sealed class ContractInvariantTests
{
    private static ContractLoad Load(string json, string source = "contract.json")
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, source);
        problem.Should().BeNull();
        return ContractLoader.Load([overlay!]);
    }

    private static void ShouldRefuse(ContractLoad load, string field, string reason)
    {
        load.Succeeded.Should().BeFalse();
        var diagnostic = load.Diagnostics.Should().ContainSingle().Which;
        diagnostic.Code.Should().Be("WHC4008");
        diagnostic.Span.File.Should().Be("contract.json");
        diagnostic.Message.Should().StartWith(field + ":").And.Contain(reason);
    }

    // ---- "No data" is BT's 404, never an error or an answer ----

    [Theory]
    [InlineData(503)] // a plan would read every outage as "the company was ceased at BT" and order it again
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(400)]
    [InlineData(410)]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(302)]
    public void No_data_is_only_a_404(int status)
    {
        var load = Load($$"""{ "errorEnvelope": { "noData": { "status": {{status}} } } }""");

        ShouldRefuse(load, "errorEnvelope.noData.status", "must be 404");
    }

    [Theory]
    [InlineData("60")]
    [InlineData(" 60")]
    public void No_data_is_never_the_gateways_route_not_found_code(string code)
    {
        var load = Load($$"""{ "errorEnvelope": { "noData": { "code": "{{code}}" } } }""");

        ShouldRefuse(load, "errorEnvelope.noData.code", "60");
    }

    [Fact]
    public void No_data_may_carry_BTs_own_code()
    {
        var load = Load("""{ "errorEnvelope": { "noData": { "status": 404, "code": "NO_DATA" } } }""");

        load.Diagnostics.Should().BeEmpty();
        load.Contract!.ErrorEnvelope.NoDataCode.Should().Be("NO_DATA");
    }

    // ---- A failure is never read as a success ----

    [Theory]
    [InlineData("failed", "completed")]
    [InlineData("FAILED", "completed")]
    [InlineData("Failed", "inProgress")]
    [InlineData("rejected", "acknowledged")]
    [InlineData("REJECTED", "completed")]
    [InlineData("cancelled", "completed")]
    [InlineData("CANCELED", "completed")]
    [InlineData("cancelled", "held")]
    [InlineData("partial", "completed")]
    [InlineData("PARTIALLY_COMPLETED", "completed")]
    [InlineData("orderFailed", "inProgress")]
    [InlineData("ERROR", "pending")]
    [InlineData("Aborted", "completed")]
    [InlineData("DECLINED", "acknowledged")]
    [InlineData("failed", "pendingCancellation")]
    [InlineData("NOT_COMPLETED", "completed")]
    [InlineData("Not Completed", "completed")]
    [InlineData("INCOMPLETE", "completed")]
    [InlineData("fail-ed", "completed")]
    [InlineData("COMPLETED_WITH_ERRORS", "completed")]
    public void A_word_for_a_failure_cannot_map_to_a_success_or_progress_state(string word, string state)
    {
        var load = Load($$"""{ "orderStates": { "{{word}}": "{{state}}" } }""");

        ShouldRefuse(load, $"orderStates.{word}", "failure");
    }

    [Theory]
    [InlineData("FAILED", "failed")]
    [InlineData("Rejected", "failed")]
    [InlineData("CANCELED", "cancelled")]
    [InlineData("CANCELLATION_PENDING", "pendingCancellation")]
    [InlineData("PARTIALLY_COMPLETED", "partial")]
    [InlineData("DONE", "completed")]
    [InlineData("InFlight", "inProgress")]
    public void A_word_may_be_renamed_to_a_state_of_the_same_meaning(string word, string state)
    {
        var load = Load($$"""{ "orderStates": { "{{word}}": "{{state}}" } }""");

        load.Diagnostics.Should().BeEmpty();
        load.Contract!.OrderStates[word].Should().Be(state);
    }

    // ---- Success is 2xx ----

    [Theory]
    [InlineData("[301]")]
    [InlineData("[404]")]
    [InlineData("[500]")]
    [InlineData("[200, 503]")]
    [InlineData("[\"200\"]")]
    public void Success_is_only_2xx(string statuses)
    {
        var load = Load($$"""{ "routes": { "readCompany": { "success": {{statuses}} } } }""");

        ShouldRefuse(load, "routes.readCompany.success", "2xx");
    }

    // ---- Every route keeps what whcctl fills in ----

    public static TheoryData<string, string> RoutesWithPlaceholders() => new()
    {
        { ContractRoutes.ReadCompany, "{cugId}" },
        { ContractRoutes.ListCompanies, "{cugId}" },
        { ContractRoutes.VerifyDomain, "{cugId}" },
        { ContractRoutes.VerifySite, "{cugId}" },
        { ContractRoutes.VerifyUser, "{cugId}" },
        { ContractRoutes.VerifyExtension, "{cugId}" },
        { ContractRoutes.VerifyNumbers, "{cugId}" },
        { ContractRoutes.ReadOrder, "{orderId}" },
    };

    [Theory]
    [MemberData(nameof(RoutesWithPlaceholders))]
    public void A_route_keeps_its_placeholder(string route, string placeholder)
    {
        var load = Load($$"""{ "routes": { "{{route}}": { "path": "/moved/elsewhere" } } }""");

        ShouldRefuse(load, $"routes.{route}.path", $"placeholder {placeholder}");
    }

    [Fact]
    public void A_route_cannot_be_removed_nor_its_path()
    {
        var load = Load("""{ "routes": { "readOrder": null, "readCompany": { "path": null } } }""");

        load.Succeeded.Should().BeFalse();
        load.Diagnostics.Select(d => d.Code).Should().OnlyContain(c => c == "WHC4008");
        load.Diagnostics.Select(d => d.Message).Should().Contain(m => m.StartsWith("routes.readOrder:", StringComparison.Ordinal))
            .And.Contain(m => m.StartsWith("routes.readCompany.path:", StringComparison.Ordinal));
    }

    // ---- A field map must be able to match what whcctl reads ----

    [Theory]
    [InlineData("readCompany", "response", "sites.siteName", "sites.name", "sites is a list")]
    [InlineData("readCompany", "response", "users[].devices.macAddress", "users[].devices.mac", "devices is a list")]
    [InlineData("readCompany", "response", "status.code", "state", "status is a value")]
    [InlineData("readCompany", "response", "[].serviceId", "[].id", "is an object")]
    [InlineData("listCompanies", "response", "serviceId", "id", "is a list")]
    [InlineData("searchAddress", "response", "postcode", "postCode", "is a list")]
    [InlineData("listOrders", "response", "state", "status", "is a list")]
    [InlineData("readOrder", "response", "[].state", "[].status", "is an object")]
    [InlineData("ringFence", "response", "numberRange[].startNumber", "numberRange[].start", "numberRange is an object")]
    [InlineData("qualify", "response", "productOfferingQualificationItem.product.serviceId", "productOfferingQualificationItem.product.svcId", "productOfferingQualificationItem is a list")]
    [InlineData("createOrder", "request", "productOrderItem[].productOrderItem.id", "productOrderItem[].productOrderItem.ref", "productOrderItem is a list")]
    [InlineData("readCompany", "request", "companyName", "name", "sends no body")]
    [InlineData("token", "request", "clientId", "client_id", "sends no body")]
    public void A_field_map_that_can_never_match_is_refused(string route, string part, string field, string wire, string reason)
    {
        var load = Load($$"""{ "routes": { "{{route}}": { "{{part}}": { "{{field}}": "{{wire}}" } } } }""");

        ShouldRefuse(load, $"routes.{route}.{part}.{field}", reason);
    }

    [Theory]
    [InlineData("readCompany", "response", "numberRanges", "ranges")]
    [InlineData("readCompany", "response", "sites[].siteName", "sites[].name")]
    [InlineData("readCompany", "response", "users[].devices[].macAddress", "users[].devices[].mac")]
    [InlineData("listCompanies", "response", "[].serviceId", "[].ids.service")]
    [InlineData("qualify", "response", "productOfferingQualificationItem[].product.serviceId.value", "productOfferingQualificationItem[].product.sid.value")]
    [InlineData("createOrder", "request", "productOrderItem[].productOrderItem[].product.id", "productOrderItem[].productOrderItem[].product.ref")]
    [InlineData("ringFence", "request", "numbers.characteristics.startNumber", "portedRange.from")]
    [InlineData("readOrder", "response", "unusedByWhcctl.x", "y")]
    public void A_field_map_that_fits_what_whcctl_reads_is_taken(string route, string part, string field, string wire)
    {
        var load = Load($$"""{ "routes": { "{{route}}": { "{{part}}": { "{{field}}": "{{wire}}" } } } }""");

        load.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Two_roles_cannot_share_one_name_on_the_wire()
    {
        var load = Load("""{ "roles": { "customer": "installationAddress" } }""");

        ShouldRefuse(load, "roles", "its own name");
    }

    [Theory]
    [InlineData("""{ "numbers.characteristics.startNumber": "ringFenceId" }""", "routes.ringFence.request.numbers.characteristics.startNumber", "whcctl's own field")]
    [InlineData("""{ "numbers.characteristics.startNumber": "numbers.quantity" }""", "routes.ringFence.request.numbers.characteristics.startNumber", "whcctl's own field")]
    [InlineData("""{ "numbers.characteristics.startNumber": "range.from", "numbers.characteristics.endNumber": "range.from" }""", "routes.ringFence.request", "range.from")]
    public void A_request_map_cannot_write_over_another_field_whcctl_sends(string map, string field, string reason)
    {
        var load = Load($$"""{ "routes": { "ringFence": { "request": {{map}} } } }""");

        ShouldRefuse(load, field, reason);
    }

    [Fact]
    public void A_request_map_cannot_swap_two_fields_whcctl_sends()
    {
        // Fields move one after the other, so the second would carry the first one's value.
        var load = Load("""{ "routes": { "ringFence": { "request": { "ringFenceId": "qualifierId", "qualifierId": "ringFenceId" } } } }""");

        load.Succeeded.Should().BeFalse();
        load.Diagnostics.Should().HaveCount(2).And.OnlyContain(d => d.Code == "WHC4008" && d.Message.Contains("whcctl's own field"));
    }

    [Fact]
    public void A_request_map_may_move_a_field_where_whcctl_sends_nothing()
    {
        var load = Load("""{ "routes": { "ringFence": { "request": { "numbers.characteristics.startNumber": "numbers.range.from" } } } }""");

        load.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{ "unusedByWhcctl": "numberRanges" }""", "routes.readCompany.response.unusedByWhcctl", "whcctl's own field")]
    [InlineData("""{ "companyDomain": "sites" }""", "routes.readCompany.response.companyDomain", "whcctl's own field")]
    [InlineData("""{ "sites[].nadKey": "sites[].serviceId" }""", "routes.readCompany.response.sites[].nadKey", "whcctl's own field")]
    [InlineData("""{ "companyName": "name", "companyDomain": ["domain", "name"] }""", "routes.readCompany.response", "'name'")]
    public void An_answer_map_cannot_take_a_field_whcctl_reads_for_another(string map, string field, string reason)
    {
        // Taken, the other field would be missing: a list read as empty would plan to re-create what exists.
        var load = Load($$"""{ "routes": { "readCompany": { "response": {{map}} } } }""");

        ShouldRefuse(load, field, reason);
    }

    [Fact]
    public void An_answer_map_may_read_a_field_from_a_name_whcctl_does_not_read()
    {
        var load = Load("""{ "routes": { "readCompany": { "response": { "serviceId": "id", "sites": ["siteList", "locations"] } } } }""");

        load.Diagnostics.Should().BeEmpty();
    }

    // ---- Every problem at once ----

    [Fact]
    public void Unknown_names_and_unusable_values_are_reported_together()
    {
        var load = Load("""
            {
              "routes": { "deleteCompany": {}, "readOrder": { "path": "/orders/id" } },
              "roles": { "owner": "x" },
              "orderStates": { "FAILED": "completed" },
              "errorEnvelope": { "noData": { "status": 503 } }
            }
            """);

        load.Succeeded.Should().BeFalse();
        load.Diagnostics.Select(d => (d.Code, d.Message.Split(':')[0])).Should().BeEquivalentTo(new[]
        {
            ("WHC4007", "routes.deleteCompany"),
            ("WHC4007", "roles.owner"),
            ("WHC4008", "routes.readOrder.path"),
            ("WHC4008", "orderStates.FAILED"),
            ("WHC4008", "errorEnvelope.noData.status"),
        });
        load.Diagnostics.Should().OnlyContain(d => d.Span.File == "contract.json");
    }

    [Fact]
    public void A_part_that_is_not_an_object_is_reported_once_not_again_for_each_route()
    {
        var load = Load("""{ "routes": 5, "roles": { "owner": "x" } }""");

        load.Diagnostics.Select(d => (d.Code, d.Message.Split(':')[0])).Should().BeEquivalentTo(new[]
        {
            ("WHC4008", "routes"),
            ("WHC4007", "roles.owner"),
        });
    }

    // ---- Duplicate keys are a positioned error ----

    [Theory]
    [InlineData("{ \"orderStates\": {}, \"orderStates\": {} }", 1)]
    [InlineData("{\n  \"orderStates\": {\n    \"DONE\": \"failed\",\n    \"DONE\": \"completed\"\n  }\n}", 4)]
    [InlineData("{\n  \"routes\": {\n    \"readOrder\": { \"path\": \"/a/{orderId}\" },\n    \"qualify\": { \"success\": [200], \"success\": [201] }\n  }\n}", 4)]
    public void A_key_given_twice_is_WHC4006_at_its_line(string json, int line)
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, "contract.json");

        overlay.Should().BeNull();
        problem!.Code.Should().Be("WHC4006");
        problem.Span.File.Should().Be("contract.json");
        problem.Span.Line.Should().Be(line);
        problem.Span.Column.Should().BeGreaterThan(0);
        problem.Message.Should().Contain("twice");
    }

    [Fact]
    public void A_routes_file_with_a_key_given_twice_is_WHC4003_at_its_line()
    {
        var (overlay, problem) = LegacyRoutesFile.ToOverlay("{\n  \"qualify\": \"/a\",\n  \"qualify\": \"/b\"\n}", "routes.json");

        overlay.Should().BeNull();
        problem!.Code.Should().Be("WHC4003");
        problem.Span.Line.Should().Be(3);
        problem.Message.Should().Contain("twice");
    }

    // ---- Show, edit, pass ----

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void The_shown_contract_is_accepted_back_and_is_the_default()
    {
        var shown = ContractReference.ToJson(ContractLoader.Load([])).ToJsonString(Indented);

        var load = Load(shown, "shown.json");

        load.Diagnostics.Should().BeEmpty();
        load.Overridden.Should().BeEmpty("a value equal to the one in effect overrides nothing");
        ContractReference.ToJson(load).ToJsonString(Indented).Should().Be(shown);
        ContractReference.ToMarkdown(load).Should().Be(ContractReference.ToMarkdown(ContractLoader.Load([])));
    }

    [Fact]
    public void A_shown_and_edited_contract_is_accepted_back_with_its_edit()
    {
        var shown = ContractReference.ToJson(Load("""{ "routes": { "readOrder": { "path": "/orders/v9/{orderId}" } } }"""));
        shown["productOfferings"]!["user"] = "WHC-USER";

        var load = Load(shown.ToJsonString(Indented), "edited.json");

        load.Diagnostics.Should().BeEmpty();
        load.Contract!.Route(ContractRoutes.ReadOrder).Path.Should().Be("/orders/v9/{orderId}");
        load.Contract.ProductOfferings["user"].Should().Be("WHC-USER");
        load.Overridden.Should().BeEquivalentTo(["routes.readOrder.path", "productOfferings.user"]);
    }

    [Fact]
    public void Provenance_in_a_contract_file_is_ignored_but_must_be_an_object()
    {
        var ignored = Load("""{ "provenance": { "routes": "override", "whatever": "guide" } }""");
        var wrong = Load("""{ "provenance": "guide" }""");

        ignored.Diagnostics.Should().BeEmpty();
        ContractReference.SourceOf(ignored, "routes.listCompanies.path").Should().Be("assumed");
        ShouldRefuse(wrong, "provenance", "object");
    }
}
