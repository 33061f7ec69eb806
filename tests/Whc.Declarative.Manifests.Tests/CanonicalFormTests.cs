namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The model builder keeps a MAC address or postcode that is already canonical as it is, without normalising it: that
/// is only right while normalising a canonical value gives it back unchanged, which these hold.
/// </summary>
public sealed class CanonicalFormTests
{
    [Theory]
    [InlineData("001122AABBCC")]
    [InlineData("805EC0000100")]
    [InlineData("000000000000")]
    [InlineData("FFFFFFFFFFFF")]
    public void A_canonical_MAC_address_normalises_to_itself(string mac)
    {
        ManifestFormats.MacAddress().IsMatch(mac).Should().BeTrue();
        ManifestFormats.NormaliseMacAddress(mac).Should().Be(mac);
    }

    [Theory]
    [InlineData("IP5 3RE")]
    [InlineData("SW1A 1AA")]
    [InlineData("M1 1AE")]
    [InlineData("EC1A 1BB")]
    [InlineData("B33 8TH")]
    public void A_canonical_postcode_normalises_to_itself(string postcode)
    {
        ManifestFormats.Postcode().IsMatch(postcode).Should().BeTrue();
        ManifestFormats.NormalisePostcode(postcode).Should().Be(postcode);
    }

    [Fact]
    public void A_model_built_from_other_spellings_holds_the_canonical_forms()
    {
        const string Yaml = """
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: fun-network
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: TheFunNetwork, domain: TheFunNetwork.com, customerGroup: SWAINsTelecom }
              sites:
                - name: hq
                  locationCode: IPS01
                  address: { postcode: " ip53re ", premises: Adastral Park }
                  users:
                    - { username: jane, firstName: Jane, lastName: Doe, extension: "2001", devices: [ { macAddress: "00:11:22:aa:bb:cc" }, { macAddress: 001122AABBCD } ] }
            """;

        var set = ManifestLoader.Parse("c.yaml", Yaml);

        set.Diagnostics.Should().BeEmpty();
        var site = set.Companies.Should().ContainSingle().Subject.Sites.Should().ContainSingle().Subject;
        site.Address.Postcode.Should().Be("IP5 3RE");
        site.Users.Should().ContainSingle().Subject.Devices.Select(d => d.MacAddress).Should().Equal("001122AABBCC", "001122AABBCD");
    }
}
