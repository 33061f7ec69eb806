using System.Collections.Immutable;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 14: the PR comment, parsed as GitHub would (CommonMark with GitHub's extensions), holds no HTML, image, link
/// or mention that came from a value, a message or a name, on the success and the failure paths; the Mermaid graph
/// holds no line a name added.
/// </summary>
public sealed class MarkdownCommentSafetyTests
{
    private const string Hostile = "x` ``` <img src=https://t.example/p.png> ![t](https://t.example/i.png) [c](https://t.example) @everyone <script>alert(1)</script>\n# heading\n> quote";

    /// <summary>The HTML whcctl writes itself: the sticky marker, the collapsible sections, the footer.</summary>
    private static readonly string[] OwnHtml = ["<!-- whcctl-plan -->", "<details>", "<summary>", "</summary>", "<code>", "</code>", "</details>", "<sub>", "</sub>"];

    private static readonly MarkdownPipeline GitHubLike = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    [Fact]
    public void A_plan_with_hostile_values_reasons_answers_and_names_renders_no_markup_from_them()
    {
        var change = new ResourceChange(new ResourceAddress("acme", ResourceKind.User, "jane"), ChangeAction.Delete, "removed: " + Hostile, [new AttributeChange("firstName", AttributeValue.Text(Hostile), null)]);
        var step = new RingFenceStep("acme", "Ringfence " + Hostile, [], Hostile, 10);
        var company = new CompanyPlan("acme", null, 1, null, "none", [change], [step], ImmutableSortedDictionary<string, string>.Empty, []);
        var markdown = PlanMarkdownRenderer.Render(new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []));

        AssertNoOutsideMarkup(markdown);
        var mermaid = Markdown.Parse(markdown, GitHubLike).Descendants<FencedCodeBlock>().Single(b => b.Info == "mermaid").Lines.ToString();
        mermaid.Split('\n').Select(l => l.Trim()).Should().OnlyContain(l => l.Length == 0 || l.StartsWith("flowchart", StringComparison.Ordinal) || l.StartsWith("subgraph", StringComparison.Ordinal)
            || l == "end" || l.StartsWith('s'), "every line is one whcctl wrote: " + mermaid);
        mermaid.Should().NotContain("<img").And.NotContain("@everyone");
    }

    [Fact]
    public void A_failed_plan_with_hostile_messages_renders_no_markup_from_them_and_stays_under_GitHubs_limit()
    {
        var errors = Enumerable.Range(0, 500).Select(i => DiagnosticCatalog.UsernameTaken.At(new Whc.Declarative.Core.Diagnostics.SourceSpan("c.yaml", i + 1, 1), $"username '{Hostile}{new string('y', 5_000)}' is taken")).ToImmutableArray();
        var markdown = PlanMarkdownRenderer.Render(new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [], errors));

        AssertNoOutsideMarkup(markdown);
        markdown.Length.Should().BeLessThan(65_536);
        markdown.Should().Contain("[!CAUTION]");
    }

    private static void AssertNoOutsideMarkup(string markdown)
    {
        var document = Markdown.Parse(markdown, GitHubLike);
        document.Descendants<HtmlBlock>().Select(b => b.Lines.ToString().Trim()).Should().NotContain(html => !OwnHtml.Any(own => html.StartsWith(own, StringComparison.Ordinal)), "only whcctl's own HTML blocks");
        document.Descendants<HtmlInline>().Select(h => h.Tag).Should().NotContain(tag => !OwnHtml.Contains(tag), "only whcctl's own inline HTML");
        document.Descendants<LinkInline>().Should().BeEmpty("no image or link from a value");
        document.Descendants<AutolinkInline>().Should().BeEmpty();
        document.Descendants<LiteralInline>().Select(l => l.Content.ToString()).Should().NotContain(text => text.Contains('@'), "a mention outside a code span would notify");
        document.Descendants<HeadingBlock>().Should().ContainSingle("only whcctl's title is a heading");
    }
}

/// <summary>Issue 14: a file with thousands of problems gives a bounded number of lines, with a count of the rest.</summary>
public sealed class DiagnosticsCapTests
{
    [Fact]
    public void At_most_fifty_diagnostics_are_shown_per_file_and_the_rest_are_counted()
    {
        var diagnostics = Enumerable.Range(1, 5_000).Select(i => DiagnosticCatalog.UsernameTaken.At(new Whc.Declarative.Core.Diagnostics.SourceSpan("big.yaml", i, 1), "taken"))
            .Append(DiagnosticCatalog.UsernameTaken.At(new Whc.Declarative.Core.Diagnostics.SourceSpan("small.yaml", 1, 1), "taken"));
        using var writer = new StringWriter();

        DiagnosticsRenderer.WriteText(writer, diagnostics);

        var lines = writer.ToString().TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(DiagnosticsRenderer.MaxPerFile + 2);
        lines.Count(l => l.StartsWith("big.yaml(", StringComparison.Ordinal)).Should().Be(50);
        lines.Should().Contain("small.yaml(1,1): error WHC3005: taken").And.Contain("… and 4950 more diagnostics in big.yaml (the first 50 are shown)");
    }
}
