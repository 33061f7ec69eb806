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
                children.Add((JsonNode)Item(child)); // the node overload: the generic one would reflect over T
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

    /// <summary>Longest access token taken; BT's are far shorter, and a token travels in every request's headers.</summary>
    public const int MaxAccessTokenLength = 4096;

    /// <summary>Longest token lifetime taken (a day); BT's are minutes.</summary>
    public const int MaxExpiresInSeconds = 86_400;

    /// <summary>
    /// The token and its lifetime. The token is RFC 6750 token68 text (letters, digits, <c>-._~+/</c>, then optional
    /// trailing <c>=</c>) of at most <see cref="MaxAccessTokenLength"/> characters, so it can never be more than one
    /// header value; <c>expiresIn</c>, when present, is a whole number of seconds from 1 to a day, as a JSON number or
    /// a string of digits (300 when absent). The contract maps <c>access_token</c> and the like to these names. Anything
    /// else is refused naming the token route, never echoing the token.
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

    /// <summary>
    /// The company record; <see cref="CompanyInventory.RegisteredElsewhere"/> when the name belongs to another reseller
    /// (BT then shows no service id, or another CUG). Its lists are required, an empty one as <c>[]</c>: a list read as
    /// empty because BT names it otherwise would make its sites and numbers look ceased, and a plan re-create them.
    /// </summary>
    public static CompanyInventory ReadCompany(WhcResponse response, WhcCall call, string cugId, string companyName) =>
        Read(response, call, answer =>
        {
            // An object first: a list has neither id, and must not read as another reseller's company.
            var root = answer.Object();
            var serviceId = root.Optional("serviceId");
            var ownerCug = root.Optional("cugId");
            if ((ownerCug is not null && !string.Equals(ownerCug, cugId, StringComparison.Ordinal)) || (serviceId is null && ownerCug is null))
            {
                // Another reseller holds the name: an answer, not a failure (BT shows no more than that).
                return CompanyInventory.RegisteredElsewhere(companyName);
            }

            return new CompanyInventory(
                root.Required("serviceId"),
                root.Optional("companyName") ?? companyName,
                root.Optional("companyDomain") ?? string.Empty,
                root.Optional("customerGroup") ?? string.Empty,
                ReadStatus(root),
                root.Optional("qualificationId"),
                [.. root.List("numberRanges").Select(n => new NumberRangeRecord(
                    n.Required("areaCode"),
                    n.Required("startNumber"),
                    n.Required("endNumber"),
                    n.Required("status").ToUpperInvariant() switch
                    {
                        "RINGFENCED" => NumberRangeStatus.Ringfenced,
                        "ACTIVE" => NumberRangeStatus.Active,
                        var other => throw n.Invalid($"number range status '{other}' is not RINGFENCED or ACTIVE"),
                    },
                    n.Optional("serviceId"))
                {
                    Ported = n.OptionalFlag("ported"),
                })],
                [.. root.List("sites").Select(s => new SiteRecord(
                    s.Required("serviceId"),
                    s.Required("siteName"),
                    s.Optional("siteLocationCode") ?? string.Empty,
                    s.Optional("nadKey") ?? string.Empty))],
                [.. root.List("users").Select(u => new UserRecord(
                    u.Required("serviceId"),
                    u.Optional("siteServiceId") ?? string.Empty,
                    u.Required("username"),
                    u.Optional("firstName") ?? string.Empty,
                    u.Optional("lastName") ?? string.Empty,
                    u.Optional("extension") ?? string.Empty,
                    u.Optional("directoryNumber"),
                    u.Optional("licence") ?? string.Empty,
                    [.. u.List("devices").Select(d => d.Required("macAddress"))]))]);
        });

    /// <summary>One page of the reseller's company listing: a list of <c>{serviceId, companyName, status}</c>.</summary>
    public static ImmutableArray<CompanySummary> ReadCompanyList(WhcResponse response, WhcCall call) =>
        Read(response, call, root => root.Elements("companies")
            .Select(c => new CompanySummary(c.Required("companyName"), c.Required("serviceId"), ReadStatus(c)))
            .ToImmutableArray());

    private static CompanyStatus ReadStatus(Fields company) =>
        company.Required("status").ToUpperInvariant() switch
        {
            "QUALIFIED" => CompanyStatus.Qualified,
            "ACTIVE" => CompanyStatus.Active,
            "CEASED" => CompanyStatus.Ceased,
            var other => throw company.Invalid($"company status '{other}' is not qualified, active or ceased"),
        };

    public static QualificationResult ReadQualification(WhcResponse response, WhcCall call) =>
        Read(response, call, root =>
        {
            var id = root.Required("id");
            if (root.List("productOfferingQualificationItem").Select(i => (Fields?)i).FirstOrDefault() is not { } item)
            {
                throw root.Invalid("field 'productOfferingQualificationItem' is an empty list, so it qualifies nothing");
            }

            var result = item.Required("qualificationItemResult");
            // The guide prints "servicelid" (a typo for serviceId, mapped by the contract), as a value object.
            var serviceId = item.OptionalObject("product")?.OptionalValue("serviceId");
            DateTimeOffset? expiresAt = null;
            if (root.Optional("expirationDate") is { } expiration)
            {
                expiresAt = DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                    ? parsed
                    : throw root.Invalid($"expirationDate '{expiration}' is not an ISO 8601 date-time");
            }

            // Only an unqualified answer gives reasons (TMF679 has the list optional); present, it must be a list.
            var reasons = item.OptionalList("eligibilityUnavailabilityReason")
                .Select(r => r.Optional("code") ?? r.Optional("label"))
                .OfType<string>()
                .ToList();
            return new QualificationResult(
                id,
                string.Equals(result, "Qualified", StringComparison.OrdinalIgnoreCase),
                serviceId,
                expiresAt,
                reasons.Count == 0 ? null : string.Join(", ", reasons));
        });

    public static RingFenceResult ReadRingFence(WhcResponse response, WhcCall call) =>
        Read(response, call, root =>
        {
            var range = root.RequiredObject("numberRange");
            return new RingFenceResult(
                range.Required("startNumber"),
                range.Required("endNumber"),
                root.Required("ringFenceId"),
                root.Required("status"));
        });

    public static ImmutableArray<AddressRecord> ReadAddresses(WhcResponse response, WhcCall call) =>
        Read(response, call, root => root.Elements("addresses").Select(ToAddress).ToImmutableArray());

    public static AddressRecord ReadAddress(WhcResponse response, WhcCall call) =>
        Read(response, call, root => ToAddress(root.Object()));

    public static string ReadCreatedOrderId(WhcResponse response, WhcCall call) =>
        Read(response, call, root => root.Required("id"));

    public static OrderStatus ReadOrder(WhcResponse response, WhcCall call) =>
        Read(response, call, root => ToOrderStatus(root.Object()));

    /// <summary>
    /// The order with this externalId from a list answer, or null. Every entry is read, and must carry its externalId:
    /// an entry without one cannot be told not to be this order, and "not found" would order it twice.
    /// </summary>
    public static OrderStatus? ReadOrderList(WhcResponse response, WhcCall call, string externalId) =>
        Read(response, call, root =>
        {
            // Every entry is read before one is picked, so a broken entry anywhere in the list is an error.
            var orders = root.Elements("orders").Select(o => (ExternalId: o.Required("externalId"), Order: ToOrderStatus(o))).ToList();
            return orders.Where(o => o.ExternalId == externalId).Select(o => (OrderStatus?)o.Order).FirstOrDefault();
        });

    private static OrderStatus ToOrderStatus(Fields order)
    {
        var stateText = order.Required("state");
        // A state TMF622 does not name is kept, as Unknown: never an error that fails the await, never taken as final.
        var known = OrderStateNames.TryGetValue(stateText, out var state);
        return new OrderStatus(order.Required("id"), order.Optional("externalId"), known ? state : OrderState.Unknown, order.Optional("errorMessage"), known ? null : stateText);
    }

    /// <summary>
    /// An address. TMF673 has <c>geographicSubAddress</c> optional: without it the building is read from the address
    /// itself (as BT's create answer may give it); present, it must be a list of objects.
    /// </summary>
    private static AddressRecord ToAddress(Fields address)
    {
        var nadKey = address.Required("id");
        var sub = address.OptionalList("geographicSubAddress").Select(s => (Fields?)s).FirstOrDefault();
        return new AddressRecord(
            nadKey,
            address.Optional("postcode") ?? string.Empty,
            sub is { } s ? s.Optional("buildingName") : address.Optional("buildingName"),
            sub?.Optional("subBuilding"),
            address.Optional("streetNr"),
            address.Optional("streetName"),
            address.Optional("city"),
            string.Equals(address.Optional("qualifier"), "Temporary", StringComparison.OrdinalIgnoreCase));
    }

    private static JsonArray CustomerParty(string cugId) =>
        new(new JsonObject { ["id"] = cugId, ["role"] = "customer", [ReferredType] = "BtCug" });

    private static JsonArray Characteristics(IEnumerable<KeyValuePair<string, string>> characteristics)
    {
        var list = new JsonArray();
        foreach (var (name, value) in characteristics)
        {
            list.Add((JsonNode)new JsonObject { ["name"] = name, ["value"] = value });
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

    /// <summary>The token answer's reader (<see cref="ReadToken"/>): the body as JSON, read by the caller.</summary>
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

    /// <summary>Reads a 2xx answer field by field (<see cref="Fields"/>); any field it lacks or holds as another kind is an error naming the call's route and the field's path.</summary>
    private static T Read<T>(WhcResponse response, WhcCall call, Func<Fields, T> map)
    {
        var source = new AnswerSource(call.Description, $"{call.Method.Method} {call.Route}", response);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response.Body);
        }
        catch (JsonException)
        {
            throw source.Invalid("its body is not JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                throw source.Invalid("its body is not a JSON object or list");
            }

            return map(new Fields(document.RootElement, string.Empty, source));
        }
    }

    /// <summary>The call an answer came to, for its errors.</summary>
    private sealed record AnswerSource(string Description, string Route, WhcResponse Response)
    {
        public WhcApiException Invalid(string detail) =>
            new(
                WhcFailureKind.ServerError,
                Response.Status,
                null,
                $"{Description} ({Route}): BT answered {Response.Status} but {detail}, which the documented wire format does not allow (tracking id {Response.TrackingId})",
                Response.TrackingId);
    }

    /// <summary>
    /// A value of an answer at its field path (<c>sites[2]</c>), read as whcctl expects it: a field it needs must be
    /// there, one it can do without may be absent or null, and either, when present, must be of the kind expected.
    /// Text is a string or (as BT may write ids and numbers) a JSON number; an empty string counts as absent.
    /// </summary>
    private readonly record struct Fields(JsonElement Element, string Path, AnswerSource Source)
    {
        public string Required(string name) =>
            Optional(name) ?? throw Source.Invalid(Present(name) is { ValueKind: JsonValueKind.String } ? $"field '{At(name)}' is empty" : $"field '{At(name)}' is missing");

        public string? Optional(string name) => Present(name) is not { } value
            ? null
            : value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
                JsonValueKind.Number => value.GetRawText(),
                _ => throw WrongKind(name, value, "text"),
            };

        /// <summary>Text, or a TMF value object <c>{"value": text}</c> holding it.</summary>
        public string? OptionalValue(string name) =>
            Present(name) is { ValueKind: JsonValueKind.Object } value ? new Fields(value, At(name), Source).Optional("value") : Optional(name);

        public bool OptionalFlag(string name) => Present(name) is not { } value
            ? false
            : value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw WrongKind(name, value, "true or false"),
            };

        /// <summary>A list that must be there (an empty one as <c>[]</c>), of objects.</summary>
        public List<Fields> List(string name) =>
            Present(name) is { } value ? Objects(name, value) : throw Source.Invalid($"field '{At(name)}' is missing (an empty list is [])");

        public List<Fields> OptionalList(string name) => Present(name) is { } value ? Objects(name, value) : [];

        public Fields RequiredObject(string name) =>
            OptionalObject(name) ?? throw Source.Invalid($"field '{At(name)}' is missing");

        public Fields? OptionalObject(string name) => Present(name) is not { } value
            ? null
            : value.ValueKind == JsonValueKind.Object ? new Fields(value, At(name), Source) : throw WrongKind(name, value, "an object");

        /// <summary>The answer itself as a list of <paramref name="what"/>, each an object.</summary>
        public List<Fields> Elements(string what) => Element.ValueKind == JsonValueKind.Array
            ? ObjectsOf(Element, Path)
            : throw Invalid($"it is not a list of {what}");

        /// <summary>The answer itself as an object.</summary>
        public Fields Object() => Element.ValueKind == JsonValueKind.Object ? this : throw Invalid("it is a list, not an object");

        public WhcApiException Invalid(string detail) =>
            Source.Invalid(Path.Length == 0 ? detail : $"'{Path}': {detail}");

        private JsonElement? Present(string name) =>
            Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private string At(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

        private List<Fields> Objects(string name, JsonElement value) =>
            value.ValueKind == JsonValueKind.Array ? ObjectsOf(value, At(name)) : throw WrongKind(name, value, "a list");

        private List<Fields> ObjectsOf(JsonElement list, string path)
        {
            var elements = new List<Fields>();
            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
                elements.Add(element.ValueKind == JsonValueKind.Object
                    ? new Fields(element, at, Source)
                    : throw Source.Invalid($"'{at}' is {KindOf(element)}, not an object"));
            }

            return elements;
        }

        private WhcApiException WrongKind(string name, JsonElement value, string expected) =>
            Source.Invalid($"field '{At(name)}' is {KindOf(value)}, not {expected}");

        private static string KindOf(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }

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

    public static WhcApiException Invalid(string description, WhcResponse response, string detail) =>
        new(
            WhcFailureKind.ServerError,
            response.Status,
            null,
            $"{description}: BT answered {response.Status} but {detail}, which the documented wire format does not allow (tracking id {response.TrackingId})",
            response.TrackingId);
}
