using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Tests.Tmf;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>The bodies the client sends, captured on the wire, validate against TM Forum's v4 schemas (from ../shared/tmf).</summary>
public sealed class TmfRequestBodyTests : ClientTestBase
{
    [TmfFact]
    public async Task A_new_company_order_validates_against_TMF622_ProductOrder_Create()
    {
        Server.On("POST", Contract.OrderPath, StubResponse.Json(201, Contract.OrderCreated));
        var user = new OrderItem(WhcProducts.User, OrderItemAction.Add, null, RequestBodyTests.Chars(("extension", "2001"), ("firstName", "Jane"), ("lastName", "Smith"), ("username", "jane.smith")), null, null, []);
        var site = new OrderItem(WhcProducts.Site, OrderItemAction.Add, null, RequestBodyTests.Chars(("siteLocationCode", "IPS01"), ("siteName", "ipswich-hq")), "X05000455530", null, [user]);
        var numbers = new OrderItem(WhcProducts.NewNumber, OrderItemAction.Add, null, RequestBodyTests.Chars(("endNumber", "01214960009"), ("startNumber", "01214960000")), null, null, []);
        var changed = new OrderItem(WhcProducts.User, OrderItemAction.Modify, "WHHUBTWKN1492", RequestBodyTests.Chars(("licence", "premium")), null, null, []);
        var root = new OrderItem(WhcProducts.Company, OrderItemAction.Add, null, RequestBodyTests.Chars(("customerDomain", "fun.example"), ("customerGroup", "G"), ("customerName", "TheFunNetwork")), null, "QFW103255", [numbers, site, changed]);

        await CreateClient().CreateOrderAsync(new OrderRequest("whcctl-6f0c", Contract.Cug, "GB12345678", root), default);

        var schema = await TmfSchemas.DefinitionAsync("tmf622-v4.0.0-productorder.defs.json", "ProductOrder_Create");
        var body = Server.ApiRequests.Single().Body!;
        schema.Validate(body).Select(e => $"{e.Path}: {e.Kind}").Should().BeEmpty(body);
    }

    [TmfFact]
    public async Task A_qualification_validates_against_TMF679_ProductOfferingQualification_Create()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Contract.Qualified));

        await CreateClient().QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);

        var schema = await TmfSchemas.DefinitionAsync("tmf679-v4.0.0-poq.defs.json", "ProductOfferingQualification_Create");
        var body = Server.ApiRequests.Single().Body!;
        schema.Validate(body).Select(e => $"{e.Path}: {e.Kind}").Should().BeEmpty(body);
    }
}
