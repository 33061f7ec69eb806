using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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
    private static readonly JsonWriterOptions Quoting = new() { Encoder = JavaScriptEncoder.Default };

    public void Plan(Plan plan, bool targeted) => output.Write(PlanTextRenderer.Render(plan, color));

    public void State(IReadOnlyList<ResourceValues> resources) => output.Write(StateText(resources));

    /// <summary>
    /// State in <c>terraform show</c>'s words: one <c>resource "TYPE" "NAME"</c> block per resource under a comment with
    /// its address. Every value is a JSON-quoted string (or a list of them), so no text from BT or a manifest can
    /// break out of its line or close a Markdown fence.
    /// </summary>
    internal static string StateText(IReadOnlyList<ResourceValues> resources)
    {
        if (resources.Count == 0)
        {
            return "The state is empty: no resources.\n";
        }

        var text = new StringBuilder();
        foreach (var resource in resources)
        {
            text.Append("# ").Append(Quote(resource.Address.ToString())[1..^1]).Append(":\n");
            text.Append("resource \"").Append(PlanJsonRenderer.TypeOf(resource.Address.Kind)).Append("\" ").Append(Quote(resource.Address.Name)).Append(" {\n");
            var width = resource.Values.Max(v => v.Name.Length);
            // As Terraform shows state: no value and an empty list are left out.
            foreach (var value in resource.Values.Where(v => !AttributeValue.IsEmpty(v.Value)).OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                text.Append("    ").Append(value.Name.PadRight(width)).Append(" = ").Append(Typed(value.Value)).Append('\n');
            }

            text.Append("}\n\n");
        }

        return text.ToString();
    }

    /// <summary>A value in HCL's words: a number or a flag bare, text quoted, a list of quoted items.</summary>
    private static string Typed(AttributeValue? value) => value switch
    {
        NumberValue number => number.Value.ToString(CultureInfo.InvariantCulture),
        FlagValue flag => flag.Value ? "true" : "false",
        ListValue list => "[" + string.Join(", ", list.Items.Select(Quote)) + "]",
        TextValue text => Quote(text.Value),
        // State holds no value known only after apply; shown as HCL's null rather than as a text it is not.
        _ => "null",
    };

    /// <summary>A JSON string literal, written by the writer itself (no serializer, so nothing reflects at run time).</summary>
    private static string Quote(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Quoting))
        {
            writer.WriteStringValue(value);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("`", "\\u0060", StringComparison.Ordinal);
    }
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

    public void State(IReadOnlyList<ResourceValues> resources) => output.Write($"```hcl\n{ShowTextView.StateText(resources)}```\n");
}
