using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Cli.Views;

/// <summary>
/// What <c>whcctl plan</c> shows on stdout, one implementation per <c>--format</c> (as Terraform's
/// <c>views.Plan</c>): the handler says what happened, the view decides how it looks. Diagnostics as text on stderr
/// are the handler's, the same for every format.
/// </summary>
public interface IPlanView
{
    /// <summary>A plan without errors.</summary>
    /// <param name="targeted">Whether --target narrowed the plan (the JSON document says so).</param>
    void Plan(Plan plan, bool targeted);

    /// <summary>
    /// A plan that cannot be used, where a pipeline reads it (the PR comment step, jq): a JSON document with errored:
    /// true, the comment's caution box, annotations. The terminal already has the text, on stderr.
    /// </summary>
    void Failed(Plan plan, bool targeted);
}

/// <summary>Chooses the plan view for a format: the one place <c>plan</c> looks at <c>--format</c>.</summary>
public static class PlanView
{
    public static IPlanView For(OutputFormat format, TextWriter output, bool color) => format switch
    {
        OutputFormat.Json => new PlanJsonView(output),
        OutputFormat.Markdown => new PlanMarkdownView(output),
        OutputFormat.Github => new PlanGitHubView(output, color),
        _ => new PlanTextView(output, color),
    };
}

/// <summary>The plan as Terraform prints it; a failed plan adds nothing to what stderr has.</summary>
public sealed class PlanTextView(TextWriter output, bool color) : IPlanView
{
    public void Plan(Plan plan, bool targeted) => output.Write(PlanTextRenderer.Render(plan, color));

    public void Failed(Plan plan, bool targeted)
    {
    }
}

/// <summary>The plan JSON (<c>whcctl_format_version</c>), failed or not.</summary>
public sealed class PlanJsonView(TextWriter output) : IPlanView
{
    public void Plan(Plan plan, bool targeted) => output.Write(PlanJsonRenderer.Render(plan, targeted));

    public void Failed(Plan plan, bool targeted) => output.Write(PlanJsonRenderer.Render(plan, targeted));
}

/// <summary>The pull-request comment, failed or not.</summary>
public sealed class PlanMarkdownView(TextWriter output) : IPlanView
{
    public void Plan(Plan plan, bool targeted) => output.Write(PlanMarkdownRenderer.Render(plan));

    public void Failed(Plan plan, bool targeted) => output.Write(PlanMarkdownRenderer.Render(plan));
}

/// <summary>GitHub Actions: the diagnostics as annotations, then (when the plan is usable) the plan as text, both in the log.</summary>
public sealed class PlanGitHubView(TextWriter output, bool color) : IPlanView
{
    public void Plan(Plan plan, bool targeted)
    {
        DiagnosticsRenderer.WriteGitHub(output, plan.AllDiagnostics);
        output.Write(PlanTextRenderer.Render(plan, color));
    }

    public void Failed(Plan plan, bool targeted) => DiagnosticsRenderer.WriteGitHub(output, plan.AllDiagnostics);
}
