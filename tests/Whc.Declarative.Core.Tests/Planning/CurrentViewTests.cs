using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests.Planning;

/// <summary>
/// An equivalence pin, not a bug test: since issue 28 the view's maps are built by a builder rather than by
/// ToImmutableSortedDictionary; these cases, seen passing before that, pin what it makes of a state's lists.
/// </summary>
public class CurrentViewTests
{
    [Fact]
    public void Should_key_each_map_by_name_in_ordinal_order_whatever_the_states_order()
    {
        // Given a state whose users, sites and blocks are listed out of order (names differing in case too)
        var manifest = Manifest([Block("b"), Block("B"), Block("a")], Site("hq", User("zed", "a"), User("Amy", "a")), Site("Branch"), Site("annex"));
        var applied = Applied(manifest);
        var state = applied with { Users = [.. applied.Users.Reverse()], Sites = [.. applied.Sites.Reverse()] };

        // When it is viewed
        var view = CurrentView.From(state, null);

        // Then each map lists them by name, ordinally (upper case first)
        view.Blocks.Keys.Should().Equal("B", "a", "b");
        view.Sites.Keys.Should().Equal("Branch", "annex", "hq");
        view.Users.Keys.Should().Equal("Amy", "zed");
        view.Users["zed"].Should().Be(applied.Users.Single(u => u.Username == "zed"));
    }

    [Fact]
    public void Should_take_a_user_listed_twice_alike_once_and_refuse_one_listed_twice_differently()
    {
        // Given a state listing a user twice, once exactly alike and once with another extension
        var applied = Applied(Manifest(Site("hq", User("ann"))));
        var ann = applied.Users[0];

        // When each is viewed
        var alike = CurrentView.From(applied with { Users = [ann, ann] }, null);
        var differing = () => CurrentView.From(applied with { Users = [ann, ann with { Extension = "7999" }] }, null);

        // Then the alike one is one user, and the differing one is refused
        alike.Users.Should().ContainSingle();
        differing.Should().Throw<ArgumentException>();
    }
}
