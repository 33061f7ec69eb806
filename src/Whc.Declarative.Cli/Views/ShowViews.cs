using Whc.Declarative.Cli.Commands;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Cli.Views;

/// <summary>What <c>whcctl show</c> prints, one implementation per <c>--format</c>: a saved plan as <c>plan</c> printed it, or the state.</summary>
public interface IShowView
{
    /// <param name="targeted">Whether the saved plan was made with --target.</param>
    void Plan(Plan plan, bool targeted);

    /// <summary>Every resource in state, in the order given.</summary>
    void State(IReadOnlyList<ResourceValues> resources);
}

/// <summary>Chooses the show view for a format: the one place <c>show</c> looks at <c>--format</c>.</summary>
public static class ShowView
{
    public static IShowView For(OutputFormat format, TextWriter output, bool color) => format switch
    {
        OutputFormat.Json => new ShowJsonView(output),
        OutputFormat.Markdown => new ShowMarkdownView(output),
        _ => new ShowTextView(output, color),
    };
}

/// <summary>A saved plan as text; the state in <c>terraform show</c>'s words.</summary>
public sealed class ShowTextView(TextWriter output, bool color) : IShowView
{
    public void Plan(Plan plan, bool targeted) => output.Write(PlanTextRenderer.Render(plan, color));

    public void State(IReadOnlyList<ResourceValues> resources) => output.Write(ShowHandler.StateText(resources));
}

/// <summary>A saved plan as the plan JSON; the state as Terraform's <c>values</c> document.</summary>
public sealed class ShowJsonView(TextWriter output) : IShowView
{
    public void Plan(Plan plan, bool targeted) => output.Write(PlanJsonRenderer.Render(plan, targeted));

    public void State(IReadOnlyList<ResourceValues> resources) => output.Write(PlanJsonRenderer.RenderState(resources));
}

/// <summary>A saved plan as the pull-request comment; the state's text in an <c>hcl</c> fence.</summary>
public sealed class ShowMarkdownView(TextWriter output) : IShowView
{
    public void Plan(Plan plan, bool targeted) => output.Write(PlanMarkdownRenderer.Render(plan));

    public void State(IReadOnlyList<ResourceValues> resources) => output.Write($"```hcl\n{ShowHandler.StateText(resources)}```\n");
}
