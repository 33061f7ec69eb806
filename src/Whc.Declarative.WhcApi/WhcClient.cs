using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// BT's WHC API over HTTP (docs/whc-api.md): typed calls for every <see cref="IWhcApi"/> operation, with OAuth client
/// credentials, tracking ids, error envelope mapping, retries and an optional shared rate limit (docs/whc-client.md).
/// Thread-safe; one instance per endpoint and set of credentials.
/// </summary>
public sealed class WhcClient : IWhcApi, IDisposable
{
    private readonly WhcRoutes routes;
    private readonly WhcHttpSender sender;

    public WhcClient(WhcClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseUri);
        ArgumentNullException.ThrowIfNull(options.Credentials);
        if (!options.BaseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("the base URI must be absolute", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.BaseDelay, nameof(options));
        routes = options.Routes;
        Calls = new WhcCallCounter();
        sender = new WhcHttpSender(options, Calls);
    }

    /// <summary>The sender and routes, for <see cref="WhcDoctor"/>'s probes, which look at raw answers.</summary>
    internal WhcHttpSender Sender => sender;

    internal WhcRoutes Routes => routes;

    /// <summary>HTTP requests this client sent, per operation (retries and token calls included).</summary>
    public WhcCallCounter Calls { get; }

    public async Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
    {
        var call = Get("readCompany", $"reading company '{companyName}'", routes.VerifyCompany, Fill(routes.VerifyCompany, "{cugId}", cugId), [new("companyName", companyName)]);
        var response = await sender.SendAsync(call, cancellationToken);
        return response.Status switch
        {
            200 => WhcWireFormat.ReadCompany(response, call.Description, cugId, companyName),
            404 when WhcErrorEnvelope.IsNoData(response) => null,
            _ => throw Failure(call, response),
        };
    }

