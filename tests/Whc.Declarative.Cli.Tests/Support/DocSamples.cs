using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// Sample output in README.md and docs/*.md that whcctl really prints. A sample is a marked region of the Markdown:
/// <code>
/// &lt;!-- sample: NAME --&gt;
/// ```console
/// (what DocsSampleTests makes for NAME)
/// ```
/// &lt;!-- /sample --&gt;
/// </code>
/// When the region is one fenced code block, its content is the sample (fence and info string are kept); otherwise
/// the whole region is (Markdown shown rendered, e.g. a pull-request comment), with the placeholders of
/// <see cref="Normalise"/> escaped so they show. A normal run compares; <c>WHC_UPDATE_BASELINES=1</c> rewrites the
/// regions, and nothing else of the file. Markers are found with Markdig, so a marker shown inside a code block is
/// only text.
/// </summary>
public static partial class DocSamples
{
    public const string Regenerate = "WHC_UPDATE_BASELINES=1 dotnet test tests/Whc.Declarative.Cli.Tests --filter DocsSample";

    /// <summary>README.md, docs/*.md (docs/benchmarks is written by the benchmark scripts, not checked here) and the GitOps template's README.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        "README.md",
        "templates/gitops-repo/README.md",
        .. Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal),
    ];

    public static bool Updating => Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1";

    /// <summary>One marked region: its file, name, line (1-based), what it holds now and where.</summary>
    /// <see cref="Ordinal"/> counts the regions of the same name before it in the file (one sample may be shown twice).
    public sealed record Region(string File, string Name, int Ordinal, int Line, string Actual, int Start, int End, bool Fenced, string Fence, string Info);

    /// <summary>
    /// The one way volatile parts of a sample are written (after <see cref="Baseline.Scrub"/>: the workspace path as
    /// <c>&lt;workspace&gt;</c>, times as <c>&lt;time&gt;</c>, GUIDs as <c>&lt;guid&gt;</c>, whcctl's version as
    /// <c>&lt;version&gt;</c>): a step's or a call's duration (<c>(0.2s)</c>, <c>in 12 ms</c>, <c>"duration_ms":41</c>, <c>"DurationMs":12</c>) as <c>&lt;duration&gt;</c>, and trailing white space cut.
    /// </summary>
    public static string Normalise(string text, string workspace)
    {
        var scrubbed = Baseline.Scrub(text, workspace);
        scrubbed = Seconds().Replace(scrubbed, "(<duration>)");
        scrubbed = Milliseconds().Replace(scrubbed, "in <duration>");
        scrubbed = JsonDuration().Replace(scrubbed, "\"${key}\":<duration>");
        return string.Join('\n', scrubbed.Split('\n').Select(l => l.TrimEnd())).Trim('\n');
    }

    public static IReadOnlyList<Region> RegionsIn(string file)
    {
        var text = Read(file);
        var document = Markdown.Parse(text, new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build());
        var regions = new List<Region>();
        HtmlBlock? open = null;
        string? name = null;
        var inside = new List<Block>();
        foreach (var block in document)
        {
            var marker = block is HtmlBlock html ? Marker().Match(html.Lines.ToString().Trim()) : Match.Empty;
            if (marker.Success && marker.Groups["end"].Success)
            {
                open.Should().NotBeNull($"{file}({block.Line + 1}): '<!-- /sample -->' closes no sample");
                regions.Add(RegionOf(file, text, name ?? string.Empty, regions.Count(r => r.Name == name), open!, (HtmlBlock)block, inside));
                open = null;
                inside.Clear();
            }
            else if (marker.Success)
            {
                open.Should().BeNull($"{file}({block.Line + 1}): a sample starts inside another");
                open = (HtmlBlock)block;
                name = marker.Groups["name"].Value;
            }
            else if (open is not null)
            {
                inside.Add(block);
            }
        }

        open.Should().BeNull($"{file}: sample '{name}' has no '<!-- /sample -->'");
        return regions;
    }

    /// <summary>Compares a region with the sample, or (WHC_UPDATE_BASELINES=1) writes the sample into it.</summary>
    public static void Check(Region region, string sample)
    {
        var expected = region.Fenced ? sample : EscapePlaceholders(sample);
        if (Updating)
        {
            if (region.Actual != expected)
            {
                Write(region, expected);
            }

            return;
        }

        region.Actual.Should().Be(
            expected,
            $"{region.File}({region.Line}) shows sample '{region.Name}', which must be what whcctl prints; regenerate the samples with `{Regenerate}` and review the diff");
    }

    private static Region RegionOf(string file, string text, string name, int ordinal, HtmlBlock open, HtmlBlock close, List<Block> inside)
    {
        var start = LineEnd(text, open.Span.End);
        var end = close.Span.Start;
        if (inside is [FencedCodeBlock code])
        {
            var content = code.Lines.Count == 0 ? string.Empty : string.Join('\n', code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString())).TrimEnd('\n');
            var fence = new string(code.FencedChar, code.OpeningFencedCharCount);
            return new Region(file, name, ordinal, open.Line + 1, content, code.Span.Start, LineEnd(text, code.Span.End), Fenced: true, fence, code.Info ?? string.Empty);
        }

        return new Region(file, name, ordinal, open.Line + 1, text[start..end].Trim('\n'), start, end, Fenced: false, string.Empty, string.Empty);
    }

    private static void Write(Region region, string sample)
    {
        var text = Read(region.File);
        string replacement;
        if (region.Fenced)
        {
            // The fence must be longer than any run of its character in the sample (a plan comment holds ``` blocks).
            var longest = sample.Split('\n').Select(l => l.TrimStart()).Select(l => l.TakeWhile(c => c == region.Fence[0]).Count()).DefaultIfEmpty(0).Max();
            var fence = new string(region.Fence[0], Math.Max(region.Fence.Length, longest + 1));
            replacement = $"{fence}{region.Info}\n{sample}\n{fence}\n";
        }
        else
        {
            replacement = $"\n{sample}\n\n";
        }

        // Regions are rewritten one at a time, each from a fresh read, so earlier offsets never go stale.
        var current = RegionsIn(region.File).Single(r => r.Name == region.Name && r.Ordinal == region.Ordinal);
        File.WriteAllText(Path.Combine(Repository.Root, region.File), text[..current.Start] + replacement + text[current.End..]);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Repository.Root, file)).ReplaceLineEndings("\n");

    private static int LineEnd(string text, int offset)
    {
        var newline = text.IndexOf('\n', offset);
        return newline < 0 ? text.Length : newline + 1;
    }

    /// <summary>Rendered Markdown would take <c>&lt;time&gt;</c> for an HTML tag and show nothing.</summary>
    private static string EscapePlaceholders(string sample) => Placeholder().Replace(sample, "&lt;${name}&gt;");

    [GeneratedRegex(@"^<!--\s*(?:sample:\s*(?<name>[a-z0-9-]+)|(?<end>/sample))\s*-->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"<(?<name>workspace|time|guid|version|fingerprint|duration)>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\(\d+(\.\d+)?m?s\)")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"\bin \d+ ms\b")]
    private static partial Regex Milliseconds();

    [GeneratedRegex("\"(?<key>duration_ms|DurationMs)\":\\d+")]
    private static partial Regex JsonDuration();
}
