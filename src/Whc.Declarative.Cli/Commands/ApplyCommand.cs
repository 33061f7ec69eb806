using System.CommandLine;
using System.Globalization;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;
using Whc.Declarative.Engine;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl apply [PATH...]</c> plans, shows the plan, asks for approval (or takes --auto-approve), then carries it out;
/// <c>whcctl apply PLANFILE</c> carries out a saved plan exactly, refusing it when state or BT moved since.
/// </summary>
public static class ApplyCommand
{
    public static Command Build(IOContext io) => BuildCore(io, "apply", "Make BT match the manifests (or apply a saved plan).", destroy: false);

    /// <summary><c>whcctl destroy COMPANY...</c>: cease whole companies; shares apply's machinery.</summary>
    public static Command BuildDestroy(IOContext io) => BuildCore(io, "destroy", "Cease whole companies at BT (after an explicit confirmation).", destroy: true);

    private static Command BuildCore(IOContext io, string name, string description, bool destroy)
    {
        var options = new PlanOptions(destroy ? "COMPANY" : "PATH");
        var format = CommonOptions.Format(OutputFormat.Text, OutputFormat.Json);
        var autoApprove = new Option<bool>("--auto-approve") { Description = "Do not ask for approval (required when not on a terminal)." };
        var allowDestroy = new Option<bool>("--allow-destroy") { Description = "Allow the plan to cease users, sites or number blocks." };
        var refreshOnly = new Option<bool>("--refresh-only") { Description = "Accept what changed at BT outside whcctl: record it in state, change nothing at BT." };
        var lockTimeout = CommonOptions.LockTimeout();
        var orderTimeout = new Option<TimeSpan>("--order-timeout")
        {
            Description = "How long to wait for one order to complete (e.g. 30m).",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
            CustomParser = DurationParser.Parse,
        };
        orderTimeout.Validators.Add(result =>
        {
            if (CommonOptions.TryGetValue<TimeSpan>(result, out var timeout) && timeout <= TimeSpan.Zero)
            {
                result.AddError("--order-timeout must be longer than 0");
            }
        });
        var heartbeat = new Option<TimeSpan>("--heartbeat")
        {
            Description = "Off a terminal, print which steps are still running this often (e.g. 30s; 0 for never).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = DurationParser.Parse,
        };
        var requestRate = new Option<double?>("--max-requests-per-second") { Description = "Cap on API requests per second, shared by all parallel steps." };
        requestRate.Validators.Add(result =>
        {
            if (CommonOptions.TryGetValue<double?>(result, out var rate) && rate is not (> 0 and < double.PositiveInfinity))
            {
                result.AddError("--max-requests-per-second must be a number above 0");
            }
        });
        var record = CommonOptions.Record();
        var command = new Command(name, description) { format, autoApprove, lockTimeout, orderTimeout, heartbeat, requestRate, record };
        if (!destroy)
        {
            command.Options.Add(allowDestroy);
            command.Options.Add(refreshOnly);
        }

        options.AddTo(command, io);
        if (destroy)
        {
            options.Paths.Description = "Keys of the companies to cease (metadata.name).";
            options.Paths.Arity = ArgumentArity.OneOrMore;
            StateAddressCompletion.Add(options.Paths, io, options.State, a => a.Kind == ResourceKind.Company);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, options.Runtime);
            var view = ApplyView.For(parseResult.GetValue(format), io, runtime.Color);
            try
            {
                return await runtime.GuardAsync(async () =>
                {
                    var paths = parseResult.GetValue(options.Paths) ?? [];
                    var mode = destroy ? PlanMode.Destroy : parseResult.GetValue(refreshOnly) ? PlanMode.RefreshOnly : PlanMode.Normal;
                    var request = options.ToRequest(parseResult, mode, io);
                    if (request is null || !runtime.StartRecording(parseResult.GetValue(record)))
                    {
                        return ExitCodes.Error;
                    }

                    var arguments = new ApplyArguments(
                        name,
                        destroy ? request with { Paths = [], DestroyCompanies = paths } : request,
                        parseResult.GetValue(options.Endpoint),
                        options.Wire.Of(parseResult),
                        parseResult.GetValue(options.State),
                        parseResult.GetValue(autoApprove),
                        parseResult.GetValue(allowDestroy),
                        parseResult.GetValue(lockTimeout),
                        parseResult.GetValue(orderTimeout),
                        parseResult.GetValue(requestRate))
                    {
                        Heartbeat = parseResult.GetValue(heartbeat),
                    };
                    return await new ApplyHandler(io, runtime, view).RunAsync(arguments, cancellationToken);
                });
            }
            finally
            {
                // An early refusal or an error the guard reports ends the run without an outcome; the view says so if it must.
                view.Stopped();
            }
        });
        return command;
    }
}

