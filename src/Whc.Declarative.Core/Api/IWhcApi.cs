using System.Collections.Immutable;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Core.Api;

/// <summary>
/// The operations of BT's WHC API in domain words. The HTTP client (Whc.Declarative.WhcApi) implements it over the
/// wire formats documented in docs/whc-api.md; the planner's refresh and the apply executor depend only on this.
/// Failures surface as <see cref="WhcApiException"/> carrying BT's status and code.
/// </summary>
public interface IWhcApi
{
    /// <summary>
    /// Reads a company (and its sites, users and number ranges) by name: null when BT answers that it has no such company
    /// (the name is free), <see cref="CompanyInventory.RegisteredElsewhere"/> when another reseller holds the name.
    /// </summary>
    Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken);

    /// <summary>
    /// Lists every company registered to the reseller (name, service id, status), all pages; how bulk import discovers
    /// what to adopt. The route is assumed (BT's guide shows none).
    /// </summary>
    Task<ImmutableArray<CompanySummary>> ListCompaniesAsync(string cugId, CancellationToken cancellationToken);

    /// <summary>Runs one verify check; true when the value is already taken at BT (200), false when free (404).</summary>
    Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken);

    Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken);

    Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken);

    Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken);

    Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken);

    /// <summary>Creates (does not submit) an order; returns BT's order id.</summary>
    Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken);

    Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken);

    Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>Finds an order by the externalId whcctl gave it; how apply reconciles an order whose response was lost.</summary>
    Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken);
}

/// <summary>What a verify check asks BT about; sites and extensions are scoped to a company's service id.</summary>
public abstract record VerifyCheck
{
    public sealed record CompanyName(string Name) : VerifyCheck;

    public sealed record CompanyDomain(string Domain) : VerifyCheck;

    public sealed record SiteName(string Name, string CompanyServiceId) : VerifyCheck;

    public sealed record Username(string Name) : VerifyCheck;

    public sealed record Extension(string Number, string CompanyServiceId) : VerifyCheck;

    /// <summary>
    /// Whether any number from <paramref name="StartNumber"/> to <paramref name="EndNumber"/> is held (ringfenced or
    /// active) by a company other than <paramref name="CompanyServiceId"/>'s (any company, when null). The route is assumed.
    /// </summary>
    public sealed record NumberRange(string StartNumber, string EndNumber, string? CompanyServiceId) : VerifyCheck;
}

public sealed record QualificationRequest(
    string CugId,
    string BillingAccount,
    string CompanyName,
    string CompanyDomain,
    string CustomerGroup);

public sealed record QualificationResult(
    string Id,
    bool Qualified,
    string? CompanyServiceId,
    DateTimeOffset? ExpiresAt,
    string? Reason);

public sealed record RingFenceRequest(
    string CugId,
    string AreaCode,
    int Quantity,
    string CompanyServiceId,
    string? QualificationId)
{
    /// <summary>
    /// A ported range to allocate instead of new numbers (then <see cref="AreaCode"/> is empty and
    /// <see cref="Quantity"/> is the range's size). The request shape for it is assumed (docs/whc-api.md).
    /// </summary>
    public PortedRange? Ported { get; init; }
}

/// <summary>A range of ported numbers, both ends included.</summary>
public sealed record PortedRange(string StartNumber, string EndNumber);

public sealed record RingFenceResult(string StartNumber, string EndNumber, string RingFenceId, string Status);

public sealed record NewAddress(string Postcode, string? BuildingName, string? StreetName, string? City);

/// <summary>A TMF622 product order, as a tree of items (WHCCompany → WHCSite → WHCUser, numbers under the company).</summary>
public sealed record OrderRequest(string ExternalId, string CugId, string BillingAccount, OrderItem Root);

public sealed record OrderItem(
    string ProductOffering,
    OrderItemAction Action,
    string? ServiceId,
    ImmutableSortedDictionary<string, string> Characteristics,
    string? PlaceId,
    string? QualificationId,
    ImmutableArray<OrderItem> Children)
{
    public int CountOffering(string offering) =>
        (ProductOffering == offering ? 1 : 0) + Children.Sum(c => c.CountOffering(offering));
}

public enum OrderItemAction
{
    Add,
    Modify,
    Delete,
    NoChange,
}

/// <summary>
/// Every TMF622 v4 order state, and <see cref="Unknown"/> for a state BT reports that TMF622 does not name; an order
/// that is created but not yet submitted is <see cref="Pending"/>.
/// </summary>
public enum OrderState
{
    Pending,
    Acknowledged,
    InProgress,
    Completed,
    Failed,
    Partial,
    Rejected,
    Held,
    Cancelled,
    AssessingCancellation,
    PendingCancellation,
    Unknown,
}

public static class OrderStates
{
    /// <summary>
    /// Whether BT is done with the order. An unknown state is not: fail closed means waiting (until the order
    /// timeout) rather than taking an order for finished, or for failed and ordering its work again.
    /// </summary>
    public static bool IsFinal(this OrderState state) =>
        state is OrderState.Completed or OrderState.Failed or OrderState.Partial or OrderState.Rejected or OrderState.Cancelled;

    /// <summary>Whether the order ended without doing all of its work, so that what it was for is planned again.</summary>
    public static bool EndedUndone(this OrderState state) =>
        state is OrderState.Failed or OrderState.Partial or OrderState.Rejected or OrderState.Cancelled;
}

/// <param name="ReportedState">BT's own word for the state when it is <see cref="OrderState.Unknown"/>.</param>
public sealed record OrderStatus(string Id, string? ExternalId, OrderState State, string? FailureReason, string? ReportedState = null)
{
    public bool IsFinal => State.IsFinal();

    /// <summary>The state as BT said it, for messages.</summary>
    public string StateText => ReportedState ?? State.ToString();
}

/// <summary>Product offering ids and characteristic names, kept in one table because BT does not publish them.</summary>
public static class WhcProducts
{
    public const string Company = "WHCCompany";
    public const string Site = "WHCSite";
    public const string User = "WHCUser";
    public const string NewNumber = "WHCNewnumber";
    public const string PortedNumber = "WHCPortednumber";
}
