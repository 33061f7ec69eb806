using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>A time source that only moves when the sandbox clock is moved (admin API or SandboxClock).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public sealed record Reply(HttpStatusCode Status, JsonNode? Json, HttpResponseMessage Message)
{
    public int Code => (int)Status;

    public string? ErrorCode => Json?["code"]?.GetValue<string>();
}

/// <summary>A real sandbox on a free loopback port plus a client that speaks BT's conventions.</summary>
public sealed class SandboxHarness : IAsyncDisposable
{
    public const string Cug = "CUG5019851064";
    public const string OtherCug = "CUG7000000001";
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private string? _token;

    private SandboxHarness(SandboxServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseUri };
    }

    public SandboxServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        if (options.Clock == TimeProvider.System)
        {
            options = options with { Clock = new FixedClock(Start) };
        }

        return new SandboxHarness(await SandboxServer.StartAsync(options, CancellationToken.None));
    }

    public static string Basic(string id, string secret) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}"));

    public async Task<Reply> RequestTokenAsync(HttpMethod? method = null, string? basic = null, string query = "?grant_type=client_credentials")
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "/oauth/accesstoken" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic ?? Basic(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret));
        return await ReadAsync(await Http.SendAsync(request));
    }

    public async Task<string> TokenAsync()
    {
        if (_token is null)
        {
            var reply = await RequestTokenAsync();
            _token = reply.Json!["accessToken"]!.GetValue<string>();
        }

        return _token;
    }

    /// <summary>A fresh access token for another client (the harness's own calls use the default client).</summary>
    public async Task<string> TokenForAsync(string clientId, string clientSecret)
    {
        var reply = await RequestTokenAsync(basic: Basic(clientId, clientSecret));
        reply.Code.Should().Be(200, reply.Json?.ToJsonString());
        return reply.Json!["accessToken"]!.GetValue<string>();
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? tracking = "3dd57ffe-f884-4f85-ae5c-7f2b4f596ee0", string? token = null, bool auth = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (tracking is not null)
        {
            request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", tracking);
        }

        if (auth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync());
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await ReadAsync(await Http.SendAsync(request));
    }

    /// <summary>Sends <paramref name="body"/> as it is (malformed JSON, another content type), with tracking id and token.</summary>
    public async Task<Reply> SendRawAsync(HttpMethod method, string path, string body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", "raw-body");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync());
        return await ReadAsync(await Http.SendAsync(request));
    }

    public Task<Reply> GetAsync(string path, string? tracking = "abc") => SendAsync(HttpMethod.Get, path, tracking: tracking);

    public Task<Reply> PostAsync(string path, JsonNode body, string? tracking = "ABC") => SendAsync(HttpMethod.Post, path, body, tracking);

    public async Task<Reply> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        // Admin POSTs must say JSON even when they carry nothing (reset, revoke, cease).
        if (json is not null || method == HttpMethod.Post)
        {
            request.Content = new StringContent(json ?? "", Encoding.UTF8, "application/json");
        }

        return await ReadAsync(await Http.SendAsync(request));
    }

    public async Task<JsonNode> InventoryAsync() => (await AdminAsync(HttpMethod.Get, "/_sandbox/inventory")).Json!;

    /// <summary>Moves the sandbox clock through the admin API; the next call fetches a fresh token.</summary>
    public Task<Reply> AdvanceClockAsync(string duration)
    {
        _token = null;
        return AdminAsync(HttpMethod.Post, "/_sandbox/clock", $$"""{"advance":"{{duration}}"}""");
    }

    public Task<Reply> SetClockAsync(string instant)
    {
        _token = null;
        return AdminAsync(HttpMethod.Post, "/_sandbox/clock", $$"""{"set":"{{instant}}"}""");
    }

    public Task<Reply> SetFaultsAsync(string json) => AdminAsync(HttpMethod.Post, "/_sandbox/faults", json);

    public Task<Reply> QualifyAsync(string name = "TheFunNetwork", string domain = "TheFunNetwork.com", string cug = Cug) =>
        PostAsync(Paths.Qualify, Bodies.Qualify(name, domain, cug));

    /// <summary>Qualifies a company and returns (qualification id, company service id).</summary>
    public async Task<(string QualificationId, string ServiceId)> QualifiedAsync(string name = "TheFunNetwork", string domain = "TheFunNetwork.com", string cug = Cug)
    {
        var reply = await QualifyAsync(name, domain, cug);
        reply.Code.Should().Be(201, reply.Json?.ToJsonString());
        return (reply.Json!["id"]!.GetValue<string>(), reply.Json["productOfferingQualificationItem"]![0]!["product"]!["serviceId"]!["value"]!.GetValue<string>());
    }

    public Task<Reply> RingFenceAsync(string serviceId, string qualificationId, int quantity = 1, string areaCode = "0121", string cug = Cug) =>
        PostAsync(Paths.RingFence, Bodies.RingFence(serviceId, qualificationId, quantity, areaCode, cug));

    /// <summary>Qualifies, ringfences ten 0121 numbers, creates and submits the company order; returns the company service id.</summary>
    public async Task<ActiveCompany> ActiveCompanyAsync(string name = "TheFunNetwork", string domain = "thefunnetwork.com", string cug = Cug, string username = "jane.smith")
    {
        var (qualification, serviceId) = await QualifiedAsync(name, domain, cug);
        var range = (await RingFenceAsync(serviceId, qualification, 10, cug: cug)).Json!["numberRange"]!;
        var start = range["startNumber"]!.GetValue<string>();
        var end = range["endNumber"]!.GetValue<string>();
        var order = Bodies.NewCompanyOrder(qualification, name, domain, start, end, cug,
            [Bodies.User("1.1.1", username, "2001", start)]);
        var created = await PostAsync(Paths.Orders, order);
        created.Code.Should().Be(201, created.Json?.ToJsonString());
        var orderId = created.Json!["id"]!.GetValue<string>();
        (await PostAsync(Paths.Submit, Bodies.Submit(orderId))).Code.Should().Be(201);
        await AdvanceClockAsync("PT1M");
        var read = await GetAsync(Paths.Order(orderId));
        (read.Json?["state"]?.GetValue<string>()).Should().Be("completed", $"{read.Code} {read.Json?.ToJsonString()}");
        var company = (await GetAsync(Paths.Company(name, cug))).Json!;
        return new ActiveCompany(serviceId, company["sites"]![0]!["serviceId"]!.GetValue<string>(), company["users"]![0]!["serviceId"]!.GetValue<string>(), start, end);
    }

    public async Task<string> SubmitAndCompleteAsync(JsonNode order)
    {
        var created = await PostAsync(Paths.Orders, order);
        created.Code.Should().Be(201, created.Json?.ToJsonString());
        var id = created.Json!["id"]!.GetValue<string>();
        (await PostAsync(Paths.Submit, Bodies.Submit(id))).Code.Should().Be(201);
        await AdvanceClockAsync("PT1M");
        return id;
    }

    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed record ActiveCompany(string ServiceId, string SiteServiceId, string UserServiceId, string StartNumber, string EndNumber);

