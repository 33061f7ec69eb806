using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;

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
    ImmutableDictionary<string, OrderStatus?> OrdersByExternalId);

/// <summary>
/// Answers the intents an interrupted run left in state from what BT holds, by identity only: the company's newest
/// qualification, ranges of the company that no block claims, the address at the intent's postcode and premises, the
/// order with the intent's externalId. It never looks at a manifest: what was done is a fact about the past, and the
/// planner then diffs the current manifest against it.
/// </summary>
public static class IntentResolver
{
    public static IntentReconciliation Resolve(CompanyState state, IReadOnlyList<(IntentRecord Intent, IntentDetails Details)> intents, IntentAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intents);
        ArgumentNullException.ThrowIfNull(answers);
        var resolutions = new List<IntentResolution>();
        var current = state;

        void Resolved(IntentRecord intent, IntentOutcome outcome, string summary, Func<CompanyState, CompanyState>? record = null)
        {
            resolutions.Add(new IntentResolution(intent.Id, intent.Operation, intent.StepId, outcome, summary));
            if (outcome != IntentOutcome.Unknown)
            {
                current = (record?.Invoke(current) ?? current) with { Intents = current.Intents.RemoveAll(i => i.Id == intent.Id) };
            }
        }

        // Qualifications first: what the other intents record may hang off the company's record.
        foreach (var (intent, details) in intents.Where(i => i.Details is QualifyIntent).OrderBy(i => i.Intent.StartedAt))
        {
            var qualify = (QualifyIntent)details;
            var found = NewQualification(current, answers.Company);
            if (found is null)
            {
                Resolved(intent, IntentOutcome.NotFound, "qualify: BT holds no newer qualification of the company; the call did not go through");
                continue;
            }

            if (current.Record is null && (qualify.CugId is null || qualify.CompanyName is null))
            {
                Resolved(intent, IntentOutcome.Unknown, $"qualify: BT holds qualification {found.Id}, but the intent (from an older whcctl) does not say which company it was for");
                continue;
            }

            var serviceId = answers.Company?.ServiceId;
            Resolved(intent, IntentOutcome.Found, $"qualify: BT holds qualification {found.Id}; recorded", s => s with
            {
                Record = s.Record is null
                    ? new CompanyRecord(
                        qualify.CompanyName ?? string.Empty, qualify.CompanyDomain ?? string.Empty, qualify.CustomerGroup ?? string.Empty,
                        qualify.CugId ?? string.Empty, qualify.BillingAccount ?? string.Empty, serviceId, found with { ExpiresAt = QualificationExpiry.For(intent.StartedAt) }, false)
                    : s.Record with { ServiceId = serviceId ?? s.Record.ServiceId, Qualification = found with { ExpiresAt = QualificationExpiry.For(intent.StartedAt) } },
            });
        }

        ResolveRingFences(intents, answers, current, Resolved);

        foreach (var (intent, details) in intents.Where(i => i.Details is CreateAddressIntent).OrderBy(i => i.Intent.StartedAt))
        {
            var address = (CreateAddressIntent)details;
            if (address.Premises is null)
            {
                // An older whcctl's intent whose site has left the manifest: which premises it was for is lost. Nothing is
                // recorded; should the site come back, its address step searches BT before creating anything.
                Resolved(intent, IntentOutcome.NotFound, $"address of site {address.Site}: the intent (from an older whcctl) does not say which premises at {address.Postcode}; nothing recorded (an address BT may have made stays unused)");
                continue;
            }

            if (!answers.AddressesByPostcode.TryGetValue(address.Postcode, out var candidates))
            {
                Resolved(intent, IntentOutcome.Unknown, $"address of site {address.Site}: BT was not asked");
                continue;
            }

            var spec = new AddressSpec(address.Postcode, address.Premises, address.Street, address.City, null);
            var match = candidates.FirstOrDefault(a => AddressMatcher.Matches(a, spec));
            if (match is null)
            {
                Resolved(intent, IntentOutcome.NotFound, $"address of site {address.Site}: BT lists no such address at {address.Postcode}; the call did not go through");
                continue;
            }

            Resolved(intent, IntentOutcome.Found, $"address of site {address.Site}: BT holds it (NAD key {match.NadKey}); recorded", s =>
            {
                var existing = s.Sites.FirstOrDefault(x => x.Name == address.Site);
                if (existing?.ServiceId is not null)
                {
                    return s;
                }

                var pending = new SiteState(address.Site, address.LocationCode ?? existing?.LocationCode ?? string.Empty, match.NadKey, null)
                {
                    Protected = existing?.Protected == true,
                    FoundBy = new SiteAddressState(address.Postcode, address.Premises),
                };
                return s with { Sites = existing is null ? s.Sites.Add(pending) : s.Sites.Replace(existing, pending) };
            });
        }

