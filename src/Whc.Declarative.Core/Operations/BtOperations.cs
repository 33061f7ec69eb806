using System.Collections.Immutable;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// The registry of operation modules, one per non-idempotent BT call, in the order intents are settled across runs:
/// qualify (what the others record may hang off the company's record), ported ringfences (their exact ranges are
/// claimed before new numbers are), ringfences, addresses, orders. Within a module: oldest intent first, then by id.
/// </summary>
public static class BtOperations
{
    public static QualifyOperation Qualify { get; } = new();

    public static PortedRingFenceOperation PortedRingFence { get; } = new();

    public static RingFenceOperation RingFence { get; } = new();

    public static CreateAddressOperation CreateAddress { get; } = new();

    public static CreateOrderOperation CreateOrder { get; } = new();

    public static ImmutableArray<IBtOperation> All { get; } = [Qualify, PortedRingFence, RingFence, CreateAddress, CreateOrder];

    /// <summary>The module that owns a stored intent; null for an operation this whcctl does not know.</summary>
    public static IBtOperation? For(IntentRecord intent) => All.FirstOrDefault(m => m.Reads(intent));

    /// <summary>The typed payload of a stored intent (<see cref="UnknownIntent"/> for an operation this whcctl does not know).</summary>
    public static IntentDetails Decode(IntentRecord intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return For(intent)?.Decode(intent) ?? new UnknownIntent(intent.Operation);
    }

    /// <summary>State with the intent removed: its call is settled.</summary>
    public static CompanyState Settled(CompanyState state, IntentRecord intent)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intent);
        return state with { Intents = state.Intents.RemoveAll(i => i.Id == intent.Id) };
    }

    /// <summary>Intents in the order they are settled: by module, then oldest first, then by id; unknown operations last.</summary>
    public static IReadOnlyList<(IntentRecord Intent, IntentDetails Payload)> InOrder(IEnumerable<(IntentRecord Intent, IntentDetails Payload)> intents) =>
        [.. intents
            .OrderBy(i => For(i.Intent) is { } module ? All.IndexOf(module) : All.Length)
            .ThenBy(i => i.Intent.StartedAt)
            .ThenBy(i => i.Intent.Id, StringComparer.Ordinal)];

    /// <summary>Every intent's questions, merged so each is asked of BT once (the company as the first asker names it).</summary>
    public static BtQuestions Questions(CompanyState state, IEnumerable<(IntentRecord Intent, IntentDetails Payload)> intents) =>
        BtQuestions.Merge(InOrder(intents).Select(i => For(i.Intent)?.Questions(state, i.Intent, i.Payload) ?? BtQuestions.None));

    /// <summary>
    /// Settles each intent with its module's Recognise and Record, in the fixed order; each sees what state and the
    /// intents still outstanding claim (an intent left unknown keeps its claim).
    /// </summary>
    public static IntentReconciliation Settle(CompanyState state, IReadOnlyList<(IntentRecord Intent, IntentDetails Payload)> intents, IntentAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intents);
        ArgumentNullException.ThrowIfNull(answers);
        var ordered = InOrder(intents);
        var outstanding = ordered.ToList();
        var resolutions = ImmutableArray.CreateBuilder<IntentResolution>();
        var current = state;
        foreach (var (intent, payload) in ordered)
        {
            if (For(intent) is not { } module || payload is UnknownIntent)
            {
                resolutions.Add(new IntentResolution(intent.Id, intent.Operation, intent.StepId, IntentOutcome.Unknown, $"{payload.Operation}: an operation this whcctl does not know (written by a newer one?)"));
                continue;
            }

            var settled = module.Settle(current, intent, payload, answers, Claims.Of(current, intent, outstanding));
            resolutions.Add(settled.Resolution);
            current = settled.State;
            if (settled.Resolution.Outcome != IntentOutcome.Unknown)
            {
                outstanding.RemoveAll(o => o.Intent.Id == intent.Id);
            }
        }

        return new IntentReconciliation(resolutions.ToImmutable(), current);
    }
}
