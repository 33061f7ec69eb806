using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests.Planning;

/// <summary>
/// An equivalence pin, not a bug test: number assignment used to write out every number of a range, in order, and take
/// the first nobody held; it now finds that number by arithmetic over the ranges (issue 28, speed only). These cases,
/// seen passing on the old code first, pin what it gave on tricky inputs: several blocks and ranges, numbers freed by
/// removed users, held numbers outside every range, leading zeros, ranges spanning a power of ten. The last test
/// compares with the old rule itself, written out below, on many generated estates.
/// </summary>
public class NumberAssignmentEquivalenceTests
{
    private static UserSpec Drawing(string username, string? block) => User(username, block);

    private static CompanyManifest Company(ImmutableArray<NumberBlockSpec> blocks, params UserSpec[] users) =>
        Manifest(blocks, Site("hq", users));

    private static ImmutableDictionary<string, ImmutableArray<NumberRange>> Ranges(params (string Block, string Start, string End)[] ranges) =>
        ranges.GroupBy(r => r.Block).ToImmutableDictionary(g => g.Key, g => g.Select(r => new NumberRange(r.Start, r.End)).ToImmutableArray());

    [Fact]
    public void Should_count_through_a_power_of_ten_and_never_give_a_held_number_of_another_width()
    {
        // Given a range 998-1002 (its numbers written from three digits: 998, 999, 1000, ...), and x (no longer in the
        // manifest) holding 999 and a holding 1000, which is not the range's width so a may not keep it
        var manifest = Company([Block("main")], Drawing("a", "main"), Drawing("b", "main"), Drawing("c", "main"), Drawing("d", "main"));
        var held = ImmutableDictionary<string, string>.Empty.Add("x", "999").Add("a", "1000");

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, Ranges(("main", "998", "1002")), held);

