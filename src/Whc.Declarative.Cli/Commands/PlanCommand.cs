using System.Collections.Immutable;
using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Commands;

/// <summary>The options of <c>whcctl plan</c>; apply reuses the planning ones.</summary>
public sealed class PlanOptions
{
    /// <param name="pathsName">How help names the arguments: PATH, or COMPANY for destroy.</param>
    public PlanOptions(string pathsName = "PATH") => Paths = new Argument<string[]>(pathsName)
    {
        Description = "Manifest files or directories (default: the current directory).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Argument<string[]> Paths { get; }

    public Option<bool> Refresh { get; } = new("--refresh")
    {
        Description = "Read BT's live inventory before planning (--refresh=false plans from state alone).",
        DefaultValueFactory = _ => true,
    };

    public Option<string[]> Targets { get; } = new("--target")
    {
        Description = "Plan only this resource (COMPANY or COMPANY/KIND/NAME, e.g. fun-network/user/jane.smith); repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int> MaxUsersPerOrder { get; } = new Option<int>("--max-users-per-order")
    {
        Description = "Users per order; BT's guide advises 3, larger orders time out.",
        DefaultValueFactory = _ => 3,
    }.AtLeast(1);

    /// <summary>Policy: a plan ceasing more than N resources is an error (WHC3023), whatever --allow-destroy says.</summary>
    public Option<int?> MaxDestroy { get; } = CommonOptions.MaxDestroy();

    public Option<string?> Endpoint { get; } = CommonOptions.Endpoint();

    public Option<string?> State { get; } = CommonOptions.State();

    public WireOptions Wire { get; } = new();

    public Option<int> Parallelism { get; } = CommonOptions.Parallelism();

    /// <summary>
    /// plan and graph add it (apply has its own, for state locks and the sandbox): a plan locks no state, so it waits
    /// only for the embedded sandbox, which another command of the folder may hold.
    /// </summary>
    public Option<TimeSpan> LockTimeout { get; } = SandboxLockTimeout();

    public RuntimeOptions Runtime { get; } = new() { AllowOrigin = CommonOptions.AllowOrigin() };

    /// <summary>Adds the options to <paramref name="command"/>; <c>--target</c> completes the addresses in the state <c>--state</c> names.</summary>
    public void AddTo(Command command, IOContext io)
    {
        StateAddressCompletion.Add(Targets, io, State);
        command.Arguments.Add(Paths);
        command.Options.Add(Refresh);
        command.Options.Add(Targets);
        command.Options.Add(MaxUsersPerOrder);
        command.Options.Add(MaxDestroy);
        command.Options.Add(Endpoint);
        command.Options.Add(State);
        Wire.AddTo(command);
        command.Options.Add(Parallelism);
        Runtime.AddTo(command);
    }

    private static Option<TimeSpan> SandboxLockTimeout()
    {
        var option = CommonOptions.LockTimeout();
        option.Description = "How long to wait for the embedded sandbox when another whcctl command in this folder uses it, e.g. 30s (default: do not wait).";
        return option;
    }

    /// <summary>Where a plan reads from: the state store and the endpoint (with its wire contract).</summary>
    public PlanSources SourcesOf(ParseResult parseResult) =>
        new(parseResult.GetValue(State), parseResult.GetValue(Endpoint), Wire.Of(parseResult));

    /// <summary>
    /// Plans as plan and graph do: the state store and (when refreshing) the API from these sources, the plan
    /// operation, and its diagnostics on stderr. A plan that cannot be used is reported once, here.
    /// </summary>
    public static async Task<PlanOutcome> PlanAsync(PlanSources sources, PlanRequest request, CommandRuntime runtime, IOContext io, CancellationToken cancellationToken)
    {
        var store = runtime.OpenStateStore(sources.State);
        var api = request.Refresh
            ? await runtime.ConnectAsync(sources.Endpoint, sources.Wire, null, cancellationToken)
            : null;
        // Known without connecting (a plan with --refresh=false is checked too).
        var endpoint = (runtime.Connection?.Endpoint ?? WhcEndpoint.Resolve(sources.Endpoint, io.GetEnvironment)).Name;
        var effective = request with { Endpoint = endpoint, WireCharacteristicNames = ContractCharacteristicNames.Of(sources.Wire, io) };
        var outcome = await PlanOperation.RunAsync(effective, io.WorkingDirectory, io.Clock, store, api, cancellationToken) with { Request = effective };
        DiagnosticsRenderer.WriteText(io.Error, outcome.Plan?.AllDiagnostics ?? outcome.Diagnostics);
        if (outcome.Plan is not { HasErrors: false })
        {
            io.Error.WriteLine("Planning failed: fix the errors above; nothing was changed.");
        }

        return outcome;
    }

    /// <summary>Reads the planning options into a request; a malformed --target, or --refresh-only without a refresh, is reported and yields null.</summary>
    public PlanRequest? ToRequest(ParseResult parseResult, PlanMode mode, IOContext io)
    {
        if (mode == PlanMode.RefreshOnly && !parseResult.GetValue(Refresh))
        {
            io.Error.Write(DiagnosticCatalog.OptionsConflictRefreshOnly.At(SourceSpan.None));
            return null;
        }

        var targets = ImmutableArray.CreateBuilder<ResourceAddress>();
        foreach (var text in parseResult.GetValue(Targets) ?? [])
        {
            if (!ResourceAddress.TryParse(text, out var address))
            {
                io.Error.Write(DiagnosticCatalog.UnknownTargetNotAddress.At(SourceSpan.None, text));
                return null;
            }

            targets.Add(address);
        }

        return new PlanRequest(
            parseResult.GetValue(Paths) ?? [],
            mode,
            parseResult.GetValue(Refresh),
            targets.ToImmutable(),
            Math.Max(1, parseResult.GetValue(MaxUsersPerOrder)),
            Math.Max(1, parseResult.GetValue(Parallelism)),
            [])
        {
            MaxDestroy = parseResult.GetValue(MaxDestroy),
        };
    }
}

/// <summary><c>whcctl plan</c>: show what apply would do at BT, in the order BT requires, without changing anything.</summary>
public static class PlanCommand
{
    public static Command Build(IOContext io)
    {
        var options = new PlanOptions();
        var format = CommonOptions.Format(OutputFormat.Text, OutputFormat.Json, OutputFormat.Markdown, OutputFormat.Github);
        var output = new Option<string?>("--out") { Description = "Save the plan to FILE for 'whcctl apply FILE' (never holds a secret)." };
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 when there are no changes, 2 when there are, 1 on error." };
        var refreshOnly = new Option<bool>("--refresh-only") { Description = "Only report drift: what changed at BT outside whcctl." };
        var record = CommonOptions.Record();
        var command = new Command("plan", "Show the API steps that would make BT match the manifests.")
        {
            format, output, detailed, refreshOnly, record,
        };
        options.AddTo(command, io);
        command.Options.Add(options.LockTimeout);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, options.Runtime);
            return await runtime.GuardAsync(async () =>
            {
                var mode = parseResult.GetValue(refreshOnly) ? PlanMode.RefreshOnly : PlanMode.Normal;
                var request = options.ToRequest(parseResult, mode, io);
                return request is null || !runtime.StartRecording(parseResult.GetValue(record))
                    ? ExitCodes.Error
                    : await new PlanHandler(io, runtime, PlanView.For(parseResult.GetValue(format), io.Output, runtime.Color)).RunAsync(
                        new PlanArguments(request, options.SourcesOf(parseResult), parseResult.GetValue(output), parseResult.GetValue(detailed)),
                        cancellationToken);
            });
        });
        return command;
    }
}

