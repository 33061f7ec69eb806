using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl graph [PATH...]</c>: plans exactly as <c>whcctl plan</c> does (same options) and prints the plan's API steps
/// and their dependencies as a Mermaid flowchart on stdout. Changes nothing.
/// </summary>
public static class GraphCommand
{
    public static Command Build(IOContext io)
    {
        var options = new PlanOptions();
        var fence = new Option<bool>("--fence") { Description = "Wrap the diagram in a ```mermaid block, for Markdown (GitHub draws it)." };
        var command = new Command("graph", "Print the plan's API steps and their order as a Mermaid diagram.") { fence };
        options.AddTo(command, io);
        command.Options.Add(options.LockTimeout);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, options.Runtime);
            return await runtime.GuardAsync(async () =>
            {
                var request = options.ToRequest(parseResult, PlanMode.Normal, io);
                return request is null
                    ? ExitCodes.Error
                    : await new GraphHandler(io, runtime).RunAsync(new GraphArguments(request, options.SourcesOf(parseResult), parseResult.GetValue(fence)), cancellationToken);
            });
        });
        return command;
    }

    /// <summary>Drops the Markdown fence lines so the output feeds Mermaid tools (mmdc) directly.</summary>
    internal static string Unfenced(string diagram)
    {
        var lines = diagram.Split('\n').Where(line => !line.TrimEnd('\r').StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }
}

/// <summary>What <c>graph</c> was asked to do, read from the command line.</summary>
public sealed record GraphArguments(PlanRequest Request, PlanSources Sources, bool Fence);

/// <summary>Plans as <c>plan</c> does and prints the steps as a Mermaid diagram.</summary>
public sealed class GraphHandler(IOContext io, CommandRuntime runtime)
{
    public async Task<int> RunAsync(GraphArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var outcome = await PlanOptions.PlanAsync(arguments.Sources, arguments.Request, runtime, io, cancellationToken);
        if (outcome.Plan is not { HasErrors: false } plan)
        {
            return ExitCodes.Error;
        }

        var diagram = PlanGraphRenderer.Mermaid(plan.Companies);
        io.Output.Write(arguments.Fence ? diagram : GraphCommand.Unfenced(diagram));
        if (!plan.HasChanges)
        {
            io.Error.WriteLine("No changes: the diagram has no steps.");
        }

        return ExitCodes.Success;
    }
}
