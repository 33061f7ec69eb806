using System.Collections.Immutable;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class NumberAssignmentTests
{
    private static readonly ImmutableDictionary<string, ImmutableArray<NumberRange>> Ranges =
        ImmutableDictionary<string, ImmutableArray<NumberRange>>.Empty
            .Add("main", [new NumberRange(Number(0), Number(4)), new NumberRange(Number(100), Number(104))])
            .Add("spare", [new NumberRange(Number(1000), Number(1009))]);

    private static readonly ImmutableDictionary<string, string> NoneHeld = ImmutableDictionary<string, string>.Empty;

    /// <summary>Seven users over two sites and two blocks, one without a number, interleaved in manifest order.</summary>
    private static CompanyManifest Estate() => Manifest(
        [Block("main"), Block("spare", "0161", 10)],
        Site("hq", User("a"), User("b", "spare"), User("c"), User("nobody", block: null)),
        Site("branch", User("d"), User("e", "spare"), User("f"), User("g")));

    [Fact]
    public void Should_give_users_the_lowest_free_numbers_of_their_block_in_manifest_order()
    {
        // Given nobody holds a number
        // When numbers are assigned
        var numbers = NumberAssignment.Assign(Estate(), Ranges, NoneHeld);

        // Then each block is used from its lowest number, in manifest order, across ranges
        numbers.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["a"] = Number(0),
            ["c"] = Number(1),
            ["d"] = Number(2),
            ["f"] = Number(3),
            ["g"] = Number(4),
            ["b"] = Number(1000),
            ["e"] = Number(1001),
        });
    }

    [Fact]
    public void Should_continue_into_the_next_range_of_a_block_when_the_first_is_full()
    {
        // Given the first range of main is full
        var manifest = Manifest(Site("hq", Users("u", 6)));

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, Ranges, NoneHeld);

        // Then the sixth user gets the first number of the second range
        numbers["u06"].Should().Be(Number(100));
    }

    [Fact]
    public void Should_let_users_keep_the_numbers_they_hold()
    {
        // Given c holds the fifth number of main
        var held = NoneHeld.Add("c", Number(4));

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(Estate(), Ranges, held);

        // Then c keeps it and the others take the lowest free numbers around it
        numbers["c"].Should().Be(Number(4));
        new[] { numbers["a"], numbers["d"], numbers["f"], numbers["g"] }.Should().Equal(Number(0), Number(1), Number(2), Number(3));
    }

    [Fact]
    public void Should_reassign_a_held_number_that_is_no_longer_in_the_users_block()
    {
        // Given a holds a number of block spare but now draws on main
        var held = NoneHeld.Add("a", Number(1005));

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(Estate(), Ranges, held);

        // Then a gets a number of main, and spare's users do not get the number a still holds
        numbers["a"].Should().Be(Number(0));
        numbers.Values.Count(n => n == Number(1005)).Should().Be(0);
    }

    [Fact]
    public void Should_leave_out_users_without_a_number_and_users_whose_block_has_no_numbers_yet()
    {
        // Given block spare has not been ringfenced yet
        var ranges = Ranges.Remove("spare");

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(Estate(), ranges, NoneHeld);

        // Then neither "nobody" nor spare's users get a number
        numbers.Keys.Should().NotContain(["nobody", "b", "e"]);
    }

    [Fact]
    public void Should_leave_out_users_when_their_block_is_exhausted()
    {
        // Given 12 users for a block of 10 numbers
        var manifest = Manifest(Site("hq", Users("u", 12)));

        // When numbers are assigned
        var numbers = NumberAssignment.Assign(manifest, Ranges, NoneHeld);

        // Then the last two get none, and no number is given twice
        numbers.Should().HaveCount(10).And.NotContainKeys("u11", "u12");
        numbers.Values.Should().OnlyHaveUniqueItems();
    }

    public static TheoryData<string[]> CreatedFirst => new()
    {
        { new[] { "a" } },
        { new[] { "g" } },
        { new[] { "g", "f", "e" } },
        { new[] { "d", "e", "f", "g" } },
        { new[] { "a", "c", "g" } },
        { new[] { "b", "f" } },
        { new[] { "c", "d", "b", "a", "g", "e" } },
        { new[] { "a", "b", "c", "d", "e", "f", "g" } },
    };

    [Theory]
    [MemberData(nameof(CreatedFirst))]
    public void Should_assign_the_rest_the_same_numbers_whichever_users_already_hold_theirs(string[] createdFirst)
    {
        // Given the assignment with nobody created yet, and some users created (holding their assigned numbers) in any order
        var manifest = Estate();
        var planned = NumberAssignment.Assign(manifest, Ranges, NoneHeld);
        var held = createdFirst.ToImmutableDictionary(u => u, u => planned[u]);

        // When numbers are assigned again, as apply does for each parallel order
        var again = NumberAssignment.Assign(manifest, Ranges, held);

        // Then every user gets the number the plan showed
        again.Should().BeEquivalentTo(planned);
    }

    [Theory]
    [InlineData("01214960000", "01214960009", "01214960000-0009")]
    [InlineData("01214960000", "01214960099", "01214960000-0099")]
    [InlineData("01214960990", "01214961009", "01214960990-1009")]
    [InlineData("01214960000", "01214970000", "01214960000-70000")]
    [InlineData("01214960005", "01214960005", "01214960005")]
    public void Should_write_a_range_compactly_keeping_at_least_four_digits_of_its_end(string start, string end, string expected) =>
        new NumberRange(start, end).ToCompactString().Should().Be(expected);

    [Fact]
    public void Should_list_the_numbers_of_a_range_keeping_leading_zeros()
    {
        // Given a range starting with a zero, when its numbers are listed, then they keep their width
        new NumberRange("01214960008", "01214960011").Numbers().Should().Equal("01214960008", "01214960009", "01214960010", "01214960011");
    }
}
