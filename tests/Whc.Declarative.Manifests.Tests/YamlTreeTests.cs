using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>The project's own YAML tree: what the checks and the model builder read, with positions, and nothing else.</summary>
public sealed class YamlTreeTests
{
    [Fact]
    public void An_alias_is_the_anchored_node_itself_with_its_positions_and_a_merge_puts_entries_where_the_merge_key_is()
    {
        const string Text = """
            defaults: &d { licence: standard, protect: true }
            first: *d
            second:
              name: x
              <<: *d
              protect: false
            """;

        var diagnostics = new List<Diagnostic>();
        var tree = YamlTreeReader.Read("t.yaml", Text, diagnostics).Should().ContainSingle().Subject;

        diagnostics.Should().BeEmpty();
        var defaults = tree.Root["defaults"].Should().BeOfType<YamlMapping>().Subject;
        tree.Root["first"].Should().BeSameAs(defaults, "an alias shares what it names (the tree is immutable), it is not copied");
        defaults.Span.Should().Be(new SourceSpan("t.yaml", 1, 11));

        var second = tree.Root["second"].Should().BeOfType<YamlMapping>().Subject;
        second.Entries.Select(e => e.Key).Should().Equal("name", "licence", "protect");
        second.Entry("licence")!.KeySpan.Should().Be(new SourceSpan("t.yaml", 1, 16), "a merged entry keeps where it is written");
        second["protect"].Should().BeOfType<YamlScalar>().Which.Boolean.Should().BeFalse("an explicit key wins over a merged one");
        tree.Resolve("/second/licence").Should().BeOfType<YamlScalar>().Which.Text.Should().Be("standard");
    }

    [Theory]
    [InlineData("v: 10", "Integer", true, "10")]
    [InlineData("v: '10'", "String", false, "10")]
    [InlineData("v: 1.50", "Float", true, "1.5")]
    [InlineData("v: !!int \"7\"", "Integer", false, "7")]
    [InlineData("v: ~", "Null", true, "")]
    [InlineData("v: True", "Boolean", true, "True")]
    [InlineData("v: name", "String", false, "name")]
    public void A_scalar_is_typed_by_the_core_schema_and_remembers_whether_it_was_plain(string text, string kind, bool typedPlain, string valueText)
    {
        var tree = YamlTreeReader.Read("t.yaml", text, []).Should().ContainSingle().Subject;

        var scalar = tree.Root["v"].Should().BeOfType<YamlScalar>().Subject;
        scalar.Kind.ToString().Should().Be(kind);
        scalar.TypedPlain.Should().Be(typedPlain);
        scalar.ValueText.Should().Be(valueText);
        scalar.Span.Should().Be(new SourceSpan("t.yaml", 1, 4));
    }
}
