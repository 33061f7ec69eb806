using System.Globalization;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using Whc.Declarative.Manifests.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// The manifest scanner against YamlDotNet, differentially: for every YAML text here it either declines or gives the
/// very events YamlDotNet's parser gives (every field the reader could read), so the fast path cannot change a tree or a
/// diagnostic. And it must not decline the manifests people write, or it would be correct and useless.
/// </summary>
public sealed partial class ManifestYamlScannerTests
{
    /// <summary>
    /// Files of the repository the scanner declines, each for a reason of its own (anchors, tags, tabs, multi-line text,
    /// syntax errors, empty documents, CI workflows' block scalars). Every other YAML file of the corpus must take the
    /// fast path.
    /// </summary>
    private static readonly string[] DeclinedCorpusFiles =
    [
        "alias-undefined.yaml", "complex-key.yaml", "empty-documents-only.yaml", "multi-site-anchored.yaml",
        "newline-in-single-line-field.yaml", "scalar-document.yaml", "tab-indentation.yaml", "tag-binary.yaml",
        "tag-core-mismatch.yaml", "tag-custom.yaml", "tag-python.yaml", "template-alias-as-mapping-key.yaml",
        "template-alias-file-characters.yaml", "template-alias-recursive.yaml", "template-alias-too-many-nodes.yaml",
        "template-merge-list-entry-not-mapping.yaml", "template-nesting-too-deep-alias.yaml", "template-nesting-too-deep.yaml",
        "trailing-empty-documents-and-a-bad-tag.yaml", "yaml-bad-indentation.yaml", "yaml-syntax-error.yaml",
    ];

    [Fact]
    public void Every_YAML_file_of_the_repository_is_declined_or_read_exactly_as_YamlDotNet_reads_it()
    {
        var files = RepositoryYamlFiles();
        files.Should().HaveCountGreaterThan(90, "the walk finds the examples, templates and corpora");

        var accepted = files.Where(file => AssertSameOrDeclined(File.ReadAllText(file), file)).ToList();

        accepted.Should().HaveCountGreaterThan(files.Count / 2);
    }

    [Fact]
    public void The_manifests_of_examples_templates_and_the_corpus_take_the_fast_path_unless_they_use_what_it_leaves_out()
    {
        var manifests = RepositoryYamlFiles()
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.github{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        manifests.Should().Contain(f => f.Contains("examples", StringComparison.Ordinal));
        manifests.Should().Contain(f => f.Contains("Corpus", StringComparison.Ordinal));

        var declined = manifests.Where(f => ManifestYamlScanner.Scan(File.ReadAllText(f)) is null).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        declined.Should().Equal(DeclinedCorpusFiles);
    }

    [Fact]
    public void Manifests_as_the_estate_generator_and_import_write_them_take_the_fast_path()
    {
        var inventory = new CompanyInventory(
            "SVC-C1",
            "Acme Widgets",
            "acme.example.com",
            "SWAINsTelecom",
            CompanyStatus.Active,
            "Q-1",
            [
                new NumberRangeRecord("0121", "01214960000", "01214960004", NumberRangeStatus.Active, "SVC-N1"),
                new NumberRangeRecord("0113", "01134960000", "01134960002", NumberRangeStatus.Ringfenced, null),
            ],
            [new SiteRecord("SVC-S1", "hq", "HQ001", "X05000455534"), new SiteRecord("SVC-S2", "empty", "HQ002", "X05000455535")],
            [new UserRecord("SVC-U1", "SVC-S1", "jo.bloggs", "Jo", "O'Bloggs", "2001", "01214960001", "professional", ["00112233AABB"])]);
        var imported = ImportedManifestWriter.Write(InventoryImport.ToState("acme", "lineage-1", "CUG5019851064", "GB12345678", inventory));

        AssertSameOrDeclined(imported, "import").Should().BeTrue(imported);
        AssertSameOrDeclined(ManifestYamlVariants.EstateStyle(42), "estate").Should().BeTrue();
        AssertSameOrDeclined(ManifestYamlVariants.EstateStyle(42).ReplaceLineEndings("\r\n"), "estate, CRLF").Should().BeTrue();
        AssertSameOrDeclined(ManifestYamlVariants.ScriptStyle(42), "script").Should().BeTrue();
    }

    [Fact]
    public void The_YAML_samples_of_the_docs_are_declined_or_read_as_YamlDotNet_reads_them_and_the_manifest_samples_are_read()
    {
        var root = RepositoryRoot();
        var documents = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md")).Order(StringComparer.Ordinal);
        var samples = documents
            .SelectMany(file => FencedYaml().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Text: m.Groups[1].Value)))
            .ToList();
        samples.Should().NotBeEmpty();

