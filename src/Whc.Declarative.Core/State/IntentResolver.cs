using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Operations;

namespace Whc.Declarative.Core.State;

public enum IntentOutcome
{
    /// <summary>BT holds what the call made: it is recorded in state, with BT's ids.</summary>
    Found,
    /// <summary>BT positively holds nothing the call would have made: the intent is dropped.</summary>
    NotFound,
    /// <summary>BT's answer cannot settle it: the intent stays, and planning the company is refused.</summary>
    Unknown,
}

/// <summary>How one intent was answered, in words for the plan.</summary>
public sealed record IntentResolution(string IntentId, string Operation, string StepId, IntentOutcome Outcome, string Summary);

/// <summary>The answers to every intent a company's state held, and the state with them recorded (same serial).</summary>
public sealed record IntentReconciliation(ImmutableArray<IntentResolution> Resolutions, CompanyState State);

/// <summary>
/// What BT said to the questions a company's intents ask: the company record (for qualifications and ringfenced
/// ranges), the addresses at each postcode an address intent names, and each order looked up by an intent's id
/// (its externalId; null when BT has no such order). A question missing here was not asked.
/// </summary>
public sealed record IntentAnswers(
    CompanyInventory? Company,
    ImmutableDictionary<string, ImmutableArray<AddressRecord>> AddressesByPostcode,
    ImmutableDictionary<string, OrderStatus?> OrdersByExternalId)
{
    /// <summary>
    /// Whether the company was read (then a null <see cref="Company"/> means BT holds no such company). False when no
    /// intent could name the company: then nothing about it may be concluded.
    /// </summary>
    public bool CompanyAsked { get; init; } = true;
}

/// <summary>
/// Answers the intents an interrupted run left in state from what BT holds, by identity only, through each intent's
/// operation module (<see cref="BtOperations"/>): the same Recognise and Record the step runner uses within a run. It
/// never looks at a manifest: what was done is a fact about the past, and the planner then diffs the current manifest
/// against it.
/// </summary>
public static class IntentResolver
{
    public static IntentReconciliation Resolve(CompanyState state, IReadOnlyList<(IntentRecord Intent, IntentDetails Details)> intents, IntentAnswers answers) =>
        BtOperations.Settle(state, intents, answers);
}
