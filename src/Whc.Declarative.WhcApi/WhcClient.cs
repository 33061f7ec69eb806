using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// BT's WHC API over HTTP (docs/whc-api.md): typed calls for every <see cref="IWhcApi"/> operation, with OAuth client
/// credentials, tracking ids, error envelope mapping, retries and an optional shared rate limit (docs/whc-client.md).
/// Every wire detail comes from the options' <see cref="WhcContract"/>: the bodies are built and read in whcctl's
/// shape, and the sender translates them to and from the contract's. Thread-safe; one instance per endpoint and set
/// of credentials.
/// </summary>
public sealed class WhcClient : IWhcApi, IDisposable
{
    private readonly WhcContract contract;
    private readonly WhcHttpSender sender;
    private readonly int maxPages;
    private readonly int maxListedCompanies;

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
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CallTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAnswerBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxAnswerBytes, WhcOutboundPolicy.MaxAnswerBytesCeiling, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPages, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxListedCompanies, 1, nameof(options));
        maxPages = options.MaxPages;
        maxListedCompanies = options.MaxListedCompanies;
        contract = options.Contract;
        Calls = new WhcCallCounter();
        sender = new WhcHttpSender(options, Calls);
    }

    /// <summary>The sender and contract, for <see cref="WhcDoctor"/>'s probes, which look at raw answers.</summary>
    internal WhcHttpSender Sender => sender;

    internal WhcContract Contract => contract;

    /// <summary>HTTP requests this client sent, per operation (retries and token calls included).</summary>
    public WhcCallCounter Calls { get; }

    public async Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
    {
        var call = Call(ContractRoutes.ReadCompany, "readCompany", $"reading company '{companyName}'", cugId, null, ("companyName", companyName));
        var response = await sender.SendAsync(call, cancellationToken);
        return response switch
        {
            _ when IsSuccess(call, response) => Redacted(() => WhcWireFormat.ReadCompany(response, call, cugId, companyName)),
            { IsNoData: true } => null,
            _ => throw Failure(call, response),
        };
    }

    /// <summary>
    /// Pages through the listing (offset/limit) until a page comes back short; a page that repeats is refused, and so is
    /// a listing of more pages or companies than the options allow (a listing that never ends, WHC4020).
    /// </summary>
    public async Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        var companies = ImmutableArray.CreateBuilder<CompanySummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += PageSize)
        {
            if (offset / PageSize >= maxPages)
            {
                throw Unbounded(string.Create(CultureInfo.InvariantCulture, $"it went on past {maxPages} pages"));
            }

            var call = Call(ContractRoutes.ListCompanies, "listCompanies", $"listing the companies of {cugId} (from {offset})", cugId, null,
                ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture)));
            var response = await sender.SendAsync(call, cancellationToken);
            if (!IsSuccess(call, response))
            {
                // Fail closed: no answer but a list is "the reseller has these companies", a 404 included.
                throw Failure(call, response);
            }

            var page = Redacted(() => WhcWireFormat.ReadCompanyList(response, call));
            foreach (var company in page)
            {
                if (!seen.Add(company.ServiceId))
                {
                    throw WhcWireFormat.Invalid(call.Description, response, $"company {sender.Redact(company.ServiceId)} is listed twice, so its paging (offset, limit) is not what whcctl expects");
                }

                companies.Add(company);
                if (companies.Count > maxListedCompanies)
                {
                    throw Unbounded(string.Create(CultureInfo.InvariantCulture, $"it went on past {maxListedCompanies} companies"));
                }
            }

            if (page.Length < PageSize)
            {
                return companies.ToImmutable();
            }
        }

        WhcApiException Unbounded(string what) => new(
            WhcFailureKind.AnswerUnbounded,
            0,
            null,
            $"listing the companies of {cugId}: the listing on route '{ContractRoutes.ListCompanies}' was not read to its end because {what}, more than whcctl reads",
            null);
    }

    public async Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var call = check switch
        {
            VerifyCheck.CompanyName c => Call(ContractRoutes.ReadCompany, "verify", $"checking company name '{c.Name}'", cugId, null, ("companyName", c.Name)),
            VerifyCheck.CompanyDomain d => Call(ContractRoutes.VerifyDomain, "verify", $"checking company domain '{d.Domain}'", cugId, null, ("companyDomain", d.Domain)),
            VerifyCheck.SiteName s => Call(ContractRoutes.VerifySite, "verify", $"checking site name '{s.Name}'", cugId, null, ("siteName", s.Name), ("companyServiceId", s.CompanyServiceId)),
            VerifyCheck.Username u => Call(ContractRoutes.VerifyUser, "verify", $"checking username '{u.Name}'", cugId, null, ("username", u.Name)),
            VerifyCheck.Extension e => Call(ContractRoutes.VerifyExtension, "verify", $"checking extension '{e.Number}'", cugId, null, ("extension", e.Number), ("companyServiceId", e.CompanyServiceId)),
            VerifyCheck.NumberRange { CompanyServiceId: { } serviceId } n => Call(ContractRoutes.VerifyNumbers, "verify", $"checking numbers {n.StartNumber} to {n.EndNumber}", cugId, null, ("startNumber", n.StartNumber), ("endNumber", n.EndNumber), ("companyServiceId", serviceId)),
            VerifyCheck.NumberRange n => Call(ContractRoutes.VerifyNumbers, "verify", $"checking numbers {n.StartNumber} to {n.EndNumber}", cugId, null, ("startNumber", n.StartNumber), ("endNumber", n.EndNumber)),
            _ => throw new ArgumentOutOfRangeException(nameof(check), check, "unknown verify check"),
        };
        var response = await sender.SendAsync(call, cancellationToken);
        return response switch
        {
            _ when IsSuccess(call, response) => true,
            { IsNoData: true } => false,
            _ => throw Failure(call, response),
        };
    }

    public async Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Call(ContractRoutes.Qualify, "qualify", $"qualifying company '{request.CompanyName}'", null, WhcWireFormat.QualifyBody(request));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return Redacted(() => WhcWireFormat.ReadQualification(response, call));
    }

    public async Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Call(
            ContractRoutes.RingFence,
            "ringFence",
            request.Ported is { } ported
                ? $"ringfencing ported numbers {ported.StartNumber} to {ported.EndNumber} for {request.CompanyServiceId}"
                : $"ringfencing {Counted.Of(request.Quantity, "number")} in area code {request.AreaCode} for {request.CompanyServiceId}",
            null,
            WhcWireFormat.RingFenceBody(request));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return Redacted(() => WhcWireFormat.ReadRingFence(response, call));
    }

    public async Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken)
    {
        var call = Call(ContractRoutes.SearchAddress, "searchAddresses", $"searching addresses at postcode '{postcode}'", null, null, ("postcode", postcode));
        var response = await sender.SendAsync(call, cancellationToken);
        return response switch
        {
            _ when IsSuccess(call, response) => Redacted(() => WhcWireFormat.ReadAddresses(response, call)),
            { IsNoData: true } => [],
            _ => throw Failure(call, response),
        };
    }

    public async Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var call = Call(ContractRoutes.CreateAddress, "createAddress", $"creating an address at postcode '{address.Postcode}'", null, WhcWireFormat.NewAddressBody(address));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return Redacted(() => WhcWireFormat.ReadAddress(response, call));
    }

    public async Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var call = Call(ContractRoutes.CreateOrder, "createOrder", $"creating order {order.ExternalId}", null, WhcWireFormat.OrderBody(order));
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return Redacted(() => WhcWireFormat.ReadCreatedOrderId(response, call));
    }

    public async Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        var call = Call(ContractRoutes.SubmitOrder, "submitOrder", $"submitting order {orderId}", null, WhcWireFormat.SubmitBody(orderId));
        await SendExpectingSuccessAsync(call, cancellationToken);
    }

    public async Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        var call = Call(ContractRoutes.ReadOrder, "readOrder", $"reading order {orderId}", orderId, null);
        var response = await SendExpectingSuccessAsync(call, cancellationToken);
        return WithoutSecrets(Redacted(() => WhcWireFormat.ReadOrder(response, call)));
    }

    public async Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken)
    {
        var call = Call(ContractRoutes.ListOrders, "findOrder", $"finding order {externalId}", null, null, ("externalId", externalId));
        var response = await sender.SendAsync(call, cancellationToken);
        return response switch
        {
            _ when IsSuccess(call, response) => Redacted(() => WhcWireFormat.ReadOrderList(response, call, externalId)) is { } found ? WithoutSecrets(found) : null,
            { IsNoData: true } => null,
            _ => throw Failure(call, response),
        };
    }

    public void Dispose() => sender.Dispose();

    /// <summary>
    /// The call on contract route <paramref name="routeName"/>: its method and path (the one placeholder filled with
    /// <paramref name="placeholderValue"/>, escaped), query parameters by the contract's wire names plus its fixed
    /// ones. A read may be repeated; a call that changes something at BT is not, whatever its method (whcctl's own
    /// knowledge of the route, never the contract's data).
    /// </summary>
    internal WhcCall Call(string routeName, string operation, string description, string? placeholderValue, string? body, params (string Name, string Value)[] query)
    {
        var route = contract.Route(routeName);
        var path = route.Path;
        if (placeholderValue is not null)
        {
            path = path.Replace("{cugId}", Uri.EscapeDataString(placeholderValue), StringComparison.Ordinal)
                .Replace("{orderId}", Uri.EscapeDataString(placeholderValue), StringComparison.Ordinal);
        }

        var parameters = query.Select(q => new KeyValuePair<string, string>(route.QueryName(q.Name), q.Value))
            .Concat(route.QueryValues)
            .ToArray();
        var method = route.Method == "POST" ? HttpMethod.Post : HttpMethod.Get;
        return new WhcCall(operation, description, method, routeName, route.Path, path, parameters, body, Idempotent: !ContractRoutes.Changes(routeName));
    }

    private bool IsSuccess(WhcCall call, WhcResponse response) => contract.Route(call.RouteName).IsSuccess(response.Status);

    private async Task<WhcResponse> SendExpectingSuccessAsync(WhcCall call, CancellationToken cancellationToken)
    {
        var response = await sender.SendAsync(call, cancellationToken);
        return IsSuccess(call, response) ? response : throw Failure(call, response);
    }

    private WhcApiException Failure(WhcCall call, WhcResponse response) =>
        WhcErrorEnvelope.ToException(call.Description, response, sender.Redact);

    /// <summary>An order with the texts BT wrote in it (its failure reason, a state whcctl does not know) redacted: they are printed.</summary>
    private OrderStatus WithoutSecrets(OrderStatus order) => order with
    {
        FailureReason = order.FailureReason is { } reason ? sender.Redact(reason) : null,
        ReportedState = order.ReportedState is { } state ? sender.Redact(state) : null,
    };

    /// <summary>
    /// A reader's result; its refusal (WHC4016) redacted, as an error answer's is: a refusal quotes the answer's value,
    /// and an answer may echo a token or the secret.
    /// </summary>
    private T Redacted<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (WhcApiException e) when (sender.Redact(e.Message) is var message && !string.Equals(message, e.Message, StringComparison.Ordinal))
        {
            throw new WhcApiException(e.Kind, e.Status, e.BtCode, message, e.TrackingId);
        }
    }
}
