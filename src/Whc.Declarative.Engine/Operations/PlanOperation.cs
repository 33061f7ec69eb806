using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Manifests;

namespace Whc.Declarative.Engine.Operations;

/// <summary>What to plan: which manifests (or, for destroy, which companies), how, and with which limits.</summary>
public sealed record PlanRequest(
    IReadOnlyList<string> Paths,
    PlanMode Mode,
    bool Refresh,
    ImmutableArray<ResourceAddress> Targets,
    int MaxUsersPerOrder,
    int Parallelism,
    IReadOnlyList<string> DestroyCompanies)
{
    /// <summary>The endpoint the plan talks to (preset name or base URL); a state applied against another is refused.</summary>
    public EndpointName? Endpoint { get; init; }

    /// <summary>Policy: more ceases than this make the plan an error (WHC3023); null for no limit.</summary>
    public int? MaxDestroy { get; init; }

    /// <summary>
    /// The names the contract in effect sends whcctl's characteristics as, for the manifest checks (WHC2031). Not
    /// saved with a plan: whoever plans or applies gives the contract it speaks.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public WireCharacteristicNames? WireCharacteristicNames { get; init; }
}

/// <summary>Manifests that failed to load stop here, with their diagnostics; otherwise a plan.</summary>
public sealed record PlanOutcome(Plan? Plan, ImmutableArray<Diagnostic> Diagnostics, ManifestSet? Manifests)
{
    /// <summary>The request as planned (with its endpoint): what a saved plan records, for apply to derive it again.</summary>
    public PlanRequest? Request { get; init; }
}

/// <summary>
/// The plan operation shared by plan, apply and destroy, as stages the data flows through once: load and validate the
/// manifests, read each company's state, answer the intents an interrupted run left and refresh from BT (unless told
/// not to; <see cref="Refresher"/>), then plan (pure; <see cref="Planner"/>). Reads only; writes nothing.
/// </summary>
public static class PlanOperation
{
    /// <param name="beforeReadingState">
    /// Called with the keys of the companies to plan once they are known, before any state is read: apply takes their
    /// locks there, so that it plans against what a run it waited for left. Without it, the states are read while the
    /// manifests load (<see cref="StateReads"/>).
    /// </param>
    /// <param name="planningThreads">How many companies are planned at once; <see cref="CompanyPlanning.DefaultThreads"/> when null.</param>
    public static async Task<PlanOutcome> RunAsync(
        PlanRequest request,
        string workingDirectory,
        TimeProvider clock,
        IStateStore store,
        IWhcApi? api,
        CancellationToken cancellationToken,
        Func<IReadOnlyList<string>, Task>? beforeReadingState = null,
        int? planningThreads = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new PlannerOptions { MaxUsersPerOrder = request.MaxUsersPerOrder, Targets = request.Targets, Endpoint = request.Endpoint, MaxDestroy = request.MaxDestroy };
        if (request.Mode == PlanMode.Destroy)
        {
            // --target: of the companies named, only the targeted ones are read, locked and ceased.
            IReadOnlyList<string> named = request.Targets.IsDefaultOrEmpty
                ? request.DestroyCompanies
                : [.. request.DestroyCompanies.Where(c => request.Targets.Any(t => t.Company == c))];
            if (beforeReadingState is not null)
            {
                await beforeReadingState(named);
            }

            var companies = new List<(string Company, CompanyManifest? Desired, CompanyState? State)>();
            var destroyed = new List<CompanyState>();
            foreach (var company in named)
            {
                var state = await store.ReadAsync(company, cancellationToken);
                // A destroyed company is planned to nothing, without asking BT (state holds no id to ask by): a
                // second destroy changes nothing and says so, as Terraform's destroy of an empty state does.
                if (state is { IsDestroyed: true })
                {
                    destroyed.Add(state);
                    continue;
                }

                if (state?.Record is null)
                {
                    return new PlanOutcome(null, [DiagnosticCatalog.UnknownTargetDestroyNotInState.At(SourceSpan.None, company, store.Description)], null);
                }

                companies.Add((company, null, state));
            }

            var destroy = await PlanCompaniesAsync(companies, request.Mode, request.Refresh, request.Parallelism, planningThreads, options, clock, api, cancellationToken);
            var gone = destroyed.Select(s => new CompanyPlan(s.Company, null, s.Serial, s.Lineage, "none", [], [], ImmutableSortedDictionary<string, string>.Empty, []));
            return new PlanOutcome(destroy with { Companies = [.. destroy.Companies.Concat(gone).OrderBy(c => c.Company, StringComparer.Ordinal)] }, [], null);
        }

        // A plan that locks nothing first reads state while the manifests load (the loader keeps the processors busy
        // parsing; reading files waits on the disk).
        await using var reads = beforeReadingState is null
            ? StateReads.Ahead(store, request.Targets, cancellationToken)
            : StateReads.WhenAsked(store);
        var manifests = ManifestLoader.Load(request.Paths, workingDirectory, request.WireCharacteristicNames);
        if (manifests.HasErrors)
        {
            return new PlanOutcome(null, manifests.Diagnostics, manifests);
        }

        // --target: only the targeted companies are planned, so only their locks are taken (the fan-out's jobs, one per
        // company of one directory, run at once) and the others' state is not read at all.
        var planned = Targeted(manifests.Companies, request.Targets);
        if (beforeReadingState is not null)
        {
            // A company move's old key is locked too: apply empties its state.
            await beforeReadingState([.. planned.Select(m => m.Key), .. planned.Select(CompanyMoveSource).OfType<string>()]);
        }

        var plan = await PlanManifestsAsync(planned, request.Mode, request.Refresh, request.Parallelism, planningThreads, options, clock, reads, api, cancellationToken);
        return new PlanOutcome(plan with { Diagnostics = [.. manifests.Diagnostics, .. plan.Diagnostics] }, [], manifests);
    }

