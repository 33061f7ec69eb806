using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Contract;

/// <summary>
/// What whcctl sends and reads on each route, in its own shape (docs/whc-api.md): which fields are objects, lists or
/// values. Enough to tell a field map that can never match (a path that steps over a list without <c>[]</c>, or into an
/// object with it) from a rename. Fields not named here are whcctl's to ignore, so a map on them is not judged.
/// </summary>
internal static class BodyShapes
{
    /// <summary>The body a route sends; <see cref="BodyShape.None"/> when whcctl sends none.</summary>
    public static BodyShape? Request(string route) => Requests.GetValueOrDefault(route);

    /// <summary>The answer whcctl reads on a route; null when it reads nothing from it (only its status).</summary>
    public static BodyShape? Response(string route) => Responses.GetValueOrDefault(route);

    private static readonly BodyShape Party = BodyShape.Of("id", "role", "@referredType");

    private static readonly BodyShape Characteristic = BodyShape.Of("name", "value");

    /// <summary>A TMF622 order item: its children are items again, at any depth.</summary>
    private static readonly BodyShape OrderItem = BuildOrderItem();

    private static readonly BodyShape Order = BodyShape.Of("id", "externalId", "state", "errorMessage", "billingAccount.id")
        .WithList("relatedParty", Party)
        .WithList("productOrderItem", OrderItem);

    private static readonly BodyShape Address = BodyShape.Of(
        "id", "postcode", "buildingName", "streetNr", "streetName", "city", "qualifier",
        "geographicSubAddress[].buildingName", "geographicSubAddress[].subBuilding");

    private static readonly ImmutableSortedDictionary<string, BodyShape> Requests = new Dictionary<string, BodyShape>
    {
        [ContractRoutes.Token] = BodyShape.None,
        [ContractRoutes.ReadCompany] = BodyShape.None,
        [ContractRoutes.ListCompanies] = BodyShape.None,
        [ContractRoutes.VerifyDomain] = BodyShape.None,
        [ContractRoutes.VerifySite] = BodyShape.None,
        [ContractRoutes.VerifyUser] = BodyShape.None,
        [ContractRoutes.VerifyExtension] = BodyShape.None,
        [ContractRoutes.VerifyNumbers] = BodyShape.None,
        [ContractRoutes.SearchAddress] = BodyShape.None,
        [ContractRoutes.ListOrders] = BodyShape.None,
        [ContractRoutes.ReadOrder] = BodyShape.None,
        [ContractRoutes.Qualify] = BodyShape.Of("billingAccount.id")
            .WithList("relatedParty", Party)
            .WithList("productOfferingQualificationItem", BodyShape.Of("id", "productOffering.id").WithList("product.productCharacteristic", Characteristic)),
        [ContractRoutes.RingFence] = BodyShape.Of(
            "customer.id", "customer.type", "numbers.quantity", "numbers.characteristics.startNumber", "numbers.characteristics.endNumber",
            "numbers.characteristics.numberString", "product.name", "action", "ringFenceId", "qualifierId"),
        [ContractRoutes.CreateAddress] = BodyShape.Of("postcode", "buildingName", "streetName", "city"),
        [ContractRoutes.CreateOrder] = Order,
        [ContractRoutes.SubmitOrder] = BodyShape.Of("productOrder.id", "productOrder.@referredType"),
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    private static readonly ImmutableSortedDictionary<string, BodyShape> Responses = new Dictionary<string, BodyShape>
    {
        [ContractRoutes.Token] = BodyShape.Of("accessToken", "expiresIn"),
        [ContractRoutes.ReadCompany] = BodyShape.Of(
            "serviceId", "cugId", "companyName", "companyDomain", "customerGroup", "status", "qualificationId",
            "numberRanges[].areaCode", "numberRanges[].startNumber", "numberRanges[].endNumber", "numberRanges[].status", "numberRanges[].serviceId", "numberRanges[].ported",
            "sites[].serviceId", "sites[].siteName", "sites[].siteLocationCode", "sites[].nadKey",
            "users[].serviceId", "users[].siteServiceId", "users[].username", "users[].firstName", "users[].lastName", "users[].extension",
            "users[].directoryNumber", "users[].licence", "users[].devices[].macAddress"),
        [ContractRoutes.ListCompanies] = BodyShape.ListOf(BodyShape.Of("serviceId", "companyName", "status")),
        [ContractRoutes.Qualify] = BodyShape.Of("id", "expirationDate", "billingAccount.id")
            .WithList("relatedParty", Party)
            .WithList("productOfferingQualificationItem", BodyShape.Of(
                    "id", "qualificationItemResult", "productOffering.id",
                    // The guide gives the service id as a value object ({"value": ...}); a plain value is read too.
                    "product.serviceId", "product.serviceId.value",
                    "eligibilityUnavailabilityReason[].code", "eligibilityUnavailabilityReason[].label")
                .WithList("product.productCharacteristic", Characteristic)),
        [ContractRoutes.RingFence] = BodyShape.Of("numberRange.startNumber", "numberRange.endNumber", "ringFenceId", "status"),
        [ContractRoutes.SearchAddress] = BodyShape.ListOf(Address),
        [ContractRoutes.CreateAddress] = Address,
        [ContractRoutes.CreateOrder] = Order,
        [ContractRoutes.ListOrders] = BodyShape.ListOf(Order),
        [ContractRoutes.ReadOrder] = Order,
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    private static BodyShape BuildOrderItem()
    {
        var item = BodyShape.Of("id", "action", "state", "productOffering.id", "product.id", "qualification[].id")
            .WithList("product.place", Party)
            .WithList("product.productCharacteristic", Characteristic);
        return item.WithList("productOrderItem", item);
    }
}

/// <summary>One node of a body: the kinds it may have, its fields when an object, its elements when a list.</summary>
internal sealed class BodyShape
{
    private readonly Dictionary<string, BodyShape> fields = new(StringComparer.Ordinal);

    private BodyShape(bool none = false) => IsNone = none;

    /// <summary>No body at all: any field map on it can never match.</summary>
    public static BodyShape None { get; } = new(none: true);

    public bool IsNone { get; }

    public bool IsObject { get; private set; }

    public bool IsList => Element is not null;

    public bool IsValue { get; private set; }

    public BodyShape? Element { get; private set; }

    /// <summary>An object holding the given field paths ('.' into objects, 'name[]' into each element of a list).</summary>
    public static BodyShape Of(params string[] paths)
    {
        var root = new BodyShape();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var segment in path.Split('.'))
            {
                var each = segment.EndsWith("[]", StringComparison.Ordinal);
                node = node.Field(each ? segment[..^2] : segment);
                if (each)
                {
                    node.Element ??= new BodyShape();
                    node = node.Element;
                }
            }

            node.IsValue = true;
        }

        return root;
    }