        var accepted = samples.Where(sample => AssertSameOrDeclined(sample.Text, sample.File)).ToList();

        accepted.Should().Contain(sample => sample.File == "manifest.md" && sample.Text.Contains("kind: Company", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_one_character_edit_of_real_manifests_is_declined_or_read_as_YamlDotNet_reads_it()
    {
        // A seeded sample keeps this to a second or two; WHC_YAML_EXHAUSTIVE=1 tries every edit (about 15 s).
        var exhaustive = Environment.GetEnvironmentVariable("WHC_YAML_EXHAUSTIVE") == "1";
        var random = new Random(28);
        var sources = new[]
        {
            File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "templates", "gitops-repo", "companies", "fun-network", "company.yaml")),
            ManifestYamlVariants.EstateStyle(7),
            ManifestYamlVariants.ScriptStyle(7),
        };
        var tried = 0;
        var accepted = 0;
        foreach (var source in sources)
        {
            foreach (var edited in ManifestYamlVariants.SingleEdits(source))
            {
                if (!exhaustive && random.Next(8) != 0)
                {
                    continue;
                }

                tried++;
                accepted += AssertSameOrDeclined(edited, "an edit") ? 1 : 0;
            }
        }

        accepted.Should().BeGreaterThan(tried / 3, "most edits (in names, values, spacing) stay in the subset");
        (tried - accepted).Should().BeGreaterThan(tried / 10, "many edits make text the scanner must leave to YamlDotNet");
    }

    [Fact]
    public void Random_mixes_of_the_subset_and_what_lies_around_it_are_declined_or_read_as_YamlDotNet_reads_them()
    {
        var tried = 0;
        var accepted = 0;
        foreach (var text in ManifestYamlVariants.Random(seed: 2026, count: 10_000))
        {
            tried++;
            accepted += AssertSameOrDeclined(text, "a random document") ? 1 : 0;
        }

        accepted.Should().BeGreaterThan(tried / 2);
        accepted.Should().BeLessThan(tried, "some random documents hold what the scanner declines");
    }

    [Theory]
    [InlineData("a: &x b\nc: *x\n")]
    [InlineData("a: !!str b\n")]
    [InlineData("a: |\n  b\n")]
    [InlineData("a: >\n  b\n")]
    [InlineData("a: b\n  c\n")]
    [InlineData("a: \"b\n  c\"\n")]
    [InlineData("a: 'b\n  c'\n")]
    [InlineData("a: [ b,\n  c ]\n")]
    [InlineData("a: { b: c,\n  d: e }\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("%YAML 1.2\n---\na: b\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a:\n\tb: c\n")]
    [InlineData("\uFEFFa: b\n")]
    [InlineData("a: b\n...\n")]
    [InlineData("a: b\nc\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: \"b\" c\n")]
    [InlineData("a: [ b: c ]\n")]
    [InlineData("a: b\n---\n")]
    [InlineData("a: b\u0085c\n")]
    [InlineData("a: \"\\U0001F600\"\n")]
    [InlineData("a: b\r")]
    [InlineData("-\n  a: b\n")]
    [InlineData("a:\n  - b\n c: d\n")]
    [InlineData("a:\n  b:\n    c: d\n# a last line of comment, with no line break after it")]
    public void Text_outside_the_subset_is_declined(string text)
    {
        ManifestYamlScanner.Scan(text).Should().BeNull();
    }

    [Fact]
    public void Keys_near_the_length_YamlDotNet_allows_an_implicit_key_are_declined()
    {
        var key = new string('k', 1020);

        ManifestYamlScanner.Scan($"{key}: v\n").Should().BeNull();
        ManifestYamlScanner.Scan($"a: {{ {key}: v }}\n").Should().BeNull();
        ManifestYamlScanner.Scan($"{key[..900]}: v\n").Should().NotBeNull();
    }

    [Fact]
    public void What_the_scanner_reads_YamlTreeReader_reads_into_the_same_tree_and_diagnostics_as_through_YamlDotNet()
    {
        // A duplicate key and unsafe text: the builder's findings come from the events, whichever reader made them.
        const string Text = "a: 1\na: 2\nb: \"x\\u202Ey\"\nc: [ { d: e } ]\n";
        ManifestYamlScanner.Scan(Text).Should().NotBeNull();

        var diagnostics = new List<Whc.Declarative.Core.Diagnostics.Diagnostic>();
        YamlTreeReader.Read("t.yaml", Text, diagnostics);

        diagnostics.Should().ContainSingle().Which.Span.Line.Should().Be(2);
        AssertSameOrDeclined(Text, "duplicate").Should().BeTrue();
    }

    /// <summary>True when the scanner read <paramref name="text"/> (and then exactly as YamlDotNet does); false when it declined.</summary>
    private static bool AssertSameOrDeclined(string text, string what)
    {
        if (ManifestYamlScanner.Scan(text) is not { } scanned)
        {
            return false;
        }

        var (parsed, expected) = YamlDotNetEvents(text);
        var actual = scanned.Select(Describe).ToList();
        if (!actual.SequenceEqual(expected))
        {
            var at = Enumerable.Range(0, Math.Max(actual.Count, expected.Count)).First(i => i >= actual.Count || i >= expected.Count || actual[i] != expected[i]);
            var because = string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: event {at} differs (YamlDotNet: {expected.ElementAtOrDefault(at)}, scanner: {actual.ElementAtOrDefault(at)}) in {System.Text.Json.JsonSerializer.Serialize(text)}");
            actual.Should().Equal(expected, because);
        }

        // What the tree builder reads: the scanner's own events, against YamlDotNet's as the builder receives them.
        var direct = new List<YamlEvent>();
        ManifestYamlScanner.TryScan(text, direct).Should().BeTrue();
        var received = parsed.Select(YamlEvent.From).ToList();
        if (!direct.SequenceEqual(received))
        {
            direct.Should().Equal(received, $"{what}: the events the tree is built from are the same");
        }

        return true;
    }

    private static (List<ParsingEvent> Events, List<string> Described) YamlDotNetEvents(string text)
    {
        var events = new List<ParsingEvent>();
        var described = new List<string>();
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                events.Add(parser.Current ?? throw new InvalidOperationException("no event"));
                described.Add(Describe(events[^1]));
            }
        }
        catch (YamlException exception)
        {
            described.Add($"error {exception.Message}"); // the scanner accepted text YamlDotNet refuses: a difference too
        }

        return (events, described);
    }