public static class Paths
{
    public const string Reseller = "/bt-wholesale/v1/whc/resourceInventory/resellers/";
    public const string Qualify = "/bt-wholesale/v1/whc/productOfferingQualification";
    public const string RingFence = "/v1/resourceManagement/directoryNumbers/ringFence";
    public const string Address = "/common/geographicAddressManagement/v1/geographicAddress";
    public const string Orders = "/bt-wholesale/v1/whc/productOrder";
    public const string Submit = "/bt-wholesale/v1/order/submit-product-order";

    public static string Company(string name, string cug = SandboxHarness.Cug) => $"{Reseller}{cug}/company?companyName={Uri.EscapeDataString(name)}";

    public static string Order(string id) => $"{Orders}/{id}";
}

public static class Bodies
{
    public static JsonNode Party(string cug) => new JsonArray(new JsonObject { ["id"] = cug, ["role"] = "customer", ["@referredType"] = "BtCug" });

    public static JsonObject Characteristic(string name, string value) => new() { ["name"] = name, ["value"] = value };

    public static JsonNode Qualify(string name, string domain, string cug = SandboxHarness.Cug, string group = "SWAINsTelecom") => new JsonObject
    {
        ["relatedParty"] = Party(cug),
        ["billingAccount"] = new JsonObject { ["id"] = "GB12345678" },
        ["productOfferingQualificationItem"] = new JsonArray(new JsonObject
        {
            ["id"] = "1",
            ["productOffering"] = new JsonObject { ["id"] = "WHCCompany" },
            ["product"] = new JsonObject
            {
                ["productCharacteristic"] = new JsonArray(
                    Characteristic("customerName", name), Characteristic("customerDomain", domain), Characteristic("customerGroup", group)),
            },
        }),
    };

