using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// What to import: the company's key, how BT knows it (CUG, name; the billing account BT does not show), the team's
/// manifest of it when there is one (its names are used), and who imports, at which endpoint.
/// </summary>
public sealed record ImportRequest(string Company, string CugId, string CompanyName, string BillingAccount, CompanyManifest? Manifest, LockInfo Holder, TimeSpan LockTimeout, EndpointName? Endpoint);

/// <summary>The state written (null when the import was refused, with the reason in <see cref="Diagnostics"/>).</summary>
public sealed record ImportOutcome(CompanyState? State, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// The import operation: under the company's lock, refuse a company whcctl already manages, read the company from BT,
/// refuse one BT does not have or that another reseller holds, and write its state (continuing the history an emptied
/// state left).
/// </summary>
public static class ImportOperation
{
    public static async Task<ImportOutcome> RunAsync(ImportRequest request, IStateStore store, IWhcApi api, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(store);
        await using var held = await store.AcquireLockAsync(request.Company, request.Holder, request.LockTimeout, cancellationToken);
        // The read of BT is made for this company under its lock: checked before it leaves, as an apply's calls are.
        BtCallGate.Enter(new LockGate(request.Company, held));
        // What 'state rm COMPANY' leaves is the history of a state that records nothing: it is continued; so is a
        // destroyed company's tombstone (the company at BT now is another one, adopted under the same key).
        var existing = await store.ReadAsync(request.Company, cancellationToken);
        if (existing is { IsEmpty: false, IsDestroyed: false })
        {
            return Refused(DiagnosticCatalog.ImportStateAlreadyHeld.At(SourceSpan.None, request.Company, existing.Serial, store.Description));
        }

        var inventory = await api.ReadCompanyAsync(request.CugId, request.CompanyName, cancellationToken);
        if (inventory is null || inventory.Status == CompanyStatus.Ceased)
        {
            return Refused(DiagnosticCatalog.ImportCompanyNotAtBt.At(SourceSpan.None, request.CompanyName, inventory is not null));
        }

        if (inventory.IsRegisteredElsewhere)
        {
            return Refused(DiagnosticCatalog.ImportRegisteredToAnother.At(SourceSpan.None, request.CompanyName, request.CugId));
        }

        var state = InventoryImport.ToState(request.Company, existing?.Lineage ?? Guid.NewGuid().ToString(), request.CugId, request.BillingAccount, inventory, request.Manifest)
            with { Serial = (existing?.Serial ?? 0) + 1, Endpoint = request.Endpoint };

        // BT's names go into state and the manifest written from it: each must be one a manifest could hold.
        if (ResourceNames.Problems(state) is { Count: > 0 } problems)
        {
            return Refused(DiagnosticCatalog.StateAddressInvalidImportNames.At(SourceSpan.None, request.CompanyName, problems));
        }

        await store.WriteAsync(state, new StateWriteContext($"{request.Holder.Who} (whcctl import)", clock.GetUtcNow()) { Fence = held.Fence }, cancellationToken);
        return new ImportOutcome(state, []);
    }

    private static ImportOutcome Refused(Diagnostic refusal) => new(null, [refusal]);
}
