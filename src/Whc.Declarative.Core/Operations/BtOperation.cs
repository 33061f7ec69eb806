using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// One non-idempotent BT call, written once: the tag its intents carry in state, its typed payload, the call, the
/// questions that find its effect after an unknown outcome, one <c>Recognise</c> and one <c>Record</c>. The step
/// runner (an unknown outcome within a run) and the reconciler (an intent a run left) both go through this, so the
/// exactly-once rules hold the same way in a run and across runs. The registry is <see cref="BtOperations"/>.
/// </summary>
public interface IBtOperation
{
    /// <summary>The module's name (unique; shown in docs and summaries).</summary>
    string Name { get; }

    /// <summary>The operation tag stored in <see cref="IntentRecord.Operation"/> (two modules may share one; see <see cref="Reads"/>).</summary>
    string Tag { get; }

    /// <summary>The contract route the call goes to (<c>whc-contract.json</c>).</summary>
    string Route { get; }

    /// <summary>Whether this module owns the stored intent (its tag, and for a shared tag, its payload's shape).</summary>
    bool Reads(IntentRecord intent);

    /// <summary>The typed payload of a stored intent; older intents (fewer keys) still decode.</summary>
    IntentDetails Decode(IntentRecord intent);

    /// <summary>What to ask BT to learn whether the intent's call went through.</summary>
    BtQuestions Questions(CompanyState state, IntentRecord intent, IntentDetails payload);

    /// <summary>Recognise the intent's effect in BT's answers and, when settled, record it (the intent is then removed).</summary>
    IntentSettlement Settle(CompanyState state, IntentRecord intent, IntentDetails payload, IntentAnswers answers, Claims claims);
}

/// <summary>One intent settled: how, in words for the plan, and the state after (the intent removed unless unknown).</summary>
public sealed record IntentSettlement(IntentResolution Resolution, CompanyState State);

/// <summary>What <c>Recognise</c> made of BT's answers: the call's effect, positively none, or cannot tell.</summary>
public sealed record Recognition<TResult>(IntentOutcome Outcome, TResult? Result, string Summary)
    where TResult : class;

public static class Recognition
{
    public static Recognition<TResult> Found<TResult>(TResult result, string summary)
        where TResult : class => new(IntentOutcome.Found, result, summary);

    public static Recognition<TResult> NotFound<TResult>(string summary)
        where TResult : class => new(IntentOutcome.NotFound, null, summary);

    public static Recognition<TResult> Unknown<TResult>(string summary)
        where TResult : class => new(IntentOutcome.Unknown, null, summary);
}

/// <summary>What a call needs besides its payload and state, for a call that needs nothing more.</summary>
public sealed record NoInput
{
    public static NoInput Value { get; } = new();
}

