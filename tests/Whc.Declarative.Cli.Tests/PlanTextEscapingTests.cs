using System.Collections.Immutable;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 14: text whcctl did not write (manifest values, BT's answers) cannot change what the text plan means.</summary>
public sealed class PlanTextEscapingTests
{
    [Fact]
    public void Values_reasons_and_answers_from_outside_are_shown_with_their_control_characters_escaped()
    {
        // Given a plan whose values, reason and an answer from BT carry a newline, a workflow command and escape sequences
        var hostile = "Jane\u001b[1A\u001b[2K\n::error::owned\u0007";
        var change = new ResourceChange(
            new ResourceAddress("acme", ResourceKind.User, "jane"),
            ChangeAction.Update,
            "firstName changed\n::add-mask::x",
            [new AttributeChange("firstName", AttributeValue.Text("Jane"), AttributeValue.Text(hostile))]);
        var reconciliation = new IntentReconciliation(
            [new IntentResolution("I-1", IntentOperations.CreateOrder, "acme:order-1:create", IntentOutcome.Found, "order I-1: BT holds it as order \u001b]52;c;Zm9v\u0007")],
            CompanyState.New("acme", "lineage-1"));
        var company = new CompanyPlan("acme", null, 1, "lineage-1", "none", [change], [], ImmutableSortedDictionary<string, string>.Empty, []) { Reconciliation = reconciliation };
        var plan = new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []);

        // When it is rendered for a terminal or a CI log
        var text = PlanTextRenderer.Render(plan, color: false);

        // Then no control character from outside survives, and no line starts a workflow command
        text.Should().NotContainAny("\u001b", "\u0007", "\r");
        text.Split('\n').Should().NotContain(line => line.TrimStart().StartsWith("::", StringComparison.Ordinal));
        text.Should().Contain("Jane\\u001B[1A\\u001B[2K\\n::error::owned\\u0007");
    }

    [Fact]
    public void A_value_cannot_close_the_comments_diff_block()
    {
        // Given a value that tries to close the fence and put HTML, an image and a mention into the PR comment
        var hostile = "Jane\n```\n<img src=https://tracker.example/x.png> @everyone\n```";
        var change = new ResourceChange(new ResourceAddress("acme", ResourceKind.User, "jane"), ChangeAction.Update, "firstName changed", [new AttributeChange("firstName", AttributeValue.Text("Jane"), AttributeValue.Text(hostile))]);
        var company = new CompanyPlan("acme", null, 1, "lineage-1", "none", [change], [], ImmutableSortedDictionary<string, string>.Empty, []);

        // When the comment is rendered
        var markdown = PlanMarkdownRenderer.Render(new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []));

        // Then the value stays on one line inside a fence longer than any backtick run in it
        var lines = markdown.Split('\n');
        var open = Array.FindIndex(lines, l => l.EndsWith("diff", StringComparison.Ordinal) && l.StartsWith("```", StringComparison.Ordinal));
        var fence = lines[open][..^"diff".Length];
        fence.Length.Should().BeGreaterThan(3);
        var close = Array.FindIndex(lines, open + 1, l => l == fence);
        lines[(open + 1)..close].Should().ContainSingle(l => l.Contains("<img", StringComparison.Ordinal));
        lines.Skip(close + 1).Should().NotContain(l => l.Contains("<img", StringComparison.Ordinal) || l.Contains("@everyone", StringComparison.Ordinal));
    }
}

/// <summary>Issue 14: apply's progress lines quote step names and BT's messages; none can move the cursor or start a line.</summary>
public sealed class ProgressEscapingTests
{
    [Fact]
    public void Progress_lines_show_outside_text_escaped()
    {
        using var writer = new StringWriter();
        var observer = new LineProgressObserver(writer, terminal: true, total: 1);
        var step = new RingFenceStep("acme", "Ringfence \u202Ex", [], "x\u001b[2K\n::error::y", 10);

        observer.StepStarted(step);
        observer.StepFinished(new Whc.Declarative.Engine.StepResult(step, Whc.Declarative.Engine.StepOutcome.Failed, "BT said \r\n::add-mask::z\u0007", TimeSpan.Zero));
        observer.Notice("acme", "note\n::warning::w");

        var text = writer.ToString();
        text.Should().NotContainAny("\u001b", "\u0007", "\r", "\u202E");
        text.Split('\n').Should().NotContain(line => line.TrimStart().StartsWith("::", StringComparison.Ordinal));
    }
}
