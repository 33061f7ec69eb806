using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// The first stage of every plan: the intents an interrupted run left in a company's state are questions about the
/// past ("did this call go through?"), and this asks BT each one, by identity (<see cref="IntentResolver"/>): one read
/// of the company for qualifications and ringfences, one address search per postcode, one order look-up by externalId
/// per order. Reads only; the answer is written by apply, under the lock, as part of the plan.
/// </summary>
public sealed class IntentReconciler
{
    private readonly IWhcApi api;

    public IntentReconciler(IWhcApi api) => this.api = api;

    /// <summary>
    /// BT's answers for the company's intents, or null when it has none. <paramref name="desired"/> is consulted only
    /// to complete intents written by an older whcctl, which recorded less (never to decide what was done).
    /// </summary>
    public async Task<IntentReconciliation?> ReconcileAsync(CompanyState? state, CompanyManifest? desired, CancellationToken cancellationToken)
    {
        if (state is null || state.Intents.IsEmpty)
        {
            return null;
        }

        var intents = state.Intents.Select(i => (Intent: i, Details: CompleteOlder(IntentDetails.Read(i), state, desired))).ToList();

        CompanyInventory? company = null;
        var qualify = intents.Select(i => i.Details).OfType<QualifyIntent>().FirstOrDefault();
        var cugId = state.Record?.CugId ?? qualify?.CugId;
        var name = state.Record?.Name ?? qualify?.CompanyName;
        if (intents.Any(i => i.Details is QualifyIntent or RingFenceIntent) && cugId is not null && name is not null)
        {
            company = await api.ReadCompanyAsync(cugId, name, cancellationToken);
        }

        var addresses = ImmutableDictionary.CreateBuilder<string, ImmutableArray<AddressRecord>>(StringComparer.Ordinal);
        foreach (var postcode in intents.Select(i => i.Details).OfType<CreateAddressIntent>().Where(a => a.Premises is not null).Select(a => a.Postcode).Distinct(StringComparer.Ordinal))
        {
            addresses[postcode] = await api.SearchAddressesAsync(postcode, cancellationToken);
        }

        var orders = ImmutableDictionary.CreateBuilder<string, OrderStatus?>(StringComparer.Ordinal);
        foreach (var (intent, _) in intents.Where(i => i.Details is CreateOrderIntent))
        {
            orders[intent.Id] = await api.FindOrderByExternalIdAsync(intent.Id, cancellationToken);
        }

        return IntentResolver.Resolve(state, intents, new IntentAnswers(company, addresses.ToImmutable(), orders.ToImmutable()));
    }

    /// <summary>
    /// Intents written before they carried their own identity: a qualification named no company, an address step no
    /// premises. The company's record, or failing that the manifest of the same key, supplies what is missing.
    /// </summary>
    private static IntentDetails CompleteOlder(IntentDetails details, CompanyState state, CompanyManifest? desired) => details switch
    {
        QualifyIntent { CompanyName: null } q => state.Record is { } record
            ? new QualifyIntent(record.CugId, record.BillingAccount, record.Name, record.Domain, record.CustomerGroup)
            : desired is null ? q : new QualifyIntent(desired.Reseller.CugId, desired.Reseller.BillingAccount, desired.Company.Name, desired.Company.Domain, desired.Company.CustomerGroup),
        CreateAddressIntent { Premises: null } a when desired?.Sites.FirstOrDefault(s => s.Name == a.Site) is { } site && site.Address.Postcode == a.Postcode =>
            a with { LocationCode = site.LocationCode, Premises = site.Address.Premises, Street = site.Address.Street, City = site.Address.City },
        _ => details,
    };
}
