using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// Ringfence new numbers for a block (route <c>ringFence</c>, an area code and a quantity). One call makes one range,
/// so its effect is ONE range of the company in the area code that nothing claims: the first (by number) of the size
/// asked for, else the first not of exactly the size another outstanding ringfence of the area code asked for. The
/// same rule holds within a run and across runs; leftover ranges stay unclaimed (never adopted wholesale). Within a
/// run, while another ringfence of the same area code and size is outstanding (its call may be in flight), BT's
/// ranges cannot be told apart: the outcome is unknown and the next plan settles both in order.
/// </summary>
public sealed class RingFenceOperation : BtOperation<RingFenceIntent, NoInput, NumberRangeState>
{
    public override string Name => IntentOperations.RingFence;

    public override string Tag => IntentOperations.RingFence;

    public override string Route => "ringFence";

    /// <summary>A ringfence intent without both ends of a range: new numbers (the ported module reads the others).</summary>
    public override bool Reads(IntentRecord intent) =>
        base.Reads(intent) && !(intent.Details.ContainsKey("startNumber") && intent.Details.ContainsKey("endNumber"));

    public override RingFenceIntent Decode(IntentRecord intent) => DecodeAny(intent);

    /// <summary>Either kind of ringfence intent (the map is shared; ends present make it ported).</summary>
    internal static RingFenceIntent DecodeAny(IntentRecord intent) =>
        new(
            Get(intent, "numberBlock") ?? LastStepSegment(intent),
            Get(intent, "areaCode") ?? string.Empty,
            int.TryParse(Get(intent, "quantity"), NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) ? quantity : 0)
        {
            StartNumber = Get(intent, "startNumber"),
            EndNumber = Get(intent, "endNumber"),
            BlockQuantity = int.TryParse(Get(intent, "blockQuantity"), NumberStyles.None, CultureInfo.InvariantCulture, out var block) ? block : null,
            Protect = Flag(intent, "protect"),
        };

    /// <summary>The company as state records it: a ringfence is only ever called for a qualified company.</summary>
    public override BtQuestions Questions(CompanyState state, IntentRecord intent, RingFenceIntent payload) => CompanyOf(state);

    internal static BtQuestions CompanyOf(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Record is { } record ? BtQuestions.ReadCompany(new CompanyQuestion(record.CugId, record.Name)) : BtQuestions.None;
    }

    public override async Task<NumberRangeState> CallAsync(IWhcApi api, CompanyState state, IntentRecord intent, RingFenceIntent payload, NoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(payload);
        var answer = await api.RingFenceAsync(Request(state, payload.AreaCode, payload.Quantity), cancellationToken);
        return new NumberRangeState(answer.StartNumber, answer.EndNumber, false, null);
    }

    internal static RingFenceRequest Request(CompanyState state, string areaCode, int quantity)
    {
        ArgumentNullException.ThrowIfNull(state);
        var record = state.Record ?? throw new OperationFailedException("the company must be qualified before numbers are ringfenced");
        var serviceId = record.ServiceId ?? throw new OperationFailedException("the company has no service id yet");
        return new RingFenceRequest(record.CugId, areaCode, quantity, serviceId, record.Active ? null : record.Qualification?.Id);
    }

    public override Recognition<NumberRangeState> Recognise(CompanyState state, IntentRecord intent, RingFenceIntent payload, IntentAnswers answers, Claims claims)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(claims);
        var unclaimed = (answers.Company?.NumberRanges ?? [])
            .Where(r => !r.Ported && r.AreaCode == payload.AreaCode && !claims.Holds(r.StartNumber) && !claims.ReservedForPorted(r.StartNumber, r.EndNumber))
            .OrderBy(r => r.StartNumber, StringComparer.Ordinal)
            .ToList();
        if (unclaimed.Count > 0 && claims.InFlight && claims.SizeAskedByAnother(payload.AreaCode, payload.Quantity))
        {
            // Another call of the same area code and size may be in flight: a range BT holds may be its effect, which its
            // step records when its answer lands. Taking it here too would put one range in two blocks; the next plan
            // settles both intents in order, with nothing in flight.
            return Recognition.Unknown<NumberRangeState>($"ringfence for block {payload.NumberBlock}: another ringfence of {payload.Quantity} numbers in area code {payload.AreaCode} is outstanding in this run, so BT's unclaimed ranges cannot be told apart");
        }

        var found = unclaimed.FirstOrDefault(r => r.Count == payload.Quantity)
            ?? unclaimed.FirstOrDefault(r => !claims.SizeAskedByAnother(payload.AreaCode, r.Count));
        if (found is null)
        {
            return Recognition.NotFound<NumberRangeState>($"ringfence for block {payload.NumberBlock}: BT holds no unclaimed numbers in area code {payload.AreaCode}; the call did not go through");
        }

        return Recognition.Found(
            Adopted(found),
            string.Create(CultureInfo.InvariantCulture, $"ringfence for block {payload.NumberBlock}: BT holds {found.Count} numbers ({new NumberRange(found.StartNumber, found.EndNumber).ToCompactString()}) that no block claims; adopted into the block"));
    }

    internal static NumberRangeState Adopted(NumberRangeRecord range) =>
        new(range.StartNumber, range.EndNumber, range.Status == NumberRangeStatus.Active, range.ServiceId);

    public override CompanyState Record(CompanyState state, IntentRecord intent, RingFenceIntent payload, NumberRangeState result) =>
        RecordRange(state, payload, result, ported: false);

    /// <summary>
    /// The range added to the block (made when missing, with the quantity and protect flag of the run that made the
    /// call; an older intent's block takes the range's size and no protection). A recorded result never lowers an
    /// existing block's protection.
    /// </summary>
    internal static CompanyState RecordRange(CompanyState state, RingFenceIntent payload, NumberRangeState range, bool ported)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(range);
        var existing = state.NumberBlocks.FirstOrDefault(b => b.Name == payload.NumberBlock);
        if (existing is null)
        {
            var block = new NumberBlockState(payload.NumberBlock, ported ? string.Empty : payload.AreaCode, payload.BlockQuantity ?? range.Count, [range])
            {
                Protected = payload.Protect == true,
                Ported = ported,
            };
            return state with { NumberBlocks = state.NumberBlocks.Add(block) };
        }

        var updated = existing with
        {
            Quantity = payload.BlockQuantity ?? existing.Quantity,
            Ranges = existing.Ranges.Any(r => r.StartNumber == range.StartNumber) ? existing.Ranges : existing.Ranges.Add(range),
            Protected = existing.Protected || payload.Protect == true,
        };
        return state with { NumberBlocks = state.NumberBlocks.Replace(existing, updated) };
    }
}
