using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>The plan's steps as a Mermaid flowchart (qualify → ringfence → orders → submit → await), which GitHub draws.</summary>
public static class PlanGraphRenderer
{
    public static string Mermaid(IEnumerable<CompanyPlan> companies)
    {
        var text = new StringBuilder();
        text.AppendLine("```mermaid");
        text.AppendLine("flowchart LR");
        var index = 0;
        var subgraph = 0;
        foreach (var company in companies.Where(c => c.Steps.Length > 0))
        {
            var ids = company.Steps.ToDictionary(s => s.Id, _ => string.Create(CultureInfo.InvariantCulture, $"s{index++}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"  subgraph {Subgraph(company.Company, subgraph++)}");
            foreach (var step in company.Steps)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {ids[step.Id]}[\"{Label(step)}\"]");
            }

            text.AppendLine("  end");
            foreach (var step in company.Steps)
            {
                foreach (var dependency in step.DependsOn.Where(ids.ContainsKey))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {ids[dependency]} --> {ids[step.Id]}");
                }
            }
        }

        text.AppendLine("```");
        return text.ToString();
    }

    private static string Label(PlanStep step) => $"{PlanJsonRenderer.KindWord(step.Kind)}<br/>{Escape(step.Id.Local)}";

    /// <summary>A subgraph needs an identifier of its own (the key may not be one); the company key stays its title.</summary>
    private static string Subgraph(string company, int index) => string.Create(CultureInfo.InvariantCulture, $"c{index}[\"{Escape(company)}\"]");

    /// <summary>
    /// Names in labels come from manifests: every character but letters, digits and a few safe marks becomes a
    /// Mermaid entity code (<c>#34;</c>), so no name can end its label and add a line such as <c>click … href</c>.
    /// </summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or ' ' ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"#{(int)c};"));
        }

        return escaped.ToString();
    }
}
