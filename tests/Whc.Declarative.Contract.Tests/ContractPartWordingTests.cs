namespace Whc.Declarative.Contract.Tests;

/// <summary>
/// Issue 26: the contract overlay's checks of its parts (unknown names, values that must be objects) pinned whole,
/// written against the wording at the checks before it moved into the catalogue's templates.
/// </summary>
public sealed class ContractPartWordingTests
{
    public static TheoryData<string, string> Refusals() => new()
    {
        { """{ "bogus": 1 }""", "contract.json: error WHC4007: bogus: not a part of the contract; parts: characteristics, contractVersion, errorEnvelope, orderStates, productOfferings, provenance, roles, routes" },
        { """{ "provenance": 1 }""", "contract.json: error WHC4008: provenance: must be an object (what contract show prints; it is ignored when read)" },
        { """{ "contractVersion": 2 }""", "contract.json: error WHC4008: contractVersion: this whcctl reads contract version 1" },
        { """{ "routes": 1 }""", "contract.json: error WHC4008: routes: must be an object" },
        { """{ "routes": { "nosuch": {} } }""", "contract.json: error WHC4007: routes.nosuch: no such route; routes: createAddress, createOrder, listCompanies, listOrders, qualify, readCompany, readOrder, ringFence, searchAddress, submitOrder, token, verifyDomain, verifyExtension, verifyNumbers, verifySite, verifyUser" },
        { """{ "routes": { "qualify": null } }""", "contract.json: error WHC4008: routes.qualify: whcctl calls every route: a route cannot be removed, only moved" },
        { """{ "routes": { "qualify": 1 } }""", "contract.json: error WHC4008: routes.qualify: must be an object" },
        { """{ "routes": { "qualify": { "bogus": 1 } } }""", "contract.json: error WHC4007: routes.qualify.bogus: a route has method, path, query, queryValues, request, response, success" },
        { """{ "routes": { "readCompany": { "query": { "bogus": "x" } } } }""", "contract.json: error WHC4007: routes.readCompany.query.bogus: whcctl sends companyName here (fixed ones go under queryValues)" },
        { """{ "routes": { "qualify": { "query": { "bogus": "x" } } } }""", "contract.json: error WHC4007: routes.qualify.query.bogus: this route sends no query parameter of whcctl's (fixed ones go under queryValues)" },
        { """{ "productOfferings": { "bogus": "x" } }""", "contract.json: error WHC4007: productOfferings.bogus: known: company, site, user, newNumber, portedNumber" },
        { """{ "roles": { "bogus": "x" } }""", "contract.json: error WHC4007: roles.bogus: known: customer, installationAddress" },
        { """{ "characteristics": { "bogus": {} } }""", "contract.json: error WHC4007: characteristics.bogus: products: company, site, user, newNumber, portedNumber" },
        { """{ "characteristics": { "site": { "bogus": "x" } } }""", "contract.json: error WHC4007: characteristics.site.bogus: whcctl sets siteName, siteLocationCode (other characteristics go in the manifest's characteristics:)" },
        { """{ "errorEnvelope": { "bogus": 1 } }""", "contract.json: error WHC4007: errorEnvelope.bogus: the error envelope has fields and noData" },
        { """{ "errorEnvelope": { "fields": { "bogus": "x" } } }""", "contract.json: error WHC4007: errorEnvelope.fields.bogus: known: code, reason, message, errors" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_part_of_an_overlay_refused_is_worded_as_before(string json, string expected)
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, "contract.json");
        problem.Should().BeNull();

        var load = ContractLoader.Load([overlay!]);

        load.Diagnostics.Select(d => d.ToString()).Should().Equal(expected);
    }
}
