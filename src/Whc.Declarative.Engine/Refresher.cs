using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// Reads what the planner needs from BT, per company, in two stages. First the intents an interrupted run left are
/// answered (<see cref="IntentReconciler"/>), so that everything after plans against what really happened. Then the
/// company record (one call), and only for what the manifest would create: the domain check, a username check per new
/// user, an address search per new site's postcode (which finds its NAD key, or checks the one the manifest gives with
/// its postcode: BtCheckedValues), and a read of each order an earlier apply left unfinished. An
/// unchanged company without intents costs exactly one call.
/// </summary>
public sealed class Refresher
{
    private readonly IWhcApi api;
    private readonly IntentReconciler intents;
    private readonly int parallelism;

    public Refresher(IWhcApi api, int parallelism)
    {
        this.api = api;
        intents = new IntentReconciler(api);
        this.parallelism = Math.Max(1, parallelism);
    }

    public async Task<ImmutableArray<CompanyPlanInput>> RefreshAllAsync(
        IReadOnlyList<(string Company, CompanyManifest? Desired, CompanyState? State)> companies,
        CancellationToken cancellationToken)
    {
        var results = new CompanyPlanInput[companies.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, companies.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (company, desired, state) = companies[i];
                var reconciliation = await intents.ReconcileAsync(state, desired, ct);
                var reconciled = reconciliation?.State ?? state;
                results[i] = new CompanyPlanInput(company, desired, reconciled, await RefreshAsync(desired, reconciled, ct)) { Reconciliation = reconciliation };
            });
        return [.. results];
    }

    public async Task<RefreshSnapshot> RefreshAsync(CompanyManifest? desired, CompanyState? state, CancellationToken cancellationToken)
    {
        var record = state?.Record;
        var cugId = record?.CugId ?? desired?.Reseller.CugId ?? string.Empty;
        var name = record?.Name ?? desired?.Company.Name ?? string.Empty;
        var inventory = await api.ReadCompanyAsync(cugId, name, cancellationToken);

        var ours = Ownership.IsOurs(state, inventory);

        var domainTaken = false;
        var taken = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var takenPorted = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var addresses = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<AddressRecord>>(StringComparer.Ordinal);
        if (desired is not null)
        {
            if (!ours)
            {
                domainTaken = await api.IsTakenAsync(cugId, new VerifyCheck.CompanyDomain(desired.Company.Domain), cancellationToken);
            }

            var existingUsers = new HashSet<string>(inventory?.Users.Select(u => u.Username) ?? [], StringComparer.Ordinal);
            foreach (var (_, user) in desired.AllUsers().Where(p => !existingUsers.Contains(p.User.Username)))
            {
                if (await api.IsTakenAsync(cugId, new VerifyCheck.Username(user.Username), cancellationToken))
                {
                    taken.Add(user.Username);
                }
            }

            var existingSites = new HashSet<string>(
                inventory is null ? [] : InventoryNaming.InStateNames(inventory, state).Sites.Select(s => s.Name), StringComparer.Ordinal);
            var postcodes = desired.Sites
                .Where(s => !existingSites.Contains(s.Name) && s.Address.Postcode is not null)
                .Select(s => s.Address.Postcode ?? string.Empty)
                .Distinct(StringComparer.Ordinal);
            foreach (var postcode in postcodes)
            {
                addresses[postcode] = await api.SearchAddressesAsync(postcode, cancellationToken);
            }

            // A ported range the company does not hold yet: does BT's inventory show its numbers held by another company?
            var held = ours ? inventory?.NumberRanges ?? [] : [];
            foreach (var range in desired.NumberBlocks.SelectMany(b => b.Ported).Where(r => r.Count > 0 && !held.Any(h => h.StartNumber == r.From && h.EndNumber == r.To)))
            {
                if (await api.IsTakenAsync(cugId, new VerifyCheck.NumberRange(range.From, range.To, ours ? inventory?.ServiceId : null), cancellationToken))
                {
                    takenPorted.Add(range.From);
                }
            }
        }

        var orders = ImmutableSortedDictionary.CreateBuilder<string, OrderStatus>(StringComparer.Ordinal);
        foreach (var order in state?.Orders.Where(o => !o.IsFinal) ?? [])
        {
            orders[order.Id] = await api.ReadOrderAsync(order.Id, cancellationToken);
        }

        return new RefreshSnapshot(inventory, domainTaken, taken.ToImmutable(), addresses.ToImmutable(), orders.ToImmutable()) { TakenPortedRanges = takenPorted.ToImmutable() };
    }
}
