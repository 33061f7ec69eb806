using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine;
using Whc.Declarative.Manifests;

namespace Whc.Declarative.Cli.Plans;

/// <summary>What to plan: which manifests (or, for destroy, which companies), how, and with which limits.</summary>
public sealed record PlanRequest(
    IReadOnlyList<string> Paths,
    PlanMode Mode,
    bool Refresh,
    ImmutableArray<ResourceAddress> Targets,
    int MaxUsersPerOrder,
    int Parallelism,
    IReadOnlyList<string> DestroyCompanies);

/// <summary>Manifests that failed to load stop here, with their diagnostics; otherwise a plan.</summary>
public sealed record PlanOutcome(Plan? Plan, ImmutableArray<Diagnostic> Diagnostics, ManifestSet? Manifests);

/// <summary>
/// The plan pipeline shared by plan, apply and destroy: load and validate manifests, read each company's state,
/// refresh from BT (unless told not to), and plan. Reads only; writes nothing.
/// </summary>
public static class PlanPipeline
{
    public static async Task<PlanOutcome> RunAsync(PlanRequest request, IOContext io, IStateStore store, Whc.Declarative.Core.Api.IWhcApi? api, CancellationToken cancellationToken)
    {
        var companies = new List<(string Company, CompanyManifest? Desired, CompanyState? State)>();
        ManifestSet? manifests = null;
        if (request.Mode == PlanMode.Destroy)
        {
            foreach (var company in request.DestroyCompanies)
            {
                var state = await store.ReadAsync(company, cancellationToken);
                if (state?.Record is null)
                {
                    return new PlanOutcome(null, [DiagnosticCatalog.UnknownTarget.At(SourceSpan.None, $"company '{company}' is not in state ({store.Description}); nothing to destroy")], null);
                }

                companies.Add((company, null, state));
            }
        }
        else
        {
            manifests = ManifestLoader.Load(request.Paths, io.WorkingDirectory);
            if (manifests.HasErrors)
            {
                return new PlanOutcome(null, manifests.Diagnostics, manifests);
            }

            var states = await ReadStatesAsync(store, [.. manifests.Companies.Select(m => m.Key)], cancellationToken);
            companies.AddRange(manifests.Companies.Select((manifest, i) => (manifest.Key, (CompanyManifest?)manifest, states[i])));

            if (request.Mode == PlanMode.Normal)
            {
                // Companies in state but not in the manifests are only reported ("left alone"); never refreshed, so
                // they cost no API call.
                var known = companies.Select(c => c.Company).ToHashSet(StringComparer.Ordinal);
                var others = (await store.ListCompaniesAsync(cancellationToken)).Where(c => !known.Contains(c)).ToList();
                var otherStates = await ReadStatesAsync(store, others, cancellationToken);
                companies.AddRange(others.Select((company, i) => (company, (CompanyManifest?)null, otherStates[i])));
            }
            else
            {
                companies.RemoveAll(c => c.State is null);
            }
        }

        ImmutableArray<CompanyPlanInput> inputs;
        if (request.Refresh && api is not null)
        {
            var toRefresh = companies.Where(c => c.Desired is not null || request.Mode != PlanMode.Normal).ToList();
            var refreshed = await new Refresher(api, request.Parallelism).RefreshAllAsync(toRefresh, cancellationToken);
            inputs = [.. refreshed, .. companies.Except(toRefresh).Select(c => new CompanyPlanInput(c.Company, c.Desired, c.State, null))];
        }
        else
        {
            inputs = [.. companies.Select(c => new CompanyPlanInput(c.Company, c.Desired, c.State, null))];
        }

        var planner = new Planner(new PlannerOptions { MaxUsersPerOrder = request.MaxUsersPerOrder, Targets = request.Targets });
        var plan = planner.Plan(inputs, request.Mode, io.Clock.GetUtcNow());
        var warnings = manifests?.Diagnostics ?? [];
        return new PlanOutcome(plan with { Diagnostics = [.. warnings, .. plan.Diagnostics] }, [], manifests);
    }

    /// <summary>Reads the states of the given companies, several at a time (an estate has hundreds), in their order.</summary>
    private static async Task<CompanyState?[]> ReadStatesAsync(IStateStore store, List<string> companies, CancellationToken cancellationToken)
    {
        var states = new CompanyState?[companies.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, companies.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) => states[i] = await store.ReadAsync(companies[i], token));
        return states;
    }
}
