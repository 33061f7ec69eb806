using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// What to apply: a plan to make now (<see cref="Plan"/>), or a saved plan (<see cref="SavedPlan"/>, applied exactly or
/// refused when anything moved), with the executor's options.
/// </summary>
public sealed record ApplyRequest(PlanRequest? Plan, PlanFile? SavedPlan, string WorkingDirectory, bool AllowDestroy, ApplyOptions Options)
{
    /// <summary>Policy: refuse a plan (saved or made here) that ceases more resources than this (WHC3023).</summary>
    public int? MaxDestroy { get; init; }
}

/// <summary>What apply asks of whoever runs it: to see the plan, and (unless it need not) to approve it.</summary>
public interface IApplyHooks
{
    /// <summary>The plan as made (or loaded), with its warnings, before anything changes; also when it has nothing to do.</summary>
    void PlanReady(Plan plan);

    /// <summary>Something the user should know that is not a diagnostic (what is about to happen, and why).</summary>
    void Notice(string message);

    /// <summary>True to go ahead, false when declined, null when there is nobody to ask.</summary>
    Task<bool?> ApproveAsync(Plan plan);
}

/// <summary>How an apply ended: the plan (null when none could be made), the result (null when nothing ran), diagnostics.</summary>
public sealed record ApplyOutcome(Plan? Plan, ApplyResult? Result, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The user declined the plan when asked; nothing was changed.</summary>
    public bool Declined { get; init; }

    /// <summary>No usable plan could be made (manifests or planning errors, in <see cref="Diagnostics"/>); nothing was changed.</summary>
    public bool PlanFailed { get; init; }

    public bool Succeeded => !Declined && !Diagnostics.Any(d => d.IsError) && Result?.Succeeded != false;
}

