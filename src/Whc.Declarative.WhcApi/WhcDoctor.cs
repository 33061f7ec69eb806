using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
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
/// postcode), each answer checked against what whcctl expects of it. It never makes a call that changes anything.
/// </summary>
public static class WhcDoctor
{
    /// <summary>The guide's example postcode, which BT's address search knows.</summary>
    public const string KnownPostcode = "IP5 3RE";

    public static async Task<ImmutableArray<DoctorCheck>> RunAsync(WhcClient client, string cugId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var routes = client.Routes;
        var probe = "whcctl-doctor-" + Guid.NewGuid().ToString("N")[..12];
        var checks = ImmutableArray.CreateBuilder<DoctorCheck>();
        checks.Add(await TokenAsync(client, routes, cancellationToken));
        if (checks[0].Result != DoctorResult.Ok)
        {
            return checks.ToImmutable(); // without a token no other call can be judged
        }

        var reseller = (string route) => WhcClient.Fill(route, "{cugId}", cugId);
        (string Name, string Route, string Path, (string, string)[] Query, Func<WhcResponse, string?> Judge)[] reads =
        [
            ("read company", routes.VerifyCompany, reseller(routes.VerifyCompany), [("companyName", probe)], NoData),
            ("verify domain", routes.VerifyDomain, reseller(routes.VerifyDomain), [("companyDomain", probe + ".invalid")], NoData),
            ("verify site", routes.VerifySite, reseller(routes.VerifySite), [("siteName", probe), ("companyServiceId", probe)], NoData),
            ("verify user", routes.VerifyUser, reseller(routes.VerifyUser), [("username", probe)], NoData),
            ("verify extension", routes.VerifyExtension, reseller(routes.VerifyExtension), [("extension", "0"), ("companyServiceId", probe)], NoData),
            ("list companies", routes.ListCompanies, reseller(routes.ListCompanies), [("offset", "0"), ("limit", "1")], r => ListOf(r, "companies")),
            ("search addresses", routes.GeographicAddress, routes.GeographicAddress, [("postcode", KnownPostcode), ("addressSource", "ROBT")], r => ListOf(r, "addresses")),
            ("find order", routes.ProductOrder, routes.ProductOrder, [("externalId", probe)], r => WhcErrorEnvelope.IsNoData(r) ? null : ListOf(r, "orders")),
        ];
        foreach (var (name, route, path, query, judge) in reads)
        {
            var call = WhcClient.Get("doctor", $"doctor: {name}", route, path, [.. query.Select(q => new KeyValuePair<string, string>(q.Item1, q.Item2))]);
            checks.Add(await CheckAsync(client, name, call, judge, cancellationToken));
        }

        return checks.ToImmutable();
    }

    private static async Task<DoctorCheck> TokenAsync(WhcClient client, WhcRoutes routes, CancellationToken cancellationToken)
    {
        try
        {
            var lifetime = await client.Sender.ProbeTokenAsync(cancellationToken);
            return new DoctorCheck("token", routes.TokenMethod, routes.Token, DoctorResult.Ok, string.Create(CultureInfo.InvariantCulture, $"token issued, valid for {lifetime.TotalSeconds:0} s"));
        }
        catch (WhcApiException e) when (e.Kind == WhcFailureKind.Timeout)
        {
            return new DoctorCheck("token", routes.TokenMethod, routes.Token, DoctorResult.Unreachable, e.Message);
        }
        catch (WhcApiException e)
        {
            return new DoctorCheck("token", routes.TokenMethod, routes.Token, DoctorResult.Differs, e.Message);
        }
    }

    private static async Task<DoctorCheck> CheckAsync(WhcClient client, string name, WhcCall call, Func<WhcResponse, string?> judge, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.Sender.SendAsync(call, cancellationToken);
            var difference = judge(response);
            return difference is null
                ? new DoctorCheck(name, "GET", call.Route, DoctorResult.Ok, string.Create(CultureInfo.InvariantCulture, $"answered {response.Status} as expected"))
                : new DoctorCheck(name, "GET", call.Route, DoctorResult.Differs, client.Sender.Redact(difference));
        }
        catch (WhcApiException e)
        {
            return new DoctorCheck(name, "GET", call.Route, DoctorResult.Unreachable, e.Message);
        }
    }

    /// <summary>A made-up value must get BT's "no data" answer; anything else means the route or its shape differs.</summary>
    private static string? NoData(WhcResponse response) =>
        WhcErrorEnvelope.IsNoData(response) ? null : $"expected BT's 'no data' answer (404, code {WhcErrorEnvelope.NoDataCode}) for a value that cannot exist, got {Describe(response)}";

    private static string? ListOf(WhcResponse response, string what)
    {
        if (response.Status != 200)
        {
            return $"expected 200 with a list of {what}, got {Describe(response)}";
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
