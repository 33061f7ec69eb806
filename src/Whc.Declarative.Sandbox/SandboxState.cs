namespace Whc.Declarative.Sandbox;

// The emulator's model. Mutable on purpose: it lives behind one lock in WhcEmulator and is persisted as JSON.
// It is also what GET /_sandbox/inventory returns, so tests can assert on everything BT would hold.

internal sealed class SandboxState
{
    public int Version { get; set; } = 1;

    /// <summary>One counter for orders and service ids, as BT's BTWKN1485 / WHHCBTWKN1484 suggest.</summary>
    public long NextServiceNumber { get; set; } = 1484;

    public long NextQualificationNumber { get; set; } = 103255;

    public long NextTemporaryAddressNumber { get; set; } = 1;

    public List<CompanyRecord> Companies { get; set; } = [];

    public List<OrderRecord> Orders { get; set; } = [];

    /// <summary>Addresses created through the API (temporary NAD keys); the seeded address book is not stored.</summary>
    public List<AddressRecord> CreatedAddresses { get; set; } = [];
}

internal static class CompanyStatus
{
    public const string Qualified = "qualified";
    public const string Active = "active";
    public const string Ceased = "ceased";
}

internal static class RangeStatus
{
    public const string RingFenced = "RINGFENCED";
    public const string Active = "ACTIVE";
    public const string Ceased = "CEASED";
}

internal static class OrderStates
{
    public const string Pending = "pending";
    public const string Acknowledged = "acknowledged";
    public const string InProgress = "inProgress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Partial = "partial";
}

internal sealed class CompanyRecord
{
    public string ServiceId { get; set; } = "";
    public string CugId { get; set; } = "";
    public string CompanyName { get; set; } = "";
    public string CompanyDomain { get; set; } = "";
    public string CustomerGroup { get; set; } = "";
    public string? BillingAccount { get; set; }
    public string Status { get; set; } = CompanyStatus.Qualified;
    public string? QualificationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<QualificationRecord> Qualifications { get; set; } = [];
    public List<NumberRangeRecord> NumberRanges { get; set; } = [];
    public List<SiteRecord> Sites { get; set; } = [];
    public List<UserRecord> Users { get; set; } = [];
}

internal sealed class QualificationRecord
{
    public string Id { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? UsedByOrderId { get; set; }
}

internal sealed class NumberRangeRecord
{
    public string AreaCode { get; set; } = "";
    public string StartNumber { get; set; } = "";
    public string EndNumber { get; set; } = "";
    public string Status { get; set; } = RangeStatus.RingFenced;
    public string? ServiceId { get; set; }
    public DateTimeOffset RingFencedAt { get; set; }

    /// <summary>Ported in from another provider (allocated by its ends), not one of the sandbox's new numbers.</summary>
    public bool Ported { get; set; }
}

internal sealed class SiteRecord
{
    public string ServiceId { get; set; } = "";
    public string SiteName { get; set; } = "";
    public string SiteLocationCode { get; set; } = "";
    public string NadKey { get; set; } = "";
    public string Status { get; set; } = CompanyStatus.Active;
}

internal sealed class UserRecord
{
    public string ServiceId { get; set; } = "";
    public string SiteServiceId { get; set; } = "";
    public string Username { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Extension { get; set; } = "";
    public string DirectoryNumber { get; set; } = "";
    public string Licence { get; set; } = "standard";
    public List<string> MacAddresses { get; set; } = [];
    public string Status { get; set; } = CompanyStatus.Active;
}

internal sealed class OrderRecord
{
    public string Id { get; set; } = "";
    public string? ExternalId { get; set; }
    public string CugId { get; set; } = "";
    public string? BillingAccount { get; set; }
    public string? CompanyServiceId { get; set; }
    public string State { get; set; } = OrderStates.Pending;
    public DateTimeOffset OrderDate { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? CompletionDate { get; set; }
    public string? ErrorMessage { get; set; }
    public List<OrderItemRecord> Items { get; set; } = [];
}

internal sealed class OrderItemRecord
{
    public string Id { get; set; } = "";
    public string Action { get; set; } = "";
    public string ProductOfferingId { get; set; } = "";
    public string? ProductId { get; set; }
    public string? QualificationId { get; set; }
    public string? NadKey { get; set; }
    public Dictionary<string, string> Characteristics { get; set; } = new(StringComparer.Ordinal);
    public string State { get; set; } = OrderStates.Pending;
    public string? ErrorMessage { get; set; }
    public List<OrderItemRecord> Items { get; set; } = [];
}

internal sealed class AddressRecord
{
    public string Id { get; set; } = "";
    public string Uprn { get; set; } = "";
    public string AddressSource { get; set; } = "ROBT";
    public string StreetNr { get; set; } = "";
    public string StreetName { get; set; } = "";
    public string Locality { get; set; } = "";
    public string City { get; set; } = "";
    public string Postcode { get; set; } = "";
    public string Country { get; set; } = "GB";
    public string Qualifier { get; set; } = "Gold";
    public string BuildingName { get; set; } = "";
    public string SubBuilding { get; set; } = "";
}
