using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi;

public enum DoctorResult
{
    Ok,
    Differs,
    Unreachable,
}

/// <summary>One probe of <c>whcctl doctor</c>: which call, against which route, and what came back.</summary>
public sealed record DoctorCheck(string Name, string Method, string Route, DoctorResult Result, string Detail);

/// <summary>
/// A read-only probe of an endpoint, for first contact with BT: a token, then each read route with inputs that cannot
/// match anything (a company name, a username, an order id made up for the probe) or that the guide names (its
/// postcode), each answer checked against what the contract says of it. It never makes a call that changes anything.
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

        (string Name, WhcCall Call, Func<WhcResponse, string?> Judge)[] reads =
        [
            ("read company", client.Call(ContractRoutes.ReadCompany, "doctor", "doctor: read company", cugId, null, ("companyName", probe)), NoData),
            ("verify domain", client.Call(ContractRoutes.VerifyDomain, "doctor", "doctor: verify domain", cugId, null, ("companyDomain", probe + ".invalid")), NoData),
            ("verify site", client.Call(ContractRoutes.VerifySite, "doctor", "doctor: verify site", cugId, null, ("siteName", probe), ("companyServiceId", probe)), NoData),
            ("verify user", client.Call(ContractRoutes.VerifyUser, "doctor", "doctor: verify user", cugId, null, ("username", probe)), NoData),
            ("verify extension", client.Call(ContractRoutes.VerifyExtension, "doctor", "doctor: verify extension", cugId, null, ("extension", "0"), ("companyServiceId", probe)), NoData),
            ("verify numbers", client.Call(ContractRoutes.VerifyNumbers, "doctor", "doctor: verify numbers", cugId, null, ("startNumber", "00000000000"), ("endNumber", "00000000000")), NoData),
            ("list companies", client.Call(ContractRoutes.ListCompanies, "doctor", "doctor: list companies", cugId, null, ("offset", "0"), ("limit", "1")), r => ListOf(contract.Route(ContractRoutes.ListCompanies), r, "companies")),
            ("search addresses", client.Call(ContractRoutes.SearchAddress, "doctor", "doctor: search addresses", null, null, ("postcode", KnownPostcode)), r => ListOf(contract.Route(ContractRoutes.SearchAddress), r, "addresses")),
            ("find order", client.Call(ContractRoutes.ListOrders, "doctor", "doctor: find order", null, null, ("externalId", probe)), r => r.IsNoData ? null : ListOf(contract.Route(ContractRoutes.ListOrders), r, "orders")),
        ];
        foreach (var (name, call, judge) in reads)
        {
            checks.Add(await CheckAsync(client, name, call, judge, cancellationToken));
        }

        return checks.ToImmutable();
    }

    private static async Task<DoctorCheck> TokenAsync(WhcClient client, RouteContract route, CancellationToken cancellationToken)
    {
        try
        {
            var lifetime = await client.Sender.ProbeTokenAsync(cancellationToken);
            return new DoctorCheck("token", route.Method, route.Path, DoctorResult.Ok, string.Create(CultureInfo.InvariantCulture, $"token issued, valid for {lifetime.TotalSeconds:0} s"));
        }
        catch (WhcApiException e) when (e.Kind == WhcFailureKind.Timeout)
        {
            return new DoctorCheck("token", route.Method, route.Path, DoctorResult.Unreachable, e.Message);
        }
        catch (WhcApiException e)
        {
            return new DoctorCheck("token", route.Method, route.Path, DoctorResult.Differs, e.Message);
        }
    }

    private static async Task<DoctorCheck> CheckAsync(WhcClient client, string name, WhcCall call, Func<WhcResponse, string?> judge, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.Sender.SendAsync(call, cancellationToken);
            var difference = judge(response);
            return difference is null
                ? new DoctorCheck(name, call.Method.Method, call.Route, DoctorResult.Ok, string.Create(CultureInfo.InvariantCulture, $"answered {response.Status} as expected"))
                : new DoctorCheck(name, call.Method.Method, call.Route, DoctorResult.Differs, client.Sender.Redact(difference));
        }
        catch (WhcApiException e)
        {
            return new DoctorCheck(name, call.Method.Method, call.Route, DoctorResult.Unreachable, e.Message);
        }
    }

    /// <summary>A made-up value must get BT's "no data" answer; anything else means the route or its shape differs.</summary>
    private static string? NoData(WhcResponse response) =>
        response.IsNoData ? null : $"expected BT's 'no data' answer (the contract's errorEnvelope.noData) for a value that cannot exist, got {Describe(response)}";

    private static string? ListOf(RouteContract route, WhcResponse response, string what)
    {
        if (!route.IsSuccess(response.Status))
        {
            return $"expected {string.Join(" or ", route.Success)} with a list of {what}, got {Describe(response)}";
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.ValueKind == JsonValueKind.Array ? null : $"expected a list of {what}, got a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}";
        }
        catch (JsonException)
        {
            return $"expected a list of {what}, got a body that is not JSON";
        }
    }

    private static string Describe(WhcResponse response) =>
        WhcErrorEnvelope.Parse(response.Body) is { Code: { } code } envelope
            ? string.Create(CultureInfo.InvariantCulture, $"{response.Status} (code {code}{(envelope.Message is { } message ? $": {message}" : string.Empty)})")
            : string.Create(CultureInfo.InvariantCulture, $"{response.Status} without BT's error envelope");
}