/// <summary>What <c>apply</c> and <c>destroy</c> were asked to do, read from the command line.</summary>
public sealed record ApplyArguments(
    string Command,
    PlanRequest Plan,
    string? Endpoint,
    WireFiles Wire,
    string? State,
    bool AutoApprove,
    bool AllowDestroy,
    TimeSpan LockTimeout,
    TimeSpan OrderTimeout,
    double? RequestsPerSecond)
{
    /// <summary>How often a run off a terminal names the steps still running (zero: never).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Runs <see cref="ApplyOperation"/> for the command line: the plan, progress and the outcome through the view (the
/// format was chosen with it), approval on the terminal, diagnostics and the closing line on stderr.
/// </summary>
public sealed class ApplyHandler(IOContext io, CommandRuntime runtime, IApplyView view)
{
    public async Task<int> RunAsync(ApplyArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);

        var store = runtime.OpenStateStore(arguments.State);
        var api = await runtime.ConnectAsync(arguments.Endpoint, arguments.Wire, arguments.RequestsPerSecond, cancellationToken);
        var paths = arguments.Plan.Paths;
        var saved = arguments.Plan.Mode != PlanMode.Destroy && paths.Count == 1 && PlanFile.LooksLikePlanFile(io.ResolvePath(paths[0]));
        var endpoint = runtime.Connection?.Endpoint;
        var recovery = new RecoveryFiles(io.WorkingDirectory, io.Clock);
        // The manifests are checked again against the contract this apply speaks (a saved plan does not carry it).
        var wireNames = ContractCharacteristicNames.Of(arguments.Wire, io);
        var request = new ApplyRequest(
            saved ? null : arguments.Plan with { Endpoint = endpoint?.Name, WireCharacteristicNames = wireNames },
            saved && PlanFile.Load(io.ResolvePath(paths[0]), VersionInfo.Version) is { } file ? file with { Request = file.Request with { WireCharacteristicNames = wireNames } } : null,
            io.WorkingDirectory,
            arguments.AllowDestroy,
            new ApplyOptions
            {
                Parallelism = arguments.Plan.Parallelism,
                LockTimeout = arguments.LockTimeout,
                OrderTimeout = arguments.OrderTimeout,
                Holder = LockHolder.Current(io, arguments.Command),
                Endpoint = endpoint?.Name,
                UnwrittenStateKeeper = recovery,
            })
        {
            MaxDestroy = arguments.Plan.MaxDestroy,
        };

        var hooks = new Hooks(io, arguments, runtime.Quiet, view);
        var observer = new DeferredObserver(() => hooks.Observer);
        ApplyOutcome outcome;
        try
        {
            outcome = await ApplyOperation.RunAsync(request, store, api, io.Clock, hooks, observer, cancellationToken);
        }
        finally
        {
            (hooks.Observer as IDisposable)?.Dispose(); // stops the heartbeat
        }

        DiagnosticsRenderer.WriteText(io.Error, outcome.Diagnostics);
        view.Ended(outcome);
        if (outcome.PlanFailed)
        {
            io.Error.WriteLine("Planning failed: fix the errors above; nothing was changed.");
            return ExitCodes.Error;
        }

        if (outcome.Declined)
        {
            io.Error.WriteLine($"{arguments.Command} cancelled; nothing was changed.");
            return ExitCodes.Error;
        }

        if (outcome.Result is { } result)
        {
            var summary = StepSummary(result);
            // Named after the command the user ran: destroy's run is a destroy, not an apply.
            var run = arguments.Command == "destroy" ? "Destroy" : "Apply";
            // A failed apply's line is an error (kept by -q): it says where the results BT gave but state did not take are.
            io.Error.Talk(
                result.Succeeded
                    ? $"{run} complete: {(outcome.Plan is { } done ? Done(done, summary) : summary)}."
                    : recovery.Kept.Count == 0
                        ? $"{run} failed: {summary}. Every result so far is in state; fix the cause and run {arguments.Command} again to continue."
                        : $"{run} failed: {summary}. The state store did not take every result: {string.Join(", ", recovery.Kept)} {Counted.Noun(recovery.Kept.Count, "holds", "hold")} what it could not store (the newest file of a company holds all of its results); once the store works, 'whcctl state push COMPANY FILE' with that file, then plan again.",
                result.Succeeded ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Error);
        }

        return outcome.Succeeded ? ExitCodes.Success : ExitCodes.Error;
    }

    /// <summary>"1 step done, 0 failed, 0 skipped".</summary>
    private static string StepSummary(ApplyResult result) =>
        string.Create(CultureInfo.InvariantCulture, $"{Counted.Of(result.Count(StepOutcome.Done), "step")} done, {result.Count(StepOutcome.Failed)} failed, {result.Count(StepOutcome.Skipped)} skipped");

    /// <summary>
    /// What a successful run did, by its mode: an apply's steps; what a destroy ceased; what a refresh-only apply recorded
    /// (it makes no step, so its steps would say nothing).
    /// </summary>
    private static string Done(Plan plan, string steps)
    {
        string Companies(ChangeAction action) => string.Join(", ", plan.Companies.Where(c => c.Changes.Any(r => r.Action == action)).Select(c => Diagnostic.OneLine(c.Company)));
        switch (plan.Mode)
        {
            case PlanMode.RefreshOnly:
                var drift = plan.Count(ChangeAction.Drift);
                return drift == 0
                    ? "no drift to record; nothing at BT was changed"
                    : $"state now records the drift of {Counted.Of(drift, "resource")} changed at BT outside whcctl ({Companies(ChangeAction.Drift)}); nothing at BT was changed";
            case PlanMode.Destroy:
                var ceased = plan.Count(ChangeAction.Delete);
                return $"{Counted.Of(ceased, "resource")} ceased at BT ({Companies(ChangeAction.Delete)}); {steps}";
            default:
                return steps;
        }
    }

    /// <summary>The terminal side of an apply: shows the plan, tells, asks; and, once the plan is known, the progress observer.</summary>
    private sealed class Hooks(IOContext io, ApplyArguments arguments, bool quiet, IApplyView view) : IApplyHooks
    {
        public IApplyObserver Observer { get; private set; } = NullApplyObserver.Instance;

        public void PlanReady(Plan plan)
        {
            DiagnosticsRenderer.WriteText(io.Error, plan.AllDiagnostics);
            view.Plan(plan);
            var steps = plan.Companies.Sum(c => c.Steps.Length);
            var heartbeat = io.IsTerminal || quiet || arguments.Heartbeat <= TimeSpan.Zero ? null : new HeartbeatObserver(io.Error, io.Clock, arguments.Heartbeat);
            Observer = new ObserverSet(view.Progress(steps), heartbeat);
        }

        public void Notice(string message) => io.Error.WriteLine(message);

        public Task<bool?> ApproveAsync(Plan plan)
        {
            if (arguments.AutoApprove)
            {
                return Task.FromResult<bool?>(true);
            }

            var destroy = plan.Mode == PlanMode.Destroy;
            var companies = arguments.Plan.DestroyCompanies;
            return Task.FromResult(Approval.Ask(
                io,
                destroy
                    ? $"Cease {string.Join(", ", companies)} at BT? This cannot be undone. Type the company key{(companies.Count > 1 ? "s, separated by spaces," : string.Empty)} to confirm"
                    : plan.Mode == PlanMode.RefreshOnly
                    ? "Record these changes made at BT outside whcctl in state (nothing at BT changes)? Only 'yes' will be accepted"
                    : "Do you want to perform these actions at BT? Only 'yes' will be accepted",
                destroy ? string.Join(' ', companies) : "yes"));
        }
    }

    /// <summary>Passes progress to the observer the hooks chose once the plan was known (its step count sizes the progress).</summary>
    private sealed class DeferredObserver(Func<IApplyObserver> current) : IApplyObserver
    {
        public void StepStarted(PlanStep step) => current().StepStarted(step);

        public void StepFinished(StepResult result) => current().StepFinished(result);

        public void Notice(string company, string message) => current().Notice(company, message);
    }
}

/// <summary>Asks a yes/no question on a terminal; null when there is no terminal to ask on.</summary>
public static class Approval
{
    public static bool? Ask(IOContext io, string question, string expected)
    {
        if (!io.IsTerminal)
        {
            return null;
        }

        io.Error.Prompt($"{question}: ");
        var answer = io.Input.ReadLine();
        return string.Equals(answer?.Trim(), expected, StringComparison.Ordinal);
    }
}
