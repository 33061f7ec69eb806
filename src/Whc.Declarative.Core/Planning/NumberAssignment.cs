using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Core.Planning;

/// <summary>A contiguous range of directory numbers, inclusive.</summary>
public readonly record struct NumberRange(string Start, string End)
{
    /// <summary>A compact form for plans: <c>01214960000-0009</c> (the end written only from where it differs), or one number.</summary>
    public string ToCompactString()
    {
        if (Start == End)
        {
            return Start;
        }

        var common = 0;
        while (common < Start.Length && common < End.Length && Start[common] == End[common])
        {
            common++;
        }

        // Keep at least four digits of the end so a range reads like a number block, not a fragment.
        var from = Math.Max(0, Math.Min(common, End.Length - 4));
        return $"{Start}-{End[from..]}";
    }

    public IEnumerable<string> Numbers()
    {
        var start = long.Parse(Start, CultureInfo.InvariantCulture);
        var end = long.Parse(End, CultureInfo.InvariantCulture);
        for (var n = start; n <= end; n++)
        {
            yield return n.ToString(CultureInfo.InvariantCulture).PadLeft(Start.Length, '0');
        }
    }
}

/// <summary>
/// Decides which directory number each user gets. A user keeps a number it already holds when that number is still in
/// its block; the others take the lowest free numbers of their block, in manifest order. A number held by a user the
/// manifest no longer names (ceased by the plan, before any add) is free too, but only once no never-held number is
/// left: BT frees a ceased user's number when the cease completes, and a number that rang someone else yesterday is
/// the last choice. The rule is deterministic and stable as users are created one order at a time, so plan and apply
/// (which passes the numbers the plan reserved for the users it ceases) and parallel orders always agree.
/// </summary>
public static class NumberAssignment
{
    public static ImmutableDictionary<string, string> Assign(
        CompanyManifest desired,
        IReadOnlyDictionary<string, ImmutableArray<NumberRange>> rangesByBlock,
        IReadOnlyDictionary<string, string> heldNumbers)
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(heldNumbers.Values, StringComparer.Ordinal);
        var wanted = desired.AllUsers().Select(p => p.User.Username).ToHashSet(StringComparer.Ordinal);
        var kept = heldNumbers.Where(kv => wanted.Contains(kv.Key)).Select(kv => kv.Value).ToHashSet(StringComparer.Ordinal);
        var freed = new SortedSet<string>(heldNumbers.Where(kv => !wanted.Contains(kv.Key) && !kept.Contains(kv.Value)).Select(kv => kv.Value), StringComparer.Ordinal);
        var waiting = new List<(string Username, string Block)>();
        foreach (var (_, user) in desired.AllUsers())
        {
            if (user.Number is null)
            {
                continue;
            }

            var ranges = rangesByBlock.GetValueOrDefault(user.Number.From);
            if (heldNumbers.TryGetValue(user.Username, out var held) && !ranges.IsDefault && ranges.Any(r => InRange(r, held)))
            {
                result[user.Username] = held;
            }
            else
            {
                waiting.Add((user.Username, user.Number.From));
            }
        }

        foreach (var (username, block) in waiting)
        {
            var ranges = rangesByBlock.GetValueOrDefault(block);
            if (ranges.IsDefault)
            {
                continue;
            }

            var free = ranges.SelectMany(r => r.Numbers()).FirstOrDefault(n => !taken.Contains(n))
                ?? ranges.SelectMany(r => r.Numbers()).FirstOrDefault(freed.Contains);
            if (free is not null)
            {
                taken.Add(free);
                freed.Remove(free);
                result[username] = free;
            }
        }

        return result.ToImmutable();
    }

    private static bool InRange(NumberRange range, string number) =>
        number.Length == range.Start.Length
        && string.CompareOrdinal(number, range.Start) >= 0
        && string.CompareOrdinal(number, range.End) <= 0;
}
