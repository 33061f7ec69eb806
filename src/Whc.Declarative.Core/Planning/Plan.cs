using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// The result of planning: per company, what changes and the ordered API steps that realise it. A plan is a pure value;
/// saved to a file it carries everything apply needs, and the serial, lineage and inventory fingerprint it was made
/// from, so a stale plan is refused.
/// </summary>
public sealed record Plan(
    DateTimeOffset CreatedAt,
    PlanMode Mode,
    ImmutableArray<CompanyPlan> Companies,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public const string FormatVersion = "2.1";

    /// <summary>The changes that cease something at BT (a replacement ceases first): what --allow-destroy and --max-destroy govern.</summary>
    public ImmutableArray<ResourceChange> Ceases =>
        [.. Companies.SelectMany(c => c.Changes).Where(c => c.Action is ChangeAction.Delete or ChangeAction.Replace)];

    /// <summary>
    /// What apply must be told before it carries out this plan: <c>--allow-destroy</c> when it ceases anything (a destroy
    /// plan excepted: destroy is that consent). The plan states it and apply checks it (WHC4053) from this one value.
    /// </summary>
    public ImmutableArray<ApplyRequirement> ApplyRequires =>
        Mode != PlanMode.Destroy && Ceases is { Length: > 0 } ceases ? [new ApplyRequirement(ApplyRequirement.AllowDestroy, ceases)] : [];

    public bool HasErrors => Diagnostics.Any(d => d.IsError) || Companies.Any(c => c.Diagnostics.Any(d => d.IsError));

    public bool HasChanges => Companies.Any(c => c.HasChanges);

    public IEnumerable<Diagnostic> AllDiagnostics => Diagnostics.Concat(Companies.SelectMany(c => c.Diagnostics));

    public int Count(ChangeAction action) => Companies.Sum(c => c.Changes.Count(r => r.Action == action));
}

/// <summary>A flag apply needs for a plan, and the changes that need it.</summary>
public sealed record ApplyRequirement(string Flag, ImmutableArray<ResourceChange> Changes)
{
    public const string AllowDestroy = "--allow-destroy";
}

public enum PlanMode
{
    /// <summary>Make BT match the manifests.</summary>
    Normal,
    /// <summary>Only report what changed at BT outside whcctl (drift).</summary>
    RefreshOnly,
    /// <summary>Cease whole companies.</summary>
    Destroy,
}

/// <summary>
/// One company's part of a plan. <see cref="Desired"/> is the manifest it was planned from (null when destroying);
/// <see cref="NadKeys"/> are the site addresses resolved at plan time (site name → NAD key).
/// </summary>
public sealed record CompanyPlan(
    string Company,
    CompanyManifest? Desired,
    long StateSerial,
    string? StateLineage,
    string InventoryFingerprint,
    ImmutableArray<ResourceChange> Changes,
    ImmutableArray<PlanStep> Steps,
    ImmutableSortedDictionary<string, string> NadKeys,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasChanges => Steps.Length > 0 || Changes.Any(c => c.Action != ChangeAction.NoOp || c.PreviousAddress is not null) || Reconciliation is not null;

    /// <summary>Whether applying this plan changes anything: at BT, or in state alone (what refresh read).</summary>
    public bool WritesState => HasChanges || RefreshedState is not null;

    /// <summary>
    /// The company key whose state this plan was made against (a <c>moved: company/OLD → company/NEW</c> entry): apply
    /// copies that state here (same lineage and serial) and then empties it, under both keys' locks.
    /// </summary>
    public string? MovedFrom { get; init; }

    /// <summary>Users without service for a while: ceased and made again (BT cannot move a user between sites), in plan order.</summary>
    public ImmutableArray<PlanOutage> Outages { get; init; } = [];

    /// <summary>
    /// Directory numbers of the users this plan ceases (username → number), so that apply, which no longer finds them in
    /// state once the cease is done, assigns numbers as the plan did: a user that moves between sites keeps its own; a
    /// removed user's goes to a new user only when no never-held number is left (<see cref="NumberAssignment"/>).
    /// </summary>
    public ImmutableSortedDictionary<string, string> ReservedNumbers { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>
    /// What BT said about the calls an interrupted run left unanswered, and the state with that recorded: the state
    /// this plan was made against. Apply writes it first (the stored state must still be the one the plan read).
    /// </summary>
    public IntentReconciliation? Reconciliation { get; init; }

    /// <summary>
    /// The state this plan was made against, as apply records it before its first step: the stored state with BT's
    /// answers to an interrupted run's calls and what refresh read (ids, what was ceased or changed outside whcctl,
    /// protection from the manifest). Null when that is the stored state already, or nothing was read from BT. As
    /// Terraform does, any apply records it, even one with no change to make.
    /// </summary>
    public CompanyState? RefreshedState { get; init; }

    /// <summary>
    /// What changed at BT outside whcctl since state was written, shown above the changes of a normal plan (as
    /// Terraform's "Objects have changed outside of Terraform"); a refresh-only plan lists it as its changes instead.
    /// </summary>
    public ImmutableArray<ResourceChange> Drift { get; init; } = [];

    /// <summary>Every resource as state recorded it before this plan (the "before" of drift).</summary>
    public ImmutableArray<ResourceValues> Recorded { get; init; } = [];

    /// <summary>Every resource as it is now: state overlaid with what refresh read (Terraform's prior state).</summary>
    public ImmutableArray<ResourceValues> Prior { get; init; } = [];
}

public enum ChangeAction
{
    NoOp,
    Create,
    Update,
    Delete,
    /// <summary>Delete then create (shown as <c>-/+</c>), for a change BT can only make by ceasing and re-adding.</summary>
    Replace,
    /// <summary>Changed at BT outside whcctl (refresh-only plans).</summary>
    Drift,
    /// <summary>Dropped from state only; nothing at BT changes (a site whose address was found but that was never ordered).</summary>
    Forget,
}

public sealed record ResourceChange(
    ResourceAddress Address,
    ChangeAction Action,
    string Reason,
    ImmutableArray<AttributeChange> Attributes)
{
    /// <summary>For drift: what happened at BT (ceased there: delete; found there: create; else update).</summary>
    public ChangeAction? Observed { get; init; }

    /// <summary>
    /// The address state held the resource under before a <c>moved</c> entry renamed it (Terraform's
    /// <c>previous_address</c>); null when it was not moved. A move alone is a change with <see cref="ChangeAction.NoOp"/>:
    /// nothing at BT changes, and apply records the new name in state.
    /// </summary>
    public ResourceAddress? PreviousAddress { get; init; }
}

/// <summary>
/// A user BT ceases and makes again (moving from <see cref="FromSite"/> to <see cref="ToSite"/>): it has no service from
/// the completion of the order ceasing it (<see cref="CeaseAwait"/>, its await step) until the order making it again
/// completes (<see cref="AddAwait"/>).
/// </summary>
public sealed record PlanOutage(ResourceAddress User, string FromSite, string ToSite, StepId CeaseAwait, StepId AddAwait)
{
    /// <summary>Why other orders come between the cease and the re-create, when they do (null: consecutive orders).</summary>
    public string? Why { get; init; }
}
