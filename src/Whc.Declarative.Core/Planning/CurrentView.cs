using System.Collections.Immutable;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// The planner's picture of what exists now: state's names and ids, overlaid with what BT said when refreshed.
/// BT is the truth for what exists; state supplies whcctl's own names (block names) and remembered protection.
/// Its maps are sorted by name (ordinal): the planner walks them, and a hashed map's order changes with every process
/// (.NET seeds string hashing per process), which made a saved plan differ from the same plan derived again elsewhere.
/// </summary>
public sealed record CurrentView(
    bool CompanyActive,
    string? ServiceId,
    CompanyRecord? Record,
    QualificationRecord? Qualification,
    ImmutableSortedDictionary<string, NumberBlockState> Blocks,
    ImmutableSortedDictionary<string, SiteState> Sites,
    ImmutableSortedDictionary<string, UserState> Users)
{
    public static CurrentView From(CompanyState? state, RefreshSnapshot? refresh)
    {
        var record = state?.Record;
        var blocks = ByName(state?.NumberBlocks ?? [], b => b.Name);
        var sites = ByName(state?.Sites ?? [], s => s.Name);
        var users = ByName(state?.Users ?? [], u => u.Username);
        if (refresh is null)
        {
            return new CurrentView(record?.Active == true, record?.ServiceId, record, record?.Qualification, blocks, sites, users);
        }

        var inventory = refresh.Inventory;
        // BT does not know the company, or holds one that is not this state's (another reseller's, or ours but unknown
        // to state, which the planner reports as a name collision): either way nothing of ours exists there, and no
        // qualification of ours holds the name.
        if (inventory is null || inventory.Status == CompanyStatus.Ceased || !Ownership.IsOurs(state, inventory))
        {
            var emptyBlocks = blocks.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value with { Ranges = [] }, StringComparer.Ordinal);
            return new CurrentView(false, null, record, null, emptyBlocks, PendingSites(sites, []), ImmutableSortedDictionary.Create<string, UserState>(StringComparer.Ordinal));
        }

        inventory = InventoryNaming.InStateNames(inventory, state);
        var liveRanges = inventory.NumberRanges.ToDictionary(r => r.StartNumber, StringComparer.Ordinal);
        var liveBlocks = blocks.ToImmutableSortedDictionary(
            kv => kv.Key,
            kv => kv.Value with
            {
                Ranges = [.. kv.Value.Ranges
                    .Where(r => liveRanges.TryGetValue(r.StartNumber, out var live) && live.EndNumber == r.EndNumber)
                    .Select(r => r with
                    {
                        Active = liveRanges[r.StartNumber].Status == NumberRangeStatus.Active,
                        ServiceId = liveRanges[r.StartNumber].ServiceId,
                    })],
            },
            StringComparer.Ordinal);

        var liveSites = inventory.Sites.ToImmutableSortedDictionary(
            s => s.Name,
            s => new SiteState(s.Name, s.LocationCode, s.NadKey, s.ServiceId)
            {
                Protected = sites.TryGetValue(s.Name, out var known) && known.Protected,
                FoundBy = known?.FoundBy,
            },
            StringComparer.Ordinal)
            // A site whose address is resolved but whose order has not completed is still pending: its NAD key is reused.
            .AddRange(PendingSites(sites, inventory.Sites.Select(s => s.Name)));
        var siteNames = inventory.Sites.ToDictionary(s => s.ServiceId, s => s.Name, StringComparer.Ordinal);
        var liveUsers = inventory.Users.ToImmutableSortedDictionary(
            u => u.Username,
            u =>
            {
                users.TryGetValue(u.Username, out var known);
                var block = known?.NumberBlock ?? BlockOf(liveBlocks.Values, u.DirectoryNumber);
                return new UserState(
                    u.Username,
                    siteNames.GetValueOrDefault(u.SiteServiceId, u.SiteServiceId),
                    u.FirstName,
                    u.LastName,
                    u.Extension,
                    block,
                    u.DirectoryNumber,
                    u.Licence,
                    [.. u.DeviceMacAddresses.Order(StringComparer.Ordinal)],
                    u.ServiceId)
                {
                    Protected = known?.Protected == true,
                };
            },
            StringComparer.Ordinal);

        var qualification = inventory.Status == CompanyStatus.Qualified ? record?.Qualification : null;
        return new CurrentView(inventory.Status == CompanyStatus.Active, inventory.ServiceId, record, qualification, liveBlocks, liveSites, liveUsers);
    }

    /// <summary>The ranges of each block, for number assignment (which only looks blocks up: no order needed).</summary>
    public IReadOnlyDictionary<string, ImmutableArray<NumberRange>> RangesByBlock()
    {
        var ranges = new Dictionary<string, ImmutableArray<NumberRange>>(Blocks.Count, StringComparer.Ordinal);
        foreach (var (name, block) in Blocks)
        {
            var builder = ImmutableArray.CreateBuilder<NumberRange>(block.Ranges.Length);
            foreach (var range in block.Ranges)
            {
                builder.Add(new NumberRange(range.StartNumber, range.EndNumber));
            }

            ranges[name] = builder.MoveToImmutable();
        }

        return ranges;
    }

    /// <summary>The directory number each user holds (username → number), for number assignment.</summary>
    public IReadOnlyDictionary<string, string> HeldNumbers()
    {
        var held = new Dictionary<string, string>(Users.Count, StringComparer.Ordinal);
        foreach (var (username, user) in Users)
        {
            if (user.DirectoryNumber is { } number)
            {
                held[username] = number;
            }
        }

        return held;
    }

    /// <summary>
    /// The items by name (ordinal), as ToImmutableSortedDictionary makes them (a name given twice with equal items once,
    /// with different ones refused), built in place by a builder rather than through an intermediate sorted map.
    /// </summary>
    private static ImmutableSortedDictionary<string, T> ByName<T>(ImmutableArray<T> items, Func<T, string> name)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            builder.Add(name(item), item);
        }

        return builder.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, SiteState> PendingSites(ImmutableSortedDictionary<string, SiteState> recorded, IEnumerable<string> live)
    {
        var atBt = live.ToHashSet(StringComparer.Ordinal);
        return recorded.Where(kv => kv.Value.ServiceId is null && !atBt.Contains(kv.Key)).ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    private static string? BlockOf(IEnumerable<NumberBlockState> blocks, string? number) =>
        number is null
            ? null
            : blocks.FirstOrDefault(b => b.Ranges.Any(r =>
                r.StartNumber.Length == number.Length
                && string.CompareOrdinal(number, r.StartNumber) >= 0
                && string.CompareOrdinal(number, r.EndNumber) <= 0))?.Name;
}
