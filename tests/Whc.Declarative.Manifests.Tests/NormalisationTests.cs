using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Manifests.Tests;

public sealed class NormalisationTests
{
    private const string Manifest = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: fun-network
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: TheFunNetwork, domain: TheFunNetwork.COM, customerGroup: SWAINsTelecom }
          numberBlocks:
            - { name: brum, areaCode: "0121", quantity: 10 }
          sites:
            - name: ipswich-hq
              locationCode: IPS01
              address: { postcode: " ip53re ", premises: Adastral Park }
              users:
                - username: jane.smith
                  firstName: Jane
                  lastName: Smith
                  extension: "2001"
                  number: { from: brum }
                  devices: [ { macAddress: "00-11-22-aa-bb-cc" } ]
        """;

    private static CompanyManifest Load()
    {
        var result = ManifestLoader.Parse("company.yaml", Manifest);
        result.Diagnostics.Should().BeEmpty();
        return result.Companies.Single();
    }

    [Theory]
    [InlineData("00:11:22:AA:BB:CC")]
    [InlineData("00-11-22-aa-bb-cc")]
    [InlineData("0011.22aa.bbcc")]
    [InlineData("001122aabbcc")]
    [InlineData(" 00:11:22:aa:bb:cc ")]
    public void Mac_addresses_become_12_upper_case_hex_digits(string written)
    {
        ManifestFormats.NormaliseMacAddress(written).Should().Be("001122AABBCC");
    }

    [Theory]
    [InlineData("IP5 3RE", "IP5 3RE")]
    [InlineData("ip53re", "IP5 3RE")]
    [InlineData("  ip5   3re ", "IP5 3RE")]
    [InlineData("sw1a1aa", "SW1A 1AA")]
    [InlineData("m13bb", "M1 3BB")]
    public void Postcodes_become_upper_case_with_one_space_before_the_inward_code(string written, string canonical)
    {
        ManifestFormats.NormalisePostcode(written).Should().Be(canonical);
    }

    [Fact]
    public void A_value_that_is_not_a_postcode_is_kept_as_written_for_the_validator_to_report()
    {
        ManifestFormats.NormalisePostcode("not a code").Should().Be("NOT A CODE");
    }

    [Fact]
    public void The_model_holds_canonical_values()
    {
        var company = Load();

        company.Company.Domain.Should().Be("thefunnetwork.com");
        company.Sites[0].Address.Postcode.Should().Be("IP5 3RE");
        company.Sites[0].Users[0].Devices[0].MacAddress.Should().Be("001122AABBCC");
    }

    [Fact]
    public void Licence_defaults_to_standard_and_protect_to_false()
    {
        var company = Load();
        var user = company.Sites[0].Users[0];

        user.Licence.Should().Be("standard");
        user.Protect.Should().BeFalse();
        company.Protect.Should().BeFalse();
        company.Sites[0].Protect.Should().BeFalse();
        company.NumberBlocks[0].Protect.Should().BeFalse();
    }

    [Fact]
    public void Every_element_carries_the_file_line_and_column_it_was_read_from()
    {
        var company = Load();

        company.Span.Should().Be(new SourceSpan("company.yaml", 4, 9));
        company.NumberBlocks[0].Span.Should().Be(new SourceSpan("company.yaml", 9, 7));
        company.Sites[0].Span.Should().Be(new SourceSpan("company.yaml", 11, 7));
        company.Sites[0].Users[0].Span.Should().Be(new SourceSpan("company.yaml", 15, 11));
    }

    [Fact]
    public void Several_documents_in_one_file_become_several_companies()
    {
        var second = Manifest.Replace("name: fun-network", "name: other-network", StringComparison.Ordinal);

        var result = ManifestLoader.Parse("two.yaml", Manifest + "\n---\n" + second);

        result.Companies.Select(c => c.Key).Should().Equal("fun-network", "other-network");
        result.Companies[1].Span.Line.Should().Be(25);
    }
}
