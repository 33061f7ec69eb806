using System.Collections.Immutable;

namespace Whc.Declarative.Core.Inventory;

/// <summary>
/// What BT's inventory says about one company right now, as read by the company verify/read call.
/// This is the "live" side of a plan; it never holds whcctl's own names (block names, company keys).
/// </summary>
public sealed record CompanyInventory(
    string ServiceId,
    string Name,
    string Domain,
    string CustomerGroup,
    CompanyStatus Status,
    string? QualificationId,
    ImmutableArray<NumberRangeRecord> NumberRanges,
    ImmutableArray<SiteRecord> Sites,
    ImmutableArray<UserRecord> Users)
{
    /// <summary>BT shows that the name is registered, to another reseller, and nothing more.</summary>
    public static CompanyInventory RegisteredElsewhere(string name) =>
        new(string.Empty, name, string.Empty, string.Empty, CompanyStatus.Active, null, [], [], []);

    public bool IsRegisteredElsewhere => ServiceId.Length == 0;
}

/// <summary>One company of a reseller's listing: enough to read it (by name) and to know whether it is live.</summary>
public sealed record CompanySummary(string CompanyName, string ServiceId, CompanyStatus Status);

public enum CompanyStatus
{
    /// <summary>Qualified (name and domain reserved) but no completed order yet.</summary>
    Qualified,
    Active,
    Ceased,
}

/// <summary>A contiguous range of directory numbers ringfenced to (and later activated for) a company.</summary>
public sealed record NumberRangeRecord(
    string AreaCode,
    string StartNumber,
    string EndNumber,
    NumberRangeStatus Status,
    string? ServiceId)
{
    /// <summary>A range ported in from another provider (BT's inventory marks it), not one of BT's new numbers.</summary>
    public bool Ported { get; init; }

    public int Count => (int)(long.Parse(EndNumber, System.Globalization.CultureInfo.InvariantCulture)
        - long.Parse(StartNumber, System.Globalization.CultureInfo.InvariantCulture) + 1);

    public bool Contains(string number) =>
        number.Length == StartNumber.Length
        && string.CompareOrdinal(number, StartNumber) >= 0
        && string.CompareOrdinal(number, EndNumber) <= 0;
}

public enum NumberRangeStatus
{
    /// <summary>Reserved for the company by a ringfence; not yet ordered.</summary>
    Ringfenced,
    /// <summary>Ordered onto the company (a completed WHCNewnumber item).</summary>
    Active,
}

public sealed record SiteRecord(string ServiceId, string Name, string LocationCode, string NadKey);

public sealed record UserRecord(
    string ServiceId,
    string SiteServiceId,
    string Username,
    string FirstName,
    string LastName,
    string Extension,
    string? DirectoryNumber,
    string Licence,
    ImmutableArray<string> DeviceMacAddresses);

/// <summary>An address BT knows at a postcode; <see cref="NadKey"/> is what an order's site refers to.</summary>
public sealed record AddressRecord(
    string NadKey,
    string Postcode,
    string? BuildingName,
    string? SubBuilding,
    string? StreetNumber,
    string? StreetName,
    string? City,
    bool Temporary);
