using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Plans one company towards its manifest, in passes that each return their part of the plan (<see cref="PlanPart"/>).
/// One instance per company and plan.
/// </summary>
/// <remarks>
/// Each pass is a file of its own (CompanyPlanner.InFlightOrders.cs, .Company.cs, .NumberBlocks.cs, .Sites.cs, .Users.cs,
/// .Targets.cs, .Steps.cs, .Outages.cs), so a change to how sites are planned is read and reviewed without the rest;
/// this file holds the order of the passes and what several of them share (ceases, unchanged resources, the parts).
/// </remarks>
internal sealed partial class CompanyPlanner
{
    private readonly CompanyPlanInput input;
    private readonly CompanyManifest desired;
    private readonly PlannerOptions options;
    private readonly DateTimeOffset now;
    private readonly CurrentView view;
    private readonly string company;

    /// <param name="view">What exists now: <see cref="CurrentView.From"/> of the input's state and refresh.</param>
    public CompanyPlanner(CompanyPlanInput input, CompanyManifest desired, CurrentView view, PlannerOptions options, DateTimeOffset now)
    {
        this.input = input;
        this.desired = desired;
        this.options = options;
        this.now = now;
        company = input.Company;
        // A company BT holds that is not this state's counts as nothing existing (CurrentView), so it is never changed
        // by mistake; PlanCompany reports the collision (WHC3001).
        this.view = view;
    }

    /// <summary>The plan, made in passes that each return their part: in-flight orders, company, blocks, sites, users; then targets and steps.</summary>
    public CompanyPlan Plan()
    {
        var (inFlight, carried) = CarryInFlightOrders();
        var (isNew, companyPart) = PlanCompany(inFlight);
        var draft = carried
            .Then(companyPart)
            .Then(PlanNumberBlocks(isNew, inFlight))
            .Then(PlanSites(inFlight))
            .Then(PlanUsers(inFlight));
        draft = ApplyTargets(draft, isNew);
        // Checked on what the plan will really do (after --target): what it leaves out stays at BT.
        var clashes = UniquenessCheck.Check(company, desired, view, Numbers, draft.Structural, draft.UserOperations, draft.UserCeases, draft.StructuralCeases);
        draft = draft with { Diagnostics = draft.Diagnostics.AddRange(clashes.Diagnostics) };
        var reasons = new Dictionary<ResourceAddress, string>();
        var steps = BuildSteps(draft, isNew, inFlight.Awaits, clashes, reasons);
        return new CompanyPlan(
            company,
            desired,
            input.State?.Serial ?? 0,
            input.State?.Lineage,
            input.Refresh?.Fingerprint() ?? "none",
            draft.Changes,
            steps,
            draft.NadKeys,
            draft.Diagnostics)
        {
            ReservedNumbers = draft.ReservedNumbers,
            Outages = Outages(draft, steps, reasons),
        };
    }

    private ResourceAddress Address(ResourceKind kind, string name) => new(company, kind, name);

    /// <summary>The directory number each user of the manifest gets (<see cref="NumberAssignment"/>), worked out once for every pass that needs it.</summary>
    private ImmutableDictionary<string, string> Numbers => numbers ??= NumberAssignment.Assign(desired, view.RangesByBlock(), view.HeldNumbers());

    private ImmutableDictionary<string, string>? numbers;

    /// <summary>
    /// A resource BT already matches: no change, unless its protection (kept only in state) changed; that is an in-place
    /// change of its own, so that it is applied (and shown) even when nothing at BT changes.
    /// </summary>
    private static ResourceChange Unchanged(ResourceAddress address, bool recordedProtect, bool wantedProtect) =>
        recordedProtect == wantedProtect
            ? new ResourceChange(address, ChangeAction.NoOp, "unchanged", [])
            : new ResourceChange(address, ChangeAction.Update, "protection changed (kept in state; nothing changes at BT)", [ProtectChange(recordedProtect, wantedProtect)]);

    private static AttributeChange ProtectChange(bool recorded, bool wanted) =>
        new("protect", AttributeValue.Flag(recorded), AttributeValue.Flag(wanted));

    /// <summary>The reason for re-creating what state recorded at BT but BT no longer holds (ceased outside whcctl).</summary>
    private static string? MadeAgain(bool? wasAtBt) => wasAtBt == true ? "ceased at BT outside whcctl: made again" : null;

