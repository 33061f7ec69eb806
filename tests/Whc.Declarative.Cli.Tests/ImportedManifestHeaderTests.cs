using System.Text.Json;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 item 8: the comment at the top of a manifest <c>import</c> writes. Its <c>$schema</c> is the schema's
/// published <c>$id</c> (a relative path resolves only inside this repository), and what it says about block names is
/// true of that manifest.
/// </summary>
public sealed class ImportedManifestHeaderTests
{
    private const string Cug = "CUG5019851064";

    /// <summary>The <c>$id</c> of the schema the repository publishes, read from the file itself.</summary>
    private static string PublishedSchemaId()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "schemas", "v1", "manifest.schema.json")));
        return schema.RootElement.GetProperty("$id").GetString()!;
    }

    [Fact]
    public async Task A_manifest_written_by_import_points_editors_at_the_schemas_published_id()
    {
        // Given a company made outside this state, and a folder that holds the repository's schemas (where the old
        // relative reference would have been chosen)
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");
        session.Write("schemas/v1/manifest.schema.json", File.ReadAllText(Path.Combine(Repository.Root, "schemas", "v1", "manifest.schema.json")));

        // When it is imported with its manifest written two folders down
        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "teams/fun/company.yaml");

        // Then the manifest's first line names the schema by its published id, not by a path
        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        var first = session.Read("teams/fun/company.yaml").Split('\n')[0];
        first.Should().Be($"# yaml-language-server: $schema={PublishedSchemaId()}").And.StartWith("# yaml-language-server: $schema=https://");
    }

    [Fact]
    public async Task Import_all_says_blocks_are_named_after_their_area_code_only_where_they_are()
    {
        // Given one company already in this state (its block named 'brum' by its manifest) and one made elsewhere
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart);
        session.Write("seed/company.yaml", """
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: seed-one
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: SeedOne, domain: seed-one.example.com, customerGroup: Bulk }
              numberBlocks:
                - { name: main, areaCode: "0121", quantity: 2 }
              sites:
                - name: hq
                  locationCode: HQ01
                  address: { postcode: IP5 3RE, premises: Adastral Park, street: Main Road, city: Ipswich }
                  users: []
            """);
        await session.ApplyAsync("seed", "--state", "seeded");

        // When every company of the reseller is imported with manifests written
        var import = await session.RunAsync("import", "--all", "--cug", Cug, "--billing-account", "GB12345678", "--write-manifests", "adopted");

        // Then the company whose block kept its state name does not claim area-code names, and the adopted one does
        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        var kept = session.Read("adopted/fun-network.yaml");
        kept.Should().Contain("- name: brum").And.NotContain("named after their area code");
        var adopted = session.Read("adopted/seedone.yaml");
        adopted.Should().Contain("- name: block-0121").And.Contain("named after their area code");
        foreach (var manifest in new[] { kept, adopted })
        {
            manifest.Split('\n')[0].Should().Be($"# yaml-language-server: $schema={PublishedSchemaId()}");
        }
    }
}
