using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The number-block pass: ringfence new numbers or a ported range, refuse what BT cannot change (area code, kind,
// shrinking), and warn before ported numbers are given up; a block is planned before the users that draw on it.
internal sealed partial class CompanyPlanner
{
    private PlanPart PlanNumberBlocks(bool isNew, InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        foreach (var block in desired.NumberBlocks)
        {
            var address = Address(ResourceKind.NumberBlock, block.Name);
            var current = view.Blocks.GetValueOrDefault(block.Name);
            var have = current?.RingfencedCount ?? 0;
            if (current is not null && current.Ported != block.IsPorted)
            {
                part.Diagnostics.Add(DiagnosticCatalog.ImmutableNumberBlockKind.At(block.Span, block.Name, current.Ported));
                continue;
            }

            if (current is null && !block.IsPorted && LooksRenamed(block) is { } old)
            {
                var users = view.Users.Values.Count(u => u.NumberBlock == old.Name);
                part.Diagnostics.Add(DiagnosticCatalog.NumberBlockLooksRenamed.At(block.Span, block.Name, old, users));
            }

            if (block.IsPorted)
            {
                PlanPortedBlock(part, block, current, isNew, inFlight);
                continue;
            }

            if (current is not null && current.AreaCode != block.AreaCode)
            {
                part.Diagnostics.Add(DiagnosticCatalog.ImmutableAreaCode.At(block.Span, block.Name, current.AreaCode, block.AreaCode));
                continue;
            }

            if (have > block.Quantity)
            {
                part.Diagnostics.Add(DiagnosticCatalog.NumberBlockQuantityShrunk.At(block.Span, block.Name, have, block.Quantity));
                continue;
            }

            var allActive = current is not null && current.Ranges.All(r => r.Active);
            if (have == block.Quantity && allActive)
            {
                part.Changes.Add(Unchanged(address, current?.Protected == true, block.Protect));
                continue;
            }

            // A block an unfinished order activates needs nothing more unless it has grown (then the difference is
            // ringfenced now), or holds a range the order does not activate (ringfenced after the order was made): a
            // new order activates those, after the unfinished one.
            var uncovered = current is not null && current.Ranges.Any(r => !r.Active && !inFlight.Activates(r.StartNumber));
            if (inFlight.Contains(address) && have >= block.Quantity && !uncovered)
            {
                part.Changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
                continue;
            }

            var reason = current is null || current.Ranges.IsEmpty ? WithAreaCodeNote(MadeAgain(input.State?.NumberBlocks.Any(b => b.Name == block.Name && b.Ranges.Length > 0)) ?? "new number block")
                : have < block.Quantity ? $"quantity {have} → {block.Quantity}"
                : "numbers ringfenced but not yet ordered";
            var action = current is null || current.Ranges.IsEmpty ? ChangeAction.Create : ChangeAction.Update;
            var ranges = current is null ? AttributeValue.List([]) : ResourceValues.Numbers(current);
            part.Changes.Add(new ResourceChange(address, action, reason, Planner.Diff(
                current is null ? [] : [new("areaCode", AttributeValue.Text(current.AreaCode)), new("quantity", AttributeValue.Number(have)), new("numbers", ranges)],
                [new("areaCode", AttributeValue.Text(block.AreaCode)), new("quantity", AttributeValue.Number(block.Quantity)), new("numbers", have < block.Quantity ? AttributeValue.KnownAfter("ringfence", ranges) : ranges)])));
            part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            if (have < block.Quantity)
            {
                part.Steps.Add(new RingFenceStep(
                    company,
                    string.Create(CultureInfo.InvariantCulture, $"Ringfence {block.Quantity - have} numbers in area code {block.AreaCode} for block {block.Name}"),
                    isNew ? [StepId.Qualify(company)] : [],
                    block.Name,
                    block.Quantity - have));
            }
        }

        foreach (var (name, current) in view.Blocks.Where(kv => desired.NumberBlocks.All(b => b.Name != kv.Key)))
        {
            var address = Address(ResourceKind.NumberBlock, name);
            if (current.Ranges.Any(r => r.Active) || inFlight.Adds(address))
            {
                if (PlanCease(part, inFlight, address, current.Protected))
                {
                    part.StructuralCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
                    if (current.Ported)
                    {
                        part.Diagnostics.Add(PortedGivenUp(desired.Span, name, current.Ranges));
                    }
                }
            }
            else if (!inFlight.Contains(address))
            {
                // Ringfenced but never ordered (or nothing left at BT): no order can cease numbers no product holds,
                // and no call BT documents gives ringfenced numbers back, so state lets the block go and says what
                // BT keeps reserved for the company.
                var numbers = string.Join(", ", current.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()));
                part.Changes.Add(new ResourceChange(
                    address,
                    ChangeAction.Forget,
                    numbers.Length > 0 ? $"never ordered; dropped from state; BT keeps {numbers} ringfenced to the company (no call gives them back)" : "nothing of it left at BT; dropped from state",
                    []));
            }
        }

        return part.ToPart();
    }

    /// <summary>
    /// A block of ported numbers: its ranges are exactly those the manifest lists. Each range not held yet is ringfenced
    /// on its own (BT allocates that range, not numbers of its choosing), once nothing else holds its numbers; a range
    /// the block holds can be given up only by ceasing the whole block.
    /// </summary>
    private void PlanPortedBlock(PartBuilder part, NumberBlockSpec block, NumberBlockState? current, bool isNew, InFlightOrders inFlight)
    {
        var address = Address(ResourceKind.NumberBlock, block.Name);
        var held = current?.Ranges ?? [];
        var refused = false;
        foreach (var range in held.Where(r => !block.Ported.Any(p => p.From == r.StartNumber && p.To == r.EndNumber)))
        {
            part.Diagnostics.Add(DiagnosticCatalog.PortedNumberBlockShrunk.At(block.Span, block.Name, new NumberRange(range.StartNumber, range.EndNumber)));
            refused = true;
        }

        var missing = block.Ported.Where(p => !held.Any(r => r.StartNumber == p.From && r.EndNumber == p.To)).ToList();
        var otherRanges = view.Blocks.Values.Where(b => b.Name != block.Name).SelectMany(b => b.Ranges.Select(r => (Block: b.Name, Range: r))).ToList();
        var takenElsewhere = input.Refresh?.TakenPortedRanges ?? [];
        foreach (var range in missing)
        {
            if (otherRanges.FirstOrDefault(o => Overlaps(o.Range.StartNumber, o.Range.EndNumber, range.From, range.To)) is { Block: not null } clash)
            {
                part.Diagnostics.Add(HeldIn(clash.Block).At(
                    range.Span,
                    new NumberRange(range.From, range.To),
                    block.Name,
                    new NumberRange(clash.Range.StartNumber, clash.Range.EndNumber),
                    clash.Block));
                refused = true;
            }
            else if (takenElsewhere.Contains(range.From))
            {
                part.Diagnostics.Add(DiagnosticCatalog.PortedRangeHeldElsewhere.At(range.Span, new NumberRange(range.From, range.To), block.Name));
                refused = true;
            }
        }

        if (refused)
        {
            return;
        }

        if (missing.Count == 0 && current is not null && current.Ranges.All(r => r.Active))
        {
            part.Changes.Add(Unchanged(address, current.Protected, block.Protect));
            return;
        }

        var uncovered = current is not null && current.Ranges.Any(r => !r.Active && !inFlight.Activates(r.StartNumber));
        if (inFlight.Contains(address) && missing.Count == 0 && !uncovered)
        {
            part.Changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
            return;
        }

        ListValue Ranges(IEnumerable<(string From, string To)> ranges) => AttributeValue.List(ranges.Select(r => new NumberRange(r.From, r.To).ToCompactString()));
        var before = Ranges(held.Select(r => (r.StartNumber, r.EndNumber)));
        var after = Ranges(block.Ported.Select(p => (p.From, p.To)));
        var create = held.IsEmpty;
        var reason = create ? MadeAgain(input.State?.NumberBlocks.Any(b => b.Name == block.Name && b.Ranges.Length > 0)) ?? "new ported number block"
            : missing.Count > 0 ? "ported ranges added"
            : "ported numbers ringfenced but not yet ordered";
        part.Changes.Add(new ResourceChange(address, create ? ChangeAction.Create : ChangeAction.Update, reason, Planner.Diff(
            create ? [] : [new("numbers", before), new("quantity", AttributeValue.Number(current?.RingfencedCount ?? 0))],
            [new("numbers", after), new("quantity", AttributeValue.Number(block.Ported.Sum(p => p.Count))), new("ported", AttributeValue.Flag(true))])));
        part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
        foreach (var range in missing)
        {
            part.Steps.Add(new PortedRingFenceStep(
                company,
                string.Create(CultureInfo.InvariantCulture, $"Ringfence ported numbers {new NumberRange(range.From, range.To).ToCompactString()} ({range.Count}) for block {block.Name}"),
                isNew ? [StepId.Qualify(company)] : [],
                block.Name,
                new PortedRange(range.From, range.To)));
        }
    }

    /// <summary>
    /// When the block holding the numbers is one this plan ceases: its cease comes after every ringfence (its users must
    /// leave it first), and ceased ported numbers may go back to their provider, so the way through is a rename.
    /// </summary>
    private DiagnosticTemplate<NumberRange, string, NumberRange, string> HeldIn(string holder) =>
        desired.NumberBlocks.Any(b => b.Name == holder)
            ? DiagnosticCatalog.PortedRangeHeldInBlock
            : view.Blocks.TryGetValue(holder, out var held) && held.Ported
                ? DiagnosticCatalog.PortedRangeHeldInCeasedPortedBlock
                : DiagnosticCatalog.PortedRangeHeldInCeasedBlock;

    private static bool Overlaps(string start1, string end1, string start2, string end2) =>
        start1.Length == start2.Length && string.CompareOrdinal(start1, end2) <= 0 && string.CompareOrdinal(start2, end1) <= 0;

    /// <summary>The warning that ceasing ported numbers may lose them for good: BT may not hold them for the customer afterwards.</summary>
    private static Diagnostic PortedGivenUp(SourceSpan span, string block, IEnumerable<NumberRangeState> ranges) =>
        DiagnosticCatalog.PortedNumbersGivenUpBlock.At(span, block, ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber)));

    /// <summary>A block of new numbers the manifest no longer names, with the area code and quantity of <paramref name="block"/> (new): likely renamed (<see cref="RenameCandidates"/>).</summary>
    private NumberBlockState? LooksRenamed(NumberBlockSpec block) =>
        (blockRenames ??= RenameCandidates.Blocks(desired, view)).GetValueOrDefault(block.Name);

    private ImmutableDictionary<string, NumberBlockState>? blockRenames;
}
