using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Commands;

/// <summary>What <c>whcctl show</c> was asked for: a saved plan, or (without one) the state.</summary>
public sealed record ShowArguments(string? PlanFile, string? State);

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
            return await runtime.GuardAsync(() => new ShowHandler(io, runtime, ShowView.For(parseResult.GetValue(format), io.Output, runtime.Color)).RunAsync(
                new ShowArguments(parseResult.GetValue(planFile), parseResult.GetValue(state)), cancellationToken));
        });
        return command;
    }
}

/// <summary>Reads the saved plan or the state and hands it to its view (the format was chosen with the view).</summary>
public sealed class ShowHandler(IOContext io, CommandRuntime runtime, IShowView view)
{
    public async Task<int> RunAsync(ShowArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.PlanFile is { } path)
        {
            var file = PlanFile.Load(io.ResolvePath(path), VersionInfo.Version);
            view.Plan(file.Plan, targeted: !file.Request.Targets.IsDefaultOrEmpty);
            return ExitCodes.Success;
        }

        var store = runtime.OpenStateStore(arguments.State);
        var resources = new List<ResourceValues>();
        foreach (var company in await store.ListCompaniesAsync(cancellationToken))
        {
            var state = await store.ReadAsync(company, cancellationToken);
            resources.AddRange(ResourceValues.Of(company, CurrentView.From(state, null)));
        }

        view.State(resources);
        return ExitCodes.Success;
    }
}
