using System.Collections.Immutable;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Core.Tests;

/// <summary>Issue 27 item 9: a NAD key is checked against what refresh read at its postcode, and an unanswered read never passes.</summary>
public sealed class BtCheckedValuesTests
{
    private static readonly ImmutableArray<AddressRecord> AtAdastralPark =
    [
        new("X05000455531", "IP5 3RE", "Adastral Park", "Orion Building", null, "Main Road", "Ipswich", false),
        new("X05000455530", "IP5 3RE", "Adastral Park", null, null, "Main Road", "Ipswich", false),
    ];

    private static RefreshSnapshot Read(string postcode, ImmutableArray<AddressRecord> found) =>
        RefreshSnapshot.Of(null) with { AddressesByPostcode = ImmutableSortedDictionary<string, ImmutableArray<AddressRecord>>.Empty.WithComparers(StringComparer.Ordinal).Add(postcode, found) };

    private static AddressSpec Key(string nadKey, string? postcode = "IP5 3RE") => new(postcode, null, null, null, nadKey);

    [Fact]
    public void A_key_BT_lists_at_its_postcode_is_listed()
    {
        var finding = BtCheckedValues.CheckNadKey(Key("X05000455530"), Read("IP5 3RE", AtAdastralPark));

        finding.Outcome.Should().Be(NadKeyOutcome.Listed);
        finding.ListedKeys.Should().Equal("X05000455530", "X05000455531");
    }

    [Fact]
    public void A_key_BT_does_not_list_is_refused_with_the_keys_it_does_list_in_order()
    {
        var finding = BtCheckedValues.CheckNadKey(Key("X05000999999"), Read("IP5 3RE", AtAdastralPark));

        finding.Outcome.Should().Be(NadKeyOutcome.NotListed);
        finding.ListedKeys.Should().Equal("X05000455530", "X05000455531");
    }

    [Fact]
    public void A_postcode_where_BT_lists_nothing_refuses_the_key()
    {
        BtCheckedValues.CheckNadKey(Key("X05000455530", "ZZ1 1ZZ"), Read("ZZ1 1ZZ", [])).Outcome.Should().Be(NadKeyOutcome.NotListed);
    }

    [Fact]
    public void A_refresh_without_an_answer_for_the_postcode_does_not_pass_the_key()
    {
        BtCheckedValues.CheckNadKey(Key("X05000455530"), RefreshSnapshot.Of(null)).Outcome.Should().Be(NadKeyOutcome.Unanswered);
        BtCheckedValues.CheckNadKey(Key("X05000455530"), Read("IP5 3RE", default)).Outcome.Should().Be(NadKeyOutcome.Unanswered);
    }

    [Fact]
    public void A_key_alone_or_a_plan_without_refresh_is_left_to_BT_at_apply()
    {
        BtCheckedValues.CheckNadKey(Key("X05000455530", null), Read("IP5 3RE", AtAdastralPark)).Outcome.Should().Be(NadKeyOutcome.NoPostcode);
        BtCheckedValues.CheckNadKey(Key("X05000455530"), null).Outcome.Should().Be(NadKeyOutcome.NotRefreshed);
        BtCheckedValues.CheckNadKey(new AddressSpec("IP5 3RE", "Adastral Park", null, null, null), null).Outcome.Should().Be(NadKeyOutcome.NotGiven);
    }
}