/// <summary>
/// The shared shape of a module: typed payload, what the call takes besides it (<typeparamref name="TInput"/>: built
/// by the caller once the intent exists, like an order carrying the intent's id), and the typed result.
/// </summary>
public abstract class BtOperation<TPayload, TInput, TResult> : IBtOperation
    where TPayload : IntentDetails
    where TResult : class
{
    public abstract string Name { get; }

    public abstract string Tag { get; }

    public abstract string Route { get; }

    public virtual bool Reads(IntentRecord intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return intent.Operation == Tag;
    }

    IntentDetails IBtOperation.Decode(IntentRecord intent) => Decode(intent);

    public abstract TPayload Decode(IntentRecord intent);

    public BtQuestions Questions(CompanyState state, IntentRecord intent, IntentDetails payload) => Questions(state, intent, Typed(payload));

    public abstract BtQuestions Questions(CompanyState state, IntentRecord intent, TPayload payload);

    /// <summary>
    /// The call itself (through <see cref="IWhcApi"/>). A refusal by BT is a <see cref="WhcApiException"/> (nothing
    /// happened); an answer the operation cannot accept is an <see cref="OperationFailedException"/> (the intent stays).
    /// </summary>
    public abstract Task<TResult> CallAsync(IWhcApi api, CompanyState state, IntentRecord intent, TPayload payload, TInput input, CancellationToken cancellationToken);

    /// <summary>
    /// Found (with the effect), not found, or unknown, given BT's answers and what state and other outstanding intents
    /// already claim. Pure: the same answers give the same outcome in a run and across runs.
    /// </summary>
    public abstract Recognition<TResult> Recognise(CompanyState state, IntentRecord intent, TPayload payload, IntentAnswers answers, Claims claims);

    /// <summary>State with the call's effect recorded, from the payload (what the run that made the call asked) and BT's result; never from a manifest.</summary>
    public abstract CompanyState Record(CompanyState state, IntentRecord intent, TPayload payload, TResult result);

    public IntentSettlement Settle(CompanyState state, IntentRecord intent, IntentDetails payload, IntentAnswers answers, Claims claims)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intent);
        var typed = Typed(payload);
        var recognition = Recognise(state, intent, typed, answers, claims);
        var resolution = new IntentResolution(intent.Id, intent.Operation, intent.StepId, recognition.Outcome, recognition.Summary);
        var after = recognition switch
        {
            { Outcome: IntentOutcome.Found, Result: { } result } => BtOperations.Settled(Record(state, intent, typed, result), intent),
            { Outcome: IntentOutcome.NotFound } => BtOperations.Settled(state, intent),
            _ => state,
        };
        return new IntentSettlement(resolution, after);
    }

    private TPayload Typed(IntentDetails payload) =>
        payload as TPayload ?? throw new ArgumentException($"{Name} cannot take a {payload?.GetType().Name} payload", nameof(payload));

    private protected static string? Get(IntentRecord intent, string key) => intent.Details.TryGetValue(key, out var value) ? value : null;

    private protected static bool? Flag(IntentRecord intent, string key) => Get(intent, key) switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    private protected static string LastStepSegment(IntentRecord intent) => intent.StepId[(intent.StepId.LastIndexOf(':') + 1)..];
}

/// <summary>A company to read: by CUG and name, as BT's company route asks.</summary>
public sealed record CompanyQuestion(string CugId, string Name);

/// <summary>
/// The questions one or more intents ask BT: the company (qualifications and ringfenced ranges), the addresses at some
/// postcodes, some orders by externalId. Merged across intents so each is asked once.
/// </summary>
public sealed record BtQuestions(CompanyQuestion? Company, ImmutableArray<string> Postcodes, ImmutableArray<string> OrderExternalIds)
{
    public static BtQuestions None { get; } = new(null, [], []);

    public static BtQuestions ReadCompany(CompanyQuestion? company) => None with { Company = company };

