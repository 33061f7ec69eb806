using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>The human plan: changes grouped by company with Terraform's markers, the API steps in order, and a summary line.</summary>
public static class PlanTextRenderer
{
    public static string Render(Plan plan, bool color)
    {
        var text = new StringBuilder();
        var palette = new Palette(color);
        var changed = plan.Companies.Where(c => c.HasChanges).ToList();
        if (changed.Count == 0)
        {
            var drifted = plan.Companies.Where(c => !c.Drift.IsDefaultOrEmpty).ToList();
            if (drifted.Count > 0)
            {
                text.AppendLine("whcctl found changes made at BT outside whcctl since the last apply (recorded in state by the next apply):");
                foreach (var company in drifted)
                {
                    text.AppendLine();
                    text.AppendLine(CultureInfo.InvariantCulture, $"# company {Diagnostic.OneLine(company.Company)}");
                    foreach (var change in company.Drift)
                    {
                        RenderChange(text, change, palette);
                    }
                }

                text.AppendLine();
            }

            text.AppendLine(plan.Mode switch
            {
                PlanMode.RefreshOnly => "No drift: BT matches whcctl's state for every company.",
                PlanMode.Destroy => $"No changes. Nothing to cease: {string.Join(", ", plan.Companies.Select(c => Diagnostic.OneLine(c.Company)))} already destroyed (not at BT).",
                _ => "No changes. BT matches the manifests for every company.",
            });
            return text.ToString();
        }

        text.AppendLine(plan.Mode switch
        {
            PlanMode.RefreshOnly => "whcctl found changes made at BT outside whcctl:",
            PlanMode.Destroy => "whcctl will cease the following:",
            _ => "whcctl will perform the following actions:",
        });
        foreach (var company in changed)
        {
            text.AppendLine();
            var name = company.Desired?.Company.Name;
            text.Append(CultureInfo.InvariantCulture, $"# company {Diagnostic.OneLine(company.Company)}");
            if (name is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({Diagnostic.OneLine(name)})");
            }

            text.AppendLine(company.StateLineage is null ? ", no state yet" : string.Create(CultureInfo.InvariantCulture, $", state serial {company.StateSerial}"));
            RenderReconciliation(text, company.Reconciliation);
            if (!company.Drift.IsDefaultOrEmpty)
            {
                text.AppendLine("  Changed at BT outside whcctl since the last apply (recorded in state when applied):");
                foreach (var change in company.Drift)
                {
                    RenderChange(text, change, palette);
                }

                text.AppendLine("  Planned changes:");
            }

            foreach (var change in company.Changes.Where(c => c.Action != ChangeAction.NoOp || c.PreviousAddress is not null))
            {
                RenderChange(text, change, palette);
            }

            if (company.Steps.Length > 0)
            {
                text.AppendLine();
                text.AppendLine("  API steps:");
                var numbers = company.Steps.Select((s, i) => (s.Id, Number: i + 1)).ToDictionary(p => p.Id, p => p.Number);
                // Ids and descriptions carry names from manifests and state: escaped like values, so none breaks its line.
                var width = company.Steps.Max(s => Diagnostic.OneLine(s.Id.ToString()).Length);
                foreach (var step in company.Steps)
                {
                    var after = step.DependsOn.Where(numbers.ContainsKey).Select(d => numbers[d].ToString(CultureInfo.InvariantCulture)).ToList();
                    text.Append(CultureInfo.InvariantCulture, $"  {numbers[step.Id],4}. {Diagnostic.OneLine(step.Id.ToString()).PadRight(width)}  {Diagnostic.OneLine(step.Description)}");
                    text.AppendLine(after.Count == 0 ? string.Empty : $" (after {string.Join(", ", after)})");
                }

                foreach (var outage in company.Outages)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  Outage: {OutageLine(outage, numbers)}");
                }
            }
        }

        text.AppendLine();
        text.AppendLine(Summary(plan));
        foreach (var needed in plan.ApplyRequires)
        {
            text.AppendLine(ApplyNeeds(needed));
        }

