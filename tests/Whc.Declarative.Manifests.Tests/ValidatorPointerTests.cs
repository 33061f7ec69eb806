using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Manifests.Validation;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The JSON pointers the validator asks positions for, pinned for every field whose pointer it now joins only when a
/// diagnostic needs it (duplicates: the first use and the second; formats: the bad value). Written against the
/// validator that built every pointer up front, and passing there.
/// </summary>
public sealed class ValidatorPointerTests
{
    private static readonly SourceSpan At = new("c.yaml", 1, 1);

    [Fact]
    public void Every_problem_is_looked_up_at_its_field()
    {
        UserSpec User(string username, string extension, string mac) =>
            new(username, "First", "Last", extension, new NumberRef("brum"), "standard", [new DeviceSpec(mac, null)], false, At);
        var company = new CompanyManifest(
            CompanyManifest.CurrentApiVersion,
            "fun-network",
            new ResellerSpec("CUG5019851064", "GB12345678"),
            new CompanyDetails("TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom", null, null),
            [new NumberBlockSpec("brum", "0121", 10, false, At), new NumberBlockSpec("brum", "9999", 10, false, At)],
            [
                new SiteSpec("hq", "IPS01", new AddressSpec("IP5 3RE", "Adastral Park", null, null, null), [User("jane", "2001", "001122AABBCC"), User("john", "2001", "001122AABBCC")], false, At),
                new SiteSpec("HQ", "ips01", new AddressSpec("nowhere", null, null, null, "bad key"), [User("JANE", "1", "zz")], false, At),
            ],
            false,
            At);
        var asked = new List<string>();
        SourceSpan? Locate(CompanyManifest c, string pointer)
        {
            asked.Add(pointer);
            return null;
        }

        var diagnostics = ManifestValidator.Validate([company], Locate);

        asked.Should().Equal(
            "/spec/numberBlocks/1/name",
            "/spec/numberBlocks/0/name",
            "/spec/numberBlocks/1/areaCode",
            "/spec/sites/1/name",
            "/spec/sites/0/name",
            "/spec/sites/1/locationCode",
            "/spec/sites/0/locationCode",
            "/spec/sites/1/address/nadKey",
            "/spec/sites/1/address/postcode",
            "/spec/sites/0/users/1/extension",
            "/spec/sites/0/users/0/extension",
            "/spec/sites/0/users/1/devices/0/macAddress",
            "/spec/sites/0/users/0/devices/0/macAddress",
            "/spec/sites/1/users/0/username",
            "/spec/sites/0/users/0/username",
            "/spec/sites/1/users/0/extension",
            "/spec/sites/1/users/0/devices/0/macAddress");
        diagnostics.Should().HaveCount(11, "six duplicates (each asks for both uses) and five bad formats");
    }
}
