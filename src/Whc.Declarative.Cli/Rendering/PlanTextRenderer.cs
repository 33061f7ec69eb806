using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

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
            text.AppendLine(plan.Mode == PlanMode.RefreshOnly
                ? "No drift: BT matches whcctl's state for every company."
                : "No changes. BT matches the manifests for every company.");
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
            text.Append(CultureInfo.InvariantCulture, $"# company {company.Company}");
            if (name is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({name})");
            }

            text.AppendLine(company.StateLineage is null ? ", no state yet" : string.Create(CultureInfo.InvariantCulture, $", state serial {company.StateSerial}"));
            foreach (var change in company.Changes.Where(c => c.Action != ChangeAction.NoOp))
            {
                RenderChange(text, change, palette);
            }

            if (company.Steps.Length > 0)
            {
                text.AppendLine();
                text.AppendLine("  API steps:");
                var numbers = company.Steps.Select((s, i) => (s.Id, Number: i + 1)).ToDictionary(p => p.Id, p => p.Number, StringComparer.Ordinal);
                var width = company.Steps.Max(s => s.Id.Length);
                foreach (var step in company.Steps)
                {
                    var after = step.DependsOn.Where(numbers.ContainsKey).Select(d => numbers[d].ToString(CultureInfo.InvariantCulture)).ToList();
                    text.Append(CultureInfo.InvariantCulture, $"  {numbers[step.Id],4}. {step.Id.PadRight(width)}  {step.Description}");
                    text.AppendLine(after.Count == 0 ? string.Empty : $" (after {string.Join(", ", after)})");
                }
            }
        }

        text.AppendLine();
        text.AppendLine(Summary(plan));
        return text.ToString();
    }

    public static string Summary(Plan plan) => plan.Mode == PlanMode.RefreshOnly
        ? string.Create(CultureInfo.InvariantCulture, $"Drift: {plan.Count(ChangeAction.Drift)} resources changed outside whcctl.")
        : string.Create(
            CultureInfo.InvariantCulture,
            $"Plan: {plan.Count(ChangeAction.Create) + plan.Count(ChangeAction.Replace)} to add, {plan.Count(ChangeAction.Update)} to change, {plan.Count(ChangeAction.Delete) + plan.Count(ChangeAction.Replace)} to destroy.");

    public static string Marker(ChangeAction action) => action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        ChangeAction.Delete => "-",
        ChangeAction.Replace => "-/+",
        ChangeAction.Drift => "!",
        _ => " ",
    };

    private static void RenderChange(StringBuilder text, ResourceChange change, Palette palette)
    {
        var kind = change.Address.Kind == ResourceKind.Company ? "company" : ResourceAddress.KindSegment(change.Address.Kind);
        var marker = Marker(change.Action);
        text.Append(CultureInfo.InvariantCulture, $"  {palette.Paint(change.Action, marker.PadLeft(3))} {kind} {change.Address.Name}");
        text.AppendLine(palette.Dim($"  ({change.Reason})"));
        if (change.Attributes.IsDefaultOrEmpty)
        {
            return;
        }

        var width = change.Attributes.Max(a => a.Name.Length) + 1;
        foreach (var attribute in change.Attributes)
        {
            var label = (attribute.Name + ":").PadRight(width);
            var value = attribute.Before is null
                ? Quote(attribute.After)
                : attribute.After is null ? $"{Quote(attribute.Before)} → null" : $"{Quote(attribute.Before)} → {Quote(attribute.After)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"        {label} {value}");
        }
    }

    private static string Quote(string? value) => value is null ? "null" : value.StartsWith('(') ? value : $"\"{value}\"";

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