        // Then the never-held numbers go first, across the power of ten, then the freed one
        numbers.Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "998", ["b"] = "1001", ["c"] = "1002", ["d"] = "999" });
    }

    [Fact]
    public void Should_keep_leading_zeros_and_not_take_a_held_number_written_with_fewer()
    {
        // Given a range 0098-0101 and someone else holding 099 and 0100 (099 is not a number of the range)
        var manifest = Company([Block("main")], Drawing("a", "main"), Drawing("b", "main"), Drawing("c", "main"), Drawing("d", "main"));
        var held = ImmutableDictionary<string, string>.Empty.Add("x", "099").Add("y", "0100");

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, Ranges(("main", "0098", "0101")), held);

        // Then 0099 is free, 0100 is taken until the never-held ones run out
        numbers.Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "0098", ["b"] = "0099", ["c"] = "0101", ["d"] = "0100" });
    }

    [Fact]
    public void Should_take_freed_numbers_in_the_order_of_the_ranges_not_of_the_numbers()
    {
        // Given a full block whose first range is the higher one, and removed users freeing one number of each range
        var manifest = Company([Block("main")], Drawing("k1", "main"), Drawing("k2", "main"), Drawing("n1", "main"), Drawing("n2", "main"));
        var held = ImmutableDictionary<string, string>.Empty
            .Add("k1", "201").Add("k2", "100")
            .Add("gone1", "101").Add("gone2", "200");

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, Ranges(("main", "200", "201"), ("main", "100", "101")), held);

        // Then the new users take the freed numbers range by range: 200 (first range) before 101
        numbers.Should().BeEquivalentTo(new Dictionary<string, string> { ["k1"] = "201", ["k2"] = "100", ["n1"] = "200", ["n2"] = "101" });
    }

    [Fact]
    public void Should_not_free_a_number_a_staying_user_holds_too_and_leave_out_users_when_nothing_is_left()
    {
        // Given a block of two, 500 held by both a staying user and a removed one, 501 by a removed one, and a user
        // holding a number outside every range
        var manifest = Company([Block("main")], Drawing("stay", "main"), Drawing("far", "main"), Drawing("n1", "main"), Drawing("n2", "main"));
        var held = ImmutableDictionary<string, string>.Empty
            .Add("stay", "500").Add("gone1", "500").Add("gone2", "501").Add("far", "9999");

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, Ranges(("main", "500", "501")), held);

        // Then stay keeps 500, far takes the freed 501, and the others get none
        numbers.Should().BeEquivalentTo(new Dictionary<string, string> { ["stay"] = "500", ["far"] = "501" });
    }

    [Fact]
    public void Should_not_give_a_number_twice_across_blocks_whose_ranges_overlap()
    {
        // Given two blocks sharing numbers, an empty range (start after end) and a block with no ranges yet
        var manifest = Company(
            [Block("a"), Block("b"), Block("c")],
            Drawing("a1", "a"), Drawing("b1", "b"), Drawing("a2", "a"), Drawing("b2", "b"), Drawing("c1", "c"), Drawing("none", null));
        var ranges = Ranges(("a", "07000", "07001"), ("b", "09", "05"), ("b", "07001", "07003"));

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, ranges, ImmutableDictionary<string, string>.Empty);

        // Then b skips nothing of its empty range, a's second user finds its block full (b took 07001), and b goes on
        numbers.Should().BeEquivalentTo(new Dictionary<string, string> { ["a1"] = "07000", ["b1"] = "07001", ["b2"] = "07002" });
    }

    [Fact]
    public void Should_assign_as_the_old_rule_did_on_generated_estates()
    {
        // Given many generated estates (fixed seed): blocks of several ranges near powers of ten and with leading
        // zeros, users drawing on them or on none, numbers held in and out of range, by staying and removed users
        var random = new Random(28);
        for (var round = 0; round < 400; round++)
        {
            var (manifest, ranges, held) = Estate(random);

            // When numbers are assigned
            var numbers = NumberAssignment.Assign(manifest, ranges, held);

            // Then they are the old rule's
            numbers.Should().BeEquivalentTo(OldRule(manifest, ranges, held), $"round {round}");
        }
    }

    private static (CompanyManifest, ImmutableDictionary<string, ImmutableArray<NumberRange>>, ImmutableDictionary<string, string>) Estate(Random random)
    {
        string[] blocks = ["a", "b", "c"];
        var ranges = ImmutableDictionary.CreateBuilder<string, ImmutableArray<NumberRange>>();
        var all = new List<NumberRange>();
        foreach (var block in blocks.Take(random.Next(1, 4)))
        {
            var list = new List<NumberRange>();
            for (var i = random.Next(0, 4); i > 0; i--)
            {
                var width = random.Next(2, 6);
                var start = random.Next(4) switch
                {
                    0 => (long)Math.Pow(10, width) - random.Next(1, 6),
                    1 => random.Next(0, 20),
                    _ => random.Next(0, 300),
                };
                var range = new NumberRange(
                    start.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'),
                    (start + random.Next(-1, 8)).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
                list.Add(range);
                all.Add(range);
            }

            ranges[block] = [.. list];
        }

        string Some() => all.Count > 0 && random.Next(5) > 0
            ? random.Next(all.Count) is var r && all[r].Numbers().Take(12).ToList() is { Count: > 0 } numbers ? numbers[random.Next(numbers.Count)] : "0"
            : random.Next(0, 1200).ToString(CultureInfo.InvariantCulture).PadLeft(random.Next(1, 6), '0');

        var users = Enumerable.Range(0, random.Next(0, 14))
            .Select(i => Drawing($"u{i}", random.Next(6) == 0 ? null : blocks[random.Next(blocks.Length)]))
            .ToArray();
        var held = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var user in users.Where(_ => random.Next(2) == 0))
        {
            held[user.Username] = Some();
        }

        for (var i = random.Next(0, 5); i > 0; i--)
        {
            held[$"gone{i}"] = Some();
        }

        return (Company([Block("a"), Block("b"), Block("c")], users), ranges.ToImmutable(), held.ToImmutable());
    }

    /// <summary>The rule as it was written before issue 28: every number of the block's ranges, in order, the first not held.</summary>
    private static Dictionary<string, string> OldRule(
        CompanyManifest desired,
        IReadOnlyDictionary<string, ImmutableArray<NumberRange>> rangesByBlock,
        IReadOnlyDictionary<string, string> heldNumbers)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(heldNumbers.Values, StringComparer.Ordinal);
        var wanted = desired.AllUsers().Select(p => p.User.Username).ToHashSet(StringComparer.Ordinal);
        var kept = heldNumbers.Where(kv => wanted.Contains(kv.Key)).Select(kv => kv.Value).ToHashSet(StringComparer.Ordinal);
        var freed = heldNumbers.Where(kv => !wanted.Contains(kv.Key) && !kept.Contains(kv.Value)).Select(kv => kv.Value).ToHashSet(StringComparer.Ordinal);
        static bool InRange(NumberRange range, string number) =>
            number.Length == range.Start.Length && string.CompareOrdinal(number, range.Start) >= 0 && string.CompareOrdinal(number, range.End) <= 0;

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

        return result;
    }
}
