using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Operations;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

/// <summary>
/// The first stage of every plan: the intents an interrupted run left in a company's state are questions about the
/// past ("did this call go through?"), and this asks BT each one, by identity, through the intent's operation module
/// (<see cref="BtOperations"/>): one read of the company for qualifications and ringfences, one address search per
/// postcode, one order look-up by externalId per order. Reads only; the answer is written by apply, under the lock, as
/// part of the plan.
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

        // Every intent's questions at once (one company read, one search per postcode, one look-up per order), then
        // each settled by its module's Recognise and Record, the same the step runner uses within a run.
        var answers = await BtOperations.Questions(state, intents).AskAsync(api, cancellationToken);
        return IntentResolver.Resolve(state, intents, answers);
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
