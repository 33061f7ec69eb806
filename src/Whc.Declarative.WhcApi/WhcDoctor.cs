using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.WhcApi;

public enum DoctorResult
{
    Ok,
    Differs,
    Unreachable,
}

/// <summary>One probe of <c>whcctl doctor</c>: which call, against which route, and what came back.</summary>
public sealed record DoctorCheck(string Name, string Method, string Route, DoctorResult Result, string Detail)
{
    /// <summary>The HTTP status of an answer that was not ok (0 when none came back), so one cause behind many rows can be told.</summary>
    public int Status { get; init; }

    /// <summary>BT's error code from the envelope of an answer that was not ok, when it had one.</summary>
    public string? BtCode { get; init; }
}

/// <summary>
/// A read-only probe of an endpoint, for first contact with BT: a token, then every route whcctl reads, with inputs that
/// cannot match anything (a company name, a username, an order id made up for the probe), that the guide names (its
/// postcode) or that the endpoint itself lists (the first company of the listing, read back by name). Each answer is
/// judged as the client reads it: "no data" where nothing can be found, and otherwise every field whcctl reads, lists
/// included, present with the kind it expects (after the contract's field maps). A redirect or a body that is not
/// JSON differs, whatever its status. It never makes a call that changes anything.
/// </summary>
public static class WhcDoctor
{
    /// <summary>The guide's example postcode, which BT's address search knows.</summary>
    public const string KnownPostcode = "IP5 3RE";

    public static async Task<ImmutableArray<DoctorCheck>> RunAsync(WhcClient client, string cugId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var contract = client.Contract;
        var probe = "whcctl-doctor-" + Guid.NewGuid().ToString("N")[..12];
        var checks = ImmutableArray.CreateBuilder<DoctorCheck>();
        checks.Add(await TokenAsync(client, contract.Route(ContractRoutes.Token), cancellationToken));
        if (checks[0].Result != DoctorResult.Ok)
        {
            return checks.ToImmutable(); // without a token no other call can be judged
        }

        (string Name, WhcCall Call)[] noData =
        [
            ("read company", client.Call(ContractRoutes.ReadCompany, "doctor", "doctor: read company", cugId, null, ("companyName", probe))),
            ("verify domain", client.Call(ContractRoutes.VerifyDomain, "doctor", "doctor: verify domain", cugId, null, ("companyDomain", probe + ".invalid"))),
            ("verify site", client.Call(ContractRoutes.VerifySite, "doctor", "doctor: verify site", cugId, null, ("siteName", probe), ("companyServiceId", probe))),
            ("verify user", client.Call(ContractRoutes.VerifyUser, "doctor", "doctor: verify user", cugId, null, ("username", probe))),
            ("verify extension", client.Call(ContractRoutes.VerifyExtension, "doctor", "doctor: verify extension", cugId, null, ("extension", "0"), ("companyServiceId", probe))),
            ("verify numbers", client.Call(ContractRoutes.VerifyNumbers, "doctor", "doctor: verify numbers", cugId, null, ("startNumber", "00000000000"), ("endNumber", "00000000000"))),
        ];
        foreach (var (name, call) in noData)
        {
            checks.Add(await CheckAsync(client, name, call, NoData, cancellationToken));
        }

        // One company of the listing, read back by name: the only way to see a whole company answer without changing anything.
        string? listed = null;
        var listing = client.Call(ContractRoutes.ListCompanies, "doctor", "doctor: list companies", cugId, null, ("offset", "0"), ("limit", "1"));
        checks.Add(await CheckAsync(client, "list companies", listing, (call, response) =>
        {
            if (Unexpected(contract, call, response, "a list of companies") is { } difference)
            {
                return difference;
            }

            var page = WhcWireFormat.ReadCompanyList(response, call);
            listed = page.IsEmpty ? null : page[0].CompanyName;
            return page.IsEmpty
                ? Answered(response, "with an empty list: no company to read back, so the fields of a company answer were not checked")
                : Answered(response, "with a list whose entries hold every field whcctl reads");
        }, cancellationToken));
        if (listed is not null)
        {
            var read = client.Call(ContractRoutes.ReadCompany, "doctor", $"doctor: read listed company '{listed}'", cugId, null, ("companyName", listed));
            checks.Add(await CheckAsync(client, "read listed company", read, (call, response) =>
            {
                if (Unexpected(contract, call, response, "the company") is { } difference)
                {
                    return difference;
                }

                var company = WhcWireFormat.ReadCompany(response, call, cugId, listed);
                return company.IsRegisteredElsewhere
                    ? new Judgement(DoctorResult.Differs, $"the company '{listed}' the listing gives is read as another reseller's (no serviceId, or another cugId)")
                    : Answered(response, string.Create(CultureInfo.InvariantCulture, $"with every field whcctl reads ({Counted.Of(company.NumberRanges.Length, "number range")}, {Counted.Of(company.Sites.Length, "site")}, {Counted.Of(company.Users.Length, "user")})"));
            }, cancellationToken));
        }

        var addresses = client.Call(ContractRoutes.SearchAddress, "doctor", "doctor: search addresses", null, null, ("postcode", KnownPostcode));
        checks.Add(await CheckAsync(client, "search addresses", addresses, (call, response) =>
            Unexpected(contract, call, response, "a list of addresses")
                ?? Answered(response, string.Create(CultureInfo.InvariantCulture, $"with {Counted.Of(WhcWireFormat.ReadAddresses(response, call).Length, "address", "addresses")}, each with every field whcctl reads")), cancellationToken));
        var findOrder = client.Call(ContractRoutes.ListOrders, "doctor", "doctor: find order", null, null, ("externalId", probe));
        checks.Add(await CheckAsync(client, "find order", findOrder, (call, response) =>
        {
            if (response.IsNoData)
            {
                return Answered(response, "(BT's 'no data') for an order that cannot exist");
            }

            if (Unexpected(contract, call, response, "a list of orders") is { } difference)
            {
                return difference;
            }

            return WhcWireFormat.ReadOrderList(response, call, probe) is not null
                ? new Judgement(DoctorResult.Differs, "an order with the made-up externalId was found")
                : Answered(response, "with a list whose entries hold every field whcctl reads, none of them the made-up order");
        }, cancellationToken));
        var readOrder = client.Call(ContractRoutes.ReadOrder, "doctor", "doctor: read order", probe, null);
        checks.Add(await CheckAsync(client, "read order", readOrder, UnknownOrder, cancellationToken));
        return checks.ToImmutable();
    }