/// <summary>
/// Where a plan reads from: <c>--state</c>, <c>--endpoint</c>, <c>--routes</c>, as typed. The endpoint text becomes the
/// endpoint in one place (<see cref="WhcEndpoint.Resolve(string?, Func{string, string?})"/>), compared by its <c>Name</c>.
/// </summary>
public sealed record PlanSources(string? State, string? Endpoint, WireFiles Wire);

/// <summary>What <c>plan</c> was asked to do, read from the command line.</summary>
public sealed record PlanArguments(PlanRequest Request, PlanSources Sources, string? Out, bool DetailedExitCode);

/// <summary>Runs the plan operation for the command line and hands the plan to its view (the format was chosen with the view).</summary>
public sealed class PlanHandler(IOContext io, CommandRuntime runtime, IPlanView view)
{
    public async Task<int> RunAsync(PlanArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var request = arguments.Request;

        var outcome = await PlanOptions.PlanAsync(arguments.Sources, request, runtime, io, cancellationToken);
        var targeted = !request.Targets.IsDefaultOrEmpty;
        if (outcome.Plan is not { HasErrors: false } plan)
        {
            view.Failed(outcome.Plan ?? new Plan(io.Clock.GetUtcNow(), request.Mode, [], outcome.Diagnostics), targeted);
            return ExitCodes.Error;
        }

        view.Plan(plan, targeted);

        if (arguments.Out is { } path)
        {
            // The endpoint the plan checked state bindings against, known with --refresh=false too: apply compares it with its own.
            var made = outcome.Request ?? request;
            PlanFile.Create(plan, made.Endpoint ?? throw new InvalidOperationException("a plan is made for an endpoint"), VersionInfo.Version, made).Save(io.ResolvePath(path));
            io.Error.WriteLine($"Saved the plan to {path}. To apply exactly this plan: whcctl apply {path}");
        }

        return arguments.DetailedExitCode && plan.HasChanges ? ExitCodes.Changes : ExitCodes.Success;
    }
}