/// <summary>
/// The apply operation, as stages the data flows through once: take the companies' locks, then plan (or check a saved
/// plan), show it, check what it ceases was allowed, ask, and carry it out; the locks are released at the end. Returns
/// what happened instead of throwing for anything a user can cause.
/// </summary>
public static class ApplyOperation
{
    public static async Task<ApplyOutcome> RunAsync(
        ApplyRequest request,
        IStateStore store,
        IWhcApi api,
        TimeProvider clock,
        IApplyHooks hooks,
        IApplyObserver observer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(hooks);
        CompanyLocks? locks = null;
        async Task LockAsync(IReadOnlyList<string> companies) =>
            locks = await CompanyLocks.AcquireAsync(store, companies, request.Options.Holder, request.Options.LockTimeout, cancellationToken);
        try
        {
            Plan plan;
            if (request.SavedPlan is { } file)
            {
                await LockAsync([.. file.Plan.Companies.Where(c => c.WritesState).SelectMany(c => c.MovedFrom is { } from ? [c.Company, from] : new[] { c.Company })]);
                if (await ApplyPreconditions.WhatMovedAsync(file, request.Options.Endpoint, store, cancellationToken) is { } moved)
                {
                    return Refused(file.Plan, DiagnosticCatalog.StalePlanMoved.At(SourceSpan.None, moved));
                }

                // One read of BT per company, at this apply's parallelism: it both tells whether BT moved and derives the plan again.
                var check = await ApplyPreconditions.CheckAgainstNowAsync(file, request.WorkingDirectory, store, api, request.Options.Parallelism, cancellationToken);
                if (check.Moved is { } movedAtBt)
                {
                    return Refused(file.Plan, DiagnosticCatalog.StalePlanMoved.At(SourceSpan.None, movedAtBt));
                }

                if (check.Differs is { } differs)
                {
                    return Refused(file.Plan, DiagnosticCatalog.PlanFileAltered.At(SourceSpan.None, differs));
                }

                plan = file.Plan;
            }
            else
            {
                var planRequest = request.Plan ?? throw new ArgumentException("an apply needs a plan request or a saved plan", nameof(request));
                var outcome = await PlanOperation.RunAsync(planRequest, request.WorkingDirectory, clock, store, api, cancellationToken, LockAsync);
                if (outcome.Plan is not { HasErrors: false } planned)
                {
                    return new ApplyOutcome(outcome.Plan, null, outcome.Plan is null ? outcome.Diagnostics : [.. outcome.Plan.AllDiagnostics]) { PlanFailed = true };
                }

                plan = planned;
            }

            hooks.PlanReady(plan);
            if (!plan.Companies.Any(c => c.WritesState))
            {
                return new ApplyOutcome(plan, null, []);
            }

            // Nothing to do at BT, but refresh read something state does not hold yet: recorded, as Terraform's apply
            // records a refresh, without asking (nothing at BT changes).
            var stateOnly = !plan.HasChanges;
            if (stateOnly)
            {
                hooks.Notice("Nothing to change at BT; recording in state what refresh read from BT.");
            }

            // What the plan said apply would need (Plan.ApplyRequires), checked from the same value.
            if (plan.ApplyRequires.FirstOrDefault(r => r.Flag == ApplyRequirement.AllowDestroy) is { } needed && !request.AllowDestroy)
            {
                return Refused(plan, DiagnosticCatalog.DestroyNotAllowedCeases.At(SourceSpan.None, [.. needed.Changes.Select(c => c.Address.ToString())]));
            }

            var ceases = plan.Ceases;

            // A saved plan was made under its own limit; one given to apply holds for it too.
            if (request.MaxDestroy is int limit && ceases.Length > limit)
            {
                return Refused(plan, DiagnosticCatalog.MaxDestroyExceededAtApply.At(SourceSpan.None, ceases.Length, limit));
            }

            if (request.SavedPlan is null && !stateOnly)
            {
                var approved = await hooks.ApproveAsync(plan);
                if (approved is null)
                {
                    var command = plan.Mode == PlanMode.Destroy ? "destroy" : "apply";
                    return Refused(plan, DiagnosticCatalog.ApprovalRequiredNoTerminal.At(SourceSpan.None, command));
                }

                if (approved is false)
                {
                    return new ApplyOutcome(plan, null, []) { Declined = true };
                }
            }

            foreach (var company in plan.Companies.Where(c => c.MovedFrom is not null))
            {
                await MoveCompanyStateAsync(store, company, locks?.Held, request.Options.WrittenBy, clock, cancellationToken);
            }

            var executor = new ApplyExecutor(api, store, clock, request.Options, observer);
            var result = await executor.ApplyAsync(plan, cancellationToken, locks?.Held);
            return new ApplyOutcome(plan, result, result.Diagnostics);
        }
        catch (StateException e)
        {
            // A lock another run holds, a state that cannot be read: reported, with nothing changed.
            return new ApplyOutcome(null, null, [new Diagnostic(e.Code, DiagnosticSeverity.Error, SourceSpan.None, e.Message)]);
        }
        finally
        {
            if (locks is not null)
            {
                await locks.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A company move in state, before anything else is applied for the company: the old key's state is copied to the
    /// new key (same lineage and serial: the new key's history continues the old one's), then the old key's state is
    /// emptied as a new version (as <c>state rm</c> does; its history is kept). Killed between the two, the next plan
    /// finds the new key holding the old key's lineage and finishes the move.
    /// </summary>
    private static async Task MoveCompanyStateAsync(IStateStore store, CompanyPlan plan, IReadOnlyDictionary<string, IStateLock>? held, string writtenBy, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (plan.MovedFrom is not { } from)
        {
            return;
        }

        var context = new StateWriteContext(writtenBy, clock.GetUtcNow());
        StateWriteContext Fenced(string company) => held is not null && held.TryGetValue(company, out var taken) ? context with { Fence = taken.Fence } : context;
        var old = await store.ReadAsync(from, cancellationToken);
        if (old is null || old.IsEmpty)
        {
            return;
        }

        var current = await store.ReadAsync(plan.Company, cancellationToken);
        if (current is null)
        {
            // The compare-and-swap of an ordinary write wants a new key to start at serial 1; this one continues a history.
            var writer = store as IForceStateWriter ?? throw new StateException(DiagnosticCatalog.StateNoCompanyMoveWrites.With(store.Description));
            await writer.ForceWriteAsync(old with { Company = plan.Company }, Fenced(plan.Company), cancellationToken);
        }
        else if (current.Lineage != old.Lineage)
        {
            throw new StateException(DiagnosticCatalog.MoveConflictCompanyHistories.With(from, plan.Company));
        }

        var emptied = old.Without(ResourceAddress.ForCompany(from)) with { Serial = old.Serial + 1 };
        await store.WriteAsync(emptied, Fenced(from), cancellationToken);
    }

    private static ApplyOutcome Refused(Plan plan, Diagnostic refusal) => new(plan, null, [refusal]);
}