    /// <summary>Plans the cease of a resource removed from the manifest; true when an order must cease it.</summary>
    private bool PlanCease(PartBuilder part, InFlightOrders inFlight, ResourceAddress address, bool isProtected)
    {
        if (isProtected)
        {
            part.Diagnostics.Add(DiagnosticCatalog.ProtectedRemovedFromManifest.At(desired.Span, address));
            return false;
        }

        part.Changes.Add(new ResourceChange(address, ChangeAction.Delete, "removed from manifest", []));
        return !inFlight.Ceases(address);
    }

    /// <summary>Users are ceased before anything is added (freeing their extensions), and their numbers stay reserved.</summary>
    private static void CeaseUser(PartBuilder part, ResourceAddress address, UserState current)
    {
        part.UserCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
        if (current.DirectoryNumber is { } number)
        {
            part.ReservedNumbers[current.Username] = number;
        }
    }

    /// <summary>
    /// What one pass contributes to the company's plan: changes, diagnostics, order operations by phase, steps that
    /// come before orders, and what orders need (NAD keys found while planning, numbers reserved for ceased users).
    /// </summary>
    private sealed record PlanPart(
        ImmutableArray<ResourceChange> Changes,
        ImmutableArray<Diagnostic> Diagnostics,
        ImmutableArray<OrderOperation> Structural,
        ImmutableArray<OrderOperation> UserOperations,
        ImmutableArray<OrderOperation> UserCeases,
        ImmutableArray<OrderOperation> StructuralCeases,
        ImmutableArray<PlanStep> Steps,
        ImmutableSortedDictionary<string, string> NadKeys,
        ImmutableSortedDictionary<string, string> ReservedNumbers)
    {
        /// <summary>This part followed by <paramref name="next"/>, in plan order.</summary>
        public PlanPart Then(PlanPart next) => new(
            Changes.AddRange(next.Changes),
            Diagnostics.AddRange(next.Diagnostics),
            Structural.AddRange(next.Structural),
            UserOperations.AddRange(next.UserOperations),
            UserCeases.AddRange(next.UserCeases),
            StructuralCeases.AddRange(next.StructuralCeases),
            Steps.AddRange(next.Steps),
            Merged(NadKeys, next.NadKeys),
            Merged(ReservedNumbers, next.ReservedNumbers));

        /// <summary>Most passes find no NAD key and reserve no number: merging with nothing keeps the other map as it is.</summary>
        private static ImmutableSortedDictionary<string, string> Merged(ImmutableSortedDictionary<string, string> first, ImmutableSortedDictionary<string, string> then) =>
            then.IsEmpty ? first : first.IsEmpty ? then : first.SetItems(then);
    }

    /// <summary>Collects one pass's part; the pass returns it as a <see cref="PlanPart"/>.</summary>
    private sealed class PartBuilder
    {
        // Each made when first used: a pass over a company BT already matches adds little more than its unchanged resources.
        public List<ResourceChange> Changes => changes ??= [];

        public List<Diagnostic> Diagnostics => diagnostics ??= [];

        public List<OrderOperation> Structural => structural ??= [];

        public List<OrderOperation> UserOperations => userOperations ??= [];

        public List<OrderOperation> UserCeases => userCeases ??= [];

        public List<OrderOperation> StructuralCeases => structuralCeases ??= [];

        public List<PlanStep> Steps => steps ??= [];

        public SortedDictionary<string, string> NadKeys => nadKeys ??= new(StringComparer.Ordinal);

        public SortedDictionary<string, string> ReservedNumbers => reservedNumbers ??= new(StringComparer.Ordinal);

        private List<ResourceChange>? changes;
        private List<Diagnostic>? diagnostics;
        private List<OrderOperation>? structural;
        private List<OrderOperation>? userOperations;
        private List<OrderOperation>? userCeases;
        private List<OrderOperation>? structuralCeases;
        private List<PlanStep>? steps;
        private SortedDictionary<string, string>? nadKeys;
        private SortedDictionary<string, string>? reservedNumbers;

        public PlanPart ToPart() => new(
            Frozen(changes),
            Frozen(diagnostics),
            Frozen(structural),
            Frozen(userOperations),
            Frozen(userCeases),
            Frozen(structuralCeases),
            Frozen(steps),
            Sorted(nadKeys),
            Sorted(reservedNumbers));

        private static ImmutableArray<T> Frozen<T>(List<T>? list) => list is null ? [] : [.. list];

        private static readonly ImmutableSortedDictionary<string, string> None = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

        private static ImmutableSortedDictionary<string, string> Sorted(SortedDictionary<string, string>? map) =>
            map is null || map.Count == 0 ? None : map.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }
}