    /// <summary>Plans loaded manifests against their companies' state (and, in a normal plan, reports companies only in state).</summary>
    public static async Task<Plan> PlanManifestsAsync(
        IReadOnlyList<CompanyManifest> manifests,
        PlanMode mode,
        bool refresh,
        int parallelism,
        PlannerOptions options,
        TimeProvider clock,
        IStateStore store,
        IWhcApi? api,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var reads = StateReads.WhenAsked(store);
        return await PlanManifestsAsync(manifests, mode, refresh, parallelism, null, options, clock, reads, api, cancellationToken);
    }

    private static async Task<Plan> PlanManifestsAsync(
        IReadOnlyList<CompanyManifest> manifests,
        PlanMode mode,
        bool refresh,
        int parallelism,
        int? planningThreads,
        PlannerOptions options,
        TimeProvider clock,
        StateReads store,
        IWhcApi? api,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(options);
        manifests = Targeted(manifests, options.Targets);
        var states = await ReadStatesAsync(store, [.. manifests.Select(m => m.Key)], cancellationToken);
        var companies = manifests.Select((manifest, i) => (manifest.Key, (CompanyManifest?)manifest, states[i])).ToList();
        var movedFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var moveDiagnostics = new List<Diagnostic>();
        if (mode == PlanMode.Normal)
        {
            for (var i = 0; i < companies.Count; i++)
            {
                if (CompanyMoveSource(manifests[i]) is not { } source)
                {
                    continue;
                }

                // An entry whose old key holds nothing (moved long ago, or never applied) does nothing.
                var old = await store.ReadAsync(source, cancellationToken);
                if (old is null || old.IsEmpty || old.IsDestroyed)
                {
                    continue;
                }

                var own = states[i];
                if (own is null)
                {
                    companies[i] = (manifests[i].Key, manifests[i], old with { Company = manifests[i].Key });
                    movedFrom[manifests[i].Key] = source;
                }
                else if (own.Lineage == old.Lineage)
                {
                    // A move an apply left half done (killed after the copy, before the old key was emptied): finished.
                    movedFrom[manifests[i].Key] = source;
                }
                else
                {
                    moveDiagnostics.Add(DiagnosticCatalog.MoveConflictCompanyBothInState.At(manifests[i].Span, source, manifests[i].Key));
                }
            }
        }

        if (mode == PlanMode.Normal)
        {
            // Companies in state but not in the manifests are only reported ("left alone"); never refreshed, so they
            // cost no API call.
            var known = companies.Select(c => c.Key).Concat(movedFrom.Values).ToHashSet(StringComparer.Ordinal);
            // Under --target only a targeted company that is in state alone is read (to say it is left alone).
            var others = (await store.ListCompaniesAsync(cancellationToken))
                .Where(c => !known.Contains(c) && (options.Targets.IsDefaultOrEmpty || options.Targets.Any(t => t.Company == c)))
                .ToList();
            var otherStates = await ReadStatesAsync(store, others, cancellationToken);
            companies.AddRange(others.Select((company, i) => (company, (CompanyManifest?)null, otherStates[i])));
        }
        else
        {
            companies.RemoveAll(c => c.Item3 is null);
        }

        var plan = await PlanCompaniesAsync(companies, mode, refresh, parallelism, planningThreads, options, clock, api, cancellationToken, movedFrom);
        return moveDiagnostics.Count == 0 ? plan : plan with { Diagnostics = [.. plan.Diagnostics, .. moveDiagnostics] };
    }

