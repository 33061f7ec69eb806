namespace Whc.Declarative.Contract.Tests;

/// <summary>
/// Issue 26: the checks of the merged contract's values (method, path, success, names, field maps, order states, the
/// "no data" answer) pinned whole, written against the wording at the checks before it moved into the catalogue.
/// </summary>
public sealed class ContractValueWordingTests
{
    public static TheoryData<string, string[]> Refusals() => new()
    {
        { """{ "routes": { "qualify": { "method": "PUT" } } }""", ["contract.json: error WHC4008: routes.qualify.method: must be GET or POST"] },
        { """{ "routes": { "qualify": { "method": "GET" } } }""", ["contract.json: error WHC4008: routes.qualify.method: must be POST: this call changes something at BT, and a GET could be repeated or cached on the way"] },
        { """{ "routes": { "qualify": { "path": "http://example.com/q" } } }""", ["contract.json: error WHC4008: routes.qualify.path: an absolute route must be https (http only on loopback): tokens travel with it"] },
        { """{ "routes": { "qualify": { "path": "https://u@example.com/q" } } }""", ["contract.json: error WHC4008: routes.qualify.path: an absolute route carries no user info, query or fragment"] },
        { """{ "routes": { "qualify": { "path": "q?x=1" } } }""", ["contract.json: error WHC4008: routes.qualify.path: must be a path starting with '/' (or an https URL), without a query: 'q?x=1'"] },
        { """{ "routes": { "readCompany": { "path": "/company" } } }""", ["contract.json: error WHC4008: routes.readCompany.path: must contain the placeholder {cugId}: '/company'"] },
        { """{ "routes": { "qualify": { "path": "/q/{x}" } } }""", ["contract.json: error WHC4008: routes.qualify.path: takes no placeholder"] },
        { """{ "routes": { "readCompany": { "path": "/c/{cugId}/{x}" } } }""", ["contract.json: error WHC4008: routes.readCompany.path: takes only the placeholder {cugId}"] },
        { """{ "routes": { "readCompany": { "queryValues": { "companyName": "x" } } } }""", ["contract.json: error WHC4008: routes.readCompany.queryValues.companyName: is also the wire name of one of whcctl's parameters"] },
        { """{ "routes": { "qualify": { "success": [500] } } }""", ["contract.json: error WHC4008: routes.qualify.success: must list 2xx statuses"] },
        { """{ "routes": { "qualify": { "success": [] } } }""", ["contract.json: error WHC4008: routes.qualify.success: must list at least one 2xx status"] },
        { """{ "routes": { "readCompany": { "query": 1 } } }""", ["contract.json: error WHC4008: routes.readCompany.query: must be an object"] },
        { """{ "routes": { "readCompany": { "query": { "companyName": "" } } } }""", ["contract.json: error WHC4008: routes.readCompany.query.companyName: must be a non-empty string without control characters"] },
        { """{ "roles": { "customer": "x", "installationAddress": "x" } }""", ["contract.json: error WHC4008: roles: 'x' is given to customer and installationAddress: each needs its own name on the wire"] },
        { """{ "routes": { "qualify": { "response": 1 } } }""", ["contract.json: error WHC4008: routes.qualify.response: must be an object of field paths"] },
        { """{ "routes": { "qualify": { "response": { "a": 1 } } } }""", ["contract.json: error WHC4008: routes.qualify.response.a: must be a field path or a non-empty list of them"] },
        { """{ "routes": { "qualify": { "response": { "a..b": "c" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.a..b: 'a..b' is not a field path (names joined by '.', 'name[]' for each element of a list)"] },
        { """{ "routes": { "qualify": { "response": { "a[]": "c[]" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.a[]: 'a[]' must end in a field name, not a list"] },
        { """{ "routes": { "qualify": { "response": { "a[].b": "c" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.a[].b: 'c' must sit in the same list elements as 'a[].b' (the same path up to the last [])"] },
        { """{ "routes": { "qualify": { "response": { "productOfferingQualificationItem.x": "y" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.productOfferingQualificationItem.x: productOfferingQualificationItem is a list: step into its elements with '[]' before 'x'"] },
        { """{ "routes": { "qualify": { "response": { "productOfferingQualificationItem[].product[]": "productOfferingQualificationItem[].product[]" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.productOfferingQualificationItem[].product[]: 'productOfferingQualificationItem[].product[]' must end in a field name, not a list"] },
        { """{ "routes": { "qualify": { "response": { "a": "productOfferingQualificationItem" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.a: 'productOfferingQualificationItem' is whcctl's own field in this answer (or lies in one): read for 'a', it would be missing where whcctl reads it"] },
        { """{ "routes": { "qualify": { "response": { "a": "z", "b": "z" } } } }""", ["contract.json: error WHC4008: routes.qualify.response: 'z' is given to a and b: one would take the other's value"] },
        { """{ "errorEnvelope": { "fields": { "code": "a.b" } } }""", ["contract.json: error WHC4008: errorEnvelope.fields.code: 'a.b' must be a single field name"] },
        { """{ "errorEnvelope": { "noData": { "status": 500 } } }""", ["contract.json: error WHC4008: errorEnvelope.noData.status: must be 404: only BT's 404 'no data' answer means 'free' or 'not there'; read from an outage (5xx), a refused token (401, 403), a redirect or an answer, it would make a plan re-create what exists"] },
        { """{ "errorEnvelope": { "noData": { "code": "" } } }""", ["contract.json: error WHC4008: errorEnvelope.noData.code: must be a non-empty string: the code of BT's 'no data' answer"] },
        { """{ "errorEnvelope": { "noData": { "code": "60" } } }""", ["contract.json: error WHC4008: errorEnvelope.noData.code: '60' is the gateway's code for a route that does not exist: a wrong path must stay an error, never read as 'not there'"] },
        { """{ "orderStates": { "x": "nosuch" } }""", ["contract.json: error WHC4008: orderStates.x: 'nosuch' is not a state whcctl knows; states: acknowledged, assessingCancellation, cancelled, completed, failed, held, inProgress, partial, pending, pendingCancellation, rejected"] },
        { """{ "orderStates": { "FAILED_X": "completed" } }""", ["contract.json: error WHC4008: orderStates.FAILED_X: 'FAILED_X' names a failure ('fail'): it can only mean cancelled, failed, partial, rejected, never 'completed'"] },
        { """{ "orderStates": { "CANCEL_X": "completed" } }""", ["contract.json: error WHC4008: orderStates.CANCEL_X: 'CANCEL_X' names a failure ('cancel'): it can only mean cancelled, failed, partial, rejected, assessingCancellation, pendingCancellation, never 'completed'"] },
        { """{ "routes": { "listOrders": { "method": "POST", "path": "/bt-wholesale/v1/whc/productOfferingQualification" } } }""", ["contract.json: error WHC4008: routes.qualify.path: listOrders and qualify are both POST /bt-wholesale/v1/whc/productOfferingQualification: each route needs its own method and path"] },
        { """{ "routes": { "readCompany": { "request": { "a": "b" } } } }""", ["contract.json: error WHC4008: routes.readCompany.request.a: whcctl sends no body on this route: there is nothing to map"] },
        { """{ "routes": { "qualify": { "response": { "productOfferingQualificationItem[].product[].x": "productOfferingQualificationItem[].product[].x" } } } }""", ["contract.json: error WHC4008: routes.qualify.response.productOfferingQualificationItem[].product[].x: product is an object, not a list: '[]' never matches it"] },
        { """{ "routes": { "createOrder": { "request": { "a": "productOrderItem" } } } }""", ["contract.json: error WHC4008: routes.createOrder.request.a: 'productOrderItem' is whcctl's own field in this body (or lies in one): moving 'a' there would write over it"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_value_of_the_contract_refused_is_worded_as_before(string json, string[] expected)
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, "contract.json");
        problem.Should().BeNull();

        var load = ContractLoader.Load([overlay!]);

        load.Diagnostics.Select(d => d.ToString()).Should().Equal(expected);
    }
}
