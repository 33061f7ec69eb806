using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Commands;

/// <summary>What <c>whcctl show</c> was asked for: a saved plan, or (without one) the state.</summary>
public sealed record ShowArguments(string? PlanFile, OutputFormat Format, string? State);

/// <summary>
/// <c>whcctl show [PLANFILE] [--format text|json|markdown] [--state SPEC]</c>, as <c>terraform show</c>: a saved plan
/// rendered again exactly as <c>plan</c> rendered it, or without one every resource in state. Reads only local files
/// and the state store; never BT.
/// </summary>
public static class ShowCommand
{
    public static Command Build(IOContext io)
    {
        var planFile = new Argument<string?>("PLANFILE") { Description = "A plan saved with 'whcctl plan --out'; without it, the state is shown.", Arity = ArgumentArity.ZeroOrOne };
        var format = CommonOptions.Format(OutputFormat.Text, OutputFormat.Json, OutputFormat.Markdown);
        var state = CommonOptions.State();
        var runtimeOptions = new RuntimeOptions();
        var command = new Command("show", "Show a saved plan, or the state, as text, JSON or Markdown (nothing is read from BT).") { planFile, format, state };
        runtimeOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, runtimeOptions);
            return await runtime.GuardAsync(() => new ShowHandler(io, runtime).RunAsync(
                new ShowArguments(parseResult.GetValue(planFile), parseResult.GetValue(format), parseResult.GetValue(state)), cancellationToken));
        });
        return command;
    }
}

public sealed class ShowHandler(IOContext io, CommandRuntime runtime)
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.Default };

    public async Task<int> RunAsync(ShowArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.PlanFile is { } path)
        {
            var file = PlanFile.Load(io.ResolvePath(path), VersionInfo.Version);
            var plan = file.Plan;
            io.Output.Write(arguments.Format switch
            {
                OutputFormat.Json => PlanJsonRenderer.Render(plan, targeted: !file.Request.Targets.IsDefaultOrEmpty),
                OutputFormat.Markdown => PlanMarkdownRenderer.Render(plan),
                _ => PlanTextRenderer.Render(plan, runtime.Color),
            });
            return ExitCodes.Success;
        }

        var store = runtime.OpenStateStore(arguments.State);
        var resources = new List<ResourceValues>();
        foreach (var company in await store.ListCompaniesAsync(cancellationToken))
        {
            var state = await store.ReadAsync(company, cancellationToken);
            resources.AddRange(ResourceValues.Of(company, CurrentView.From(state, null)));
        }

        var text = arguments.Format == OutputFormat.Json ? PlanJsonRenderer.RenderState(resources) : StateText(resources);
        io.Output.Write(arguments.Format == OutputFormat.Markdown ? $"```hcl\n{text}```\n" : text);
        return ExitCodes.Success;
    }

    /// <summary>
    /// State in <c>terraform show</c>'s words: one <c>resource "TYPE" "NAME"</c> block per resource under a comment with
    /// its address. Every value is a JSON-quoted string (or a list of them), so no text from BT or a manifest can
    /// break out of its line or close a Markdown fence.
    /// </summary>
    private static string StateText(List<ResourceValues> resources)
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
            foreach (var value in resource.Values.Where(v => v.Value is not null).OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                text.Append("    ").Append(value.Name.PadRight(width)).Append(" = ").Append(Typed(value)).Append('\n');
            }

            text.Append("}\n\n");
        }

        return text.ToString();
    }

    private static string Typed(AttributeValue value) => ResourceValues.TypeOf(value.Name) switch
    {
        AttributeType.Number or AttributeType.Boolean => Quote(value.Value ?? string.Empty)[1..^1],
        AttributeType.List => "[" + string.Join(", ", (value.Value ?? string.Empty).Split(ResourceValues.ListSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Quote)) + "]",
        _ => Quote(value.Value ?? string.Empty),
    };

    private static string Quote(string value) => JsonSerializer.Serialize(value, Quoting).Replace("`", "\\u0060", StringComparison.Ordinal);
}
