using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>Issue 15: <c>characteristics:</c>, extra BT product characteristics passed as they are, with its guard rails.</summary>
public sealed class CharacteristicsTests
{
    private static string Manifest(string companyExtra = "", string userExtra = "") => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: fun-network
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company:
            name: TheFunNetwork
            domain: thefunnetwork.com
            customerGroup: SWAINsTelecom
        {{companyExtra}}
          numberBlocks:
            - { name: brum, areaCode: "0121", quantity: 10, characteristics: { numberType: geographic } }
          sites:
            - name: hq
              locationCode: IPS01
              address: { postcode: IP5 3RE, premises: Adastral Park }
              characteristics: { siteTimezone: Europe/London }
              users:
                - username: jane.smith
                  firstName: Jane
                  lastName: Smith
                  extension: "2001"
        {{userExtra}}
        """;

    [Fact]
    public void Characteristics_are_read_for_company_block_site_and_user()
    {
        var result = ManifestLoader.Parse("c.yaml", Manifest("    characteristics: { billingReference: PO-1234 }", "          characteristics: { callerIdName: Reception, voicemail.pin.reset: \"true\" }"));

        result.Diagnostics.Should().BeEmpty();
        var company = result.Companies.Single();
        company.Company.Characteristics.Should().Equal(new Dictionary<string, string> { ["billingReference"] = "PO-1234" });
        company.NumberBlocks.Single().Characteristics.Should().ContainKey("numberType");
        company.Sites.Single().Characteristics.Should().ContainKey("siteTimezone");
        company.Sites.Single().Users.Single().Characteristics.Keys.Should().Equal("callerIdName", "voicemail.pin.reset");
    }

    [Theory]
    [InlineData("          characteristics: { firstName: Eve }", "characteristic 'firstName' is one whcctl sets from this user's own fields", 24)]
    [InlineData("          characteristics: { \"1st\": x }", "characteristic name '1st' is not valid", 24)]
    public void A_characteristic_whcctl_sets_or_an_invalid_name_is_WHC2031_at_its_line(string extra, string message, int line)
    {
        var result = ManifestLoader.Parse("c.yaml", Manifest(userExtra: extra));

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        (diagnostic.Code, diagnostic.Span.Line).Should().Be(("WHC2031", line));
        diagnostic.Message.Should().Contain(message);
    }

    /// <summary>A contract that sends the user's firstName as callerIdName.</summary>
    private static Core.Manifests.WireCharacteristicNames FirstNameSentAsCallerIdName { get; } = new(
        System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal,
            [KeyValuePair.Create("user", System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("callerIdName", "firstName")]))]));

    [Fact]
    public void A_characteristic_named_as_the_contract_sends_a_field_whcctl_sets_is_WHC2031_and_other_names_are_not()
    {
        var companies = ManifestLoader.Parse("c.yaml", Manifest(userExtra: "          characteristics: { callerIdName: Eve, callerIdLabel: Eve }")).Companies;

        var diagnostic = Validation.ManifestValidator.Validate(companies, wireNames: FirstNameSentAsCallerIdName).Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC2031");
        diagnostic.Message.Should().Contain("'callerIdName'").And.Contain("firstName");
        Validation.ManifestValidator.Validate(companies).Should().BeEmpty("under the built-in contract callerIdName is no field's name");
    }

    [Fact]
    public void A_characteristic_named_as_the_contract_sends_a_field_but_in_another_letter_case_is_WHC2031_too()
    {
        // Whether BT tells characteristic names apart by case is not published: refusing is the side that cannot
        // send one value twice.
        var companies = ManifestLoader.Parse("c.yaml", Manifest(userExtra: "          characteristics: { CallerIdName: Eve }")).Companies;

        var diagnostic = Validation.ManifestValidator.Validate(companies, wireNames: FirstNameSentAsCallerIdName).Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC2031");
        diagnostic.Message.Should().Contain("'CallerIdName'").And.Contain("firstName");
    }

    [Fact]
    public void A_value_that_is_not_text_is_refused_by_the_schema()
    {
        var result = ManifestLoader.Parse("c.yaml", Manifest(userExtra: "          characteristics: { callerIdName: { nested: 1 } }"));

        result.HasErrors.Should().BeTrue();
        result.Diagnostics.Should().Contain(d => d.Span.Line == 24);
    }
}
