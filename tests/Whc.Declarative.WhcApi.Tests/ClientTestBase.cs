using Microsoft.Extensions.Logging;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>Each test gets its own stub server, clock and log capture, and clients wired to them.</summary>
public abstract class ClientTestBase : IAsyncLifetime
{
    private readonly List<IDisposable> disposables = [];

    protected StubServer Server { get; private set; } = null!;

    protected ManualClock Clock { get; } = new();

    protected CapturingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync() => Server = await StubServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in disposables)
        {
            disposable.Dispose();
        }

        await Server.DisposeAsync();
    }

    protected WhcClient CreateClient(Func<WhcClientOptions, WhcClientOptions>? configure = null)
    {
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        disposables.Add(loggerFactory);
        var options = new WhcClientOptions
        {
            BaseUri = Server.BaseUri,
            Credentials = new WhcCredentials(StubServer.ClientId, StubServer.ClientSecret),
            TimeProvider = Clock,
            RandomSeed = 42,
            LoggerFactory = loggerFactory,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var client = new WhcClient(configure is null ? options : configure(options));
        disposables.Add(client);
        return client;
    }
}

/// <summary>Canned answers and paths from docs/whc-api.md.</summary>
public static class Contract
{
    public const string Cug = "CUG5019851064";
    public const string CompanyPath = "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/company";
    public const string QualifyPath = "/bt-wholesale/v1/whc/productOfferingQualification";
    public const string RingFencePath = "/v1/resourceManagement/directoryNumbers/ringFence";
    public const string AddressPath = "/common/geographicAddressManagement/v1/geographicAddress";
    public const string OrderPath = "/bt-wholesale/v1/whc/productOrder";
    public const string SubmitPath = "/bt-wholesale/v1/order/submit-product-order";

    public const string Company = """
        {
          "serviceId": "WHHCBTWKN1484", "companyName": "TheFunNetwork", "companyDomain": "thefunnetwork.com",
          "customerGroup": "SWAINsTelecom", "cugId": "CUG5019851064",
          "status": "active", "qualificationId": "QFW103255",
          "numberRanges": [ { "areaCode": "0121", "startNumber": "01214960000", "endNumber": "01214960009",
                              "status": "ACTIVE", "serviceId": "WHHNBTWKN1490" },
                            { "areaCode": "0113", "startNumber": "01134960000", "endNumber": "01134960004",
                              "status": "RINGFENCED", "serviceId": null } ],
          "sites": [ { "serviceId": "WHHSBTWKN1491", "siteName": "ipswich-hq", "siteLocationCode": "IPS01", "nadKey": "X05000455530" } ],
          "users": [ { "serviceId": "WHHUBTWKN1492", "siteServiceId": "WHHSBTWKN1491", "username": "jane.smith",
                       "firstName": "Jane", "lastName": "Smith", "extension": "2001", "directoryNumber": "01214960000",
                       "licence": "standard", "devices": [ { "macAddress": "001122AABBCC" }, { "macAddress": "001122AABBCD" } ] } ]
        }
        """;

    public const string Qualified = """
        {
          "id": "QFW103255", "expirationDate": "2026-11-26T23:59:00+00:00",
          "productOfferingQualificationItem": [ {
            "id": "QFW103255-1", "qualificationItemResult": "Qualified",
            "product": { "serviceId": { "value": "WHHCBTWKN1484" }, "place": [],
              "productCharacteristic": [ { "name": "customerName", "value": "TheFunNetwork" },
                { "name": "customerDomain", "value": "thefunnetwork.com" }, { "name": "customerGroup", "value": "SWAINsTelecom" },
                { "name": "networkType", "value": "BT" } ] },
            "productOffering": { "id": "WHCCompany", "name": "WHC Hosted Communications" },
            "productOfferingQualificationItem": [] } ],
          "relatedParty": [ { "id": "CUG5019851064", "role": "customer", "@referredType": "BtCug" } ]
        }
        """;

    public const string Unqualified = """
        {
          "id": "QFW103256", "expirationDate": "2026-11-26T23:59:00+00:00",
          "productOfferingQualificationItem": [ {
            "id": "QFW103256-1", "qualificationItemResult": "Unqualified",
            "eligibilityUnavailabilityReason": [ { "code": "nameTaken", "label": "company name already registered" } ],
            "product": { "place": [], "productCharacteristic": [] },
            "productOffering": { "id": "WHCCompany" }, "productOfferingQualificationItem": [] } ]
        }
        """;

    public const string RingFenced = """
        {"action":"Ringfence","numberRange":{"startNumber":"01214960000","endNumber":"01214960009"},"ringFenceId":"WHHCBTWKN1484","status":"RINGFENCED"}
        """;

    public const string Addresses = """
        [ { "id": "X05000455530", "uprn": "100091234567", "addressSource": "ROBT", "streetNr": "", "streetName": "Main Road",
            "locality": "Martlesham Heath", "city": "Ipswich", "postcode": "IP5 3RE", "country": "GB", "qualifier": "Gold",
            "geographicSubAddress": [ { "buildingName": "Adastral Park", "subBuilding": "" } ] } ]
        """;

    public const string TemporaryAddress = """
        { "id": "T00000000042", "addressSource": "ROBT", "streetName": "New Road", "city": "Ipswich", "postcode": "IP5 3RE",
          "country": "GB", "qualifier": "Temporary", "geographicSubAddress": [ { "buildingName": "Unit 7", "subBuilding": "" } ] }
        """;

    public const string OrderCreated = """{"id":"BTWKN1485","@referredType":"ProductOrder"}""";

    public const string OrderSubmitted = """{"id":"BTWKN1485","productOrder":{"id":"BTWKN1485","@referredType":"ProductOrder"}}""";

    public const string OrderCompleted = """
        {"id":"BTWKN1485","externalId":"whcctl-6f0c","state":"inProgress","orderDate":"2026-03-02T09:00:00Z",
         "productOrderItem":[{"id":"1","action":"add","state":"inProgress","productOffering":{"id":"WHCCompany"},"product":{"id":"WHHCBTWKN1484"}}]}
        """;

    public const string NotFound = """{"code":"404","message":"No data found"}""";

    public const string TokenExpired = """{"code":"42","message":"Access token expired"}""";

    public const string ServerError = """{"code":"01","message":"Internal error"}""";
}