    /// <summary>One set of questions: the first company asked (in the order given), each postcode and order once, sorted.</summary>
    public static BtQuestions Merge(IEnumerable<BtQuestions> questions)
    {
        var all = questions.ToList();
        return new BtQuestions(
            all.Select(q => q.Company).FirstOrDefault(c => c is not null),
            [.. all.SelectMany(q => q.Postcodes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. all.SelectMany(q => q.OrderExternalIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    /// <summary>BT's answers: one company read, one search per postcode, one look-up per order (reads only).</summary>
    public async Task<IntentAnswers> AskAsync(IWhcApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var company = Company is { } c ? await api.ReadCompanyAsync(c.CugId, c.Name, cancellationToken) : null;
        var addresses = ImmutableDictionary.CreateBuilder<string, ImmutableArray<AddressRecord>>(StringComparer.Ordinal);
        foreach (var postcode in Postcodes)
        {
            addresses[postcode] = await api.SearchAddressesAsync(postcode, cancellationToken);
        }

        var orders = ImmutableDictionary.CreateBuilder<string, OrderStatus?>(StringComparer.Ordinal);
        foreach (var externalId in OrderExternalIds)
        {
            orders[externalId] = await api.FindOrderByExternalIdAsync(externalId, cancellationToken);
        }

        return new IntentAnswers(company, addresses.ToImmutable(), orders.ToImmutable()) { CompanyAsked = Company is not null };
    }
}

/// <summary>
/// What is already taken when an intent is recognised: ranges the state's blocks hold, the qualification state
/// records, and the other intents still outstanding (in a run: the run's other intents; across runs: those not yet
/// settled, in the fixed order). A range is never adopted into two blocks: a ported intent's exact range is reserved
/// for it even when BT does not mark the range as ported, and a range of exactly the size another outstanding
/// new-number ringfence of the same area code asked for is left to that one (unless it is the size this one asked for
/// too). Within a run (<see cref="InRun"/>) the others' calls may be in flight.
/// </summary>
public sealed class Claims
{
    private readonly ImmutableHashSet<string> ranges;

    private Claims(ImmutableHashSet<string> ranges, string? qualificationId, ImmutableArray<(IntentRecord Intent, IntentDetails Payload)> outstanding, bool inFlight)
    {
        this.ranges = ranges;
        QualificationId = qualificationId;
        Outstanding = outstanding;
        InFlight = inFlight;
    }

    /// <summary>The qualification state already records (a newer one at BT is an intent's effect).</summary>
    public string? QualificationId { get; }

    /// <summary>The other intents not settled yet.</summary>
    public ImmutableArray<(IntentRecord Intent, IntentDetails Payload)> Outstanding { get; }

    /// <summary>
    /// Whether the other outstanding intents may be calls still in flight (within a run: another step's answer may land
    /// and be recorded after this recognition), rather than calls of a finished run.
    /// </summary>
    public bool InFlight { get; }

    /// <summary>What <paramref name="state"/> claims, with <paramref name="outstanding"/> (other than <paramref name="self"/>) still open (across runs: none in flight).</summary>
    public static Claims Of(CompanyState state, IntentRecord self, IEnumerable<(IntentRecord Intent, IntentDetails Payload)> outstanding) =>
        Of(state, self, outstanding, inFlight: false);

    /// <summary>What <paramref name="state"/> claims within a run: the run's other intents may be calls still in flight.</summary>
    public static Claims InRun(CompanyState state, IntentRecord self, IEnumerable<(IntentRecord Intent, IntentDetails Payload)> outstanding) =>
        Of(state, self, outstanding, inFlight: true);

    private static Claims Of(CompanyState state, IntentRecord self, IEnumerable<(IntentRecord Intent, IntentDetails Payload)> outstanding, bool inFlight)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(self);
        return new Claims(
            state.NumberBlocks.SelectMany(b => b.Ranges).Select(r => r.StartNumber).ToImmutableHashSet(StringComparer.Ordinal),
            state.Record?.Qualification?.Id,
            [.. outstanding.Where(o => o.Intent.Id != self.Id)],
            inFlight);
    }

    /// <summary>Whether a block holds the range starting at <paramref name="startNumber"/>.</summary>
    public bool Holds(string startNumber) => ranges.Contains(startNumber);

    /// <summary>Whether another outstanding ported ringfence asked for exactly this range.</summary>
    public bool ReservedForPorted(string startNumber, string endNumber) =>
        Outstanding.Any(o => o.Payload is RingFenceIntent { IsPorted: true } p && p.StartNumber == startNumber && p.EndNumber == endNumber);

    /// <summary>Whether another outstanding new-number ringfence of <paramref name="areaCode"/> asked for exactly <paramref name="count"/> numbers.</summary>
    public bool SizeAskedByAnother(string areaCode, int count) =>
        Outstanding.Any(o => o.Payload is RingFenceIntent { IsPorted: false } p && p.AreaCode == areaCode && p.Quantity == count);
}

/// <summary>A call BT answered but the operation cannot accept (a refusal, an answer that is not what was asked): a message for the user.</summary>
public sealed class OperationFailedException : Exception
{
    public OperationFailedException(string message)
        : base(message)
    {
    }

    public OperationFailedException()
    {
    }

    public OperationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