    /// <summary>Every field of an event that a reader of it could look at.</summary>
    private static string Describe(ParsingEvent e)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"{Mark(e.Start)}-{Mark(e.End)}");
        return e switch
        {
            Scalar s => $"Scalar[{s.Value}] {s.Style} anchor={s.Anchor} tag={s.Tag} plainImplicit={s.IsPlainImplicit} quotedImplicit={s.IsQuotedImplicit} canonical={s.IsCanonical} key={s.IsKey} {where}",
            MappingStart m => $"MappingStart {m.Style} anchor={m.Anchor} tag={m.Tag} implicit={m.IsImplicit} canonical={m.IsCanonical} {where}",
            SequenceStart q => $"SequenceStart {q.Style} anchor={q.Anchor} tag={q.Tag} implicit={q.IsImplicit} canonical={q.IsCanonical} {where}",
            DocumentStart d => $"DocumentStart implicit={d.IsImplicit} version={d.Version?.Version} tags={(d.Tags is null ? "none" : string.Join(",", d.Tags.Select(t => $"{t.Handle}={t.Prefix}")))} {where}",
            DocumentEnd d => $"DocumentEnd implicit={d.IsImplicit} {where}",
            AnchorAlias a => $"Alias {a.Value} {where}",
            Comment c => $"Comment[{c.Value}] inline={c.IsInline} {where}",
            _ => $"{e.GetType().Name} {where}",
        };
    }

    private static string Mark(Mark mark) => string.Create(CultureInfo.InvariantCulture, $"{mark.Index}/{mark.Line}/{mark.Column}");

    /// <summary>The solution's directory, found from the test's own directory up (so it works in any clone).</summary>
    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Whc.Declarative.sln")))
        {
            root = root.Parent;
        }

        root.Should().NotBeNull("the tests run inside the repository");
        return root!.FullName;
    }

    [GeneratedRegex("```ya?ml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedYaml();

    /// <summary>Every .yaml and .yml file of the repository.</summary>
    private static List<string> RepositoryYamlFiles()
    {
        var files = new List<string>();
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(RepositoryRoot())]);
        while (pending.TryPop(out var directory))
        {
            foreach (var child in directory.EnumerateDirectories())
            {
                if (child.Name is not ("bin" or "obj" or ".git" or "node_modules" or "TestResults"))
                {
                    pending.Push(child);
                }
            }

            files.AddRange(directory.EnumerateFiles().Where(f => f.Extension is ".yaml" or ".yml").Select(f => f.FullName));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