        foreach (var (intent, details) in intents.Where(i => i.Details is CreateOrderIntent).OrderBy(i => i.Intent.StartedAt))
        {
            var orderIntent = (CreateOrderIntent)details;
            var (operations, ranges) = (orderIntent.Operations, orderIntent.NumberRanges);
            if (!answers.OrdersByExternalId.TryGetValue(intent.Id, out var order))
            {
                Resolved(intent, IntentOutcome.Unknown, $"order {intent.Id}: BT was not asked");
                continue;
            }

            if (order is null)
            {
                Resolved(intent, IntentOutcome.NotFound, $"order {intent.Id}: BT has no order with that externalId; the call did not go through");
                continue;
            }

            Resolved(intent, IntentOutcome.Found, $"order {intent.Id}: BT holds it as order {order.Id} ({order.State.ToString().ToLowerInvariant()}); recorded", s =>
            {
                var record = new OrderRecord(order.Id, intent.Id, intent.StepId, order.State, intent.StartedAt, [.. operations.Select(o => o.Address.ToString())])
                {
                    Operations = operations,
                    NumberRanges = ranges.IsDefault ? [] : ranges,
                };
                var usesQualification = operations.Any(o => o.Address.Kind == ResourceKind.Company && o.Kind == OrderOperationKind.Add);
                return s with
                {
                    Orders = s.Orders.Any(o => o.Id == order.Id) ? s.Orders : s.Orders.Add(record),
                    Record = usesQualification && s.Record?.Qualification is { } q ? s.Record with { Qualification = q with { Used = true } } : s.Record,
                };
            });
        }

        foreach (var (intent, details) in intents.Where(i => i.Details is UnknownIntent))
        {
            Resolved(intent, IntentOutcome.Unknown, $"{details.Operation}: an operation this whcctl does not know (written by a newer one?)");
        }