    private static async Task<DoctorCheck> TokenAsync(WhcClient client, RouteContract route, CancellationToken cancellationToken)
    {
        try
        {
            var lifetime = await client.Sender.ProbeTokenAsync(cancellationToken);
            return new DoctorCheck("token", route.Method, route.Path, DoctorResult.Ok, string.Create(CultureInfo.InvariantCulture, $"token issued, valid for {lifetime.TotalSeconds:0} s"));
        }
        catch (WhcApiException e)
        {
            var (result, detail) = Judge(e);
            return new DoctorCheck("token", route.Method, route.Path, result == DoctorResult.Unreachable && e.Kind != WhcFailureKind.Timeout ? DoctorResult.Differs : result, detail)
            {
                Status = e.Status,
                BtCode = e.BtCode,
            };
        }
    }

    private sealed record Judgement(DoctorResult Result, string Detail)
    {
        public int Status { get; init; }

        public string? BtCode { get; init; }
    }

    /// <summary>
    /// Sends <paramref name="call"/> and judges its answer: a redirect and a body that is not JSON differ before the
    /// route's own <paramref name="judge"/> sees it; a reader's refusal (WHC4016) differs with the field it names.
    /// </summary>
    private static async Task<DoctorCheck> CheckAsync(WhcClient client, string name, WhcCall call, Func<WhcCall, WhcResponse, Judgement> judge, CancellationToken cancellationToken)
    {
        Judgement judgement;
        try
        {
            var response = await client.Sender.SendAsync(call, cancellationToken);
            // A 3xx never comes back as an answer: the sender throws it as Redirected (see Judge).
            judgement = string.IsNullOrWhiteSpace(response.Body)
                ? new Judgement(DoctorResult.Differs, string.Create(CultureInfo.InvariantCulture, $"not JSON: answered {response.Status} with an empty body"))
                : !IsJson(response.Body)
                    ? new Judgement(DoctorResult.Differs, string.Create(CultureInfo.InvariantCulture, $"not JSON: answered {response.Status} with a body that is not JSON (a web page, a proxy's or a login page?)"))
                    : judge(call, response);
            if (judgement.Result != DoctorResult.Ok)
            {
                judgement = judgement with { Status = response.Status, BtCode = WhcErrorEnvelope.Parse(response.Body)?.Code };
            }
        }
        catch (WhcApiException e)
        {
            var (result, detail) = Judge(e);
            judgement = new Judgement(result, detail) { Status = e.Status, BtCode = e.BtCode };
        }

        return new DoctorCheck(name, call.Method.Method, call.Route, judgement.Result, client.Sender.Redact(judgement.Detail))
        {
            Status = judgement.Status,
            BtCode = judgement.BtCode,
        };
    }

