using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// Ringfence a ported range for a block (route <c>ringFence</c>, by its ends). Its effect is exactly that range held
/// for the company, unclaimed; BT's "ported" mark on the range is not relied on (the ends are certain). Stored with
/// the same tag as new numbers (so an older whcctl still reads it); an intent with both ends is this module's.
/// </summary>
public sealed class PortedRingFenceOperation : BtOperation<RingFenceIntent, NoInput, NumberRangeState>
{
    public override string Name => "ringfence-ported";

    public override string Tag => IntentOperations.RingFence;

    public override string Route => "ringFence";

    public override bool Reads(IntentRecord intent) =>
        base.Reads(intent) && intent.Details.ContainsKey("startNumber") && intent.Details.ContainsKey("endNumber");

    public static RingFenceIntent Intent(string blockName, PortedRange range, int blockQuantity, bool protect)
    {
        ArgumentNullException.ThrowIfNull(range);
        return new RingFenceIntent(blockName, string.Empty, Size(range))
        {
            StartNumber = range.StartNumber,
            EndNumber = range.EndNumber,
            BlockQuantity = blockQuantity,
            Protect = protect,
        };
    }

    private static int Size(PortedRange range) =>
        (int)(long.Parse(range.EndNumber, System.Globalization.CultureInfo.InvariantCulture) - long.Parse(range.StartNumber, System.Globalization.CultureInfo.InvariantCulture) + 1);

    public override RingFenceIntent Decode(IntentRecord intent) => RingFenceOperation.DecodeAny(intent);

    public override BtQuestions Questions(CompanyState state, IntentRecord intent, RingFenceIntent payload) => RingFenceOperation.CompanyOf(state);

    /// <summary>
    /// Asks for the range by its ends. The request for a ported range is assumed: an answer with other numbers means
    /// BT did not take it as asked, so this fails closed (the intent stays for the next plan to settle) rather than
    /// call other numbers ported.
    /// </summary>
    public override async Task<NumberRangeState> CallAsync(IWhcApi api, CompanyState state, IntentRecord intent, RingFenceIntent payload, NoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(payload);
        var ported = new PortedRange(payload.StartNumber ?? string.Empty, payload.EndNumber ?? string.Empty);
        var request = RingFenceOperation.Request(state, string.Empty, payload.Quantity) with { Ported = ported };
        var answer = await api.RingFenceAsync(request, cancellationToken);
        return answer.StartNumber == ported.StartNumber && answer.EndNumber == ported.EndNumber
            ? new NumberRangeState(answer.StartNumber, answer.EndNumber, false, null)
            : throw new OperationFailedException($"BT answered the ported ringfence of {new NumberRange(ported.StartNumber, ported.EndNumber).ToCompactString()} with {new NumberRange(answer.StartNumber, answer.EndNumber).ToCompactString()}, not the range asked for; check the contract's ringFence request for ported ranges (whcctl contract show)");
    }

    public override Recognition<NumberRangeState> Recognise(CompanyState state, IntentRecord intent, RingFenceIntent payload, IntentAnswers answers, Claims claims)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(claims);
        var (start, end) = (payload.StartNumber ?? string.Empty, payload.EndNumber ?? string.Empty);
        var range = new NumberRange(start, end).ToCompactString();
        var found = (answers.Company?.NumberRanges ?? []).FirstOrDefault(r => r.StartNumber == start && r.EndNumber == end && !claims.Holds(r.StartNumber));
        return found is null
            ? Recognition.NotFound<NumberRangeState>($"ported ringfence of {range} for block {payload.NumberBlock}: BT holds no such range for the company; the call did not go through")
            : Recognition.Found(RingFenceOperation.Adopted(found), $"ported ringfence of {range} for block {payload.NumberBlock}: BT holds the range for the company; adopted into the block");
    }

    public override CompanyState Record(CompanyState state, IntentRecord intent, RingFenceIntent payload, NumberRangeState result) =>
        RingFenceOperation.RecordRange(state, payload, result, ported: true);
}
