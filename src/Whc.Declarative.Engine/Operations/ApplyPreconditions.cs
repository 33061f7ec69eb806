using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// The rules a plan must meet before it is applied, in one place: it still fits the state it was made from (checked
/// early for a saved plan, and again under each company's lock), BT has not moved since (a saved plan), and what it
/// ceases at BT was allowed.
/// </summary>
public static class ApplyPreconditions
{
    /// <summary>Why a company's plan no longer fits the state it was made from, or null when it still does.</summary>
    public static string? Staleness(CompanyPlan plan, CompanyState? stored)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var serial = stored?.Serial ?? 0;
        if (serial == plan.StateSerial && (plan.StateLineage is null ? stored is null || stored.Serial == 0 : stored?.Lineage == plan.StateLineage))
        {
            return null;
        }

        return $"the plan for '{plan.Company}' is stale: it was made from state serial {plan.StateSerial}{(plan.StateLineage is null ? " (no state)" : $" lineage {plan.StateLineage}")}, " +
            $"but the state is now serial {serial}{(stored is null ? string.Empty : $" lineage {stored.Lineage}")}; run plan again";
    }

    /// <summary>
    /// What moved since a saved plan was made: another endpoint, a company's state, or BT's inventory. Null when
    /// nothing did. (State is checked again under the lock when the plan is applied.)
    /// </summary>
    public static async Task<string?> WhatMovedAsync(PlanFile file, string endpoint, IStateStore store, IWhcApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(store);
        if (!string.Equals(file.Endpoint, endpoint, StringComparison.Ordinal) && !file.Endpoint.StartsWith("none", StringComparison.Ordinal))
        {
            return $"it was made against {file.Endpoint}, not {endpoint}";
        }

        var refresher = new Refresher(api, 4);
        foreach (var company in file.Plan.Companies.Where(c => c.WritesState && c.InventoryFingerprint != "none"))
        {
            var state = await store.ReadAsync(company.Company, cancellationToken);
            // A company move's plan was made against the old key's state, until apply copies it.
            if (state is null && company.MovedFrom is { } from && await store.ReadAsync(from, cancellationToken) is { } old)
            {
                state = old with { Company = company.Company };
            }

            if (Staleness(company, state) is { } stale)
            {
                return stale;
            }

            // The plan's inventory was read after its intents were answered; so is this one.
            var now = await refresher.RefreshAsync(company.Desired, company.Reconciliation?.State ?? state, cancellationToken);
            if (now.Fingerprint() != company.InventoryFingerprint)
            {
                return $"BT's inventory of '{company.Company}' changed since the plan was made";
            }
        }

        return null;
    }

    /// <summary>
    /// The planner is pure: given the request the file records, the manifests in the working directory (those that
    /// were reviewed, in a pipeline that applies the merged commit), state and BT as they are now, and the plan's own
    /// time, it must give the saved plan again. Null when it does; otherwise which company differs. This is what lets
    /// apply trust a plan file that anyone able to write the pipeline's artifacts could have rewritten.
    /// </summary>
    public static async Task<string?> ReDerivedDifferenceAsync(PlanFile file, string workingDirectory, IStateStore store, IWhcApi? api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var again = await PlanOperation.RunAsync(file.Request, workingDirectory, new FixedClock(file.Plan.CreatedAt), store, api, cancellationToken);
        if (again.Plan is not { } plan)
        {
            return $"its manifests ({string.Join(", ", file.Request.Paths.DefaultIfEmpty("."))}) no longer load here: {string.Join("; ", again.Diagnostics.Where(d => d.IsError).Take(3).Select(d => d.ToString()))}";
        }

        var saved = file.Plan.Companies.ToDictionary(c => c.Company, PlanFile.Canonical, StringComparer.Ordinal);
        var derived = plan.Companies.ToDictionary(c => c.Company, PlanFile.Canonical, StringComparer.Ordinal);
        var differing = saved.Keys.Union(derived.Keys).Order(StringComparer.Ordinal)
            .Where(company => saved.GetValueOrDefault(company) != derived.GetValueOrDefault(company)).ToList();
        return differing.Count == 0 ? null : $"company {string.Join(", ", differing.Take(5))}";
    }

    /// <summary>The plan's own time, so that time-dependent decisions (a qualification's expiry) come out the same.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
