using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Canonical;
using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class RefreshSnapshotTests
{
    [Fact]
    public void Should_fingerprint_the_same_inventory_the_same_whatever_order_BT_lists_it_in()
    {
        // Given one inventory listed in two orders
        var inventory = InventoryOf(Applied(Manifest(Site("hq", Users("u", 4)), Site("branch", User("b01")))));
        var reversed = inventory with { Users = [.. inventory.Users.Reverse()], Sites = [.. inventory.Sites.Reverse()] };

        // When both are fingerprinted, then the fingerprints are equal and well-formed
        var fingerprint = RefreshSnapshot.Of(inventory).Fingerprint();
        RefreshSnapshot.Of(reversed).Fingerprint().Should().Be(fingerprint);
        fingerprint.Should().MatchRegex("^sha256:[0-9a-f]{16}$");
    }

    [Fact]
    public void Should_change_the_fingerprint_when_BT_changes_a_user()
    {
        // Given an inventory and the same with one user renamed
        var inventory = InventoryOf(Applied(Simple(users: 2)));
        var changed = inventory with { Users = inventory.Users.SetItem(0, inventory.Users[0] with { LastName = "Other" }) };

        // When both are fingerprinted, then they differ
        RefreshSnapshot.Of(changed).Fingerprint().Should().NotBe(RefreshSnapshot.Of(inventory).Fingerprint());
    }

    [Fact]
    public void Should_change_the_fingerprint_when_a_verify_answer_changes()
    {
        // Given BT's answer about the domain changes, when fingerprinted, then the fingerprint changes
        RefreshSnapshot.Of(null).Fingerprint().Should().NotBe((RefreshSnapshot.Of(null) with { DomainTaken = true }).Fingerprint());
    }

    [Fact]
    public void Should_fingerprint_equal_reads_equally_however_they_were_built()
    {
        // Given one read of BT built twice, its sorted collections filled in different orders
        RefreshSnapshot Read(IEnumerable<string> usernames, IEnumerable<string> orders) =>
            RefreshSnapshot.Of(InventoryOf(Applied(Simple(users: 2)))) with
            {
                TakenUsernames = [.. usernames],
                Orders = orders.ToImmutableSortedDictionary(o => o, o => new OrderStatus(o, null, OrderState.Completed, null), StringComparer.Ordinal),
                TakenPortedRanges = ["01632960000"],
            };

        // Then the fingerprints are equal
        Read(["a", "b"], ["o1", "o2"]).Fingerprint().Should().Be(Read(["b", "a"], ["o2", "o1"]).Fingerprint());
    }

    [Fact]
    public void Should_change_the_fingerprint_for_every_part_of_what_was_read()
    {
        // Given a read, and the same read with one part changed at a time
        var read = RefreshSnapshot.Of(InventoryOf(Applied(Simple(users: 2))));
        var changed = new[]
        {
            read with { Inventory = null },
            read with { TakenUsernames = ["someone"] },
            read with { TakenPortedRanges = ["01632960000"] },
            read with { Orders = ImmutableSortedDictionary<string, OrderStatus>.Empty.Add("o1", new OrderStatus("o1", null, OrderState.Completed, null)) },
            read with { Orders = ImmutableSortedDictionary<string, OrderStatus>.Empty.Add("o1", new OrderStatus("o1", null, OrderState.Failed, "no")) },
            read with { Inventory = read.Inventory! with { NumberRanges = [] } },
        };

        // Then every fingerprint differs from the original and from each other
        changed.Select(c => c.Fingerprint()).Prepend(read.Fingerprint()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void The_canonical_form_sorts_keys_ordinally_and_drops_insignificant_whitespace()
    {
        // Given one JSON value written with its keys in two orders and with indentation
        var one = JsonNode.Parse("{ \"b\": [ { \"z\": 1, \"a\": \"é\" } ], \"B\": null, \"a\": true }");
        var other = JsonNode.Parse("{\"a\":true,\"B\":null,\"b\":[{\"a\":\"é\",\"z\":1}]}");

        // Then both have the same canonical bytes: keys in ordinal order, nothing between tokens
        Encoding.UTF8.GetString(CanonicalJson.Of(one)).Should().Be("{\"B\":null,\"a\":true,\"b\":[{\"a\":\"\\u00E9\",\"z\":1}]}");
        CanonicalJson.Sha256(other).Should().Be(CanonicalJson.Sha256(one)).And.MatchRegex("^sha256:[0-9a-f]{64}$");
    }

    [Fact]
    public void States_that_differ_only_in_serial_and_order_have_the_same_content_and_any_other_difference_counts()
    {
        // Given a state, the same with another serial and its users in another order, and the same bound elsewhere
        var state = Applied(Simple(users: 3));
        var reordered = state with { Serial = state.Serial + 5, Users = [.. state.Users.Reverse()] };
        var elsewhere = state with { Endpoint = EndpointName.Of("https://gateway.example.test/whc/") };

        // Then content is compared in canonical form, serial aside
        state.SameContentAs(reordered).Should().BeTrue();
        state.SameContentAs(elsewhere).Should().BeFalse();
        elsewhere.SameContentAs(elsewhere with { Endpoint = EndpointName.Of("https://GATEWAY.example.test/whc") }).Should().BeTrue();
        state.SameContentAs(state with { Users = state.Users.RemoveAt(0) }).Should().BeFalse();
    }
}
