using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Pure planning: manifest + state + what refresh read → resource changes and the ordered API steps that realise them,
/// in the order BT requires (qualify → ringfence → address → orders of at most N users → submit → await).
/// </summary>
public sealed class Planner
{
    private readonly PlannerOptions options;

    public Planner(PlannerOptions options) => this.options = options;

    public Plan Plan(IReadOnlyList<CompanyPlanInput> inputs, PlanMode mode, DateTimeOffset now) =>
        Plan(inputs, mode, now, static (ordered, planOne) => [.. ordered.Select(planOne)]);

    /// <summary>
    /// Plans as <see cref="Plan(IReadOnlyList{CompanyPlanInput}, PlanMode, DateTimeOffset)"/>, with the companies' own
    /// plans made by <paramref name="planEach"/>: given the inputs in company order and the pure, independent plan of
    /// one company, it returns their results in that same order (the engine makes them on several threads). What
    /// relates companies (key changes, companies only in state, targets, the destroy limit) is settled here after, in
    /// company order, so the plan is the same however the companies were planned.
    /// </summary>
    public Plan Plan(
        IReadOnlyList<CompanyPlanInput> inputs,
        PlanMode mode,
        DateTimeOffset now,
        Func<IReadOnlyList<CompanyPlanInput>, Func<CompanyPlanInput, PlannedCompany>, IReadOnlyList<PlannedCompany>> planEach)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(planEach);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var companies = ImmutableArray.CreateBuilder<CompanyPlan>();
        var orphans = mode == PlanMode.Normal
            ? inputs.Where(i => i.Desired is null && i.State is { Record: not null, IsDestroyed: false }).OrderBy(i => i.Company, StringComparer.Ordinal).ToList()
            : [];
        // A new key whose company BT holds under a key no manifest has any more: a key change without its moved entry.
        // WHC3044 says so once; the old key's "left alone" and the new key's "already registered at BT" would mislead.
        var keyChanges = mode != PlanMode.Normal
            ? []
            : inputs.Where(i => i.Desired is not null && i.State?.Record is null)
                .Select(i => (New: i, Old: orphans.FirstOrDefault(o => o.State?.Record?.Name == i.Desired?.Company.Name)))
                .Where(pair => pair.Old is not null)
                .ToDictionary(pair => pair.New.Company, pair => pair.Old!.Company, StringComparer.Ordinal);
        List<CompanyPlanInput> ordered = [.. inputs.OrderBy(i => i.Company, StringComparer.Ordinal)];
        var results = planEach(ordered, stored => PlanCompany(stored, mode, now));
        for (var index = 0; index < ordered.Count; index++)
        {
            var (input, planned) = results[index];
            if (planned is not null)
            {
                var plannedCompany = planned;
                if (keyChanges.TryGetValue(input.Company, out var oldKey) && input.Desired is { } declared)
                {
                    // Without the entry the plan would order the company again, which BT refuses, and leave the old
                    // key's state behind.
                    diagnostics.Add(DiagnosticCatalog.CompanyKeyChangedWithoutMoved.At(declared.Span, input.Company, oldKey, declared.Company.Name));
                    plannedCompany = plannedCompany with
                    {
                        Diagnostics = [.. plannedCompany.Diagnostics.Where(d => d.Code != DiagnosticCatalog.CompanyAlreadyRegistered.Code && d.Code != DiagnosticCatalog.DomainAlreadyRegistered.Code)],
                    };
                }

                companies.Add(plannedCompany);
            }
            // A destroyed company's state is its tombstone: gone, not left alone, so nothing to say about it; the old key
            // of a key change is told of by WHC3044.
            else if (mode == PlanMode.Normal && input.State is { IsEmpty: false, IsDestroyed: false } && !keyChanges.ContainsValue(input.Company))
            {
                diagnostics.Add(DiagnosticCatalog.NotInManifestsLeftAlone.At(SourceSpan.None, input.Company));
            }
        }

