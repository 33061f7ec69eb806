using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>
/// The plan as a pull-request comment: summary first, destroys called out, one collapsible section per company, and the
/// steps as a Mermaid graph. Always under GitHub's comment limit: details are cut, never the summary.
/// </summary>
public static class PlanMarkdownRenderer
{
    /// <summary>GitHub refuses comments over 65,536 characters; stay well below.</summary>
    public const int MaxLength = 60_000;

    /// <summary>Hidden marker so a workflow can find and update its own comment instead of adding another.</summary>
    public const string StickyMarker = "<!-- whcctl-plan -->";

    private const int MermaidStepLimit = 120;

    public static string Render(Plan plan, string? title = null)
    {
        var head = new StringBuilder();
        head.AppendLine(StickyMarker);
        head.AppendLine(CultureInfo.InvariantCulture, $"### {title ?? "whcctl plan"}: {PlanTextRenderer.Failure(plan) ?? PlanTextRenderer.Summary(plan)}");
        head.AppendLine();

        var errors = plan.AllDiagnostics.Where(d => d.IsError).ToList();
        if (errors.Count > 0)
        {
            head.AppendLine("> [!CAUTION]");
            head.AppendLine(CultureInfo.InvariantCulture, $"> **The plan has {Counted.Of(errors.Count, "error")} and cannot be applied.**");
            foreach (var error in errors.Take(20))
            {
                head.AppendLine(CultureInfo.InvariantCulture, $"> - `{error.Code}` {Escape(error.Message)}");
            }

            head.AppendLine();
        }

        // Warnings too: a reviewer reads the comment, not the log (a rename's moved entry, WHC3042, is one). Longer than
        // other lines allow, so the hint's way out at the end is kept.
        AppendAlert(head, "WARNING", $"{Counted.Of(plan.AllDiagnostics.Count(d => !d.IsError), "warning")}:", [.. plan.AllDiagnostics.Where(d => !d.IsError).Select(warning => $"`{warning.Code}` {MarkdownCode.Span(Diagnostic.OneLine(Diagnostic.Shorten(warning.Message, 1000)))}")]);
        var destroys = plan.Companies.SelectMany(c => c.Changes)
            .Where(c => c.Action is ChangeAction.Delete or ChangeAction.Replace)
            .ToList();
        AppendAlert(head, "WARNING", $"{Counted.Of(destroys.Count, "resource")} will be ceased at BT:", [.. destroys.Select(change => $"{Code(change.Address.ToString())} ({Escape(change.Reason)})")]);
        var outages = plan.Companies.SelectMany(c => c.Outages).ToList();
        AppendAlert(head, "IMPORTANT", $"{Counted.Of(outages.Count, "user")} without service for part of the apply:", [.. outages.Select(outage => Escape(PlanTextRenderer.OutageLine(outage)))]);

        var changed = plan.Companies.Where(c => c.HasChanges).ToList();
        if (changed.Count == 0)
        {
            // With errors nothing was compared: the caution above is the whole story.
            if (errors.Count == 0)
            {
                head.AppendLine("No changes: BT matches the manifests.");
            }

            return head.ToString();
        }

        head.AppendLine("| Company | Add | Change | Destroy | API steps |");
        head.AppendLine("|---|---:|---:|---:|---:|");
        var tableRows = 0;
        foreach (var company in changed)
        {
            if (tableRows++ == 200)
            {
                head.AppendLine(CultureInfo.InvariantCulture, $"| … {Counted.Of(changed.Count - 200, "more company", "more companies")} | | | | |");
                break;
            }

            head.AppendLine(CultureInfo.InvariantCulture, $"| {Code(company.Company).Replace("|", "\\|", StringComparison.Ordinal)} | {Count(company, ChangeAction.Create)} | {Count(company, ChangeAction.Update)} | {Count(company, ChangeAction.Delete)} | {company.Steps.Length} |");
        }

        head.AppendLine();
        var needs = string.Concat(plan.ApplyRequires.Select(r => PlanTextRenderer.ApplyNeeds(r, markdown: true) + Environment.NewLine + Environment.NewLine));
        var footer = $"{Environment.NewLine}{needs}<sub>whcctl {VersionInfo.Version} · plan made {plan.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}</sub>{Environment.NewLine}";
        var body = new StringBuilder();
        var omitted = 0;
        foreach (var company in changed)
        {
            var section = CompanySection(company, plan.Mode);
            if (head.Length + body.Length + section.Length + footer.Length + 400 > MaxLength)
            {
                omitted++;
                continue;
            }

            body.Append(section);
        }

        if (omitted > 0)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"_Details of {Counted.Of(omitted, "more company", "more companies")} are left out to keep this comment under GitHub's size limit; the full plan is in the job's artifact (plan.txt)._");
        }

        return head.Append(body).Append(footer).ToString();
    }

    /// <param name="mode">The plan's: a refresh-only plan's section summarises drift, as its heading does.</param>
    private static string CompanySection(CompanyPlan company, PlanMode mode)
    {
        var section = new StringBuilder();
        var single = new Plan(default, mode, [company], []);
        section.AppendLine(CultureInfo.InvariantCulture, $"<details><summary><code>{System.Net.WebUtility.HtmlEncode(Diagnostic.OneLine(company.Company))}</code>: {PlanTextRenderer.Summary(single)}</summary>");
        section.AppendLine();
        if (company.Reconciliation is { Resolutions.IsEmpty: false } reconciliation)
        {
            section.AppendLine("Interrupted calls of an earlier run, answered by BT (recorded in state when applied):");
            section.AppendLine();
            foreach (var resolution in reconciliation.Resolutions)
            {
                section.AppendLine(CultureInfo.InvariantCulture, $"- {PlanTextRenderer.OutcomeWord(resolution.Outcome)}: {Escape(resolution.Summary)}");
            }

            section.AppendLine();
        }

        // Values come from manifests and from BT: each stays on its line (control characters escaped), and the fence is
        // longer than any run of backticks inside, so no value can close it and put Markdown or HTML into the comment.
        var diff = new StringBuilder();
        foreach (var change in (company.Drift.IsDefault ? [] : company.Drift).Concat(company.Changes.Where(c => c.Action != ChangeAction.NoOp || c.PreviousAddress is not null)))
        {
            var marker = change.Action switch { ChangeAction.Create => "+", ChangeAction.Delete => "-", ChangeAction.Replace => "-", _ => "!" };
            // A move: old address → new, marked as an in-place change (nothing at BT changes).
            var address = change.PreviousAddress is { } previous ? $"{previous} → {change.Address.Name}" : change.Address.ToString();
            var shownAs = change is { Action: ChangeAction.NoOp, PreviousAddress: not null } ? ChangeAction.Update : change.Action;
            diff.AppendLine(CultureInfo.InvariantCulture, $"{marker} {PlanTextRenderer.Marker(shownAs),3} {Diagnostic.OneLine(address)} ({Diagnostic.OneLine(change.Reason)})");
            foreach (var attribute in change.Attributes)
            {
                var value = ValueText.Of(attribute.Before) is not { } before ? ValueText.Of(attribute.After) : $"{before} → {ValueText.Of(attribute.After)}";
                diff.AppendLine(CultureInfo.InvariantCulture, $"        {attribute.Name}: {Diagnostic.OneLine(value ?? "null")}");
            }
        }

        var fence = new string('`', Math.Max(3, MarkdownCode.LongestBacktickRun(diff.ToString()) + 1));
        section.AppendLine(fence + "diff");
        section.Append(diff);
        section.AppendLine(fence);
        if (company.Steps.Length is > 0 and <= MermaidStepLimit)
        {
            section.AppendLine();
            section.Append(PlanGraphRenderer.Mermaid([company]));
        }

        section.AppendLine();
        section.AppendLine("</details>");
        section.AppendLine();
        return section.ToString();
    }

    private static int Count(CompanyPlan company, ChangeAction action) =>
        company.Changes.Count(c => c.Action == action || (c.Action == ChangeAction.Replace && action != ChangeAction.Update));

    /// <summary>A name (an address, a company key) as a code span, on one line; a plain backtick-free name as it always was.</summary>
    private static string Code(string name)
    {
        var line = Diagnostic.OneLine(name);
        return line.Contains('`', StringComparison.Ordinal) ? MarkdownCode.Span(line) : $"`{line}`";
    }

    /// <summary>A GitHub alert block (nothing when there are no lines): its title, then at most 30 lines and a count of the rest.</summary>
    private static void AppendAlert(StringBuilder head, string kind, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        head.AppendLine(CultureInfo.InvariantCulture, $"> [!{kind}]");
        head.AppendLine(CultureInfo.InvariantCulture, $"> **{title}**");
        foreach (var line in lines.Take(30))
        {
            head.AppendLine(CultureInfo.InvariantCulture, $"> - {line}");
        }

        if (lines.Count > 30)
        {
            head.AppendLine(CultureInfo.InvariantCulture, $"> - … and {lines.Count - 30} more");
        }

        head.AppendLine();
    }

    /// <summary>Text whcctl did not write (a message quoting a value, BT's words), shortened to one line, as a code span.</summary>
    private static string Escape(string text) => MarkdownCode.Span(Diagnostic.OneLine(Diagnostic.Shorten(text, 300)));
}
