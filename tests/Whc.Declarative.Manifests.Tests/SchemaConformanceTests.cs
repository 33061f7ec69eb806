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
                ManifestSchema.Conformance.Conforms(YamlJson.ToYaml(document)).Should().BeTrue(file);
                ManifestSchema.Conformance.Check(YamlJson.ToYaml(document)).Should().BeEmpty(file);
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
                    refused += ManifestSchema.Conformance.Conforms(YamlJson.ToYaml(mutated)) ? 0 : 1;
                }
            }
        }

        checkedCount.Should().BeGreaterThan(300);
        refused.Should().BeGreaterThan(checkedCount / 2, "most mutations break the schema, so the check is exercised on both answers");
    }

    [Fact]
    public void Finds_every_credential_like_field_a_walk_of_the_whole_tree_finds()
    {
        var checkedCount = 0;
        var corpus = Directory.GetFiles(TestPaths.CorpusDirectory, "*.yaml").SelectMany(f => Documents(f).Select(d => (What: f, Document: d)));
        var mutated = ExampleFiles().SelectMany(Documents).SelectMany(CredentialMutations).Select(m => (What: m.What, Document: m.Mutated));
        var documents = corpus.Concat(mutated).Where(d => d.Document is JObject);
        foreach (var (what, document) in documents)
        {
            var everywhere = ((JContainer)document).Descendants().OfType<JProperty>().Where(p => SchemaChecker.LooksLikeCredential(p.Name)).ToList();
            var found = ManifestSchema.Conformance.Check(YamlJson.ToYaml(document)).Where(f => f.Kind == SchemaFindingKind.Credential).Select(f => f.Path).ToList();

            // The same properties, each once (the walk's order is the schema's; diagnostics are ordered by position).
            found.Select(SchemaChecker.DisplayPath).Order(StringComparer.Ordinal).Should().Equal(everywhere.Select(p => SchemaChecker.DisplayPath(YamlJson.Segments(p))).Order(StringComparer.Ordinal), what);
            if (everywhere.Count > 0)
            {
                ManifestSchema.Conformance.Conforms(YamlJson.ToYaml(document)).Should().BeFalse(what);
            }

            checkedCount += everywhere.Count > 0 ? 1 : 0;
        }

        checkedCount.Should().BeGreaterThan(100);
    }

    [Fact]
    public void A_credential_in_characteristics_is_found_though_the_schema_allows_any_name_there()
    {
        var document = Documents(ExampleFiles()[0])[0];
        ((JObject)document["spec"]!["company"]!)["characteristics"] = new JObject { ["apiToken"] = "x" };

        ManifestSchema.Conformance.Conforms(YamlJson.ToYaml(document)).Should().BeFalse();
        ManifestSchema.Conformance.Check(YamlJson.ToYaml(document)).Should().ContainSingle()
            .Which.Should().Match<SchemaFinding>(f => f.Kind == SchemaFindingKind.Credential && f.Property == "apiToken");
    }

    [Fact]
    public void No_field_the_schema_lists_looks_like_a_credential()
    {
        // The walk asks only of names the schema does not list whether they look like credentials.
        var names = new List<string>();
        var seen = new HashSet<SchemaRule>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<SchemaRule>([ManifestSchema.Conformance.Root]);
        while (pending.TryPop(out var rule))
        {
            if (!seen.Add(rule))
            {
                continue;
            }

            names.AddRange(rule.PropertyNames);
            foreach (var next in rule.Properties.Values.Concat([rule.Items, rule.Additional, rule.Reference]).Concat(rule.AnyOf ?? []))
            {
                if (next is not null)
                {
                    pending.Push(next);
                }
            }
        }

        names.Should().Contain("cugId").And.Contain("macAddress");
        names.Where(SchemaChecker.LooksLikeCredential).Should().BeEmpty();
    }

    [Fact]
    public void A_keyword_it_does_not_know_makes_its_part_of_the_schema_answer_no()
    {
        var conformance = SchemaConformance.Compile("""
            { "type": "object", "properties": { "a": { "type": "string", "format": "email" }, "b": { "type": "string" } } }
            """);

        conformance.UnknownKeywords.Should().Equal("format");
        conformance.Conforms(YamlJson.ToYaml(JObject.Parse("""{ "b": "x" }"""))).Should().BeTrue();
        conformance.Conforms(YamlJson.ToYaml(JObject.Parse("""{ "a": "someone@example.com" }"""))).Should().BeFalse();
    }

    private static string[] ExampleFiles() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "examples"), "*.yaml", SearchOption.AllDirectories);

    private static void AssertSameFindings(JToken document, string because)
    {
        var expected = NJsonSchemaCrossCheck.Findings(document);
        var actual = NJsonSchemaCrossCheck.CheckerFindings(document);

        actual.Should().Equal(expected, because);
        var credentials = ManifestSchema.Conformance.Check(YamlJson.ToYaml(document)).Any(f => f.Kind == SchemaFindingKind.Credential);
        ManifestSchema.Conformance.Conforms(YamlJson.ToYaml(document)).Should().Be(expected.Count == 0 && !credentials, because);
    }

    private static List<JToken> Documents(string path)
    {
        var diagnostics = new List<Diagnostic>();
        return [.. YamlTreeReader.Read(path, File.ReadAllText(path), diagnostics).Select(t => YamlJson.ToJson(t.Root))];
    }

    /// <summary>A credential-like field added to every mapping, and put in place of every value.</summary>
    private static IEnumerable<(string What, JToken Mutated)> CredentialMutations(JToken original)
    {
        foreach (var path in original.SelectTokens("$..*").Select(t => t.Path).Prepend(string.Empty).Distinct().ToList())
        {
            var added = original.DeepClone();
            if ((path.Length == 0 ? added : added.SelectToken(path)) is JObject obj)
            {
                obj["clientSecret"] = "x";
                yield return ($"{path}.clientSecret", added);
            }

            if (path.Length > 0)
            {
                var replaced = original.DeepClone();
                replaced.SelectToken(path)?.Replace(new JArray(new JObject { ["password"] = new JObject { ["apiKey"] = "x" } }));
                yield return ($"{path} = [{{ password: {{ apiKey }} }}]", replaced);
            }
        }
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
