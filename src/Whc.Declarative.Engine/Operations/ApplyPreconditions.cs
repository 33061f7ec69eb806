using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
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
    /// <summary>
    /// Why a company's plan no longer fits the state it was made from, as the whole WHC4050 message (what changed, then
    /// what to do), or null when it still does.
    /// </summary>
    public static string? Staleness(CompanyPlan plan, CompanyState? stored) =>
        StateChange(plan, stored) is { } changed ? DiagnosticCatalog.StalePlanMoved.Message(changed) : null;

    /// <summary>
    /// What changed in a company's state since its plan was made ("the state of 'acme' changed since ..."), or null when
    /// nothing did. Only what changed: the message around it says the plan is stale and what to do, once each.
    /// </summary>
    private static string? StateChange(CompanyPlan plan, CompanyState? stored)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var serial = stored?.Serial ?? 0;
        if (serial == plan.StateSerial && (plan.StateLineage is null ? stored is null || stored.Serial == 0 : stored?.Lineage == plan.StateLineage))
        {
            return null;
        }

        var was = plan.StateLineage is null ? "no state" : string.Create(CultureInfo.InvariantCulture, $"serial {plan.StateSerial}, lineage {plan.StateLineage}");
        var now = stored is null || stored.Serial == 0 ? "no state" : string.Create(CultureInfo.InvariantCulture, $"serial {stored.Serial}, lineage {stored.Lineage}");
        return $"the state of '{plan.Company}' changed since the plan was made (then: {was}; now: {now})";
    }

    /// <summary>
    /// What moved in whcctl's own records since a saved plan was made, worded to follow "the saved plan is stale: ": another endpoint (a plan made without refresh
    /// too: it was made for the endpoint it checked the state bindings against), or a company's state. Null
    /// when nothing did. Reads no BT: BT is read once, by <see cref="CheckAgainstNowAsync"/>. (State is checked again
    /// under the lock when the plan is applied.)
    /// </summary>
    public static async Task<string?> WhatMovedAsync(PlanFile file, EndpointName? endpoint, IStateStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(store);
        if (file.Endpoint != endpoint)
        {
            return $"it was made against {file.Endpoint}, not {endpoint?.Value ?? "(no endpoint)"}";
        }

        foreach (var company in file.Plan.Companies.Where(c => c.WritesState && c.InventoryFingerprint != "none"))
        {
            var state = await store.ReadAsync(company.Company, cancellationToken);
            // A company move's plan was made against the old key's state, until apply copies it.
            if (state is null && company.MovedFrom is { } from && await store.ReadAsync(from, cancellationToken) is { } old)
            {
                state = old with { Company = company.Company };
            }

            if (StateChange(company, state) is { } changed)
            {
                return changed;
            }
        }

        return null;
    }

    /// <summary>
    /// The planner is pure: given the request the file records, the manifests in the working directory (those that
    /// were reviewed, in a pipeline that applies the merged commit), state and BT as they are now, and the plan's own
    /// time, it must give the saved plan again. This is what lets apply trust a plan file that anyone able to write the
    /// pipeline's artifacts could have rewritten. The one refresh this takes (one BT read per company, at
    /// <paramref name="parallelism"/>, apply's own) also tells whether BT's inventory moved since the plan was made:
    /// that is checked first, as the more useful answer (<see cref="SavedPlanCheck.Moved"/>).
    /// </summary>
    public static async Task<SavedPlanCheck> CheckAgainstNowAsync(PlanFile file, string workingDirectory, IStateStore store, IWhcApi? api, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var request = file.Request with { Parallelism = Math.Max(1, parallelism) };
        var again = await PlanOperation.RunAsync(request, workingDirectory, new FixedClock(file.Plan.CreatedAt), store, api, cancellationToken);
        if (again.Plan is not { } plan)
        {
            return new SavedPlanCheck(null, $"its manifests ({string.Join(", ", file.Request.Paths.DefaultIfEmpty("."))}) no longer load here: {string.Join("; ", again.Diagnostics.Where(d => d.IsError).Take(3).Select(d => d.ToString()))}");
        }

        // The plan's inventory was read after its intents were answered; so was this one.
        var derivedFingerprints = plan.Companies.ToDictionary(c => c.Company, c => c.InventoryFingerprint, StringComparer.Ordinal);
        var moved = file.Plan.Companies
            .Where(c => c.WritesState && c.InventoryFingerprint != "none")
            .OrderBy(c => c.Company, StringComparer.Ordinal)
            .FirstOrDefault(c => derivedFingerprints.GetValueOrDefault(c.Company) != c.InventoryFingerprint);
        if (moved is not null)
        {
            return new SavedPlanCheck($"BT's inventory of '{moved.Company}' changed since the plan was made", null);
        }

        var saved = file.Plan.Companies.ToDictionary(c => c.Company, PlanFile.Canonical, StringComparer.Ordinal);
        var derived = plan.Companies.ToDictionary(c => c.Company, PlanFile.Canonical, StringComparer.Ordinal);
        var differing = saved.Keys.Union(derived.Keys).Order(StringComparer.Ordinal)
            .Where(company => saved.GetValueOrDefault(company) != derived.GetValueOrDefault(company)).ToList();
        return new SavedPlanCheck(null, differing.Count == 0 ? null : $"company {string.Join(", ", differing.Take(5))}");
    }

    /// <summary>The plan's own time, so that time-dependent decisions (a qualification's expiry) come out the same.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>
/// A saved plan against BT and the manifests as they are now: what moved at BT (the plan is stale), or which companies
/// the plan derived again differs in (it was altered, or the manifests are not those it was made from); both null when
/// it is still the plan.
/// </summary>
public sealed record SavedPlanCheck(string? Moved, string? Differs);
