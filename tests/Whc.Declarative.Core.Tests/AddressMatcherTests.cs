using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Core.Tests;

public class AddressMatcherTests
{
    private static readonly AddressRecord Building = new("A00000001", "B1 1AA", "Acme House", null, "12", "High Street", "Birmingham", false);

    private static readonly AddressRecord Unit = new("A00000002", "B1 1AA", "Acme House", "Unit 3", "12", "High Street", "Birmingham", false);

    private static AddressSpec At(string? premises, string postcode = "B1 1AA") => new(postcode, premises, null, null, null);

    [Theory]
    [InlineData("Acme House")]
    [InlineData("12 High Street")]
    [InlineData("High Street")]
    public void Should_match_an_address_without_a_sub_building_by_building_name_or_street(string premises) =>
        AddressMatcher.Matches(Building, At(premises)).Should().BeTrue();

    [Theory]
    [InlineData("Unit 3")]
    [InlineData("Unit 3, Acme House")]
    public void Should_match_an_address_with_a_sub_building_by_the_sub_building_alone_or_with_its_building(string premises) =>
        AddressMatcher.Matches(Unit, At(premises)).Should().BeTrue();

    [Fact]
    public void Should_not_match_a_sub_building_by_its_buildings_name_alone()
    {
        // Given "Acme House" names the building's own address, not the units inside it
        // When the unit is matched against it, then it does not match
        AddressMatcher.Matches(Unit, At("Acme House")).Should().BeFalse();
    }

    [Theory]
    [InlineData("acme house")]
    [InlineData("ACME HOUSE")]
    [InlineData("  Acme   House ")]
    public void Should_match_premises_ignoring_case_and_extra_whitespace(string premises) =>
        AddressMatcher.Matches(Building, At(premises)).Should().BeTrue();

    [Theory]
    [InlineData("b1 1aa")]
    [InlineData(" B1  1AA ")]
    public void Should_match_the_postcode_ignoring_case_and_extra_whitespace(string postcode) =>
        AddressMatcher.Matches(Building, At("Acme House", postcode)).Should().BeTrue();

    [Fact]
    public void Should_not_match_an_address_at_another_postcode()
    {
        // Given the right premises at another postcode, when matched, then it does not match
        AddressMatcher.Matches(Building, At("Acme House", "B2 2BB")).Should().BeFalse();
    }

    [Fact]
    public void Should_not_match_other_premises()
    {
        // Given another building's name, when matched, then it does not match
        AddressMatcher.Matches(Building, At("Other House")).Should().BeFalse();
    }

    [Fact]
    public void Should_match_any_address_at_the_postcode_when_no_premises_are_given()
    {
        // Given only a postcode, when matched, then every address there matches
        AddressMatcher.Matches(Unit, At(null)).Should().BeTrue();
    }
}