    /// <summary>
    /// How a refused call reads in the report: a redirect the client refused (naming the host it pointed to) or an answer
    /// a reader refused differs; no answer at all is unreachable.
    /// </summary>
    internal static (DoctorResult Result, string Detail) Judge(WhcApiException failure) => failure switch
    {
        { Kind: WhcFailureKind.Redirected } => (DoctorResult.Differs, "redirect: " + failure.Message),
        { Kind: WhcFailureKind.Timeout } => (DoctorResult.Unreachable, failure.Message),
        { Kind: WhcFailureKind.ServerError, Status: >= 200 and < 300 } or { Kind: WhcFailureKind.AnswerUnbounded } => (DoctorResult.Differs, failure.Message),
        _ => (DoctorResult.Unreachable, failure.Message),
    };

    private static bool IsJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Judgement Answered(WhcResponse response, string how) =>
        new(DoctorResult.Ok, string.Create(CultureInfo.InvariantCulture, $"answered {response.Status} {how}"));

    /// <summary>A made-up value must get BT's "no data" answer; anything else means the route or its shape differs.</summary>
    private static Judgement NoData(WhcCall call, WhcResponse response) =>
        response.IsNoData
            ? Answered(response, "as expected")
            : new Judgement(DoctorResult.Differs, $"expected BT's 'no data' answer (the contract's errorEnvelope.noData) for a value that cannot exist, got {Describe(response)}");

    /// <summary>
    /// The order by id, for an id made up: BT's guide has an unknown order answered 404 in its error envelope (code 60,
    /// which a route BT lacks answers too, so this tells only that the route is no worse than that); an order, or any
    /// other answer, differs.
    /// </summary>
    private static Judgement UnknownOrder(WhcCall call, WhcResponse response) =>
        response.IsNoData || (response.Status == 404 && WhcErrorEnvelope.Parse(response.Body)?.Code is not null)
            ? Answered(response, $"for an order that cannot exist ({Describe(response)}, as BT answers an unknown order; an order's fields are checked whenever whcctl reads one)")
            : new Judgement(DoctorResult.Differs, $"expected 404 in BT's error envelope for an order that cannot exist, got {Describe(response)}");

    /// <summary>Null when <paramref name="response"/> has a success status of its route, the difference otherwise.</summary>
    private static Judgement? Unexpected(WhcContract contract, WhcCall call, WhcResponse response, string what) =>
        contract.Route(call.RouteName).IsSuccess(response.Status)
            ? null
            : new Judgement(DoctorResult.Differs, $"expected {string.Join(" or ", contract.Route(call.RouteName).Success)} with {what}, got {Describe(response)}");

    private static string Describe(WhcResponse response) =>
        WhcErrorEnvelope.Parse(response.Body) is { Code: { } code } envelope
            ? string.Create(CultureInfo.InvariantCulture, $"{response.Status} (code {code}{(envelope.Message is { } message ? $": {message}" : string.Empty)})")
            : string.Create(CultureInfo.InvariantCulture, $"{response.Status} without BT's error envelope");
}
