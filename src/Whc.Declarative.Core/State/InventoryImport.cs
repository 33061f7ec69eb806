using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Core.State;

/// <summary>
/// Adopts a company that already exists at BT: builds the first state of it (serial 1) from what BT's inventory says.
/// BT knows no whcctl names for number ranges, so the ranges of one area code become one block named
/// <c>block-AREACODE</c> holding every number ringfenced to the company in that area code. No orders are recorded:
/// whcctl placed none of them.
/// </summary>
public static class InventoryImport
{
    public static string BlockName(string areaCode) => "block-" + areaCode;

    /// <summary>
    /// The state of <paramref name="company"/> as BT has it. The caller checks that the inventory is the reseller's own
    /// (<see cref="CompanyInventory.IsRegisteredElsewhere"/>) and active before adopting it.
    /// </summary>
    public static CompanyState ToState(string company, string lineage, string cugId, string billingAccount, CompanyInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var blocks = inventory.NumberRanges
            .GroupBy(r => r.AreaCode, StringComparer.Ordinal)
            .Select(group => new NumberBlockState(
                BlockName(group.Key),
                group.Key,
                group.Sum(r => r.Count),
                [.. group
                    .OrderBy(r => r.StartNumber, StringComparer.Ordinal)
                    .Select(r => new NumberRangeState(r.StartNumber, r.EndNumber, r.Status == NumberRangeStatus.Active, r.ServiceId))]))
            .ToImmutableArray();
        var siteNames = inventory.Sites.ToDictionary(s => s.ServiceId, s => s.Name, StringComparer.Ordinal);
        var sites = inventory.Sites
            .Select(s => new SiteState(s.Name, s.LocationCode, s.NadKey, s.ServiceId))
            .ToImmutableArray();
        var users = inventory.Users
            .Select(u => new UserState(
                u.Username,
                siteNames.GetValueOrDefault(u.SiteServiceId, u.SiteServiceId),
                u.FirstName,
                u.LastName,
                u.Extension,
                BlockHolding(inventory.NumberRanges, u.DirectoryNumber),
                u.DirectoryNumber,
                u.Licence,
                [.. u.DeviceMacAddresses.Order(StringComparer.Ordinal)],
                u.ServiceId))
            .ToImmutableArray();
        var record = new CompanyRecord(
            inventory.Name,
            inventory.Domain,
            inventory.CustomerGroup,
            cugId,
            billingAccount,
            inventory.ServiceId,
            inventory.QualificationId is { } qualification ? new QualificationRecord(qualification, null, Used: true) : null,
            inventory.Status == CompanyStatus.Active);
        return (CompanyState.New(company, lineage) with
        {
            Serial = 1,
            Record = record,
            NumberBlocks = blocks,
            Sites = sites,
            Users = users,
        }).Normalized();
    }

    /// <summary>A one-line summary of what was adopted, for the command's report.</summary>
    public static string Describe(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{state.NumberBlocks.Length} number block(s) holding {state.NumberBlocks.Sum(b => b.RingfencedCount)} numbers, {state.Sites.Length} site(s), {state.Users.Length} user(s)");
    }

    private static string? BlockHolding(ImmutableArray<NumberRangeRecord> ranges, string? number) =>
        number is null ? null : ranges.FirstOrDefault(r => r.Contains(number)) is { } range ? BlockName(range.AreaCode) : null;
}
