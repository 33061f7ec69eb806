using System.Collections.Immutable;

namespace Whc.Declarative.Contract;

/// <summary>
/// The calls whcctl makes, by the names the contract, the sandbox's fault configuration and its request log use. What
/// a route must carry is fixed here (whcctl fills these in); how each looks on the wire is the contract's.
/// </summary>
public static class ContractRoutes
{
    public const string Token = "token";
    public const string ReadCompany = "readCompany";
    public const string ListCompanies = "listCompanies";
    public const string VerifyDomain = "verifyDomain";
    public const string VerifySite = "verifySite";
    public const string VerifyUser = "verifyUser";
    public const string VerifyExtension = "verifyExtension";
    public const string VerifyNumbers = "verifyNumbers";
    public const string Qualify = "qualify";
    public const string RingFence = "ringFence";
    public const string SearchAddress = "searchAddress";
    public const string CreateAddress = "createAddress";
    public const string CreateOrder = "createOrder";
    public const string ListOrders = "listOrders";
    public const string SubmitOrder = "submitOrder";
    public const string ReadOrder = "readOrder";

    /// <summary>Per route: the placeholder its path must hold and the query parameters whcctl fills in (by whcctl's names).</summary>
    internal static ImmutableSortedDictionary<string, RouteShape> Shapes { get; } = new Dictionary<string, RouteShape>
    {
        [Token] = new(null, []),
        [ReadCompany] = new("{cugId}", ["companyName"]),
        [ListCompanies] = new("{cugId}", ["offset", "limit"]),
        [VerifyDomain] = new("{cugId}", ["companyDomain"]),
        [VerifySite] = new("{cugId}", ["siteName", "companyServiceId"]),
        [VerifyUser] = new("{cugId}", ["username"]),
        [VerifyExtension] = new("{cugId}", ["extension", "companyServiceId"]),
        [VerifyNumbers] = new("{cugId}", ["startNumber", "endNumber", "companyServiceId"]),
        [Qualify] = new(null, [], CarriesItems: true, Changes: true),
        [RingFence] = new(null, [], Changes: true),
        [SearchAddress] = new(null, ["postcode"]),
        [CreateAddress] = new(null, [], Changes: true),
        [CreateOrder] = new(null, [], CarriesItems: true, Changes: true),
        [ListOrders] = new(null, ["externalId"], CarriesItems: true),
        [SubmitOrder] = new(null, [], Changes: true, RepeatSafe: true),
        [ReadOrder] = new("{orderId}", [], CarriesItems: true),
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Every route name, sorted.</summary>
    public static ImmutableArray<string> All { get; } = [.. Shapes.Keys];

    public static bool IsKnown(string? name) => name is not null && Shapes.ContainsKey(name);

    /// <summary>
    /// Whether a call on <paramref name="name"/> changes something at BT: such a call is never repeated after an
    /// unknown outcome (it is reconciled instead), whatever method a contract gives it.
    /// </summary>
    public static bool Changes(string name) => Shapes.TryGetValue(name, out var shape) && shape.Changes;

    /// <summary>
    /// The routes whose calls are not idempotent at BT: each has an operation module in Core (Operations/BtOperations),
    /// which writes an intent before the call and recognises its effect after an unknown outcome. A call that changes
    /// something but has the same effect when repeated (submitting an order) is not among them.
    /// </summary>
    public static ImmutableArray<string> NonIdempotent { get; } = [.. Shapes.Where(s => s.Value.Changes && !s.Value.RepeatSafe).Select(s => s.Key)];
}

/// <param name="Placeholder">The placeholder the path must contain, if any.</param>
/// <param name="Query">Query parameters whcctl sends, by whcctl's name; the contract gives each its wire name.</param>
/// <param name="CarriesItems">Whether the bodies hold TMF product items (offerings, characteristics, states, roles).</param>
/// <param name="Changes">Whether the call changes something at BT (it must be a POST, and is never repeated blindly).</param>
/// <param name="RepeatSafe">Whether a call that changes something has the same effect when repeated (BT answers it again), so it needs no intent.</param>
internal sealed record RouteShape(string? Placeholder, ImmutableArray<string> Query, bool CarriesItems = false, bool Changes = false, bool RepeatSafe = false);
