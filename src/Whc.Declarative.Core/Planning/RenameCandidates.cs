using System.Collections.Immutable;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Which resource the company holds that a new block or site of the manifest likely is, renamed without a
/// <c>moved</c> entry (the hints WHC3041, WHC3042 and WHC3043 show the entry that keeps it). Pure: the manifest and
/// the current view in, names out. Each held resource is given to ONE new name at most, so every hint's entry can be
/// added as shown: two alike blocks renamed at once each get their own. The new resource whose users the held one
/// has now is its rename first; the rest pair in the manifest's order with the held ones by name.
/// </summary>
internal static class RenameCandidates
{
    /// <summary>New blocks of new numbers to the held block of the same area code and quantity that the manifest no longer names.</summary>
    public static ImmutableDictionary<string, NumberBlockState> Blocks(CompanyManifest desired, CurrentView view)
    {
        var added = desired.NumberBlocks.Where(b => !b.IsPorted && !view.Blocks.ContainsKey(b.Name)).ToList();
        var removed = view.Blocks.Values
            .Where(b => !b.Ported && b.Ranges.Length > 0 && desired.NumberBlocks.All(d => d.Name != b.Name))
            .ToList();
        if (added.Count == 0 || removed.Count == 0)
        {
            // Nothing new, or nothing gone (a new company): no pair to find.
            return ImmutableDictionary<string, NumberBlockState>.Empty;
        }

        var drawnFrom = ByUsername(desired, p => p.User.Number?.From);
        return Pair(
            added,
            removed,
            a => a.Name,
            r => r.Name,
            (a, r) => r.AreaCode == a.AreaCode && r.RingfencedCount == a.Quantity,
            (a, r) => view.Users.Values.Count(u => u.NumberBlock == r.Name && drawnFrom.GetValueOrDefault(u.Username) == a.Name));
    }

    /// <summary>New sites to the held site the manifest no longer names that <paramref name="alike"/> holds for.</summary>
    public static ImmutableDictionary<string, SiteState> Sites(CompanyManifest desired, CurrentView view, Func<SiteSpec, SiteState, bool> alike)
    {
        var added = desired.Sites.Where(s => !view.Sites.ContainsKey(s.Name)).ToList();
        var removed = view.Sites.Values.Where(s => s.ServiceId is not null && desired.Sites.All(d => d.Name != s.Name)).ToList();
        if (added.Count == 0 || removed.Count == 0)
        {
            return ImmutableDictionary<string, SiteState>.Empty;
        }

        var siteOf = ByUsername(desired, p => p.Site.Name);
        return Pair(
            added,
            removed,
            a => a.Name,
            r => r.Name,
            alike,
            (a, r) => view.Users.Values.Count(u => u.Site == r.Name && siteOf.GetValueOrDefault(u.Username) == a.Name));
    }

    /// <summary>What the manifest says of each user, by username (the first, should a username be given twice).</summary>
    private static Dictionary<string, string?> ByUsername(CompanyManifest desired, Func<(SiteSpec Site, UserSpec User), string?> value)
    {
        var byUsername = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in desired.AllUsers())
        {
            byUsername.TryAdd(pair.User.Username, value(pair));
        }

        return byUsername;
    }

    /// <summary>
    /// One-to-one: first each new resource (in order) to the alike held one with the most of its users, then the rest
    /// to the first alike held one (in order) still free. Deterministic: both lists come ordered.
    /// </summary>
    private static ImmutableDictionary<string, TOld> Pair<TNew, TOld>(
        List<TNew> added,
        List<TOld> removed,
        Func<TNew, string> newName,
        Func<TOld, string> oldName,
        Func<TNew, TOld, bool> alike,
        Func<TNew, TOld, int> sharedUsers)
    {
        var pairs = ImmutableDictionary.CreateBuilder<string, TOld>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var next in added)
        {
            var best = removed
                .Where(r => !taken.Contains(oldName(r)) && alike(next, r))
                .Select(r => (Old: r, Shared: sharedUsers(next, r)))
                .Where(c => c.Shared > 0)
                .OrderByDescending(c => c.Shared)
                .Select(c => c.Old)
                .FirstOrDefault();
            if (best is not null)
            {
                pairs[newName(next)] = best;
                taken.Add(oldName(best));
            }
        }

        foreach (var next in added.Where(a => !pairs.ContainsKey(newName(a))))
        {
            var first = removed.FirstOrDefault(r => !taken.Contains(oldName(r)) && alike(next, r));
            if (first is not null)
            {
                pairs[newName(next)] = first;
                taken.Add(oldName(first));
            }
        }

        return pairs.ToImmutable();
    }
}