    /// <summary>The old key of a manifest's company move (<c>moved: company/OLD → company/KEY</c>), if it has one.</summary>
    public static string? CompanyMoveSource(CompanyManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Moved.IsDefaultOrEmpty
            ? null
            : manifest.Moved
                .Select(m => (From: MoveSpec.Parse(m.From), To: MoveSpec.Parse(m.To)))
                .Where(m => m.From?.Kind == ResourceKind.Company && m.To is { Kind: ResourceKind.Company } to && to.Name == manifest.Key)
                .Select(m => m.From?.Name)
                .FirstOrDefault();
    }

    /// <summary>The manifests of the targeted companies (all of them without --target).</summary>
    private static IReadOnlyList<CompanyManifest> Targeted(IReadOnlyList<CompanyManifest> manifests, ImmutableArray<ResourceAddress> targets) =>
        targets.IsDefaultOrEmpty ? manifests : [.. manifests.Where(m => targets.Any(t => t.Company == m.Key))];

    private static async Task<Plan> PlanCompaniesAsync(
        List<(string Company, CompanyManifest? Desired, CompanyState? State)> companies,
        PlanMode mode,
        bool refresh,
        int parallelism,
        int? planningThreads,
        PlannerOptions options,
        TimeProvider clock,
        IWhcApi? api,
        CancellationToken cancellationToken,
        Dictionary<string, string>? movedFrom = null)
    {
        ImmutableArray<CompanyPlanInput> inputs;
        if (refresh && api is not null)
        {
            var toRefresh = companies.Where(c => c.Desired is not null || mode != PlanMode.Normal).ToList();
            var refreshed = await new Refresher(api, parallelism).RefreshAllAsync(toRefresh, cancellationToken);
            inputs = [.. refreshed, .. companies.Except(toRefresh).Select(c => new CompanyPlanInput(c.Company, c.Desired, c.State, null))];
        }
        else
        {
            inputs = [.. companies.Select(c => new CompanyPlanInput(c.Company, c.Desired, c.State, null))];
        }

        if (movedFrom is { Count: > 0 })
        {
            inputs = [.. inputs.Select(i => movedFrom.TryGetValue(i.Company, out var from) ? i with { MovedFrom = from } : i)];
        }

        var threads = planningThreads ?? CompanyPlanning.DefaultThreads;
        return new Planner(options).Plan(inputs, mode, clock.GetUtcNow(), (ordered, planOne) => CompanyPlanning.Each(ordered, planOne, threads));
    }

    /// <summary>
    /// Reads the states of the given companies, several at a time (an estate has hundreds), in their order. A state that
    /// cannot be read fails the read as the first such company in that order, whichever thread met it first.
    /// </summary>
    private static async Task<CompanyState?[]> ReadStatesAsync(StateReads store, List<string> companies, CancellationToken cancellationToken)
    {
        var states = new CompanyState?[companies.Count];
        var failures = new ExceptionDispatchInfo?[companies.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, companies.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                try
                {
                    states[i] = await store.ReadAsync(companies[i], token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    failures[i] = ExceptionDispatchInfo.Capture(e);
                }
            });
        Array.Find(failures, f => f is not null)?.Throw();
        return states;
    }
}
