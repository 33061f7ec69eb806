using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whc.Declarative.Manifests.Schema;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The source-generated regexes stand for the schema's patterns: one for each pattern the schema has, none for a
/// pattern it no longer has, and each accepting exactly what the pattern built from the schema's text accepts.
/// </summary>
public sealed class SchemaPatternsTests
{
    private static readonly string[] Values =
    [
        string.Empty, " ", "\n", "a", "acme", "acme-ltd", "-acme", "acme-", "ACME", "acme\n", "CUG5019851064", "CUG5019851064\n",
        "cug5019851064", "GB12345678", "GB1234567", "0121", "020", "01632", "013873", "0123456", "022", "2001", "12", "1234567",
        "A12345", "AB", "jane@example.com", "jane@@example.com", "jane example.com", "jane@example", "example.com",
        "Example.Co.UK", "a.b", "x." + new string('a', 250) + ".com", "00:1A:2b:3C:4d:5E", "001A2B3C4D5E", "001a.2b3c.4d5e",
        " 00-1A-2B-3C-4D-5E ", "00:1A:2B:3C:4D", "SW1A 1AA", "sw1a1aa", " IP5 3RE ", "IP53RE\n", "1P5 3RE", "é@é.éé", "ｊａｎｅ",
    ];

    public static TheoryData<string> SchemaPatterns_() => [.. PatternsOfTheSchema()];

    [Fact]
    public void Every_pattern_of_the_schema_has_a_generated_regex_and_no_other_has_one()
    {
        SchemaPatterns.Known.Should().BeEquivalentTo(PatternsOfTheSchema());
    }

    [Theory]
    [MemberData(nameof(SchemaPatterns_))]
    public void A_generated_regex_accepts_what_its_pattern_accepts(string pattern)
    {
        var built = new Regex(SchemaPatterns.EcmaAnchored(pattern), RegexOptions.CultureInvariant);
        var generated = SchemaPatterns.For(pattern);

        generated.GetType().Should().NotBe<Regex>("a generated regex is a type of its own");
        generated.ToString().Should().Be(SchemaPatterns.EcmaAnchored(pattern));
        generated.Options.Should().Be(RegexOptions.CultureInvariant);
        foreach (var value in Values)
        {
            generated.IsMatch(value).Should().Be(built.IsMatch(value), $"{pattern} on '{value}'");
        }
    }

    [Theory]
    [MemberData(nameof(SchemaPatterns_))]
    public void A_schema_pattern_ends_at_the_end_of_the_value_as_in_json_schema_not_before_a_final_line_feed(string pattern)
    {
        // JSON Schema patterns are ECMA-262: '$' is the end of the text. .NET's '$' also matches before a final "\n".
        // (A pattern that allows spaces before its end, \s*$, allows a line feed there in ECMA-262 too.)
        var regex = SchemaPatterns.For(pattern);

        foreach (var value in Values.Where(v => v.EndsWith('\n') && !pattern.EndsWith(@"\s*$", StringComparison.Ordinal)))
        {
            regex.IsMatch(value).Should().BeFalse($"{pattern} on '{value}'");
        }

        Values.Where(v => !v.EndsWith('\n') && regex.IsMatch(v)).Should().NotBeEmpty($"{pattern} still matches its values");
    }

    [Fact]
    public void A_pattern_without_a_generated_regex_is_built_from_its_text()
    {
        var regex = SchemaPatterns.For("^x+$");

        regex.IsMatch("xxx").Should().BeTrue();
        regex.IsMatch("xy").Should().BeFalse();
        regex.IsMatch("xxx\n").Should().BeFalse("'$' is the end of the value");
        SchemaPatterns.For(@"^[$]\$x$").IsMatch("$$x").Should().BeTrue("a '$' in a class or escaped is a dollar sign");
    }

    private static IEnumerable<string> PatternsOfTheSchema()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Walk(JsonNode.Parse(ManifestSchema.Text));
        return found;

        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject map:
                    foreach (var (name, value) in map)
                    {
                        if (name == "pattern" && value is JsonValue text && text.TryGetValue<string>(out var pattern))
                        {
                            found.Add(pattern);
                        }
                        else
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray list:
                    foreach (var item in list)
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }
}
