using System.Collections.Immutable;

namespace Whc.Declarative.Contract;

/// <summary>
/// Every wire detail of BT's WHC API that whcctl assumes, as data (docs/whc-api.md, "The contract"): routes, query
/// names, field maps, product offerings, characteristic names, roles, order states and the error envelope. Client and
/// sandbox both build and read bodies in whcctl's own shape (the default contract's) and translate at the wire with
/// <see cref="WireTranslator"/>, so an override changes both sides the same way.
/// </summary>
public sealed record WhcContract(
    int Version,
    ImmutableSortedDictionary<string, RouteContract> Routes,
    ImmutableSortedDictionary<string, string> ProductOfferings,
    ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Characteristics,
    ImmutableSortedDictionary<string, string> Roles,
    ImmutableSortedDictionary<string, string> OrderStates,
    ErrorEnvelopeContract ErrorEnvelope)
{
    /// <summary>The contract whcctl ships (the embedded whc-contract.json), parsed once.</summary>
    public static WhcContract Default => ContractLoader.Default;

    public RouteContract Route(string name) =>
        Routes.TryGetValue(name, out var route) ? route : throw new ArgumentOutOfRangeException(nameof(name), name, "no such route in the contract");
}

/// <summary>One call: its method and path (a path under the endpoint, or an absolute URL for an API on another host).</summary>
/// <param name="Query">whcctl's query parameter name → the name on the wire.</param>
/// <param name="QueryValues">Fixed parameters sent as they are (the guide's <c>addressSource=ROBT</c>).</param>
/// <param name="Success">The statuses that mean the call worked; any other, 2xx included, is not taken as success.</param>
/// <param name="Request">Field map of the request body: whcctl's path → the path on the wire.</param>
/// <param name="Response">Field map of the answer: whcctl's path → the paths BT may use, the first one found wins.</param>
public sealed record RouteContract(
    string Method,
    string Path,
    ImmutableSortedDictionary<string, string> Query,
    ImmutableSortedDictionary<string, string> QueryValues,
    ImmutableArray<int> Success,
    ImmutableSortedDictionary<string, ImmutableArray<string>> Request,
    ImmutableSortedDictionary<string, ImmutableArray<string>> Response)
{
    public bool IsAbsolute => Uri.TryCreate(Path, UriKind.Absolute, out _);

    /// <summary>The wire name of whcctl's query parameter <paramref name="name"/>.</summary>
    public string QueryName(string name) => Query.TryGetValue(name, out var wire) ? wire : name;

    public bool IsSuccess(int status) => Success.Contains(status);
}

/// <summary>BT's error envelope and its positive "no data" answer (the guide's <c>{"code":"404","message":"No data found"}</c>).</summary>
/// <param name="Fields">whcctl's envelope field (code, message, errors) → the name on the wire.</param>
public sealed record ErrorEnvelopeContract(ImmutableSortedDictionary<string, ImmutableArray<string>> Fields, int NoDataStatus, string NoDataCode);
