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
        foreach (var company in companies.Where(c => c.Steps.Length > 0))
        {
            var ids = company.Steps.ToDictionary(s => s.Id, _ => string.Create(CultureInfo.InvariantCulture, $"s{index++}"), StringComparer.Ordinal);
            text.AppendLine(CultureInfo.InvariantCulture, $"  subgraph {Subgraph(company.Company)}");
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

    private static string Label(PlanStep step)
    {
        var name = step.Id[(step.Company.Length + 1)..];
        return $"{PlanJsonRenderer.KindWord(step.Kind)}<br/>{name}".Replace("\"", "'", StringComparison.Ordinal);
    }

    /// <summary>A subgraph needs an identifier without dashes; the company key stays its title.</summary>
    private static string Subgraph(string company) => $"{company.Replace('-', '_')}[\"{company}\"]";
}