        return text.ToString();
    }

    /// <summary>One line per user without service during apply: who, and from which step until which (step numbers when listed).</summary>
    public static string OutageLine(PlanOutage outage, IReadOnlyDictionary<StepId, int>? stepNumbers = null)
    {
        string At(StepId awaitStep)
        {
            var order = awaitStep.Order?.Text;
            return stepNumbers is not null && stepNumbers.TryGetValue(awaitStep, out var number)
                ? string.Create(CultureInfo.InvariantCulture, $"step {number} (order {order})")
                : $"order {order}";
        }

        return Diagnostic.OneLine(
            $"user {outage.User.Name} has no service from {At(outage.CeaseAwait)}, which ceases it at site {outage.FromSite}, until {At(outage.AddAwait)}, which makes it again at site {outage.ToSite}, completes (BT cannot move a user between sites){(outage.Why is null ? string.Empty : "; " + outage.Why)}");
    }

    /// <summary>The plan's last word: the flag apply refuses it without (WHC4053), and how many changes need it.</summary>
    public static string ApplyNeeds(ApplyRequirement needed, bool markdown = false) =>
        string.Create(CultureInfo.InvariantCulture, $"{(markdown ? $"**Apply needs `{needed.Flag}`**" : $"Apply needs {needed.Flag}")}: this plan ceases {Counted.Of(needed.Changes.Length, "resource")}.");

    /// <summary>
    /// The plan's one-line summary: "Plan: 1 to add, ...", "Drift: ...", or, when the plan has errors, that it failed:
    /// a plan with errors is never summarised as an empty plan.
    /// </summary>
    public static string Summary(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (Failure(plan) is { } failure)
        {
            return $"Plan {failure}.";
        }

        var summary = plan.Mode == PlanMode.RefreshOnly
            ? string.Create(CultureInfo.InvariantCulture, $"Drift: {Counted.Of(plan.Count(ChangeAction.Drift), "resource")} changed outside whcctl")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"Plan: {plan.Count(ChangeAction.Create) + plan.Count(ChangeAction.Replace)} to add, {plan.Count(ChangeAction.Update)} to change, {plan.Count(ChangeAction.Delete) + plan.Count(ChangeAction.Replace)} to destroy");
        // Shown only when there are some, so that a plain plan reads as Terraform's does.
        var forgets = plan.Count(ChangeAction.Forget);
        var answered = plan.Companies.Sum(c => c.Reconciliation?.Resolutions.Length ?? 0);
        return summary
            + (forgets > 0 ? string.Create(CultureInfo.InvariantCulture, $", {forgets} to forget") : string.Empty)
            + (answered > 0 ? string.Create(CultureInfo.InvariantCulture, $", {Counted.Of(answered, "interrupted call")} answered by BT") : string.Empty)
            + ".";
    }

    /// <summary>"failed with 2 errors; nothing can be applied" when the plan has errors, else null.</summary>
    public static string? Failure(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = plan.AllDiagnostics.Count(d => d.IsError);
        return errors == 0 ? null : $"failed with {Counted.Of(errors, "error")}; nothing can be applied";
    }

    public static string Marker(ChangeAction action) => action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        ChangeAction.Delete => "-",
        ChangeAction.Replace => "-/+",
        ChangeAction.Drift => "!",
        ChangeAction.Forget => ".",
        _ => " ",
    };

    /// <summary>What BT said about the calls an interrupted run left unanswered, before the changes planned against it.</summary>
    private static void RenderReconciliation(StringBuilder text, IntentReconciliation? reconciliation)
    {
        if (reconciliation is null || reconciliation.Resolutions.IsEmpty)
        {
            return;
        }

        text.AppendLine("  Interrupted calls of an earlier run, answered by BT (recorded in state when applied):");
        foreach (var resolution in reconciliation.Resolutions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {OutcomeWord(resolution.Outcome),-9}  {Diagnostic.OneLine(resolution.Summary)}");
        }
    }

    public static string OutcomeWord(IntentOutcome outcome) => outcome switch
    {
        IntentOutcome.Found => "found",
        IntentOutcome.NotFound => "not found",
        _ => "unknown",
    };

    private static void RenderChange(StringBuilder text, ResourceChange change, Palette palette)
    {
        var kind = change.Address.Kind == ResourceKind.Company ? "company" : ResourceAddress.KindSegment(change.Address.Kind);
        // A move alone changes nothing at BT but the name state knows it by: shown as an in-place change, old → new.
        var shownAs = change is { Action: ChangeAction.NoOp, PreviousAddress: not null } ? ChangeAction.Update : change.Action;
        var marker = Marker(shownAs);
        var name = change.PreviousAddress is { } previous ? $"{Diagnostic.OneLine(previous.Name)} → {Diagnostic.OneLine(change.Address.Name)}" : Diagnostic.OneLine(change.Address.Name);
        text.Append(CultureInfo.InvariantCulture, $"  {palette.Paint(shownAs, marker.PadLeft(3))} {kind} {name}");
        text.AppendLine(palette.Dim($"  ({Diagnostic.OneLine(change.Reason)})"));
        if (change.Attributes.IsDefaultOrEmpty)
        {
            return;
        }

        var width = change.Attributes.Max(a => a.Name.Length) + 1;
        foreach (var attribute in change.Attributes)
        {
            var label = (attribute.Name + ":").PadRight(width);
            var value = ValueText.Of(attribute.Before) is null
                ? Quote(attribute.After)
                : ValueText.Of(attribute.After) is null ? $"{Quote(attribute.Before)} → null" : $"{Quote(attribute.Before)} → {Quote(attribute.After)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"        {label} {value}");
        }
    }

    /// <summary>
    /// A value as the plan shows it: quoted, its control characters escaped, so no value can move the cursor or start a
    /// line; a value known only after apply is a bare note, which no text can pass for.
    /// </summary>
    private static string Quote(AttributeValue? value) => ValueText.Of(value) is not { } text ? "null" : ValueText.IsNote(value) ? Diagnostic.OneLine(text) : $"\"{Diagnostic.OneLine(text)}\"";

    private sealed class Palette(bool enabled)
    {
        public string Paint(ChangeAction action, string text) => !enabled ? text : action switch
        {
            ChangeAction.Create => $"\u001b[32m{text}\u001b[0m",
            ChangeAction.Update => $"\u001b[33m{text}\u001b[0m",
            ChangeAction.Delete => $"\u001b[31m{text}\u001b[0m",
            ChangeAction.Replace => $"\u001b[35m{text}\u001b[0m",
            ChangeAction.Drift => $"\u001b[36m{text}\u001b[0m",
            _ => text,
        };

        public string Dim(string text) => enabled ? $"\u001b[2m{text}\u001b[0m" : text;
    }
}
