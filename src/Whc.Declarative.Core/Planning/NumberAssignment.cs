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

    /// <summary>Every number of the range, in order, each written at least as wide as <see cref="Start"/> (leading zeros kept).</summary>
    public IEnumerable<string> Numbers()
    {
        var start = long.Parse(Start, CultureInfo.InvariantCulture);
        var end = long.Parse(End, CultureInfo.InvariantCulture);
        for (var n = start; n <= end; n++)
        {
            yield return NumberAt(n);
        }
    }

    /// <summary>The number <paramref name="value"/> as this range writes it (see <see cref="Numbers"/>).</summary>
    internal string NumberAt(long value) => value.ToString(CultureInfo.InvariantCulture).PadLeft(Start.Length, '0');

    /// <summary>Whether <paramref name="number"/> is one of <see cref="Numbers"/> (given the parsed start and end), worked out without listing them.</summary>
    internal bool Lists(string number, long start, long end, out long value) =>
        long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && value >= start && value <= end
        && NumberAt(value) == number;
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
        List<(string Username, string Block)>? waiting = null;
        foreach (var site in desired.Sites)
        {
            foreach (var user in site.Users)
            {
                if (user.Number is null)
                {
                    continue;
                }

                var ranges = rangesByBlock.GetValueOrDefault(user.Number.From);
                if (ranges.IsDefault)
                {
                    // Its block holds no numbers yet: nothing to give.
                    continue;
                }

                if (heldNumbers.TryGetValue(user.Username, out var held) && InAny(ranges, held))
                {
                    result[user.Username] = held;
                }
                else
                {
                    (waiting ??= []).Add((user.Username, user.Number.From));
                }
            }
        }

        // Everyone keeps a number (a plan with nothing to change), or no block has numbers yet (a new company): nothing to search for.
        if (waiting is null)
        {
            return result.ToImmutable();
        }

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, user) in desired.AllUsers())
        {
            wanted.Add(user.Username);
        }

        var taken = new HashSet<string>(heldNumbers.Values, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (username, number) in heldNumbers)
        {
            if (wanted.Contains(username))
            {
                kept.Add(number);
            }
        }

        var freed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (username, number) in heldNumbers)
        {
            if (!wanted.Contains(username) && !kept.Contains(number))
            {
                freed.Add(number);
            }
        }

        var searchedTo = new Dictionary<NumberRange, long>();
        foreach (var (username, block) in waiting)
        {
            var ranges = rangesByBlock[block];
            var free = LowestNeverHeld(ranges, taken, searchedTo) ?? FirstFreed(ranges, freed);
            if (free is not null)
            {
                taken.Add(free);
                freed.Remove(free);
                result[username] = free;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The first number of the ranges, in their order, that nobody holds. Numbers are only ever taken here, never given
    /// back, so where a range's search stopped (<paramref name="searchedTo"/>) every number before it is still taken:
    /// the next search goes on from there instead of from the range's start.
    /// </summary>
    private static string? LowestNeverHeld(ImmutableArray<NumberRange> ranges, HashSet<string> taken, Dictionary<NumberRange, long> searchedTo)
    {
        foreach (var range in ranges)
        {
            var start = long.Parse(range.Start, CultureInfo.InvariantCulture);
            var end = long.Parse(range.End, CultureInfo.InvariantCulture);
            var next = searchedTo.TryGetValue(range, out var from) ? from : start;
            while (next <= end && taken.Contains(range.NumberAt(next)))
            {
                next++;
            }

            searchedTo[range] = next;
            if (next <= end)
            {
                return range.NumberAt(next);
            }
        }

        return null;
    }

    /// <summary>The first number of the ranges, in their order, that a user the manifest no longer names frees.</summary>
    private static string? FirstFreed(ImmutableArray<NumberRange> ranges, HashSet<string> freed)
    {
        foreach (var range in ranges)
        {
            var start = long.Parse(range.Start, CultureInfo.InvariantCulture);
            var end = long.Parse(range.End, CultureInfo.InvariantCulture);
            string? lowest = null;
            var lowestValue = 0L;
            foreach (var number in freed)
            {
                if (range.Lists(number, start, end, out var value) && (lowest is null || value < lowestValue))
                {
                    lowest = number;
                    lowestValue = value;
                }
            }

            if (lowest is not null)
            {
                return lowest;
            }
        }

        return null;
    }

    private static bool InAny(ImmutableArray<NumberRange> ranges, string number)
    {
        foreach (var range in ranges)
        {
            if (InRange(range, number))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InRange(NumberRange range, string number) =>
        number.Length == range.Start.Length
        && string.CompareOrdinal(number, range.Start) >= 0
        && string.CompareOrdinal(number, range.End) <= 0;
}
