using System.CommandLine;
using System.Globalization;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
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
        var requestRate = new Option<double?>("--max-requests-per-second") { Description = "Cap on API requests per second, shared by all parallel steps." };
        var command = new Command(name, description) { format, autoApprove, lockTimeout, orderTimeout, requestRate };
        if (!destroy)
        {
            command.Options.Add(allowDestroy);
            command.Options.Add(refreshOnly);
        }

        options.AddTo(command);
        if (destroy)
        {
            options.Paths.Description = "Keys of the companies to cease (metadata.name).";
            options.Paths.Arity = ArgumentArity.OneOrMore;
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, options.Runtime);
            return await runtime.GuardAsync(async () =>
            {
                var json = parseResult.GetValue(format) == OutputFormat.Json;
                var store = runtime.OpenStateStore(parseResult.GetValue(options.State));
                var api = await runtime.ConnectAsync(parseResult.GetValue(options.Endpoint), parseResult.GetValue(options.Routes), parseResult.GetValue(requestRate), cancellationToken);
                var paths = parseResult.GetValue(options.Paths) ?? [];

                // Lock, then plan: the companies' locks are taken before their state is read, so a second apply waits
                // for (or fails on) the first before it shows anything, then plans against what the first left.
                var holder = LockHolder.Current(io, name);
                CompanyLocks? locks = null;
                async Task LockAsync(IReadOnlyList<string> companies) =>
                    locks = await CompanyLocks.AcquireAsync(store, companies, holder, parseResult.GetValue(lockTimeout), cancellationToken);
                try
                {
                    Plan plan;
                    var saved = !destroy && paths.Length == 1 && PlanFile.LooksLikePlanFile(io.ResolvePath(paths[0]));
                    if (saved)
                    {
                        var file = PlanFile.Load(io.ResolvePath(paths[0]));
                        await LockAsync([.. file.Plan.Companies.Where(c => c.WritesState).Select(c => c.Company)]);
                        var moved = await ApplyPreconditions.WhatMovedAsync(file, runtime.Connection?.Endpoint.ToString() ?? string.Empty, store, api, cancellationToken);
                        if (moved is not null)
                        {
                            io.Error.WriteLine(DiagnosticCatalog.StalePlan.At(SourceSpan.None, $"the saved plan {paths[0]} is stale: {moved}. Run plan again and review the new plan.").ToString());
                            return ExitCodes.Error;
                        }

                        plan = file.Plan;
                    }
                    else
                    {
                        var mode = destroy ? PlanMode.Destroy : parseResult.GetValue(refreshOnly) ? PlanMode.RefreshOnly : PlanMode.Normal;
                        var request = options.ToRequest(parseResult, mode, io);
                        if (request is null)
                        {
                            return ExitCodes.Error;
                        }

                        if (mode == PlanMode.RefreshOnly && !request.Refresh)
                        {
                            io.Error.WriteLine(DiagnosticCatalog.OptionsConflict.At(SourceSpan.None, "--refresh-only needs a refresh; drop --refresh=false").ToString());
                            return ExitCodes.Error;
                        }

                        request = destroy ? request with { Paths = [], DestroyCompanies = paths } : request;
                        // The connection opened above (with apply's request rate) is the one planning uses.
                        var outcome = await options.PlanAsync(parseResult, request, runtime, io, cancellationToken, LockAsync);
                        if (outcome.Plan is not { HasErrors: false } planned)
                        {
                            return ExitCodes.Error;
                        }

                        plan = planned;
                    }

                    (json ? io.Error : io.Output).Write(PlanTextRenderer.Render(plan, runtime.Color));
                    if (!plan.Companies.Any(c => c.WritesState))
                    {
                        return ExitCodes.Success;
                    }

                    // Nothing to do at BT, but refresh read something state does not hold yet: recorded, as Terraform's apply
                    // records a refresh, without asking (nothing at BT changes).
                    var stateOnly = !plan.HasChanges;
                    if (stateOnly)
                    {
                        io.Error.WriteLine("Nothing to change at BT; recording in state what refresh read from BT.");
                    }

                    var ceases = ApplyPreconditions.Ceases(plan);
                    if (!destroy && ceases.Length > 0 && !parseResult.GetValue(allowDestroy))
                    {
                        io.Error.WriteLine(DiagnosticCatalog.DestroyNotAllowed.At(
                            SourceSpan.None,
                            $"the plan ceases {ceases.Length} resource(s) ({string.Join(", ", ceases.Take(5).Select(c => c.Address.ToString()))}{(ceases.Length > 5 ? ", …" : string.Empty)}); re-run with --allow-destroy if that is intended").ToString());
                        return ExitCodes.Error;
                    }

                    if (!saved && !stateOnly && !parseResult.GetValue(autoApprove))
                    {
                        var approved = Approval.Ask(io, destroy
                            ? $"Cease {string.Join(", ", paths)} at BT? This cannot be undone. Type the company key{(paths.Length > 1 ? "s, separated by spaces," : string.Empty)} to confirm"
                            : plan.Mode == PlanMode.RefreshOnly
                            ? "Record these changes made at BT outside whcctl in state (nothing at BT changes)? Only 'yes' will be accepted"
                            : "Do you want to perform these actions at BT? Only 'yes' will be accepted",
                            destroy ? string.Join(' ', paths) : "yes");
                        if (approved is not true)
                        {
                            io.Error.WriteLine(approved is null
                                ? DiagnosticCatalog.ApprovalRequired.At(SourceSpan.None, $"not on a terminal: pass --auto-approve to {name} without a prompt").ToString()
                                : $"{name} cancelled; nothing was changed.");
                            return ExitCodes.Error;
                        }
                    }

                    var steps = plan.Companies.Sum(c => c.Steps.Length);
                    IApplyObserver observer = json ? new JsonEventObserver(io.Output) : new LineProgressObserver(io.Error, io.IsTerminal, steps);
                    var executor = new ApplyExecutor(api, store, io.Clock, new ApplyOptions
                    {
                        Parallelism = Math.Max(1, parseResult.GetValue(options.Parallelism)),
                        LockTimeout = parseResult.GetValue(lockTimeout),
                        OrderTimeout = parseResult.GetValue(orderTimeout),
                        Holder = holder,
                        Endpoint = runtime.Connection?.Endpoint.Name,
                    }, observer);
                    var result = await executor.ApplyAsync(plan, cancellationToken, locks?.Held);
                    DiagnosticsRenderer.WriteText(io.Error, result.Diagnostics);
                    var summary = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{result.Count(StepOutcome.Done)} steps done, {result.Count(StepOutcome.Failed)} failed, {result.Count(StepOutcome.Skipped)} skipped");
                    if (json && observer is JsonEventObserver events)
                    {
                        events.Emit(new Dictionary<string, object?>
                        {
                            ["type"] = "summary",
                            ["succeeded"] = result.Succeeded,
                            ["done"] = result.Count(StepOutcome.Done),
                            ["failed"] = result.Count(StepOutcome.Failed),
                            ["skipped"] = result.Count(StepOutcome.Skipped),
                        });
                    }

                    io.Error.WriteLine(result.Succeeded
                        ? $"Apply complete: {summary}."
                        : $"Apply failed: {summary}. Every result so far is in state; fix the cause and run apply again to continue.");
                    return result.Succeeded ? ExitCodes.Success : ExitCodes.Error;
                }
                finally
                {
                    if (locks is not null)
                    {
                        await locks.DisposeAsync();
                    }
                }
            });
        });
        return command;
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

        io.Error.Write($"{question}: ");
        var answer = io.Input.ReadLine();
        return string.Equals(answer?.Trim(), expected, StringComparison.Ordinal);
    }
}
