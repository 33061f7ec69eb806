using System.Text.Json.Nodes;

namespace Whc.Declarative.Contract.Tests;

public sealed class ContractLoaderTests
{
    private static ContractLoad Load(string json, string source = "contract.json")
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, source);
        problem.Should().BeNull();
        return ContractLoader.Load([overlay!]);
    }

    [Fact]
    public void The_embedded_default_contract_passes_the_check_a_contract_file_gets()
    {
        // At run time the embedded default is read without the duplicate-key check (it costs every command OpenSSL's
        // start-up); this holds it to that check instead, and shows the check would catch a key given twice.
        using var stream = typeof(ContractLoader).Assembly.GetManifestResourceStream("whc-contract.json")!;
        var text = new StreamReader(stream).ReadToEnd();

        var strict = () => JsonNode.Parse(text, documentOptions: ContractLoader.ReadOptions);
        strict.Should().NotThrow();
        var twice = text.Insert(text.IndexOf('{', StringComparison.Ordinal) + 1, "\"contractVersion\": \"x\",");
        ((Action)(() => JsonNode.Parse(twice, documentOptions: ContractLoader.ReadOptions))).Should().Throw<System.Text.Json.JsonException>();
    }

    [Fact]
    public void The_default_contract_names_every_route_whcctl_calls()
    {
        var contract = ContractLoader.Load([]).Contract!;

        contract.Routes.Keys.Should().BeEquivalentTo(ContractRoutes.All);
        contract.Route(ContractRoutes.ReadCompany).Query.Should().ContainKey("companyName");
        contract.Route(ContractRoutes.SearchAddress).QueryValues.Should().Contain("addressSource", "ROBT");
        contract.ErrorEnvelope.NoDataStatus.Should().Be(404);
        contract.ErrorEnvelope.NoDataCode.Should().Be("404");
    }

    [Fact]
    public void Every_TMF622_order_state_is_in_the_default_contract()
    {
        string[] tmf622 = ["acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed", "failed", "partial", "assessingCancellation", "pendingCancellation"];

        WhcContract.Default.OrderStates.Should().BeEquivalentTo(tmf622.ToDictionary(s => s, s => s));
    }

    [Fact]
    public void Every_part_of_the_default_says_where_it_comes_from()
    {
        var load = ContractLoader.Load([]);
        var parts = load.Contract!.Routes.Keys.SelectMany(r => new[] { $"routes.{r}.path", $"routes.{r}.request", $"routes.{r}.response" })
            .Concat(load.Contract.ProductOfferings.Keys.Select(p => $"productOfferings.{p}"))
            .Concat(load.Contract.Characteristics.SelectMany(p => p.Value.Keys.Select(c => $"characteristics.{p.Key}.{c}")))
            .Append("roles").Append("orderStates").Append("errorEnvelope");

        parts.Select(p => ContractReference.SourceOf(load, p)).Should().OnlyContain(s => s == "guide" || s == "tmf" || s == "assumed");
        ContractReference.SourceOf(load, "routes.ringFence.path").Should().Be("guide");
        ContractReference.SourceOf(load, "routes.listCompanies.path").Should().Be("assumed");
        ContractReference.SourceOf(load, "orderStates").Should().Be("tmf");
    }

    [Fact]
    public void An_overlay_changes_what_it_names_and_nothing_else()
    {
        var load = Load("""
            {
              // BT's test endpoint, as first contact showed it
              "routes": { "readOrder": { "path": "/orders/v2/{orderId}" } },
              "characteristics": { "site": { "siteLocationCode": "locationCode" } },
              "orderStates": { "InFlight": "inProgress" }
            }
            """);

        load.Diagnostics.Should().BeEmpty();
        var contract = load.Contract!;
        contract.Route(ContractRoutes.ReadOrder).Path.Should().Be("/orders/v2/{orderId}");
        contract.Route(ContractRoutes.ReadOrder).Method.Should().Be("GET");
        contract.Route(ContractRoutes.CreateOrder).Path.Should().Be(WhcContract.Default.Route(ContractRoutes.CreateOrder).Path);
        contract.Characteristics["site"]["siteLocationCode"].Should().Be("locationCode");
        contract.Characteristics["site"]["siteName"].Should().Be("siteName");
        contract.OrderStates["InFlight"].Should().Be("inProgress");
        contract.OrderStates["inProgress"].Should().Be("inProgress");
        ContractReference.SourceOf(load, "routes.readOrder.path").Should().Be(ContractReference.Override);
        ContractReference.SourceOf(load, "characteristics.site.siteLocationCode").Should().Be(ContractReference.Override);
        ContractReference.SourceOf(load, "characteristics.site.siteName").Should().Be("assumed");
    }

    [Fact]
    public void An_absolute_https_route_is_allowed_for_an_api_on_another_host()
    {
        var load = Load("""{ "routes": { "searchAddress": { "path": "https://addresses.example.com/gam/v1/geographicAddress" } } }""");

        load.Diagnostics.Should().BeEmpty();
        load.Contract!.Route(ContractRoutes.SearchAddress).IsAbsolute.Should().BeTrue();
    }

    [Theory]
    [InlineData("""{ "route": {} }""", "route:")]
    [InlineData("""{ "routes": { "deleteCompany": { "path": "/x" } } }""", "routes.deleteCompany:")]
    [InlineData("""{ "routes": { "readCompany": { "verb": "GET" } } }""", "routes.readCompany.verb:")]
    [InlineData("""{ "routes": { "readCompany": { "query": { "companyname": "name" } } } }""", "routes.readCompany.query.companyname:")]
    [InlineData("""{ "characteristics": { "site": { "siteColour": "colour" } } }""", "characteristics.site.siteColour:")]
    [InlineData("""{ "characteristics": { "device": {} } }""", "characteristics.device:")]
    [InlineData("""{ "roles": { "owner": "x" } }""", "roles.owner:")]
    [InlineData("""{ "errorEnvelope": { "noData": { "reason": "x" } } }""", "errorEnvelope.noData.reason:")]
    public void A_name_whcctl_does_not_know_is_WHC4007_naming_the_field(string json, string field)
    {
        var load = Load(json);

        load.Succeeded.Should().BeFalse();
        var diagnostic = load.Diagnostics.Should().ContainSingle().Which;
        diagnostic.Code.Should().Be("WHC4007");
        diagnostic.Span.File.Should().Be("contract.json");
        diagnostic.Message.Should().StartWith(field);
    }

    [Theory]
    [InlineData("""{ "routes": { "readOrder": { "path": "/orders/id" } } }""", "routes.readOrder.path", "placeholder {orderId}")]
    [InlineData("""{ "routes": { "readOrder": { "path": "/orders/{orderId}/{cugId}" } } }""", "routes.readOrder.path", "only the placeholder")]
    [InlineData("""{ "routes": { "qualify": { "path": "qualify" } } }""", "routes.qualify.path", "starting with '/'")]
    [InlineData("""{ "routes": { "qualify": { "path": "/q?x=1" } } }""", "routes.qualify.path", "without a query")]
    [InlineData("""{ "routes": { "qualify": { "path": "http://bt.example.com/q" } } }""", "routes.qualify.path", "https")]
    [InlineData("""{ "routes": { "qualify": { "path": "https://user:pw@bt.example.com/q" } } }""", "routes.qualify.path", "user info")]
    [InlineData("""{ "routes": { "qualify": { "method": "PUT" } } }""", "routes.qualify.method", "GET or POST")]
    [InlineData("""{ "routes": { "submitOrder": { "method": "GET" } } }""", "routes.submitOrder.method", "must be POST")]
    [InlineData("""{ "routes": { "ringFence": { "method": "GET" } } }""", "routes.ringFence.method", "must be POST")]
    [InlineData("""{ "routes": { "qualify": { "success": [] } } }""", "routes.qualify.success", "at least one")]
    [InlineData("""{ "routes": { "qualify": { "success": [404] } } }""", "routes.qualify.success", "2xx")]
    [InlineData("""{ "routes": { "submitOrder": { "path": "/bt-wholesale/v1/whc/productOrder" } } }""", "routes.submitOrder.path", "createOrder and submitOrder")]
    [InlineData("""{ "routes": { "qualify": { "response": { "id": [] } } } }""", "routes.qualify.response.id", "non-empty list")]
    [InlineData("""{ "routes": { "qualify": { "response": { "a[].b": "c[].b" } } } }""", "routes.qualify.response.a[].b", "same list elements")]
    [InlineData("""{ "routes": { "qualify": { "response": { "a..b": "c" } } } }""", "routes.qualify.response.a..b", "not a field path")]
    [InlineData("""{ "characteristics": { "site": { "siteName": "siteLocationCode" } } }""", "characteristics.site", "its own name")]
    [InlineData("""{ "characteristics": { "site": { "siteName": "" } } }""", "characteristics.site.siteName", "non-empty")]
    [InlineData("""{ "characteristics": { "site": { "siteName": "site\u202EName" } } }""", "characteristics.site.siteName", "control characters")]
    [InlineData("""{ "orderStates": { "done": "finished" } }""", "orderStates.done", "not a state whcctl knows")]
    [InlineData("""{ "errorEnvelope": { "noData": { "status": 200 } } }""", "errorEnvelope.noData.status", "must be 404")]
    [InlineData("""{ "contractVersion": 2 }""", "contractVersion", "version 1")]
    public void A_value_whcctl_cannot_use_is_WHC4008_naming_the_field(string json, string field, string reason)
    {
        var load = Load(json);

        load.Succeeded.Should().BeFalse();
        var diagnostic = load.Diagnostics.Should().ContainSingle().Which;
        diagnostic.Code.Should().Be("WHC4008");
        diagnostic.Message.Should().StartWith(field + ":").And.Contain(reason);
    }

    [Fact]
    public void Every_problem_of_an_overlay_is_reported_at_once()
    {
        var load = Load("""{ "routes": { "nope": {} }, "roles": { "owner": "x" }, "bogus": 1 }""");

        load.Diagnostics.Select(d => d.Code).Should().Equal("WHC4007", "WHC4007", "WHC4007");
    }

    [Theory]
    [InlineData("{ \"routes\": ", 1)]
    [InlineData("{\n  \"routes\": {\n    \"qualify\": { \"path\": \"/q\" \n  }\n", 5)]
    public void A_file_that_is_not_JSON_is_WHC4006_at_its_line(string json, int line)
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, "contract.json");

        overlay.Should().BeNull();
        problem!.Code.Should().Be("WHC4006");
        problem.Span.Line.Should().Be(line);
    }

    [Fact]
    public void A_list_is_not_a_contract_document()
    {
        ContractLoader.ParseOverlay("[]", "contract.json").Problem!.Code.Should().Be("WHC4006");
    }

    [Fact]
    public void A_null_removes_an_order_state_the_reseller_knows_BT_does_not_use()
    {
        var load = Load("""{ "orderStates": { "held": null } }""");

        load.Contract!.OrderStates.Should().NotContainKey("held");
    }

    [Fact]
    public void The_routes_file_of_old_sets_the_paths_of_every_route_it_stood_for()
    {
        var (overlay, problem) = LegacyRoutesFile.ToOverlay("""{ "geographicAddress": "/gam/address", "productOrder": "/orders", "tokenMethod": "POST" }""", "routes.json");

        problem.Should().BeNull();
        var contract = ContractLoader.Load([overlay!]).Contract!;
        contract.Route(ContractRoutes.SearchAddress).Path.Should().Be("/gam/address");
        contract.Route(ContractRoutes.CreateAddress).Path.Should().Be("/gam/address");
        contract.Route(ContractRoutes.CreateOrder).Path.Should().Be("/orders");
        contract.Route(ContractRoutes.ListOrders).Path.Should().Be("/orders");
        contract.Route(ContractRoutes.Token).Method.Should().Be("POST");
    }

    [Fact]
    public void The_effective_document_marks_overrides_in_its_provenance()
    {
        var json = ContractReference.ToJson(Load("""{ "productOfferings": { "user": "WHCUserV2" } }"""));

        json["productOfferings"]!["user"]!.GetValue<string>().Should().Be("WHCUserV2");
        json["provenance"]!["productOfferings.user"]!.GetValue<string>().Should().Be("override");
        json["provenance"]!["routes.ringFence"]!.GetValue<string>().Should().Be("guide");
    }

    [Fact]
    public void Contract_text_in_the_Markdown_reference_stays_inside_code_spans()
    {
        var markdown = ContractReference.ToMarkdown(Load("""{ "productOfferings": { "user": "<img src=x>|`@team" } }"""));

        markdown.Should().Contain("`` <img src=x>\\|`@team ``");
        markdown.Split('\n').Where(l => l.StartsWith("| ` user ` ", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Split(" | ").Should().HaveCount(5, "the pipe in the value is escaped, so the row keeps its cells");
    }
}