    /// <summary>The guide's ringfence request body, with the ids filled in.</summary>
    public static JsonNode RingFence(string serviceId, string qualificationId, int quantity = 1, string areaCode = "0121", string cug = SandboxHarness.Cug) => JsonNode.Parse($$"""
        {
          "customer": { "id": "{{cug}}", "type": "BUSINESS" },
          "numbers": { "quantity": {{quantity}}, "characteristics": { "numberString": "{{areaCode}}" } },
          "product": { "name": "WHC" },
          "action": "RingFence",
          "ringFenceId": "{{serviceId}}",
          "qualifierId": "{{qualificationId}}"
        }
        """)!;

    public static JsonNode Submit(string orderId) => JsonNode.Parse($$"""{ "productOrder": { "id": "{{orderId}}", "@referredType": "ProductOrder" } }""")!;

    public static JsonObject Item(string id, string action, string offering, string? productId = null, JsonArray? characteristics = null, string? nadKey = null, params JsonNode[] children)
    {
        var product = new JsonObject();
        if (productId is not null)
        {
            product["id"] = productId;
        }

        if (nadKey is not null)
        {
            product["place"] = new JsonArray(new JsonObject { ["id"] = nadKey, ["role"] = "installationAddress", ["@referredType"] = "GeographicAddress" });
        }

        product["productCharacteristic"] = characteristics ?? [];
        return new JsonObject
        {
            ["id"] = id,
            ["action"] = action,
            ["productOffering"] = new JsonObject { ["id"] = offering },
            ["product"] = product,
            ["productOrderItem"] = new JsonArray(children),
        };
    }

    public static JsonObject User(string id, string username, string extension, string directoryNumber, string? mac = null, string action = "add", string? serviceId = null)
    {
        var characteristics = new JsonArray(
            Characteristic("firstName", "Jane"), Characteristic("lastName", "Smith"), Characteristic("username", username),
            Characteristic("extension", extension), Characteristic("directoryNumber", directoryNumber), Characteristic("licence", "standard"));
        if (mac is not null)
        {
            characteristics.Add(Characteristic("macAddress", mac));
        }

        return Item(id, action, "WHCUser", serviceId, characteristics);
    }

    public static JsonObject Site(string id, string name, string code, params JsonNode[] users) =>
        Item(id, "add", "WHCSite", null, new JsonArray(Characteristic("siteName", name), Characteristic("siteLocationCode", code)), "X05000455530", users);

    public static JsonObject Order(string cug, string externalId, JsonObject root) => new()
    {
        ["externalId"] = externalId,
        ["relatedParty"] = Party(cug),
        ["billingAccount"] = new JsonObject { ["id"] = "GB12345678" },
        ["productOrderItem"] = new JsonArray(root),
    };

    /// <summary>Company + one number block + one site with the given users: the guide's recommended first order.</summary>
    public static JsonObject NewCompanyOrder(string qualificationId, string name, string domain, string start, string end, string cug = SandboxHarness.Cug, JsonNode[]? users = null, string externalId = "whcctl-test-1")
    {
        var company = Item("1", "add", "WHCCompany", null, new JsonArray(
                Characteristic("customerName", name), Characteristic("customerDomain", domain), Characteristic("customerGroup", "SWAINsTelecom")), null,
            Item("1.2", "add", "WHCNewnumber", null, new JsonArray(Characteristic("startNumber", start), Characteristic("endNumber", end))),
            Site("1.1", "ipswich-hq", "IPS01", users ?? []));
        company["qualification"] = new JsonArray(new JsonObject { ["id"] = qualificationId });
        return Order(cug, externalId, company);
    }

    /// <summary>A later order: the existing company (noChange) with the given children.</summary>
    public static JsonObject ChangeOrder(string companyServiceId, string externalId, params JsonNode[] children) =>
        Order(SandboxHarness.Cug, externalId, Item("1", "noChange", "WHCCompany", companyServiceId, null, null, children));
}
