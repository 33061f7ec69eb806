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
}