        foreach (var target in options.Targets)
        {
            var input = inputs.FirstOrDefault(i => i.Company == target.Company);
            if (input is null)
            {
                diagnostics.Add(DiagnosticCatalog.UnknownTargetCompany.At(SourceSpan.None, target));
            }
            else if (!Knows(input, target))
            {
                diagnostics.Add(DiagnosticCatalog.UnknownTargetResource.At(SourceSpan.None, target));
            }
        }

        var plan = new Plan(now, mode, companies.ToImmutable(), diagnostics.ToImmutable());
        var ceases = plan.Ceases;
        if (options.MaxDestroy is int limit && ceases.Length > limit)
        {
            plan = plan with
            {
                Diagnostics = plan.Diagnostics.Add(DiagnosticCatalog.MaxDestroyExceededBy.At(SourceSpan.None, [.. ceases.Select(c => c.Address)], limit)),
            };
        }

        return plan;
    }

    /// <summary>
    /// One company's own plan (pure, independent of every other company's): its input as planned (with the manifest's
    /// moved entries applied to its state) and its plan, or null when a normal plan has nothing to make for it (it is
    /// only in state).
    /// </summary>
    public PlannedCompany PlanCompany(CompanyPlanInput stored, PlanMode mode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        // A normal plan is made against the state with the manifest's moved entries applied (as Terraform applies
        // moved blocks to its prior state first): a renamed site or block is then the same resource, not a cease and a create.
        var moved = mode == PlanMode.Normal && stored.Desired is { } wanted ? MoveResolver.Apply(wanted, stored.State) : null;
        var input = moved is null ? stored : stored with { State = moved.State };
        // What exists now (state overlaid with what refresh read): what a normal plan is made against, and its prior state.
        CurrentView? current = null;
        CompanyPlan? planned;
        if (mode == PlanMode.RefreshOnly)
        {
            planned = PlanDrift(input);
        }
        else if (mode == PlanMode.Destroy)
        {
            planned = PlanDestroy(input);
        }
        else if (input.Desired is { } desired)
        {
            current = CurrentView.From(input.State, input.Refresh);
            planned = new CompanyPlanner(input, desired, current, options, now).Plan();
        }
        else
        {
            planned = null;
        }

        return new PlannedCompany(
            input,
            planned is null ? null : WithCompanyMove(Tombstoned(WithMoves(WithStateFindings(planned, input, moved is { Moves.IsEmpty: false } || input.MovedFrom is not null, current), moved), input, mode, now), input));
    }

    /// <summary>
    /// What every company's plan says about its state, whatever the mode: BT's answers to an interrupted run's calls,
    /// the state as refresh read it, drift; and refusals: a state applied against another endpoint (WHC3016), or one
    /// that still holds a call BT was not asked about or could not answer (WHC3015): planning around a call whose
    /// outcome is unknown could repeat it.
    /// </summary>
    /// <param name="planned">The view of what exists now the plan was made against, when there is one (saves making it again).</param>
    private CompanyPlan WithStateFindings(CompanyPlan plan, CompanyPlanInput input, bool moved, CurrentView? planned)
    {
        var prior = ResourceValues.Of(input.Company, planned ?? CurrentView.From(input.State, input.Refresh));
        plan = plan with
        {
            Reconciliation = input.Reconciliation,
            // Moves change state even when refresh read nothing new: apply records the state they made.
            RefreshedState = Refreshed(input, moved) ?? (moved ? input.State : null),
            Drift = plan.Changes.Any(c => c.Action == ChangeAction.Drift) ? [] : DriftOf(input),
            // Without a refresh, what exists now is what state recorded.
            Recorded = input.Refresh is null ? prior : ResourceValues.Of(input.Company, CurrentView.From(input.State, null)),
            Prior = prior,
        };
        if (input.State?.Endpoint is { } bound && options.Endpoint is { } current && bound != current)
        {
            plan = plan with
            {
                Diagnostics = plan.Diagnostics.Add(DiagnosticCatalog.EndpointMismatchBound.At(input.Desired?.Span ?? SourceSpan.None, input.Company, bound, current)),
            };
        }

        var open = input.State?.Intents ?? [];
        if (open.IsEmpty)
        {
            return plan;
        }

        var answered = input.Reconciliation?.Resolutions.ToDictionary(r => r.IntentId, StringComparer.Ordinal) ?? [];
        // Each call as BT's answer sums it up, or, unasked, as the intent names it.
        var calls = open.Select(i => answered.TryGetValue(i.Id, out var r) ? r.Summary : $"{i.Operation} {i.Id} (step {i.StepId})").ToList();
        var diagnostic = DiagnosticCatalog.IntentsUnsettled.At(input.Desired?.Span ?? SourceSpan.None, input.Company, calls, input.Reconciliation is not null);
        return plan with { Diagnostics = plan.Diagnostics.Add(diagnostic) };
    }

    /// <summary>
    /// A destroy of a company BT already ceased (outside whcctl) has nothing to cease, but what it records is still a
    /// destroy: the state refresh read is written as the company's tombstone, so no later plan says to destroy it again.
    /// </summary>
    private static CompanyPlan Tombstoned(CompanyPlan plan, CompanyPlanInput input, PlanMode mode, DateTimeOffset now) =>
        mode == PlanMode.Destroy && plan.RefreshedState is { HoldsNothingAtBt: true, Destroyed: null } gone
            ? plan with { RefreshedState = gone with { Destroyed = new CompanyTombstone(now, input.State?.Record?.Name, input.State?.Record?.ServiceId) } }
            : plan;

    /// <summary>
    /// The moves a plan makes: each renamed resource's change names its previous address (a move alone: "moved"), and
    /// what stopped a move is the company's error.
    /// </summary>
    private static CompanyPlan WithMoves(CompanyPlan plan, MoveResolver.Result? moved)
    {
        if (moved is null || (moved.Moves.IsEmpty && moved.Diagnostics.IsEmpty))
        {
            return plan;
        }

        var previous = moved.Moves.ToDictionary(
            m => new ResourceAddress(plan.Company, m.Kind, m.To),
            m => new ResourceAddress(plan.Company, m.Kind, m.From));
        return plan with
        {
            Changes = [.. plan.Changes.Select(c => previous.TryGetValue(c.Address, out var from)
                ? c with { PreviousAddress = from, Reason = c.Action == ChangeAction.NoOp ? "moved" : $"moved; {c.Reason}" }
                : c)],
            Diagnostics = plan.Diagnostics.AddRange(moved.Diagnostics),
        };
    }

    /// <summary>A company move: the company's change names the key it had (a move alone: "moved"), and apply learns which state to take.</summary>
    private static CompanyPlan WithCompanyMove(CompanyPlan plan, CompanyPlanInput input)
    {
        if (input.MovedFrom is not { } from)
        {
            return plan;
        }

        var address = ResourceAddress.ForCompany(plan.Company);
        return plan with
        {
            MovedFrom = from,
            Changes = [.. plan.Changes.Select(c => c.Address == address
                ? c with { PreviousAddress = ResourceAddress.ForCompany(from), Reason = c.Action == ChangeAction.NoOp ? "moved" : $"moved; {c.Reason}" }
                : c)],
        };
    }

    /// <summary>
    /// The stored state brought in line with what refresh read (StateReconciler), when that changes it. A company BT
    /// holds that is not this state's is not read into it; one BT no longer holds is (so what was ceased outside
    /// whcctl leaves state, and is made again with fresh ids rather than stale ones).
    /// </summary>
    /// <param name="moved">Whether <paramref name="input"/>'s state has moved entries applied: it then differs from the stored one.</param>
    private static CompanyState? Refreshed(CompanyPlanInput input, bool moved)
    {
        if (input.State is not { } state || input.Refresh is not { } refresh)
        {
            return null;
        }

        var inventory = refresh.Inventory;
        var gone = inventory is null || inventory.Status == Inventory.CompanyStatus.Ceased;
        if (!gone && !Ownership.IsOurs(state, inventory))
        {
            return null;
        }

        var refreshed = StateReconciler.Reconcile(state, input.Desired, gone ? null : inventory) with { Serial = state.Serial };
        var stored = input.Reconciliation is null && !moved ? state : null;
        return stored is not null && refreshed.SameContentAs(stored) ? null : refreshed;
    }

    private static bool Knows(CompanyPlanInput input, ResourceAddress target) => target.Kind switch
    {
        ResourceKind.NumberBlock => input.Desired?.NumberBlocks.Any(b => b.Name == target.Name) == true
            || input.State?.NumberBlocks.Any(b => b.Name == target.Name) == true,
        ResourceKind.Site => input.Desired?.Sites.Any(s => s.Name == target.Name) == true
            || input.State?.Sites.Any(s => s.Name == target.Name) == true,
        ResourceKind.User => input.Desired?.AllUsers().Any(p => p.User.Username == target.Name) == true
            || input.State?.Users.Any(u => u.Username == target.Name) == true,
        _ => true,
    };

    private static CompanyPlan PlanDrift(CompanyPlanInput input) => new(
        input.Company, input.Desired, input.State?.Serial ?? 0, input.State?.Lineage, input.Refresh?.Fingerprint() ?? "none",
        DriftOf(input), [], ImmutableSortedDictionary<string, string>.Empty, []);

    /// <summary>What changed at BT outside whcctl: state as recorded against state as refresh reads it.</summary>
    private static ImmutableArray<ResourceChange> DriftOf(CompanyPlanInput input)
    {
        var state = input.State;
        if (state is null || input.Refresh is null)
        {
            return [];
        }

        var recorded = CurrentView.From(state, null);
        var live = CurrentView.From(state, input.Refresh);
        var changes = ImmutableArray.CreateBuilder<ResourceChange>();
        if (recorded.CompanyActive && !live.CompanyActive)
        {
            changes.Add(new ResourceChange(ResourceAddress.ForCompany(input.Company), ChangeAction.Drift, "ceased at BT outside whcctl", []) { Observed = ChangeAction.Delete });
        }

        // What an unfinished order of whcctl's does at BT is not a change made outside whcctl: awaiting it records it.
        var ordered = state.Orders.Where(o => !o.IsFinal).SelectMany(o => o.ResourceAddresses).ToHashSet();
        AddDrift(changes, input.Company, ResourceKind.Site, recorded.Sites, live.Sites, SiteAttributes, ordered);
        AddDrift(changes, input.Company, ResourceKind.User, recorded.Users, live.Users, UserAttributes, ordered);
        foreach (var (name, block) in recorded.Blocks)
        {
            var liveCount = live.Blocks.TryGetValue(name, out var liveBlock) ? liveBlock.RingfencedCount : 0;
            if (liveCount != block.RingfencedCount)
            {
                changes.Add(new ResourceChange(
                    new ResourceAddress(input.Company, ResourceKind.NumberBlock, name),
                    ChangeAction.Drift,
                    "numbers released at BT outside whcctl",
                    [new AttributeChange("ringfenced", AttributeValue.Number(block.RingfencedCount), AttributeValue.Number(liveCount))]));
            }
        }

        return changes.ToImmutable();
    }

    private static void AddDrift<T>(
        ImmutableArray<ResourceChange>.Builder changes,
        string company,
        ResourceKind kind,
        ImmutableSortedDictionary<string, T> recorded,
        ImmutableSortedDictionary<string, T> live,
        Func<T, ImmutableArray<NamedValue>> attributes,
        HashSet<ResourceAddress> ordered)
    {
        foreach (var name in recorded.Keys.Union(live.Keys).Order(StringComparer.Ordinal))
        {
            var address = new ResourceAddress(company, kind, name);
            if (ordered.Contains(address))
            {
                continue;
            }

            var inState = recorded.TryGetValue(name, out var before);
            var atBt = live.TryGetValue(name, out var after);
            if (inState && !atBt)
            {
                changes.Add(new ResourceChange(address, ChangeAction.Drift, "ceased at BT outside whcctl", []) { Observed = ChangeAction.Delete });
            }
            else if (!inState && atBt && after is not null)
            {
                changes.Add(new ResourceChange(address, ChangeAction.Drift, "exists at BT but not in state", Diff([], attributes(after))) { Observed = ChangeAction.Create });
            }
            else if (before is not null && after is not null)
            {
                var diff = Diff(attributes(before), attributes(after));
                if (diff.Length > 0)
                {
                    changes.Add(new ResourceChange(address, ChangeAction.Drift, "changed at BT outside whcctl", diff));
                }
            }
        }
    }

    private static CompanyPlan PlanDestroy(CompanyPlanInput input)
    {
        var view = CurrentView.From(input.State, input.Refresh);
        var company = input.Company;
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var changes = ImmutableArray.CreateBuilder<ResourceChange>();
        var steps = ImmutableArray<PlanStep>.Empty;
        if (view.CompanyActive)
        {
            var protectedOnes = view.Users.Values.Where(u => u.Protected).Select(u => new ResourceAddress(company, ResourceKind.User, u.Username))
                .Concat(view.Sites.Values.Where(s => s.Protected).Select(s => new ResourceAddress(company, ResourceKind.Site, s.Name)))
                .Concat(view.Blocks.Values.Where(b => b.Protected).Select(b => new ResourceAddress(company, ResourceKind.NumberBlock, b.Name)))
                .ToList();
            if (view.Record?.Protected == true || input.Desired?.Protect == true)
            {
                protectedOnes.Insert(0, ResourceAddress.ForCompany(company));
            }

            foreach (var address in protectedOnes)
            {
                diagnostics.Add(DiagnosticCatalog.ProtectedDestroyed.At(input.Desired?.Span ?? SourceSpan.None, address));
            }

            foreach (var block in view.Blocks.Values.Where(b => b.Ported && b.Ranges.Length > 0).OrderBy(b => b.Name, StringComparer.Ordinal))
            {
                diagnostics.Add(DiagnosticCatalog.PortedNumbersGivenUpBlock.At(
                    input.Desired?.Span ?? SourceSpan.None,
                    block.Name,
                    block.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber))));
            }

            changes.Add(new ResourceChange(ResourceAddress.ForCompany(company), ChangeAction.Delete, "destroy requested", []));
            changes.AddRange(view.Blocks.Keys.Order(StringComparer.Ordinal).Select(n => new ResourceChange(new ResourceAddress(company, ResourceKind.NumberBlock, n), ChangeAction.Delete, "ceased with its company", [])));
            changes.AddRange(view.Sites.Keys.Order(StringComparer.Ordinal).Select(n => new ResourceChange(new ResourceAddress(company, ResourceKind.Site, n), ChangeAction.Delete, "ceased with its company", [])));
            changes.AddRange(view.Users.Keys.Order(StringComparer.Ordinal).Select(n => new ResourceChange(new ResourceAddress(company, ResourceKind.User, n), ChangeAction.Delete, "ceased with its company", [])));
            var order = new OrderPhase([new OrderOperation(ResourceAddress.ForCompany(company), OrderOperationKind.Cease)], []);
            steps = StepsForOrder(company, 1, order, [], $"cease company {view.Record?.Name ?? company} and everything in it");
        }

        return new CompanyPlan(
            company, null, input.State?.Serial ?? 0, input.State?.Lineage, input.Refresh?.Fingerprint() ?? "none",
            changes.ToImmutable(), steps, ImmutableSortedDictionary<string, string>.Empty, diagnostics.ToImmutable());
    }

    internal sealed record OrderPhase(ImmutableArray<OrderOperation> Operations, ImmutableArray<StepId> DependsOn);

    internal static ImmutableArray<PlanStep> StepsForOrder(string company, int number, OrderPhase order, ImmutableArray<StepId> prerequisites, string summary)
    {
        var create = new CreateOrderStep(company, $"Create order {number}: {summary}", [.. prerequisites.Concat(order.DependsOn).Distinct()], number, order.Operations);
        // Submit and await find their order as the one the create step recorded.
        var submit = new SubmitOrderStep(company, $"Submit order {number}", [create.Id], create.Order, order.Operations);
        return
        [
            create,
            submit,
            new AwaitOrderStep(company, $"Await order {number} until completed", [submit.Id], create.Order, order.Operations),
        ];
    }

    internal static ImmutableArray<NamedValue> SiteAttributes(SiteState site) =>
        [new("locationCode", AttributeValue.Text(site.LocationCode)), new("nadKey", AttributeValue.Text(site.NadKey))];

    internal static ImmutableArray<NamedValue> UserAttributes(UserState user) =>
    [
        new("site", AttributeValue.Text(user.Site)),
        new("firstName", AttributeValue.Text(user.FirstName)),
        new("lastName", AttributeValue.Text(user.LastName)),
        new("extension", AttributeValue.Text(user.Extension)),
        new("number", AttributeValue.Text(user.DirectoryNumber)),
        new("licence", AttributeValue.Text(user.Licence)),
        new("devices", AttributeValue.List(Devices(user))),
    ];

    /// <summary>
    /// Whether <see cref="UserAttributes"/> of the two users are all equal (what <see cref="Diff"/> of them would find
    /// nothing in), compared without building them: text ordinally, the devices item by item (none and an empty list alike).
    /// Keep in step with <see cref="UserAttributes"/> (UnchangedUserTests pins the two together).
    /// </summary>
    internal static bool SameUserAttributes(UserState a, UserState b) =>
        a.Site == b.Site
        && a.FirstName == b.FirstName
        && a.LastName == b.LastName
        && a.Extension == b.Extension
        && a.DirectoryNumber == b.DirectoryNumber
        && a.Licence == b.Licence
        && Devices(a).AsSpan().SequenceEqual(Devices(b).AsSpan());

    private static ImmutableArray<string> Devices(UserState user) => user.DeviceMacAddresses.IsDefault ? [] : user.DeviceMacAddresses;

    /// <summary>
    /// The attributes of <paramref name="after"/> that differ from <paramref name="before"/>; one <paramref name="before"/>
    /// lacks counts only when it has a value (an empty list is no value).
    /// </summary>
    internal static ImmutableArray<AttributeChange> Diff(ImmutableArray<NamedValue> before, ImmutableArray<NamedValue> after)
    {
        // A handful of attributes each: looked up by name in the list, no map needed; nothing built when nothing differs.
        ImmutableArray<AttributeChange>.Builder? changes = null;
        foreach (var attribute in after)
        {
            var old = Find(before, attribute.Name);
            if (old is not null ? !Equals(old.Value, attribute.Value) : !AttributeValue.IsEmpty(attribute.Value))
            {
                (changes ??= ImmutableArray.CreateBuilder<AttributeChange>()).Add(new AttributeChange(attribute.Name, old?.Value, attribute.Value));
            }
        }

        return changes is null ? [] : changes.ToImmutable();
    }

    private static NamedValue? Find(ImmutableArray<NamedValue> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Name == name)
            {
                return attribute;
            }
        }

        return null;
    }
}

/// <summary>One company's own plan (<see cref="Planner.PlanCompany"/>): its input as planned, and its plan (null: nothing to plan).</summary>
public sealed record PlannedCompany(CompanyPlanInput Input, CompanyPlan? Plan);
