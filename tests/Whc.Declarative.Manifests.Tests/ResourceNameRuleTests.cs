using System.Text.Json.Nodes;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// Issue 22: the rules state takes names by (<see cref="ResourceNames"/>, in Core) are the manifest's own: the schema
/// states the same limits, and a name the manifest refuses is refused for state too.
/// </summary>
public sealed class ResourceNameRuleTests
{
    private static JsonNode Schema => JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "schemas", "v1", "manifest.schema.json")))!;

    [Fact]
    public void The_schema_states_the_same_limits_for_names()
    {
        var definitions = Schema["definitions"]!;

        definitions["numberBlock"]!["properties"]!["name"]!["maxLength"]!.GetValue<int>().Should().Be(ResourceNames.MaxNumberBlockNameLength);
        definitions["site"]!["properties"]!["name"]!["maxLength"]!.GetValue<int>().Should().Be(ResourceNames.MaxSiteNameLength);
        definitions["user"]!["properties"]!["username"]!["maxLength"]!.GetValue<int>().Should().Be(ResourceNames.MaxUsernameLength);
        var keyPattern = Schema["properties"]!["metadata"]!["properties"]!["name"]!["pattern"]!.GetValue<string>();
        (keyPattern.TrimEnd('$') + "\\z").Should().Be(ResourceNames.CompanyKey().ToString());
    }

    [Theory]
    [InlineData("site", "ipswich-hq", true)]
    [InlineData("site", "Ipswich HQ (Adastral Park)", true)]
    [InlineData("site", "hq\u001b[31m", false)]
    [InlineData("site", "hq\n::error::x", false)]
    [InlineData("user", "jane\u200Bsmith", false)]
    [InlineData("block", "", false)]
    [InlineData("company", "Fun_Network", false)]
    public void A_name_is_accepted_for_state_exactly_when_a_manifest_accepts_it(string kind, string name, bool accepted)
    {
        var resource = kind switch { "site" => ResourceKind.Site, "user" => ResourceKind.User, "block" => ResourceKind.NumberBlock, _ => ResourceKind.Company };
        var manifest = ManifestLoader.Parse("names.yaml", ManifestWith(resource, name));

        (ResourceNames.Problem(resource, name) is null).Should().Be(accepted);
        manifest.Diagnostics.Where(d => d.IsError).Should().HaveCount(accepted ? 0 : 1, string.Join("\n", manifest.Diagnostics));
    }

    private static string ManifestWith(ResourceKind kind, string name)
    {
        var quoted = JsonValue.Create(name).ToJsonString(); // a JSON string is a YAML double-quoted scalar
        string Name(ResourceKind k, string usual) => k == kind ? quoted : usual;
        return $$"""
            apiVersion: whc.declarative/v1
            kind: Company
            metadata: { name: {{Name(ResourceKind.Company, "fun-network")}} }
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks: [ { name: {{Name(ResourceKind.NumberBlock, "brum")}}, areaCode: "0121", quantity: 10 } ]
              sites:
                - name: {{Name(ResourceKind.Site, "hq")}}
                  locationCode: IPS01
                  address: { nadKey: X05000455530 }
                  users: [ { username: {{Name(ResourceKind.User, "jane")}}, firstName: Jane, lastName: Smith, extension: "2001" } ]
            """;
    }
}
