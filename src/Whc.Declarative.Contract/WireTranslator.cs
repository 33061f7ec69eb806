using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Contract;

/// <summary>
/// Turns bodies between whcctl's own shape (the default contract's) and the wire shape a contract describes: field
/// moves from the route's field maps; in TMF product items, offering ids, characteristic names, roles and (orders
/// only) states. The client translates what it sends to the wire and what it reads from it; the sandbox does the
/// reverse. Routes whose contract matches the default are left untouched and cost nothing.
/// </summary>
public sealed class WireTranslator
{
    private readonly WhcContract contract;
    private readonly ImmutableDictionary<string, string> offeringToWire;
    private readonly ImmutableDictionary<string, string> offeringFromWire;
    private readonly ImmutableDictionary<string, string> productOfOffering;
    private readonly ImmutableDictionary<string, string> stateToWire;
    private readonly ImmutableDictionary<string, string> roleFromWire;
    private readonly bool itemsAreIdentity;

    public WireTranslator(WhcContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        this.contract = contract;
        var defaults = WhcContract.Default;
        productOfOffering = defaults.ProductOfferings.ToImmutableDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        offeringToWire = defaults.ProductOfferings.ToImmutableDictionary(p => p.Value, p => contract.ProductOfferings.GetValueOrDefault(p.Key, p.Value), StringComparer.Ordinal);
        offeringFromWire = offeringToWire.ToImmutableDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        stateToWire = contract.OrderStates
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Any(p => p.Key == g.Key) ? g.Key : g.Select(p => p.Key).Order(StringComparer.Ordinal).First(), StringComparer.Ordinal);
        roleFromWire = contract.Roles.ToImmutableDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        itemsAreIdentity = offeringToWire.All(p => p.Key == p.Value)
            && contract.Characteristics.All(p => p.Value.All(c => c.Key == c.Value))
            && contract.Roles.All(p => p.Key == p.Value)
            && contract.OrderStates.All(p => p.Key == p.Value);
    }

    public WhcContract Contract => contract;

    public JsonNode? RequestToWire(string route, JsonNode? body) => ToWire(route, body, contract.Route(route).Request);

    public JsonNode? RequestFromWire(string route, JsonNode? body) => FromWire(route, body, contract.Route(route).Request);

    public JsonNode? ResponseToWire(string route, JsonNode? body) => ToWire(route, body, contract.Route(route).Response);

    public JsonNode? ResponseFromWire(string route, JsonNode? body) => FromWire(route, body, contract.Route(route).Response);

    /// <summary>Whether answers on <paramref name="route"/> need translating before whcctl reads them.</summary>
    public bool ChangesResponses(string route) => !IsIdentity(route, contract.Route(route).Response);

    public bool ChangesRequests(string route) => !IsIdentity(route, contract.Route(route).Request);

    /// <summary>Whether BT's error envelope needs translating.</summary>
    public bool ChangesErrors => contract.ErrorEnvelope.Fields.Any(f => f.Value.Length != 1 || f.Value[0] != f.Key);

    public JsonNode? ErrorToWire(JsonNode? body) => ToWire(null, body, contract.ErrorEnvelope.Fields);

    public JsonNode? ErrorFromWire(JsonNode? body) => FromWire(null, body, contract.ErrorEnvelope.Fields);

    private bool IsIdentity(string route, ImmutableSortedDictionary<string, ImmutableArray<string>> fields) =>
        fields.All(f => f.Value.Length == 1 && f.Value[0] == f.Key) && (itemsAreIdentity || !ContractRoutes.Shapes[route].CarriesItems);


    private JsonNode? ToWire(string? route, JsonNode? body, ImmutableSortedDictionary<string, ImmutableArray<string>> fields)
    {
        if (body is null)
        {
            return null;
        }

        if (route is not null && ContractRoutes.Shapes[route].CarriesItems && !itemsAreIdentity)
        {
            WalkItems(body, toWire: true, withStates: route != ContractRoutes.Qualify);
        }

        foreach (var (canonical, wires) in fields)
        {
            if (wires[0] != canonical)
            {
                Move(body, canonical, wires[0]);
            }
        }

        return body;
    }

    private JsonNode? FromWire(string? route, JsonNode? body, ImmutableSortedDictionary<string, ImmutableArray<string>> fields)
    {
        if (body is null)
        {
            return null;
        }

        foreach (var (canonical, wires) in fields)
        {
            var to = FieldPath.Parse(canonical);
            foreach (var context in to.Contexts(body))
            {
                if (Get(context, to.Rest) is not null)
                {
                    continue;
                }

                foreach (var wire in wires.Where(w => w != canonical))
                {
                    var from = FieldPath.Parse(wire);
                    if (Detach(context, from.Rest) is { } value)
                    {
                        Set(context, to.Rest, value);
                        break;
                    }
                }
            }
        }

        if (route is not null && ContractRoutes.Shapes[route].CarriesItems && !itemsAreIdentity)
        {
            WalkItems(body, toWire: false, withStates: route != ContractRoutes.Qualify);
        }

        return body;
    }

    private static void Move(JsonNode body, string from, string to)
    {
        var source = FieldPath.Parse(from);
        var target = FieldPath.Parse(to);
        foreach (var context in source.Contexts(body))
        {
            if (Detach(context, source.Rest) is { } value)
            {
                Set(context, target.Rest, value);
            }
        }
    }

    /// <summary>Offerings, characteristic names, roles and states of TMF items, at any depth.</summary>
    private void WalkItems(JsonNode node, bool toWire, bool withStates)
    {
        switch (node)
        {
            case JsonArray list:
                foreach (var element in list)
                {
                    if (element is not null)
                    {
                        WalkItems(element, toWire, withStates);
                    }
                }

                break;
            case JsonObject item:
                if (withStates)
                {
                    Rename(item, "state", toWire ? stateToWire : contract.OrderStates);
                }

                foreach (var party in Elements(item["relatedParty"]))
                {
                    Rename(party, "role", toWire ? contract.Roles : roleFromWire);
                }

                var product = item["product"] as JsonObject;
                foreach (var place in Elements(product?["place"]))
                {
                    Rename(place, "role", toWire ? contract.Roles : roleFromWire);
                }

                if (item["productOffering"] is JsonObject offering && Text(offering["id"]) is { } id)
                {
                    var canonicalId = toWire ? id : offeringFromWire.GetValueOrDefault(id, id);
                    Rename(offering, "id", toWire ? offeringToWire : offeringFromWire);
                    if (productOfOffering.TryGetValue(canonicalId, out var productKey) && contract.Characteristics.TryGetValue(productKey, out var names))
                    {
                        IReadOnlyDictionary<string, string> map = toWire ? names : names.ToImmutableDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
                        foreach (var characteristic in Elements(product?["productCharacteristic"]))
                        {
                            Rename(characteristic, "name", map);
                        }
                    }
                }

                foreach (var children in new[] { item["productOrderItem"], item["productOfferingQualificationItem"] })
                {
                    if (children is JsonArray)
                    {
                        WalkItems(children, toWire, withStates);
                    }
                }

                break;
        }
    }

    private static IEnumerable<JsonObject> Elements(JsonNode? node) => node is JsonArray list ? list.OfType<JsonObject>() : [];

    private static void Rename(JsonObject owner, string field, IReadOnlyDictionary<string, string> map)
    {
        if (Text(owner[field]) is { } value && map.TryGetValue(value, out var renamed) && renamed != value)
        {
            owner[field] = renamed;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static JsonNode? Get(JsonObject context, IReadOnlyList<string> rest)
    {
        JsonNode? node = context;
        foreach (var name in rest)
        {
            node = (node as JsonObject)?[name];
        }

        return node;
    }

    private static JsonNode? Detach(JsonObject context, IReadOnlyList<string> rest)
    {
        var parent = Get(context, rest.Take(rest.Count - 1).ToList()) as JsonObject;
        if (parent is null || !parent.TryGetPropertyValue(rest[^1], out var value) || value is null)
        {
            return null;
        }

        parent.Remove(rest[^1]);
        return value;
    }

    private static void Set(JsonObject context, IReadOnlyList<string> rest, JsonNode value)
    {
        var parent = context;
        foreach (var name in rest.Take(rest.Count - 1))
        {
            if (parent[name] is not JsonObject next)
            {
                next = [];
                parent[name] = next;
            }

            parent = next;
        }

        parent[rest[^1]] = value;
    }
}
