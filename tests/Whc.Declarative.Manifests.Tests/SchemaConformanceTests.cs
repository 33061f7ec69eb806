using Newtonsoft.Json.Linq;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Manifests.Schema;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The schema checker is the product's; NJsonSchema, an independent implementation, is the cross-check: on every
/// manifest the repository has (the examples and the corpus of bad manifests) and on a few hundred mutations of the
/// examples, both find the same things (same kinds at the same fields), and the quick yes/no agrees with the findings.
/// </summary>
public sealed class SchemaConformanceTests
{
    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var file in ExampleFiles()
                     .Concat(Directory.GetFiles(TestPaths.CorpusDirectory, "*.yaml")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestPaths.RepositoryRoot, file));
        }

        return data;
    }

    [Fact]
    public void The_published_schema_uses_only_keywords_the_checker_implements()
    {
        ManifestSchema.Conformance.UnknownKeywords.Should().BeEmpty("otherwise every document using them would be refused");
    }

    [Fact]
    public void The_examples_conform()
    {
        foreach (var file in ExampleFiles())
        {
            foreach (var document in Documents(file))
            {
                ManifestSchema.Conformance.Conforms(document).Should().BeTrue(file);
                ManifestSchema.Conformance.Check(document).Should().BeEmpty(file);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Finds_what_NJsonSchema_finds_in_every_manifest_of_the_repository(string relativePath)
    {
        foreach (var document in Documents(Path.Combine(TestPaths.RepositoryRoot, relativePath)))
        {
            AssertSameFindings(document, relativePath);
        }
    }

    [Fact]
    public void The_corpus_of_bad_manifests_gives_findings_through_both()
    {
        // The cross-check is not vacuous: most bad manifests break the schema (the rest break later checks).
        var broken = Directory.GetFiles(TestPaths.CorpusDirectory, "*.yaml")
            .Count(file => Documents(file).Any(d => NJsonSchemaCrossCheck.Findings(d).Count > 0));

        broken.Should().BeGreaterThan(25);
    }

    [Fact]
    public void Finds_what_NJsonSchema_finds_in_mutated_examples()
    {
        var checkedCount = 0;
        var refused = 0;
        foreach (var file in ExampleFiles())
        {
            foreach (var original in Documents(file))
            {
                foreach (var (what, mutated) in Mutations(original))
                {
                    AssertSameFindings(mutated, $"{file}: {what}");
                    checkedCount++;
                    refused += ManifestSchema.Conformance.Conforms(mutated) ? 0 : 1;
                }
            }
        }

        checkedCount.Should().BeGreaterThan(300);
        refused.Should().BeGreaterThan(checkedCount / 2, "most mutations break the schema, so the check is exercised on both answers");
    }

    [Fact]
    public void A_keyword_it_does_not_know_makes_its_part_of_the_schema_answer_no()
    {
        var conformance = SchemaConformance.Compile("""
            { "type": "object", "properties": { "a": { "type": "string", "format": "email" }, "b": { "type": "string" } } }
            """);

        conformance.UnknownKeywords.Should().Equal("format");
        conformance.Conforms(JObject.Parse("""{ "b": "x" }""")).Should().BeTrue();
        conformance.Conforms(JObject.Parse("""{ "a": "someone@example.com" }""")).Should().BeFalse();
    }

    private static string[] ExampleFiles() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "examples"), "*.yaml", SearchOption.AllDirectories);

    private static void AssertSameFindings(JToken document, string because)
    {
        var expected = NJsonSchemaCrossCheck.Findings(document);
        var actual = NJsonSchemaCrossCheck.CheckerFindings(document);

        actual.Should().Equal(expected, because);
        ManifestSchema.Conformance.Conforms(document).Should().Be(expected.Count == 0, because);
    }

    private static List<JToken> Documents(string path)
    {
        var diagnostics = new List<Diagnostic>();
        return [.. YamlTreeReader.Read(path, File.ReadAllText(path), diagnostics).Select(t => t.Root)];
    }

    /// <summary>For every node: remove it, replace it by a value of each other type, add an unknown sibling, and bend strings and numbers.</summary>
    private static IEnumerable<(string What, JToken Mutated)> Mutations(JToken original)
    {
        var paths = original.SelectTokens("$..*").Select(t => t.Path).Prepend(string.Empty).Distinct().ToList();
        JToken[] replacements =
        [
            JValue.CreateNull(), new JValue(true), new JValue(7L), new JValue(-1L), new JValue(100000L), new JValue(2.5), new JValue(string.Empty),
            new JValue("x"), new JValue(new string('a', 300)), new JValue("WRONG value!"), new JValue("\U0001F600\U0001F600"), new JObject(), new JArray(),
        ];
        foreach (var path in paths)
        {
            if (path.Length > 0)
            {
                var removed = original.DeepClone();
                var target = removed.SelectToken(path);
                if (target?.Parent is JProperty property)
                {
                    property.Remove();
                    yield return ($"remove {path}", removed);
                }

                foreach (var replacement in replacements)
                {
                    var replaced = original.DeepClone();
                    replaced.SelectToken(path)?.Replace(replacement.DeepClone());
                    yield return ($"{path} = {replacement.ToString(Newtonsoft.Json.Formatting.None)}", replaced);
                }
            }

            var extended = original.DeepClone();
            if ((path.Length == 0 ? extended : extended.SelectToken(path)) is JObject obj)
            {
                obj["unexpectedField"] = "x";
                yield return ($"{path}.unexpectedField", extended);
            }
        }
    }
}
