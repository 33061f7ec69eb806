using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.State;

/// <summary>
/// Adopts a company that already exists at BT: builds the first state of it (serial 1) from what BT's inventory says.
/// BT knows no whcctl names for number ranges: with the team's manifest, a range takes the name of the block its users
/// draw from (or of the manifest's only block in its area code), so a plan right after import shows no changes;
/// without one, the ranges of an area code become one block named <c>block-AREACODE</c>, and ported ranges (BT marks
/// them) one ported block named <c>ported-AREACODE</c>. Sites and users keep BT's
/// names (a site's name and a user's username are its identity there). No orders are recorded: whcctl placed none.
/// </summary>
public static class InventoryImport
{
    public static string BlockName(string areaCode) => "block-" + areaCode;

    /// <summary>The name of the block ported ranges of an area code are adopted into, without the team's manifest.</summary>
    public static string PortedBlockName(string areaCode) => "ported-" + (areaCode.Length > 0 ? areaCode : "numbers");

    /// <summary>
    /// The state of <paramref name="company"/> as BT has it. The caller checks that the inventory is the reseller's own
    /// (<see cref="CompanyInventory.IsRegisteredElsewhere"/>) and active before adopting it.
    /// </summary>
    public static CompanyState ToState(string company, string lineage, string cugId, string billingAccount, CompanyInventory inventory, CompanyManifest? names = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var blockOf = inventory.NumberRanges.ToDictionary(r => r.StartNumber, r => NameOf(r, inventory, names), StringComparer.Ordinal);
        var blocks = inventory.NumberRanges
            .GroupBy(r => blockOf[r.StartNumber], StringComparer.Ordinal)
            .Select(group => new NumberBlockState(
                group.Key,
                group.First().Ported ? string.Empty : group.First().AreaCode,
                group.Sum(r => r.Count),
                [.. group
                    .OrderBy(r => r.StartNumber, StringComparer.Ordinal)
                    .Select(r => new NumberRangeState(r.StartNumber, r.EndNumber, r.Status == NumberRangeStatus.Active, r.ServiceId))])
            {
                Protected = names?.NumberBlocks.FirstOrDefault(b => b.Name == group.Key)?.Protect == true,
                Ported = group.First().Ported,
            })
            .ToImmutableArray();
        var siteNames = inventory.Sites.ToDictionary(s => s.ServiceId, s => s.Name, StringComparer.Ordinal);
        var sites = inventory.Sites
            .Select(s => new SiteState(s.Name, s.LocationCode, s.NadKey, s.ServiceId) { Protected = names?.Sites.FirstOrDefault(x => x.Name == s.Name)?.Protect == true })
            .ToImmutableArray();
        var wantedUsers = names?.AllUsers().ToDictionary(p => p.User.Username, p => p.User, StringComparer.Ordinal) ?? [];
        var users = inventory.Users
            .Select(u => new UserState(
                u.Username,
                siteNames.GetValueOrDefault(u.SiteServiceId, u.SiteServiceId),
                u.FirstName,
                u.LastName,
                u.Extension,
                u.DirectoryNumber is { } number && inventory.NumberRanges.FirstOrDefault(r => r.Contains(number)) is { } range ? blockOf[range.StartNumber] : null,
                u.DirectoryNumber,
                u.Licence,
                [.. u.DeviceMacAddresses.Order(StringComparer.Ordinal)],
                u.ServiceId)
            {
                Protected = wantedUsers.GetValueOrDefault(u.Username)?.Protect == true,
            })
            .ToImmutableArray();
        var record = new CompanyRecord(
            inventory.Name,
            inventory.Domain,
            inventory.CustomerGroup,
            cugId,
            billingAccount,
            inventory.ServiceId,
            inventory.QualificationId is { } qualification ? new QualificationRecord(qualification, null, Used: true) : null,
            inventory.Status == CompanyStatus.Active)
        {
            Protected = names?.Protect == true,
        };
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
            $"{Counted.Of(state.NumberBlocks.Length, "number block")} holding {Counted.Of(state.NumberBlocks.Sum(b => b.RingfencedCount), "number")}, {Counted.Of(state.Sites.Length, "site")}, {Counted.Of(state.Users.Length, "user")}");
    }

    /// <summary>
    /// The block a range belongs to: the one the manifest's users holding its numbers draw from, else the manifest's
    /// only block in its area code, else <c>block-AREACODE</c>.
    /// </summary>
    private static string NameOf(NumberRangeRecord range, CompanyInventory inventory, CompanyManifest? names)
    {
        var fallback = range.Ported ? PortedBlockName(range.AreaCode) : BlockName(range.AreaCode);
        if (names is null)
        {
            return fallback;
        }

        // A ported range is named by the manifest's ported block that lists it; a block never mixes the two kinds.
        var listed = names.NumberBlocks.FirstOrDefault(b => b.Ported.Any(p => p.From == range.StartNumber && p.To == range.EndNumber));
        if (listed is not null)
        {
            return range.Ported ? listed.Name : fallback;
        }

        var drawnFrom = inventory.Users
            .Where(u => u.DirectoryNumber is { } number && range.Contains(number))
            .Select(u => names.AllUsers().FirstOrDefault(p => p.User.Username == u.Username).User?.Number?.From)
            .OfType<string>()
            .Where(name => names.NumberBlocks.FirstOrDefault(b => b.Name == name)?.IsPorted == range.Ported)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (drawnFrom.Count == 1)
        {
            return drawnFrom[0];
        }

        var inArea = names.NumberBlocks.Where(b => !range.Ported && !b.IsPorted && b.AreaCode == range.AreaCode).ToList();
        return inArea.Count == 1 ? inArea[0].Name : fallback;
    }
}
