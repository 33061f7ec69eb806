using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Engine.Tests;

/// <summary>An <see cref="IWhcApi"/> that passes every call to the real client; a test overrides the calls it bends.</summary>
public abstract class WhcApiDecorator(IWhcApi inner) : IWhcApi
{
    protected IWhcApi Inner { get; } = inner;

    public virtual Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken) => Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);

    public virtual Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken) => Inner.ListCompaniesAsync(cugId, cancellationToken);

    public virtual Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken) => Inner.IsTakenAsync(cugId, check, cancellationToken);

    public virtual Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken) => Inner.QualifyAsync(request, cancellationToken);

    public virtual Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken) => Inner.RingFenceAsync(request, cancellationToken);

    public virtual Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken) => Inner.SearchAddressesAsync(postcode, cancellationToken);

    public virtual Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken) => Inner.CreateAddressAsync(address, cancellationToken);

    public virtual Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken) => Inner.CreateOrderAsync(order, cancellationToken);

    public virtual Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken) => Inner.SubmitOrderAsync(orderId, cancellationToken);

    public virtual Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken) => Inner.ReadOrderAsync(orderId, cancellationToken);

    public virtual Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken) => Inner.FindOrderByExternalIdAsync(externalId, cancellationToken);
}