    /// <summary>Pages through the listing (offset/limit) until a page comes back short; a page that repeats is refused.</summary>
    public async Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        var companies = ImmutableArray.CreateBuilder<CompanySummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += PageSize)
        {
            var call = Get("listCompanies", $"listing the companies of {cugId} (from {offset})", routes.ListCompanies, Fill(routes.ListCompanies, "{cugId}", cugId),
                Query(("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture))));
            var response = await sender.SendAsync(call, cancellationToken);
            if (response.Status != 200)
            {
                // Fail closed: no answer but a list is "the reseller has these companies", a 404 included.
                throw Failure(call, response);
            }

            var page = WhcWireFormat.ReadCompanyList(response, call.Description);
            foreach (var company in page)
            {
                if (!seen.Add(company.ServiceId))
                {
                    throw WhcWireFormat.Invalid(call.Description, response, $"company {company.ServiceId} is listed twice, so its paging (offset, limit) is not what whcctl expects");
                }

                companies.Add(company);
            }

            if (page.Length < PageSize)
            {
                return companies.ToImmutable();
            }
        }
    }

    public async Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var (route, description, query) = check switch
        {
            VerifyCheck.CompanyName c => (routes.VerifyCompany, $"checking company name '{c.Name}'", Query(("companyName", c.Name))),
            VerifyCheck.CompanyDomain d => (routes.VerifyDomain, $"checking company domain '{d.Domain}'", Query(("companyDomain", d.Domain))),
            VerifyCheck.SiteName s => (routes.VerifySite, $"checking site name '{s.Name}'", Query(("siteName", s.Name), ("companyServiceId", s.CompanyServiceId))),
            VerifyCheck.Username u => (routes.VerifyUser, $"checking username '{u.Name}'", Query(("username", u.Name))),
            VerifyCheck.Extension e => (routes.VerifyExtension, $"checking extension '{e.Number}'", Query(("extension", e.Number), ("companyServiceId", e.CompanyServiceId))),
            _ => throw new ArgumentOutOfRangeException(nameof(check), check, "unknown verify check"),
        };
        var call = Get("verify", description, route, Fill(route, "{cugId}", cugId), query);
        var response = await sender.SendAsync(call, cancellationToken);
        return response.Status switch
        {
            200 => true,
            404 when WhcErrorEnvelope.IsNoData(response) => false,
            _ => throw Failure(call, response),
        };
    }

    public async Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Post("qualify", $"qualifying company '{request.CompanyName}'", routes.Qualify, WhcWireFormat.QualifyBody(request));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return WhcWireFormat.ReadQualification(response, call.Description);
    }

    public async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Post(
            "ringFence",
            $"ringfencing {request.Quantity} number(s) in area code {request.AreaCode} for {request.CompanyServiceId}",
            routes.RingFence,
            WhcWireFormat.RingFenceBody(request));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return WhcWireFormat.ReadRingFence(response, call.Description);
    }

    public async Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken)
    {
        var call = Get(
            "searchAddresses",
            $"searching addresses at postcode '{postcode}'",
            routes.GeographicAddress,
            routes.GeographicAddress,
            Query(("postcode", postcode), ("addressSource", "ROBT")));
        var response = await sender.SendAsync(call, cancellationToken);
        return response.Status switch
        {
            200 => WhcWireFormat.ReadAddresses(response, call.Description),
            404 when WhcErrorEnvelope.IsNoData(response) => [],
            _ => throw Failure(call, response),
        };
    }

    public async Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var call = Post("createAddress", $"creating an address at postcode '{address.Postcode}'", routes.GeographicAddress, WhcWireFormat.NewAddressBody(address));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return WhcWireFormat.ReadAddress(response, call.Description);
    }

    public async Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var call = Post("createOrder", $"creating order {order.ExternalId}", routes.ProductOrder, WhcWireFormat.OrderBody(order));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return WhcWireFormat.ReadCreatedOrderId(response, call.Description);
    }

    public async Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        var call = Post("submitOrder", $"submitting order {orderId}", routes.SubmitOrder, WhcWireFormat.SubmitBody(orderId));
        await SendExpectingSuccessAsync(call, cancellationToken);
    }

    public async Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        var call = Get("readOrder", $"reading order {orderId}", routes.ProductOrderById, Fill(routes.ProductOrderById, "{orderId}", orderId), []);
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return WhcWireFormat.ReadOrder(response, call.Description);
    }

    public async Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken)
    {
        var call = Get("findOrder", $"finding order {externalId}", routes.ProductOrder, routes.ProductOrder, Query(("externalId", externalId)));
        var response = await sender.SendAsync(call, cancellationToken);
        return response.Status switch
        {
            200 => WhcWireFormat.ReadOrderList(response, call.Description, externalId),
            404 when WhcErrorEnvelope.IsNoData(response) => null,
            _ => throw Failure(call, response),
        };
    }

    public void Dispose() => sender.Dispose();

    internal static WhcCall Get(string operation, string description, string route, string path, IReadOnlyList<KeyValuePair<string, string>> query) =>
        new(operation, description, HttpMethod.Get, route, path, query, null, Idempotent: true);

    private static WhcCall Post(string operation, string description, string route, string body) =>
        new(operation, description, HttpMethod.Post, route, route, [], body, Idempotent: false);

    private static KeyValuePair<string, string>[] Query(params (string Name, string Value)[] parameters) =>
        [.. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];

    internal static string Fill(string route, string placeholder, string value) =>
        route.Replace(placeholder, Uri.EscapeDataString(value), StringComparison.Ordinal);

    private async Task<WhcResponse> SendExpectingSuccessAsync(WhcCall call, CancellationToken cancellationToken)
    {
        var response = await sender.SendAsync(call, cancellationToken);
        return response.IsSuccess ? response : throw Failure(call, response);
    }

    private WhcApiException Failure(WhcCall call, WhcResponse response) =>
        WhcErrorEnvelope.ToException(call.Description, response, sender.Redact);
}
