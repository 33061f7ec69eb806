using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>spec.moved (issue 25): read into the model, and each wrong entry reported at its position with a stable code.</summary>
public sealed class MovedValidationTests
{
    private const string Head = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: fun-network
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: TheFunNetwork, domain: thefunnetwork.com, customerGroup: SWAINsTelecom }
          numberBlocks:
            - { name: ipswich, areaCode: "01473", quantity: 10 }
          sites:
            - name: ipswich-main
              locationCode: IPS01
              address: { postcode: IP5 3RE, premises: Adastral Park }
              users:
                - { username: jane.smith, firstName: Jane, lastName: Smith, extension: "2001", number: { from: ipswich } }
          moved:

        """;

    private static ManifestSet Load(string moved) => ManifestLoader.Parse("c.yaml", Head + moved);

    /// <summary>The line of the first line of <paramref name="moved"/> holding <paramref name="text"/>, in the whole file.</summary>
    private static int LineOf(string moved, string text) =>
        Head.Split('\n').Length - 1 + moved.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;

    private static Diagnostic Single(ManifestSet set, string code) =>
        set.Diagnostics.Should().ContainSingle(d => d.Code == code, string.Join("\n", set.Diagnostics)).Subject;

    [Fact]
    public void A_valid_rename_and_a_chain_are_read_into_the_model_without_diagnostics()
    {
        var set = Load("""
                - { from: site/ipswich-hq, to: site/ipswich-old }
                - { from: site/ipswich-old, to: site/ipswich-main }
                - { from: number-block/brum, to: number-block/ipswich }

            """);

        set.Diagnostics.Should().BeEmpty();
        var company = set.Companies.Should().ContainSingle().Subject;
        company.Moved.Select(m => (m.From, m.To)).Should().Equal(
            ("site/ipswich-hq", "site/ipswich-old"), ("site/ipswich-old", "site/ipswich-main"), ("number-block/brum", "number-block/ipswich"));
    }

    [Fact]
    public void A_cycle_is_reported_once_at_its_first_entry()
    {
        const string moved = """
                - { from: site/a, to: site/b }
                - { from: site/b, to: site/a }

            """;
        var diagnostic = Single(Load(moved), "WHC2045");

        diagnostic.Span.File.Should().Be("c.yaml");
        diagnostic.Span.Line.Should().Be(LineOf(moved, "from: site/a"));
        diagnostic.Span.Column.Should().Be(moved.Split('\n')[0].IndexOf("site/a", StringComparison.Ordinal) + 1);
        diagnostic.Message.Should().Contain("site/a → site/b → site/a");
    }

    [Fact]
    public void A_chain_that_ends_nowhere_is_reported_at_its_last_to()
    {
        const string moved = """
                - { from: site/a, to: site/b }
                - { from: site/b, to: site/c }

            """;
        var diagnostic = Single(Load(moved), "WHC2042");

        diagnostic.Span.Line.Should().Be(LineOf(moved, "to: site/c"));
        diagnostic.Message.Should().Contain("no site 'c'");
    }

    [Fact]
    public void Two_entries_to_one_target_are_ambiguous()
    {
        const string moved = """
                - { from: site/a, to: site/ipswich-main }
                - { from: site/b, to: site/ipswich-main }

            """;
        var diagnostic = Single(Load(moved), "WHC2044");

        diagnostic.Span.Line.Should().Be(LineOf(moved, "from: site/b"));
        diagnostic.Message.Should().Contain($"also at line {LineOf(moved, "from: site/a")}");
    }

    [Fact]
    public void A_from_still_in_the_manifest_is_refused()
    {
        const string moved = """
                - { from: site/ipswich-main, to: site/other }

            """;
        var set = Load(moved);

        Single(set, "WHC2043").Span.Line.Should().Be(LineOf(moved, "ipswich-main"));
    }

    [Fact]
    public void A_user_is_refused_with_the_reason()
    {
        const string moved = """
                - { from: user/jane, to: user/jane.smith }

            """;
        var set = Load(moved);

        set.Diagnostics.Where(d => d.Code == "WHC2041").Should().HaveCount(2);
        set.Diagnostics.First().Message.Should().Contain("username is how BT knows it");
    }

    [Theory]
    [InlineData("{ from: site/a, to: number-block/ipswich }")]
    [InlineData("{ from: ipswich-hq, to: site/ipswich-main }")]
    [InlineData("{ from: company/old, to: site/ipswich-main }")]
    public void Other_wrong_addresses_are_refused(string entry)
    {
        var set = Load($"    - {entry}\n");

        set.HasErrors.Should().BeTrue();
        set.Diagnostics.Should().OnlyContain(d => d.Code == "WHC2040" || d.Code == "WHC2041");
    }
    [Fact]
    public void A_company_move_into_this_manifests_own_key_is_valid()
    {
        var set = Load("    - { from: company/old-fun, to: company/fun-network }\n");

        set.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void A_company_move_to_another_key_a_second_one_and_a_kind_change_are_refused_at_their_positions()
    {
        const string moved = """
                - { from: company/old-fun, to: company/elsewhere }
                - { from: company/old-fun, to: company/fun-network }
                - { from: company/older-fun, to: company/fun-network }
                - { from: company/x, to: site/ipswich-main }

            """;
        var set = Load(moved);

        Single(set, "WHC2042").Span.Line.Should().Be(LineOf(moved, "company/elsewhere"));
        Single(set, "WHC2044").Span.Line.Should().Be(LineOf(moved, "company/older-fun"));
        Single(set, "WHC2040").Span.Line.Should().Be(LineOf(moved, "company/x"));
    }

    [Fact]
    public void A_company_moves_old_key_still_declared_or_taken_by_two_manifests_is_refused()
    {
        static string Company(string key, string moved) => $$"""
            apiVersion: whc.declarative/v1
            kind: Company
            metadata:
              name: {{key}}
            spec:
              reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
              company: { name: N{{key.Replace("-", "", StringComparison.Ordinal)}}, domain: {{key}}.com, customerGroup: SWAINsTelecom }
              moved:
                - {{moved}}

            """;
        var declared = ManifestLoader.Parse([
            new ManifestSource("a.yaml", Company("new-a", "{ from: company/old-a, to: company/new-a }")),
            new ManifestSource("b.yaml", Company("old-a", "{ from: site/x, to: site/y }")),
        ]);
        var twice = ManifestLoader.Parse([
            new ManifestSource("a.yaml", Company("new-a", "{ from: company/old-a, to: company/new-a }")),
            new ManifestSource("b.yaml", Company("new-b", "{ from: company/old-a, to: company/new-b }")),
        ]);

        declared.Diagnostics.Should().Contain(d => d.Code == "WHC2043" && d.Span.Line == 9 && d.Message.Contains("still declared", StringComparison.Ordinal));
        twice.Diagnostics.Should().ContainSingle(d => d.Code == "WHC2044").Which.Message.Should().Contain("'new-a' and 'new-b'");
    }
}
