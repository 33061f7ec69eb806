using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Canonical;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// What refresh read from BT for one company. <see cref="Inventory"/> is null when BT does not know the company;
/// the verify results and address lists cover only what the manifest would create.
/// </summary>
public sealed record RefreshSnapshot(
    CompanyInventory? Inventory,
    bool DomainTaken,
    ImmutableSortedSet<string> TakenUsernames,
    ImmutableSortedDictionary<string, ImmutableArray<AddressRecord>> AddressesByPostcode,
    ImmutableSortedDictionary<string, OrderStatus> Orders)
{
    /// <summary>
    /// The first numbers of the manifest's ported ranges that BT's inventory shows held, in part or whole, by another
    /// company (asked only for ranges the company does not hold yet).
    /// </summary>
    public ImmutableSortedSet<string> TakenPortedRanges { get; init; } = [];

    public static RefreshSnapshot Of(CompanyInventory? inventory) =>
        new(inventory, false, [], ImmutableSortedDictionary<string, ImmutableArray<AddressRecord>>.Empty, ImmutableSortedDictionary<string, OrderStatus>.Empty);

    /// <summary>
    /// A stable hash of what was read, over its canonical form (<see cref="CanonicalContent"/>), shortened to 16 hex
    /// digits; a saved plan is refused when BT's answer has changed since.
    /// </summary>
    public string Fingerprint() => CanonicalContent.Sha256(this)[..("sha256:".Length + 16)];
}

/// <summary>
/// Everything the planner knows about one company: desired (null when only in state), recorded and live.
/// <see cref="State"/> is the state with the intents of an interrupted run answered by BT (<see cref="Reconciliation"/>),
/// not yet written; an intent still in it is one BT was not asked about, and planning refuses the company.
/// </summary>
public sealed record CompanyPlanInput(string Company, CompanyManifest? Desired, CompanyState? State, RefreshSnapshot? Refresh)
{
    public IntentReconciliation? Reconciliation { get; init; }

    /// <summary>The company key whose state <see cref="State"/> is (a company move); null for the company's own.</summary>
    public string? MovedFrom { get; init; }
}

public sealed record PlannerOptions
{
    /// <summary>BT's guide: keep about three users per create-order payload; larger ones time out.</summary>
    public int MaxUsersPerOrder { get; init; } = 3;

    /// <summary>Only changes to these addresses (and what they need) are planned; empty means everything.</summary>
    public ImmutableArray<ResourceAddress> Targets { get; init; } = [];

    /// <summary>The endpoint this plan talks to (preset name or base URL); a state applied against another is refused. Null: not checked.</summary>
    public EndpointName? Endpoint { get; init; }

    /// <summary>A policy limit: a plan that ceases more resources than this is an error (WHC3023). Null: no limit.</summary>
    public int? MaxDestroy { get; init; }

    /// <summary>Warn when a qualification the plan depends on expires within this window.</summary>
    public TimeSpan QualificationWarningWindow { get; init; } = TimeSpan.FromHours(1);
}
