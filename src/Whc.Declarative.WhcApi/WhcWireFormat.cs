using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The JSON of each call, exactly as docs/whc-api.md describes it: request bodies built from the domain records, and
/// answers read into them. A 2xx answer that does not fit the contract fails with <see cref="WhcFailureKind.ServerError"/>
/// (its status kept), because the call did reach BT and for a changing call the outcome must be reconciled.
/// </summary>
internal static class WhcWireFormat
{
    private const string ReferredType = "@referredType";

    /// <summary>TMF622 v4's ProductOrderStateType (compared without regard to case); the contract maps BT's words to these.</summary>
    private static readonly Dictionary<string, OrderState> OrderStateNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["acknowledged"] = OrderState.Acknowledged,
        ["rejected"] = OrderState.Rejected,
        ["pending"] = OrderState.Pending,
        ["held"] = OrderState.Held,
        ["inProgress"] = OrderState.InProgress,
        ["cancelled"] = OrderState.Cancelled,
        ["completed"] = OrderState.Completed,
        ["failed"] = OrderState.Failed,
        ["partial"] = OrderState.Partial,
        ["assessingCancellation"] = OrderState.AssessingCancellation,
        ["pendingCancellation"] = OrderState.PendingCancellation,
    };

    public static string QualifyBody(QualificationRequest request) => new JsonObject
    {
        ["relatedParty"] = CustomerParty(request.CugId),
        ["billingAccount"] = new JsonObject { ["id"] = request.BillingAccount },
        ["productOfferingQualificationItem"] = new JsonArray(new JsonObject
        {
            ["id"] = "1",
            ["productOffering"] = new JsonObject { ["id"] = WhcProducts.Company },
            ["product"] = new JsonObject
            {
                ["productCharacteristic"] = Characteristics(
                [
                    new("customerName", request.CompanyName),
                    new("customerDomain", request.CompanyDomain),
                    new("customerGroup", request.CustomerGroup),
                ]),
            },
        }),
    }.ToJsonString();

    public static string RingFenceBody(RingFenceRequest request)
    {
        var body = new JsonObject
        {
            ["customer"] = new JsonObject { ["id"] = request.CugId, ["type"] = "BUSINESS" },
            ["numbers"] = new JsonObject
            {
                ["quantity"] = request.Quantity,
                // [ASSUMED] A ported range is asked for by its ends instead of an area code (docs/whc-api.md, section 4).
                ["characteristics"] = request.Ported is { } ported
                    ? new JsonObject { ["startNumber"] = ported.StartNumber, ["endNumber"] = ported.EndNumber }
                    : new JsonObject { ["numberString"] = request.AreaCode },
            },
            ["product"] = new JsonObject { ["name"] = "WHC" },
            ["action"] = "RingFence",
            ["ringFenceId"] = request.CompanyServiceId,
        };
        if (request.QualificationId is not null)
        {
            body["qualifierId"] = request.QualificationId;
        }

        return body.ToJsonString();
    }

    public static string NewAddressBody(NewAddress address)
    {
        var body = new JsonObject { ["postcode"] = address.Postcode };
        AddIfPresent(body, "buildingName", address.BuildingName);
        AddIfPresent(body, "streetName", address.StreetName);
        AddIfPresent(body, "city", address.City);
        return body.ToJsonString();
    }

    /// <summary>
    /// The TMF622 order: items nested as the domain tree, numbered "1", "2", ... depth-first (parent before children).
    /// Every item carries <c>product</c> with its <c>productCharacteristic</c> list and a <c>productOrderItem</c> list
    /// (both possibly empty); <c>product.id</c>, <c>product.place</c> and <c>qualification</c> only when set.
    /// </summary>
    public static string OrderBody(OrderRequest order)
    {
        var next = 1;
        JsonObject Item(OrderItem item)
        {
            var id = next++;
            var product = new JsonObject();
            if (item.ServiceId is not null)
            {
                product["id"] = item.ServiceId;
            }

            if (item.PlaceId is not null)
            {
                product["place"] = new JsonArray(new JsonObject
                {
                    ["id"] = item.PlaceId,
                    ["role"] = "installationAddress",
                    [ReferredType] = "GeographicAddress",
                });
            }

            product["productCharacteristic"] = Characteristics(item.Characteristics);
            var node = new JsonObject
            {
                ["id"] = id.ToString(CultureInfo.InvariantCulture),
                ["action"] = ActionName(item.Action),
                ["productOffering"] = new JsonObject { ["id"] = item.ProductOffering },
            };
            if (item.QualificationId is not null)
            {
                node["qualification"] = new JsonArray(new JsonObject { ["id"] = item.QualificationId });
            }

            node["product"] = product;
            var children = new JsonArray();
            foreach (var child in item.Children.IsDefault ? [] : item.Children)
            {
                children.Add(Item(child));
            }

            node["productOrderItem"] = children;
            return node;
        }

        return new JsonObject
        {
            ["externalId"] = order.ExternalId,
            ["relatedParty"] = CustomerParty(order.CugId),
            ["billingAccount"] = new JsonObject { ["id"] = order.BillingAccount },
            ["productOrderItem"] = new JsonArray(Item(order.Root)),
        }.ToJsonString();
    }

    public static string SubmitBody(string orderId) => new JsonObject
    {
        ["productOrder"] = new JsonObject { ["id"] = orderId, [ReferredType] = "ProductOrder" },
    }.ToJsonString();

    public static string ActionName(OrderItemAction action) => action switch
    {
        OrderItemAction.Add => "add",
        OrderItemAction.Modify => "modify",
        OrderItemAction.Delete => "delete",
        OrderItemAction.NoChange => "noChange",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown order item action"),
    };

    /// <summary>Reads <c>accessToken</c> and <c>expiresIn</c> (seconds; number or string); the contract maps <c>access_token</c> and the like to these.</summary>
    /// <summary>Longest access token taken; BT's are far shorter, and a token travels in every request's headers.</summary>
    public const int MaxAccessTokenLength = 4096;

    /// <summary>Longest token lifetime taken (a day); BT's are minutes.</summary>
    public const int MaxExpiresInSeconds = 86_400;

    /// <summary>
    /// The token and its lifetime. The token is RFC 6750 token68 text (letters, digits, <c>-._~+/</c>, then optional
    /// trailing <c>=</c>) of at most <see cref="MaxAccessTokenLength"/> characters, so it can never be more than one
    /// header value; <c>expiresIn</c>, when present, is a whole number of seconds from 1 to a day, as a JSON number or
    /// a string of digits. Anything else is refused naming the token route, never echoing the token.
    /// </summary>
    public static (string AccessToken, TimeSpan ExpiresIn) ReadToken(WhcResponse response)
    {
        const string Description = "getting an access token (contract route 'token')";
        return Read(response, Description, root =>
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("accessToken", out var tokenValue))
            {
                throw Invalid(Description, response, "it has no accessToken");
            }

            var accessToken = tokenValue.ValueKind == JsonValueKind.String ? tokenValue.GetString() : null;
            if (accessToken is null || !IsToken68(accessToken))
            {
                throw Invalid(Description, response, string.Create(CultureInfo.InvariantCulture, $"its accessToken is not a token of 1 to {MaxAccessTokenLength} characters A-Z a-z 0-9 - . _ ~ + / (then optional '=')"));
            }

            var seconds = 300L;
            if (root.TryGetProperty("expiresIn", out var expires) && !TryLifetime(expires, out seconds))
            {
                throw Invalid(Description, response, string.Create(CultureInfo.InvariantCulture, $"its expiresIn is not a whole number of seconds from 1 to {MaxExpiresInSeconds}"));
            }

            return (accessToken, TimeSpan.FromSeconds(seconds));
        });
    }

    private static bool IsToken68(string text)
    {
        if (text.Length is 0 or > MaxAccessTokenLength)
        {
            return false;
        }

        var end = text.Length;
        while (end > 0 && text[end - 1] == '=')
        {
            end--;
        }

        return end > 0 && text.AsSpan(0, end).IndexOfAnyExcept(Token68Characters) < 0;
    }

    private static readonly System.Buffers.SearchValues<char> Token68Characters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");

    private static bool TryLifetime(JsonElement value, out long seconds)
    {
        seconds = 0;
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        // Digits only: no sign, fraction, exponent, NaN or white space; at most six of them before the range check.
        return text is { Length: > 0 and <= 6 }
            && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            && seconds is >= 1 and <= MaxExpiresInSeconds;
    }

    /// <summary>
    /// The access token in a token answer as it came over the wire (named as the contract says), whatever else the
    /// answer holds or lacks; null when there is none or the body is not JSON. For the recorder, which must know a token
    /// to redact it even from an answer the client refuses.
    /// </summary>
    public static string? TryReadAccessToken(string? body, WireTranslator wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            return wire.ResponseFromWire(ContractRoutes.Token, JsonNode.Parse(body)) is JsonObject answer
                && answer["accessToken"] is JsonValue value && value.TryGetValue(out string? token) && token.Length > 0
                ? token
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The company record; throws <see cref="WhcFailureKind.Rejected"/> when the name belongs to another reseller.</summary>
    public static CompanyInventory ReadCompany(WhcResponse response, string description, string cugId, string companyName) =>
        Read(response, description, root =>
        {
            var serviceId = Text(root, "serviceId");
            var ownerCug = Text(root, "cugId");
            if (serviceId is null || (ownerCug is not null && !string.Equals(ownerCug, cugId, StringComparison.Ordinal)))
            {
                // Another reseller holds the name: an answer, not a failure (BT shows no more than that).
                return CompanyInventory.RegisteredElsewhere(companyName);
            }

            var status = ReadStatus(root, description, response);
            return new CompanyInventory(
                serviceId,
                Text(root, "companyName") ?? companyName,
                Text(root, "companyDomain") ?? string.Empty,
                Text(root, "customerGroup") ?? string.Empty,
                status,
                Text(root, "qualificationId"),
                [.. Items(root, "numberRanges").Select(n => new NumberRangeRecord(
                    Required(n, "areaCode", description, response),
                    Required(n, "startNumber", description, response),
                    Required(n, "endNumber", description, response),
                    Required(n, "status", description, response).ToUpperInvariant() switch
                    {
                        "RINGFENCED" => NumberRangeStatus.Ringfenced,
                        "ACTIVE" => NumberRangeStatus.Active,
                        var other => throw Invalid(description, response, $"number range status '{other}' is not RINGFENCED or ACTIVE"),
                    },
                    Text(n, "serviceId"))
                {
                    Ported = n.TryGetProperty("ported", out var ported) && ported.ValueKind == JsonValueKind.True,
                })],
                [.. Items(root, "sites").Select(s => new SiteRecord(
                    Required(s, "serviceId", description, response),
                    Required(s, "siteName", description, response),
                    Text(s, "siteLocationCode") ?? string.Empty,
                    Text(s, "nadKey") ?? string.Empty))],
                [.. Items(root, "users").Select(u => new UserRecord(
                    Required(u, "serviceId", description, response),
                    Text(u, "siteServiceId") ?? string.Empty,
                    Required(u, "username", description, response),
                    Text(u, "firstName") ?? string.Empty,
                    Text(u, "lastName") ?? string.Empty,
                    Text(u, "extension") ?? string.Empty,
                    Text(u, "directoryNumber"),
                    Text(u, "licence") ?? string.Empty,
                    [.. Items(u, "devices").Select(d => Text(d, "macAddress")).OfType<string>()]))]);
        });

    /// <summary>One page of the reseller's company listing: a list of <c>{serviceId, companyName, status}</c>.</summary>
    public static ImmutableArray<CompanySummary> ReadCompanyList(WhcResponse response, string description) =>
        Read<ImmutableArray<CompanySummary>>(response, description, root => root.ValueKind == JsonValueKind.Array
            ? [.. root.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Object
                ? new CompanySummary(Required(c, "companyName", description, response), Required(c, "serviceId", description, response), ReadStatus(c, description, response))
                : throw Invalid(description, response, "an entry of the list is not an object"))]
            : throw Invalid(description, response, "it is not a list of companies"));

    private static CompanyStatus ReadStatus(JsonElement company, string description, WhcResponse response) =>
        Required(company, "status", description, response).ToUpperInvariant() switch
        {
            "QUALIFIED" => CompanyStatus.Qualified,
            "ACTIVE" => CompanyStatus.Active,
            "CEASED" => CompanyStatus.Ceased,
            var other => throw Invalid(description, response, $"company status '{other}' is not qualified, active or ceased"),
        };

    public static QualificationResult ReadQualification(WhcResponse response, string description) =>
        Read(response, description, root =>
        {
            var id = Required(root, "id", description, response);
            var item = Items(root, "productOfferingQualificationItem").FirstOrDefault();
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(description, response, "it has no productOfferingQualificationItem");
            }

            var result = Required(item, "qualificationItemResult", description, response);
            string? serviceId = null;
            // The guide prints "servicelid" (a typo for serviceId, mapped by the contract), as a value object.
            if (item.TryGetProperty("product", out var product) && product.ValueKind == JsonValueKind.Object && product.TryGetProperty("serviceId", out var sid))
            {
                serviceId = sid.ValueKind == JsonValueKind.Object ? Text(sid, "value") : Scalar(sid);
            }

            DateTimeOffset? expiresAt = null;
            if (Text(root, "expirationDate") is { } expiration)
            {
                expiresAt = DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                    ? parsed
                    : throw Invalid(description, response, $"expirationDate '{expiration}' is not an ISO 8601 date-time");
            }

            var reasons = Items(item, "eligibilityUnavailabilityReason")
                .Select(r => Text(r, "code") ?? Text(r, "label"))
                .OfType<string>()
                .ToList();
            return new QualificationResult(
                id,
                string.Equals(result, "Qualified", StringComparison.OrdinalIgnoreCase),
                serviceId,
                expiresAt,
                reasons.Count == 0 ? null : string.Join(", ", reasons));
        });

    public static RingFenceResult ReadRingFence(WhcResponse response, string description) =>
        Read(response, description, root =>
        {
            if (!root.TryGetProperty("numberRange", out var range) || range.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(description, response, "it has no numberRange");
            }

            return new RingFenceResult(
                Required(range, "startNumber", description, response),
                Required(range, "endNumber", description, response),
                Required(root, "ringFenceId", description, response),
                Required(root, "status", description, response));
        });

    public static ImmutableArray<AddressRecord> ReadAddresses(WhcResponse response, string description) =>
        Read<ImmutableArray<AddressRecord>>(response, description, root => root.ValueKind == JsonValueKind.Array
            ? [.. root.EnumerateArray().Select(a => ToAddress(a, description, response))]
            : throw Invalid(description, response, "it is not a list of addresses"));

    public static AddressRecord ReadAddress(WhcResponse response, string description) =>
        Read(response, description, root => ToAddress(root, description, response));

    public static string ReadCreatedOrderId(WhcResponse response, string description) =>
        Read(response, description, root => Required(root, "id", description, response));

    public static OrderStatus ReadOrder(WhcResponse response, string description) =>
        Read(response, description, root => ToOrderStatus(root, description, response));

    /// <summary>The order with this externalId from a list answer, or null (orders with another externalId are ignored).</summary>
    public static OrderStatus? ReadOrderList(WhcResponse response, string description, string externalId) =>
        Read<OrderStatus?>(response, description, root => root.ValueKind == JsonValueKind.Array
            ? root.EnumerateArray()
                .Where(o => o.ValueKind == JsonValueKind.Object && Text(o, "externalId") == externalId)
                .Select(o => ToOrderStatus(o, description, response))
                .FirstOrDefault()
            : throw Invalid(description, response, "it is not a list of orders"));

    private static OrderStatus ToOrderStatus(JsonElement order, string description, WhcResponse response)
    {
        var stateText = Required(order, "state", description, response);
        // A state TMF622 does not name is kept, as Unknown: never an error that fails the await, never taken as final.
        var known = OrderStateNames.TryGetValue(stateText, out var state);
        return new OrderStatus(Required(order, "id", description, response), Text(order, "externalId"), known ? state : OrderState.Unknown, Text(order, "errorMessage"), known ? null : stateText);
    }

    private static AddressRecord ToAddress(JsonElement address, string description, WhcResponse response)
    {
        var sub = Items(address, "geographicSubAddress").FirstOrDefault();
        var hasSub = sub.ValueKind == JsonValueKind.Object;
        var nadKey = Required(address, "id", description, response);
        return new AddressRecord(
            nadKey,
            Text(address, "postcode") ?? string.Empty,
            hasSub ? Text(sub, "buildingName") : Text(address, "buildingName"),
            hasSub ? Text(sub, "subBuilding") : null,
            Text(address, "streetNr"),
            Text(address, "streetName"),
            Text(address, "city"),
            string.Equals(Text(address, "qualifier"), "Temporary", StringComparison.OrdinalIgnoreCase));
    }

    private static JsonArray CustomerParty(string cugId) =>
        new(new JsonObject { ["id"] = cugId, ["role"] = "customer", [ReferredType] = "BtCug" });

    private static JsonArray Characteristics(IEnumerable<KeyValuePair<string, string>> characteristics)
    {
        var list = new JsonArray();
        foreach (var (name, value) in characteristics)
        {
            list.Add(new JsonObject { ["name"] = name, ["value"] = value });
        }

        return list;
    }

    private static void AddIfPresent(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static T Read<T>(WhcResponse response, string description, Func<JsonElement, T> map)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response.Body);
        }
        catch (JsonException)
        {
            throw Invalid(description, response, "its body is not JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                throw Invalid(description, response, "its body is not a JSON object or list");
            }

            return map(document.RootElement);
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>A string or number property; null when absent, null or empty.</summary>
    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && Scalar(value) is { Length: > 0 } text
            ? text
            : null;

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static string Required(JsonElement parent, string name, string description, WhcResponse response) =>
        Text(parent, name) ?? throw Invalid(description, response, $"field '{name}' is missing");

    public static WhcApiException Invalid(string description, WhcResponse response, string detail) =>
        new(
            WhcFailureKind.ServerError,
            response.Status,
            null,
            $"{description}: BT answered {response.Status} but {detail}, which the documented wire format does not allow (tracking id {response.TrackingId})",
            response.TrackingId);
}
