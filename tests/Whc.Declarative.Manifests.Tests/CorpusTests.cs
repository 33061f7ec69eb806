namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// Every bad manifest under Corpus/ (one problem per case) is loaded and its diagnostics compared with the checked-in
/// baseline Corpus/&lt;case&gt;.expected.txt. After an intended change, regenerate the baselines with
/// <c>WHC_UPDATE_BASELINES=1 dotnet test tests/Whc.Declarative.Manifests.Tests</c> and review the diff:
/// an unexplained baseline change is a bug.
/// </summary>
public sealed class CorpusTests
{
    public static IEnumerable<string> CaseNames() =>
        Directory.EnumerateFiles(TestPaths.CorpusDirectory, "*.yaml")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> Cases() => new(CaseNames());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_match_the_checked_in_baseline(string name)
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.CorpusDirectory, $"{name}.yaml"));
        var result = ManifestLoader.Parse($"Corpus/{name}.yaml", text);
        var actual = string.Concat(result.Diagnostics.Select(d => d + "\n"));

        var baselinePath = Path.Combine(TestPaths.CorpusDirectory, $"{name}.expected.txt");
        if (Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(baselinePath, actual);
        }

        File.Exists(baselinePath).Should().BeTrue($"every corpus case needs a baseline; run with WHC_UPDATE_BASELINES=1 to create {name}.expected.txt");
        actual.Should().Be(File.ReadAllText(baselinePath).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_corpus_case_reports_at_least_one_diagnostic()
    {
        foreach (var name in CaseNames())
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.CorpusDirectory, $"{name}.yaml"));
            ManifestLoader.Parse($"Corpus/{name}.yaml", text).Diagnostics.Should().NotBeEmpty($"{name} is a bad manifest");
        }
    }

    /// <summary>
    /// All the cases loaded from disk as one run, as a plan loads a directory: files in parallel, each company's own
    /// checks on its file's thread, then the checks across companies (keys and moves used twice, ported overlaps). The
    /// baseline was written before the own checks moved onto the file threads, and did not change with the move.
    /// </summary>
    [Fact]
    public void The_whole_corpus_loaded_as_one_run_matches_its_baseline()
    {
        var result = ManifestLoader.Load(["Corpus"], TestPaths.ProjectDirectory());
        var actual = string.Concat(result.Diagnostics.Select(d => d + "\n")) + $"companies: {string.Join(' ', result.Companies.Select(c => c.Key))}\n";

        var baselinePath = Path.Combine(TestPaths.ProjectDirectory(), "CorpusWholeRun.expected.txt");
        if (Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(baselinePath, actual);
        }

        actual.Should().Be(File.ReadAllText(baselinePath).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_baseline_belongs_to_a_corpus_case()
    {
        var cases = CaseNames().ToHashSet();
        var baselines = Directory.EnumerateFiles(TestPaths.CorpusDirectory, "*.expected.txt")
            .Select(f => Path.GetFileName(f)[..^".expected.txt".Length]);
        baselines.Should().OnlyContain(b => cases.Contains(b));
    }
}
