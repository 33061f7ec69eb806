using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.Manifests;

/// <summary>
/// The desired state of one end customer (a WHC company) as written in one YAML document.
/// <see cref="Key"/> (metadata.name) is the stable key of the company in state; everything else is desired values.
/// Every element carries the <see cref="SourceSpan"/> it was read from, so later stages can point at it.
/// </summary>
public sealed record CompanyManifest(
    string ApiVersion,
    string Key,
    ResellerSpec Reseller,
    CompanyDetails Company,
    ImmutableArray<NumberBlockSpec> NumberBlocks,
    ImmutableArray<SiteSpec> Sites,
    bool Protect,
    SourceSpan Span)
{
    public const string CurrentApiVersion = "whc.declarative/v1";
    public const string Kind = "Company";

    /// <summary>
    /// The <c>moved</c> entries (spec.moved), in manifest order: sites and number blocks renamed in the manifest, which
    /// the plan renames in state instead of ceasing and re-creating them (as Terraform's <c>moved</c> blocks do).
    /// </summary>
    public ImmutableArray<MoveSpec> Moved { get; init; } = [];

    public IEnumerable<(SiteSpec Site, UserSpec User)> AllUsers() =>
        Sites.SelectMany(site => site.Users.Select(user => (site, user)));
}

/// <summary>The reseller (whcctl's user) placing the orders: its CUG id and the billing account to charge.</summary>
public sealed record ResellerSpec(string CugId, string BillingAccount);

public sealed record CompanyDetails(
    string Name,
    string Domain,
    string CustomerGroup,
    ContactSpec? Admin,
    ContactSpec? EmergencyContact)
{
    /// <inheritdoc cref="ExtraCharacteristics"/>
    public ImmutableSortedDictionary<string, string> Characteristics { get; init; } = ExtraCharacteristics.None;
}

/// <summary>
/// The escape hatch for BT's product catalogue: characteristics whcctl does not model, sent as they are in the order
/// item that creates the resource (never in a later change, and never read back: BT's inventory does not show them).
/// </summary>
public static class ExtraCharacteristics
{
    public static ImmutableSortedDictionary<string, string> None { get; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>The characteristics whcctl sets itself, per product: a manifest cannot set them this way.</summary>
    public static ImmutableDictionary<string, ImmutableHashSet<string>> SetByWhcctl { get; } = new Dictionary<string, ImmutableHashSet<string>>
    {
        ["company"] = ["customerName", "customerDomain", "customerGroup", "adminName", "adminEmail", "adminPhone", "emergencyContactName", "emergencyContactEmail", "emergencyContactPhone"],
        ["numberBlock"] = ["startNumber", "endNumber"],
        ["site"] = ["siteName", "siteLocationCode"],
        ["user"] = ["firstName", "lastName", "username", "extension", "directoryNumber", "licence", "macAddress"],
    }.ToImmutableDictionary(StringComparer.Ordinal);
}

public sealed record ContactSpec(string Name, string Email, string? Phone);

/// <summary>
/// Numbers ringfenced to the company, named so users can draw on them: new numbers by geographic area code and
/// quantity, or numbers the customer brings from another provider (<see cref="Ported"/> ranges; then
/// <see cref="AreaCode"/> is empty and <see cref="Quantity"/> is the number of numbers the ranges hold).
/// </summary>
public sealed record NumberBlockSpec(string Name, string AreaCode, int Quantity, bool Protect, SourceSpan Span)
{
    /// <inheritdoc cref="ExtraCharacteristics"/>
    public ImmutableSortedDictionary<string, string> Characteristics { get; init; } = ExtraCharacteristics.None;

    /// <summary>The ranges of a ported block, in manifest order; empty for a block of new numbers.</summary>
    public ImmutableArray<PortedRangeSpec> Ported { get; init; } = [];

    public bool IsPorted => !Ported.IsDefaultOrEmpty;
}

/// <summary>A range of numbers ported in from another provider, both ends included (<c>from: "01214960500", to: "01214960519"</c>).</summary>
public sealed record PortedRangeSpec(string From, string To, SourceSpan Span)
{
    /// <summary>How many numbers the range holds; 0 when its ends are not numbers of one length in order.</summary>
    public int Count
    {
        get
        {
            if (From.Length != To.Length || From.Length is 0 or > 18 || !From.All(char.IsAsciiDigit) || !To.All(char.IsAsciiDigit))
            {
                return 0;
            }

            var size = long.Parse(To, System.Globalization.CultureInfo.InvariantCulture) - long.Parse(From, System.Globalization.CultureInfo.InvariantCulture) + 1;
            return size is > 0 and <= int.MaxValue ? (int)size : 0;
        }
    }
}

public sealed record SiteSpec(
    string Name,
    string LocationCode,
    AddressSpec Address,
    ImmutableArray<UserSpec> Users,
    bool Protect,
    SourceSpan Span)
{
    /// <inheritdoc cref="ExtraCharacteristics"/>
    public ImmutableSortedDictionary<string, string> Characteristics { get; init; } = ExtraCharacteristics.None;
}

/// <summary>
/// A site's address: a postcode and the premises to pick among the addresses BT lists there, or a NAD key
/// given directly (the escape hatch when BT's address search is not what you want).
/// </summary>
public sealed record AddressSpec(string? Postcode, string? Premises, string? Street, string? City, string? NadKey)
{
    public bool HasNadKey => !string.IsNullOrEmpty(NadKey);
}

public sealed record UserSpec(
    string Username,
    string FirstName,
    string LastName,
    string Extension,
    NumberRef? Number,
    string Licence,
    ImmutableArray<DeviceSpec> Devices,
    bool Protect,
    SourceSpan Span)
{
    /// <inheritdoc cref="ExtraCharacteristics"/>
    public ImmutableSortedDictionary<string, string> Characteristics { get; init; } = ExtraCharacteristics.None;
}

/// <summary>A directory number for a user, drawn from a named number block of the same company.</summary>
public sealed record NumberRef(string From);

/// <summary>A SIP device assigned to a user, identified by its MAC address (canonical form: 12 upper-case hex digits).</summary>
public sealed record DeviceSpec(string MacAddress, string? Model);

/// <summary>
/// One <c>moved</c> entry: <c>{ from: site/ipswich-hq, to: site/ipswich-main }</c>. Addresses are as the plan names
/// resources within a company (<c>site/NAME</c>, <c>number-block/NAME</c>); the validator refuses any other.
/// </summary>
public sealed record MoveSpec(string From, string To, SourceSpan Span)
{
    /// <summary>The kind and name an address of a <c>moved</c> entry names; null when it is not <c>KIND/NAME</c> with a known kind.</summary>
    public static (State.ResourceKind Kind, string Name)? Parse(string address)
    {
        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == address.Length - 1)
        {
            return null;
        }

        State.ResourceKind? kind = address[..slash] switch
        {
            "site" => State.ResourceKind.Site,
            "number-block" => State.ResourceKind.NumberBlock,
            "user" => State.ResourceKind.User,
            "company" => State.ResourceKind.Company,
            _ => null,
        };
        return kind is { } known ? (known, address[(slash + 1)..]) : null;
    }
}