        return new IntentReconciliation([.. resolutions], current);
    }

    /// <summary>
    /// The qualification BT holds for the company when it is newer than the one state records: the effect of a qualify
    /// call whose answer was lost. Null when BT holds none, or only the one state knows.
    /// </summary>
    public static QualificationRecord? NewQualification(CompanyState state, CompanyInventory? inventory) =>
        inventory is { Status: CompanyStatus.Qualified, QualificationId: { } id } && !inventory.IsRegisteredElsewhere && id != state.Record?.Qualification?.Id
            ? new QualificationRecord(id, null, false)
            : null;

    /// <summary>
    /// Ranges of new numbers BT holds for the company in an area code that no block in state claims: what a ringfence
    /// with a lost answer made. Ported ranges are never among them (they are found by their own ends).
    /// </summary>
    public static ImmutableArray<NumberRangeRecord> UnclaimedRanges(CompanyState state, CompanyInventory? inventory, string areaCode)
    {
        var claimed = Claimed(state);
        return [.. (inventory?.NumberRanges ?? []).Where(r => !r.Ported && r.AreaCode == areaCode && !claimed.Contains(r.StartNumber)).OrderBy(r => r.StartNumber, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The ported range BT holds for the company with exactly these ends, when no block in state claims it: what a
    /// ported ringfence with a lost answer made. Null when BT holds no such range.
    /// </summary>
    public static NumberRangeRecord? UnclaimedPortedRange(CompanyState state, CompanyInventory? inventory, string startNumber, string endNumber)
    {
        var claimed = Claimed(state);
        return (inventory?.NumberRanges ?? []).FirstOrDefault(r => r.StartNumber == startNumber && r.EndNumber == endNumber && !claimed.Contains(r.StartNumber));
    }

    private static HashSet<string> Claimed(CompanyState state) =>
        state.NumberBlocks.SelectMany(b => b.Ranges).Select(r => r.StartNumber).ToHashSet(StringComparer.Ordinal);

    /// <summary>A block in state with these ranges added (made when missing).</summary>
    public static CompanyState AdoptRanges(CompanyState state, string blockName, string areaCode, IEnumerable<NumberRangeRecord> ranges, bool ported = false)
    {
        var adopted = ranges.Select(r => new NumberRangeState(r.StartNumber, r.EndNumber, r.Status == NumberRangeStatus.Active, r.ServiceId)).ToImmutableArray();
        var existing = state.NumberBlocks.FirstOrDefault(b => b.Name == blockName);
        if (existing is null)
        {
            return state with { NumberBlocks = state.NumberBlocks.Add(new NumberBlockState(blockName, areaCode, adopted.Sum(r => r.Count), adopted) { Ported = ported }) };
        }

        var known = existing.Ranges.Select(r => r.StartNumber).ToHashSet(StringComparer.Ordinal);
        return state with { NumberBlocks = state.NumberBlocks.Replace(existing, existing with { Ranges = existing.Ranges.AddRange(adopted.Where(r => !known.Contains(r.StartNumber))) }) };
    }

    /// <summary>
    /// Each ringfence intent takes the unclaimed range of its area code that has the size it asked for (that range is
    /// its effect, whatever the block asks for now); an intent with no such range takes what is left in its area code.
    /// </summary>
    private static void ResolveRingFences(
        IReadOnlyList<(IntentRecord Intent, IntentDetails Details)> intents,
        IntentAnswers answers,
        CompanyState state,
        Action<IntentRecord, IntentOutcome, string, Func<CompanyState, CompanyState>?> resolved)
    {
        var all = intents.Where(i => i.Details is RingFenceIntent).OrderBy(i => i.Intent.StartedAt).Select(i => (i.Intent, Details: (RingFenceIntent)i.Details)).ToList();

        // A ported ringfence asked for one exact range: BT holds it for the company (unclaimed), or the call did not go through.
        // What it adopts is claimed from here on, so a new-number ringfence of the same area code never takes it too
        // (BT's "ported" mark on a range is assumed; the ends are certain).
        var adopted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (intent, details) in all.Where(r => r.Details.IsPorted))
        {
            var (start, end) = (details.StartNumber ?? string.Empty, details.EndNumber ?? string.Empty);
            var range = new NumberRange(start, end).ToCompactString();
            if (UnclaimedPortedRange(state, answers.Company, start, end) is not { } found)
            {
                resolved(intent, IntentOutcome.NotFound, $"ported ringfence of {range} for block {details.NumberBlock}: BT holds no such range for the company; the call did not go through", null);
                continue;
            }

            adopted.Add(found.StartNumber);
            resolved(intent, IntentOutcome.Found, $"ported ringfence of {range} for block {details.NumberBlock}: BT holds the range for the company; adopted into the block", s => AdoptRanges(s, details.NumberBlock, string.Empty, [found], ported: true));
        }

        var ringFences = all.Where(r => !r.Details.IsPorted).ToList();
        var unclaimed = ringFences.Select(r => r.Details.AreaCode).Distinct(StringComparer.Ordinal)
            .ToDictionary(a => a, a => UnclaimedRanges(state, answers.Company, a).Where(r => !adopted.Contains(r.StartNumber)).ToList(), StringComparer.Ordinal);
        var taken = ringFences.ToDictionary(r => r.Intent.Id, _ => new List<NumberRangeRecord>(), StringComparer.Ordinal);
        foreach (var (intent, details) in ringFences)
        {
            var exact = unclaimed[details.AreaCode].FirstOrDefault(r => r.Count == details.Quantity);
            if (exact is not null)
            {
                taken[intent.Id].Add(exact);
                unclaimed[details.AreaCode].Remove(exact);
            }
        }

        foreach (var (intent, details) in ringFences.Where(r => taken[r.Intent.Id].Count == 0))
        {
            taken[intent.Id].AddRange(unclaimed[details.AreaCode]);
            unclaimed[details.AreaCode].Clear();
        }

        foreach (var (intent, details) in ringFences)
        {
            var ranges = taken[intent.Id];
            if (ranges.Count == 0)
            {
                resolved(intent, IntentOutcome.NotFound, $"ringfence for block {details.NumberBlock}: BT holds no unclaimed numbers in area code {details.AreaCode}; the call did not go through", null);
                continue;
            }

            var numbers = string.Join(", ", ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()));
            resolved(
                intent,
                IntentOutcome.Found,
                string.Create(CultureInfo.InvariantCulture, $"ringfence for block {details.NumberBlock}: BT holds {ranges.Sum(r => r.Count)} numbers ({numbers}) that no block claims; adopted into the block"),
                s => AdoptRanges(s, details.NumberBlock, details.AreaCode, ranges));
        }
    }
}