    /// <summary>A body that is a list of <paramref name="element"/>.</summary>
    public static BodyShape ListOf(BodyShape element) => new() { Element = element };

    /// <summary>This object with a list of <paramref name="element"/> at <paramref name="path"/> (objects on the way).</summary>
    public BodyShape WithList(string path, BodyShape element)
    {
        var node = this;
        foreach (var name in path.Split('.'))
        {
            node = node.Field(name);
        }

        node.Element = element;
        return this;
    }

    public BodyShape? FieldOrNull(string name) => fields.GetValueOrDefault(name);

    private BodyShape Field(string name)
    {
        IsObject = true;
        if (!fields.TryGetValue(name, out var field))
        {
            field = new BodyShape();
            fields[name] = field;
        }

        return field;
    }

    /// <summary>
    /// Whether writing at field path <paramref name="path"/> would replace something whcctl puts in a body of this
    /// shape: a field it knows, or a value on the way (which would be turned into an object).
    /// </summary>
    public bool Overlaps(string path)
    {
        var node = this;
        foreach (var segment in path.Split('.'))
        {
            var each = segment.EndsWith("[]", StringComparison.Ordinal);
            var name = each ? segment[..^2] : segment;
            if (name.Length > 0)
            {
                if (node.IsValue && !node.IsObject)
                {
                    return true;
                }

                if (node.FieldOrNull(name) is not { } next)
                {
                    return false;
                }

                node = next;
            }

            if (each)
            {
                if (node.Element is null)
                {
                    return false;
                }

                node = node.Element;
            }
        }

        return true;
    }

    /// <summary>
    /// Why whcctl's field path <paramref name="path"/> can never match a body of this shape, or null. Only the kinds
    /// on the way are judged: past a field whcctl does not know, nothing is.
    /// </summary>
    public ContractFinding? Mismatch(string path, string body)
    {
        if (IsNone)
        {
            return DiagnosticCatalog.ContractFieldNoBody.At;
        }

        var node = this;
        var label = body;
        foreach (var segment in path.Split('.'))
        {
            var each = segment.EndsWith("[]", StringComparison.Ordinal);
            var name = each ? segment[..^2] : segment;
            if (name.Length > 0)
            {
                if (!node.IsObject)
                {
                    var at = label;
                    return (span, field) => (node.IsList ? DiagnosticCatalog.ContractFieldInList : DiagnosticCatalog.ContractFieldInValue).At(span, field, at, name);
                }

                if (node.FieldOrNull(name) is not { } next)
                {
                    return null;
                }

                node = next;
                label = name;
            }

            if (each)
            {
                if (node.Element is null)
                {
                    var at = label;
                    var isObject = node.IsObject;
                    return (span, field) => DiagnosticCatalog.ContractFieldNotList.At(span, field, at, isObject);
                }

                node = node.Element;
                label = $"each element of {label}";
            }
        }

        return null;
    }
}
