using System.Diagnostics;
using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// YAML anchors (<c>&amp;a</c>), aliases (<c>*a</c>) and merge keys (<c>&lt;&lt;: *a</c>, <c>&lt;&lt;: [*a, *b]</c>) are
/// read as YAML 1.1's merge semantics and Kubernetes read them, with a bounded expansion.
/// </summary>
public sealed class AnchorAndAliasTests
{
    private const string Head = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata: { name: fun-network }
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }

        """;

    private static string AnchoredMultiSite => File.ReadAllText(Path.Combine(TestPaths.ProjectDirectory(), "Anchors", "multi-site-anchored.yaml"));

    private static string WrittenOutMultiSite => File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "examples", "multi-site", "company.yaml"));

    [Fact]
    public void A_manifest_with_anchors_aliases_and_merge_keys_loads_to_the_same_model_as_the_written_out_one()
    {
        var writtenOut = ManifestLoader.Parse("company.yaml", WrittenOutMultiSite);
        var anchored = ManifestLoader.Parse("company.yaml", AnchoredMultiSite);

        writtenOut.Diagnostics.Should().BeEmpty();
        anchored.Diagnostics.Should().BeEmpty();
        anchored.Companies.Should().ContainSingle();
        anchored.Companies.Should().BeEquivalentTo(
            writtenOut.Companies,
            options => options.WithStrictOrdering().Excluding(member => member.Name == nameof(CompanyManifest.Span)));
    }

    [Fact]
    public void An_alias_repeats_a_scalar_a_mapping_and_a_list()
    {
        var text = Head + """
              company: &company { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: &group SWAINsTelecom }
              numberBlocks:
                - { name: brum, areaCode: "0121", quantity: 10 }
              sites:
                - name: hq
                  locationCode: IPS01
                  address: { postcode: IP5 3RE, premises: &premises Adastral Park }
                  users:
                    - { username: a.one, firstName: *group, lastName: *premises, extension: "2001", devices: &kit [ { macAddress: "00:11:22:AA:BB:01" } ] }
                - name: annex
                  locationCode: IPS02
                  address: { postcode: IP5 3RE, premises: *premises }
            """;

        var result = ManifestLoader.Parse("alias.yaml", text);

        result.Diagnostics.Should().BeEmpty();
        var company = result.Companies.Should().ContainSingle().Subject;
        company.Sites[1].Address.Premises.Should().Be("Adastral Park");
        company.Sites[0].Users[0].FirstName.Should().Be("SWAINsTelecom");
        company.Sites[0].Users[0].Devices.Should().ContainSingle().Which.MacAddress.Should().Be("001122AABB01");
    }

    [Fact]
    public void Explicit_keys_win_over_merged_ones_wherever_the_merge_key_is_written()
    {
        var text = Head + """
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks:
                - &block { name: brum, areaCode: "0121", quantity: 10 }
                - { name: leeds, <<: *block, quantity: 20 }
                - { quantity: 30, name: york, <<: *block }
            """;

        var blocks = ManifestLoader.Parse("merge.yaml", text).Companies.Should().ContainSingle().Subject.NumberBlocks;

        blocks.Select(b => (b.Name, b.AreaCode, b.Quantity)).Should().Equal(("brum", "0121", 10), ("leeds", "0121", 20), ("york", "0121", 30));
    }

    [Fact]
    public void In_a_list_of_merged_mappings_the_earlier_mapping_wins()
    {
        var text = Head + """
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks:
                - &brum { name: brum, areaCode: "0121", quantity: 10 }
                - &leeds { name: leeds, areaCode: "0113", quantity: 20, protect: true }
                - { <<: [ *leeds, *brum ], name: leeds-2 }
                - { <<: [ *brum, *leeds ], name: brum-2 }
            """;

        var blocks = ManifestLoader.Parse("merge.yaml", text).Companies.Should().ContainSingle().Subject.NumberBlocks;

        blocks.Select(b => (b.Name, b.AreaCode, b.Quantity, b.Protect)).Should().Equal(
            ("brum", "0121", 10, false), ("leeds", "0113", 20, true), ("leeds-2", "0113", 20, true), ("brum-2", "0121", 10, true));
    }

    [Fact]
    public void A_key_given_both_explicitly_and_by_a_merge_is_not_a_duplicate()
    {
        var text = Head + """
              company: &c { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks: []
              sites: []
            ---
            apiVersion: whc.declarative/v1
            kind: Company
            metadata: { name: other-network }
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company:
                <<: { name: Other, domain: other.example.com, customerGroup: SWAINsTelecom }
                name: OtherNetwork
            """;

        var result = ManifestLoader.Parse("merge.yaml", text);

        result.Diagnostics.Should().BeEmpty();
        result.Companies[1].Company.Name.Should().Be("OtherNetwork");
        result.Companies[1].Company.Domain.Should().Be("other.example.com");
    }

    [Fact]
    public void A_key_written_twice_is_still_a_duplicate_when_the_mapping_also_merges()
    {
        var text = Head + """
              company:
                <<: { name: Other, domain: other.example.com, customerGroup: SWAINsTelecom }
                name: TheFunNetwork
                name: TheFunNetwork2
            """;

        var diagnostic = ManifestLoader.Parse("merge.yaml", text).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC1008");
        diagnostic.Span.Should().Be(new SourceSpan("merge.yaml", 9, 5));
    }

    [Fact]
    public void Two_merge_keys_in_one_mapping_are_a_duplicate_key()
    {
        var text = Head + """
              company:
                <<: { name: Other }
                <<: { domain: other.example.com, customerGroup: SWAINsTelecom }
            """;

        var diagnostic = ManifestLoader.Parse("merge.yaml", text).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC1008");
        diagnostic.Message.Should().Contain("<<: [*a, *b]");
    }

    [Fact]
    public void A_quoted_merge_key_is_an_ordinary_key()
    {
        var text = Head + """
              company:
                "<<": { name: Other }
                name: TheFunNetwork
                domain: thefunnetwork.com
                customerGroup: SWAINsTelecom
            """;

        var diagnostic = ManifestLoader.Parse("merge.yaml", text).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC1017");
        diagnostic.Span.Should().Be(new SourceSpan("merge.yaml", 7, 5));
    }

    [Theory]
    [InlineData("<<: text", 7, 9)]
    [InlineData("<<: [ { name: Other }, text ]", 7, 28)]
    [InlineData("name: &n Other\n    <<: *n", 8, 9)]
    public void A_merge_key_whose_value_is_not_a_mapping_or_a_list_of_mappings_is_refused_at_it(string merge, int line, int column)
    {
        var text = Head + "  company:\n    " + merge + "\n";

        var diagnostic = ManifestLoader.Parse("merge.yaml", text).Diagnostics.Should().ContainSingle(d => d.Code == "WHC1030").Subject;

        diagnostic.Span.Should().Be(new SourceSpan("merge.yaml", line, column));
    }

    [Fact]
    public void An_alias_to_an_undefined_anchor_is_refused_at_the_alias()
    {
        var text = Head + """
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: *group }
            """;

        var diagnostic = ManifestLoader.Parse("undefined.yaml", text).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC1029");
        diagnostic.Span.Should().Be(new SourceSpan("undefined.yaml", 6, 77));
        diagnostic.Message.Should().Contain("*group");
    }

    [Fact]
    public void An_alias_before_its_anchor_is_undefined()
    {
        var text = Head + """
              company: { name: *name, domain: thefunnetwork.com, customerGroup: &name SWAINsTelecom }
            """;

        ManifestLoader.Parse("later.yaml", text).Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1029");
    }

    [Fact]
    public void Anchors_are_not_shared_across_documents()
    {
        var text = Head + """
              company: &company { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
            ---
            apiVersion: whc.declarative/v1
            kind: Company
            metadata: { name: other-network }
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: *company
            """;

        var result = ManifestLoader.Parse("documents.yaml", text);

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1029");
        diagnostic.Span.Should().Be(new SourceSpan("documents.yaml", 13, 12));
        result.Companies.Should().ContainSingle().Which.Key.Should().Be("fun-network");
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_is_refused_quickly_at_the_alias_that_passes_the_limit()
    {
        var text = new StringBuilder(Head);
        text.Append("  lol0: &l0 \"lol\"\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  lol{i}: &l{i} [").Append(string.Join(",", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        var clock = Stopwatch.StartNew();
        var result = ManifestLoader.Parse("bomb.yaml", text.ToString());
        clock.Stop();

        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC1009");
        diagnostic.Span.File.Should().Be("bomb.yaml");
        diagnostic.Span.Line.Should().Be(11, "lol5's aliases are where the expansion passes 100000 nodes");
        result.Companies.Should().BeEmpty();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Merge_keys_cannot_hide_an_alias_bomb()
    {
        var text = new StringBuilder(Head);
        text.Append("  m0: &m0 { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10 }\n");
        for (var i = 1; i <= 200_000 / 10; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  x{i}: {{ <<: *m0 }}\n");
        }

        var clock = Stopwatch.StartNew();
        var result = ManifestLoader.Parse("merges.yaml", text.ToString());
        clock.Stop();

        result.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1009");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void An_alias_inside_its_own_anchor_is_refused()
    {
        var text = Head + """
              company: &c { name: TheFunNetwork, self: *c }
            """;

        var diagnostic = ManifestLoader.Parse("cycle.yaml", text).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC1009");
        diagnostic.Span.Should().Be(new SourceSpan("cycle.yaml", 6, 44));
    }

    [Fact]
    public void Nesting_built_through_aliases_is_capped_like_written_nesting()
    {
        var text = new StringBuilder(Head);
        text.Append("  a0: &a0 ").Append(new string('[', 40)).Append(new string(']', 40)).Append('\n');
        text.Append("  a1: &a1 ").Append(new string('[', 40)).Append("*a0").Append(new string(']', 40)).Append('\n');

        var diagnostic = ManifestLoader.Parse("deep.yaml", text.ToString()).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC1010");
        diagnostic.Span.Should().Be(new SourceSpan("deep.yaml", 7, 51));
    }

    [Fact]
    public void A_diagnostic_about_a_value_that_came_through_an_alias_points_at_the_anchored_value()
    {
        var text = Head + """
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks:
                - name: brum
                  areaCode: &code 121
                  quantity: 10
                - name: leeds
                  areaCode: *code
                  quantity: 10
            """;

        var diagnostics = ManifestLoader.Parse("position.yaml", text).Diagnostics;

        diagnostics.Select(d => (d.Code, d.Span.Line, d.Span.Column, d.Message[..26])).Should().Equal(
            ("WHC1016", 9, 17, "spec.numberBlocks[0].areaC"),
            ("WHC1016", 9, 17, "spec.numberBlocks[1].areaC"));
    }

    [Fact]
    public void An_unknown_field_merged_in_is_reported_where_it_is_written()
    {
        var text = Head + """
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks:
                - &block { name: brum, areaCode: "0121", quantity: 10, colour: red }
                - { <<: *block, name: leeds }
            """;

        var diagnostics = ManifestLoader.Parse("position.yaml", text).Diagnostics;

        diagnostics.Should().HaveCount(2).And.OnlyContain(d => d.Code == "WHC1017" && d.Span == new SourceSpan("position.yaml", 8, 60));
        diagnostics[1].Message.Should().Contain("spec.numberBlocks[1]");
    }

    [Fact]
    public void A_semantic_diagnostic_inside_a_merged_mapping_points_into_the_file()
    {
        var text = Head + """
              company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks:
                - &block { name: brum, areaCode: "0121", quantity: 10 }
                - { <<: *block }
            """;

        var diagnostic = ManifestLoader.Parse("semantic.yaml", text).Diagnostics.Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC2007");
        diagnostic.Span.File.Should().Be("semantic.yaml");
        diagnostic.Span.Line.Should().Be(8);
    }

    [Fact]
    public void An_alias_used_as_a_key_reads_as_its_text()
    {
        var text = Head + """
              company: { &n name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
              numberBlocks: [ { *n : brum, areaCode: "0121", quantity: 10 } ]
            """;

        var result = ManifestLoader.Parse("key.yaml", text);

        result.Diagnostics.Should().BeEmpty();
        result.Companies.Should().ContainSingle().Which.NumberBlocks.Should().ContainSingle().Which.Name.Should().Be("brum");
    }
}
