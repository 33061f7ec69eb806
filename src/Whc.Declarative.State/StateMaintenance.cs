using Whc.Declarative.Core.Api;
using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>What <c>state push</c> left current, and whether it wrote it (a file identical to the current state is not).</summary>
public sealed record PushOutcome(CompanyState State, bool Written);

/// <summary>What <c>state migrate</c> did with one company.</summary>
public sealed record MigratedCompany(string Company, long Serial, string Lineage, bool Copied);

/// <summary>
/// The operations behind <c>whcctl state rm / rollback / push / migrate</c>, on any store. They do not take locks;
/// the caller holds the company's lock around them.
/// </summary>
public static class StateMaintenance
{
    /// <summary>Reads a company's current state or throws WHC5004 naming the store.</summary>
    public static async Task<CompanyState> ReadRequiredAsync(IStateStore store, string company, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.ReadAsync(company, cancellationToken)
            ?? throw new StateException(DiagnosticCatalog.StateNoCompany.With(company, store.Description));
    }

    /// <summary>Forgets one resource (or, for a company address, everything recorded about the company) as a new version.</summary>
    public static async Task<CompanyState> RemoveAsync(IStateStore store, ResourceAddress address, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(address);
        var current = await ReadRequiredAsync(store, address.Company, cancellationToken);
        var recorded = address.Kind switch
        {
            ResourceKind.Company => true,
            ResourceKind.NumberBlock => current.NumberBlocks.Any(b => b.Name == address.Name),
            ResourceKind.Site => current.Sites.Any(s => s.Name == address.Name),
            _ => current.Users.Any(u => u.Username == address.Name),
        };
        var updated = current.Without(address);
        if (!recorded)
        {
            throw new StateException(DiagnosticCatalog.StateResourceNotInState.With(address));
        }

        if (address.Kind == ResourceKind.Company && current.IsEmpty)
        {
            throw new StateException(DiagnosticCatalog.StateNothingRecorded.With(address));
        }

        return await WriteNextAsync(store, current, updated, context, cancellationToken);
    }

    /// <summary>
    /// Renames a number block or a site in state, as a new version, without touching BT: BT's ranges and site stay what
    /// they are (BT cannot rename a site; a block's name is whcctl's alone), and the users that draw on the block or
    /// stand at the site follow. A user cannot be renamed: its username is how BT knows it.
    /// </summary>
    public static async Task<CompanyState> MoveAsync(IStateStore store, ResourceAddress source, ResourceAddress destination, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Company != destination.Company || source.Kind != destination.Kind || source.Kind is ResourceKind.Company or ResourceKind.User)
        {
            throw new StateException(
                source.Kind == ResourceKind.User
                    ? DiagnosticCatalog.StateUserCannotBeRenamed.With(source)
                    : DiagnosticCatalog.StateMoveNotARename.With(source, destination));
        }

        // The new name enters state, and from there every plan and list: it must be one a manifest can hold.
        if (ResourceNames.Problem(destination.Kind, destination.Name) is { } problem)
        {
            throw new StateException(DiagnosticCatalog.StateMoveNameRefused.With(source, problem));
        }

        var current = await ReadRequiredAsync(store, source.Company, cancellationToken);
        var taken = source.Kind == ResourceKind.NumberBlock
            ? current.NumberBlocks.Any(b => b.Name == destination.Name)
            : current.Sites.Any(s => s.Name == destination.Name);
        if (taken)
        {
            throw new StateException(DiagnosticCatalog.StateAlreadyInState.With(destination));
        }

        var updated = current.Renamed(source.Kind, source.Name, destination.Name);
        if (updated.SameContentAs(current))
        {
            throw new StateException(DiagnosticCatalog.StateResourceNotInState.With(source));
        }

        return await WriteNextAsync(store, current, updated, context, cancellationToken);
    }

    /// <summary>
    /// Records that a company now lives at another endpoint, as a new version: the way to move it on purpose (from the
    /// sandbox to testa, say). Nothing else changes; the next plan against that endpoint reads what its BT holds.
    /// </summary>
    public static async Task<CompanyState> RebindAsync(IStateStore store, string company, EndpointName endpoint, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var current = await ReadRequiredAsync(store, company, cancellationToken);
        return await WriteNextAsync(store, current, current with { Endpoint = endpoint }, context, cancellationToken);
    }

    /// <summary>
    /// Makes an earlier version current again, as a new version (serial = current + 1, same lineage). Works on a damaged
    /// current version too: that is what rollback is for, so it builds on the serial and lineage the store recorded.
    /// </summary>
    public static async Task<CompanyState> RollbackAsync(IStateStore store, string company, long serial, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var current = await ReadCurrentAsync(store, company, cancellationToken)
            ?? throw new StateException(DiagnosticCatalog.StateNoCompany.With(company, store.Description));
        var version = await store.ReadVersionAsync(company, serial, cancellationToken)
            ?? throw new StateException(DiagnosticCatalog.StateNoVersion.With(serial, company, store.Description));
        var lineage = current.Lineage ?? version.Lineage;
        if (!string.Equals(version.Lineage, lineage, StringComparison.Ordinal))
        {
            throw new StateException(DiagnosticCatalog.StateRollbackOtherLineage.With(serial, company, version.Lineage, lineage));
        }

        var restored = version with { Serial = await NextSerialAsync(store, company, current, version.Serial, cancellationToken), Lineage = lineage };
        if (current.State is null)
        {
            // The damaged version cannot take part in a compare-and-swap; the caller holds the company's lock.
            await ForceWriter(store).ForceWriteAsync(restored, context, cancellationToken);
        }
        else
        {
            await store.WriteAsync(restored, context, cancellationToken);
        }

        return restored;
    }

    /// <summary>Stores a state from a file as the next version: <see cref="PushFileAsync"/> for a file that names no parent.</summary>
    public static async Task<CompanyState> PushAsync(IStateStore store, CompanyState pushed, bool force, StateWriteContext context, CancellationToken cancellationToken) =>
        (await PushFileAsync(store, pushed, null, force, context, cancellationToken)).State;

    /// <summary>
    /// Stores a state from a file as the next version (stored serial + 1, whatever the file's serial: whcctl numbers
    /// versions itself, so history has no gap and never goes back). Without <paramref name="force"/> the file must
    /// descend from the current version: the same lineage, and either <paramref name="parentSerial"/> (the version it
    /// was derived from, which a recovery file records) equal to the current serial, or, for a file that names no
    /// parent, a serial equal to the current one (pulled and edited) or the next (bumped by hand, as Terraform users
    /// do). A file identical to the current version writes nothing. A damaged stored version takes a push the same way,
    /// from its recorded serial and lineage.
    /// </summary>
    public static async Task<PushOutcome> PushFileAsync(IStateStore store, CompanyState pushed, long? parentSerial, bool force, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pushed);
        RefuseNamesNoManifestHolds(pushed, "state push");
        var writer = ForceWriter(store);
        var current = await ReadCurrentAsync(store, pushed.Company, cancellationToken);
        var toWrite = pushed;
        if (current is not null)
        {
            if (!force && (current.Serial is null || current.Lineage is null))
            {
                throw new StateException(DiagnosticCatalog.StatePushOverUnreadable.With(pushed.Company));
            }

            if (!force && !string.Equals(current.Lineage, pushed.Lineage, StringComparison.Ordinal))
            {
                throw new StateException(DiagnosticCatalog.StatePushOtherLineage.With(pushed.Lineage, current.Lineage, pushed.Company));
            }

            // Nothing to store: a new version with the same content would only make plans made before it stale.
            if (current.State is { } same && string.Equals(same.Lineage, pushed.Lineage, StringComparison.Ordinal) && pushed.SameContentAs(same))
            {
                return new PushOutcome(same, false);
            }

            if (!force && current.Serial is { } serial && DescentProblem(pushed, parentSerial, serial) is { } problem)
            {
                throw new StateException(DiagnosticCatalog.StatePushNotDescending.With(problem, serial, current.Lineage, pushed.Company, store.Description));
            }

            var next = await NextSerialAsync(store, pushed.Company, current, 0, cancellationToken);
            toWrite = pushed with { Serial = next };
        }
        else if (parentSerial is { } parent && !force)
        {
            // Nothing stored: only a file derived from nothing (a run whose first write failed) descends from that.
            toWrite = parent == 0
                ? pushed with { Serial = 1 }
                : throw new StateException(DiagnosticCatalog.StatePushNothingStored.With(pushed.Serial, parent, store.Description, pushed.Company));
        }

        await writer.ForceWriteAsync(toWrite, context, cancellationToken);
        return new PushOutcome(toWrite, true);
    }

    /// <summary>Why the file does not descend from the current serial, with the likely cause and the way out; null when it does.</summary>
    private static string? DescentProblem(CompanyState pushed, long? parentSerial, long current)
    {
        var older = $"it was derived from an older version, and storing it would undo what was written since: pull again ('whcctl state pull {pushed.Company}'), reapply your edit and push that";
        return parentSerial switch
        {
            { } parent when parent == current => null,
            { } parent when parent < current => string.Create(CultureInfo.InvariantCulture, $"the file (serial {pushed.Serial}) was derived from serial {parent} (its parentSerial), not from the current serial {current}: {older}"),
            { } parent => string.Create(CultureInfo.InvariantCulture, $"the file (serial {pushed.Serial}) was derived from serial {parent} (its parentSerial), which this store never reached: it belongs to another copy of the state"),
            null when pushed.Serial == current || pushed.Serial == current + 1 => null,
            null when pushed.Serial < current => string.Create(CultureInfo.InvariantCulture, $"the file's serial {pushed.Serial} is older than the current serial {current}: {older}"),
            null => string.Create(CultureInfo.InvariantCulture, $"the file's serial {pushed.Serial} is beyond the next serial {current + 1}: whcctl numbers versions itself, so such a file descends from no version stored here (a serial set by hand, or a file kept by an older whcctl after several failed writes); compare it with 'whcctl state pull {pushed.Company}'"),
        };
    }

    /// <summary>
    /// Copies every company's current state from one store to another, keeping serial and lineage. A company already
    /// at the same serial and lineage with the same content is skipped; any other existing state in the target is
    /// refused unless forced, and a forced copy never moves the target's serial back (nor writes a serial its history
    /// already has): at or below the target's serial it is written as the target's serial + 1.
    /// </summary>
    public static async Task<ImmutableArray<MigratedCompany>> MigrateAsync(IStateStore from, IStateStore to, bool force, StateWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var writer = ForceWriter(to);
        var companies = await from.ListCompaniesAsync(cancellationToken);
        var plans = new List<(CompanyState State, bool Copy)>();
        foreach (var company in companies)
        {
            var state = await ReadRequiredAsync(from, company, cancellationToken);
            var existing = await ReadCurrentAsync(to, company, cancellationToken);
            // Left alone only when it is the same version: the same serial and lineage over other content is another history.
            if (existing is { State: { } held } && existing.Serial == state.Serial && string.Equals(existing.Lineage, state.Lineage, StringComparison.Ordinal) && held.SameContentAs(state))
            {
                plans.Add((state, false));
                continue;
            }

            if (existing is not null && !force)
            {
                throw new StateException(DiagnosticCatalog.StateMigrateRefused.With(new(company, to.Description, existing.Serial, existing.Lineage, state.Serial, state.Lineage)));
            }

            if (existing is not null)
            {
                var next = await NextSerialAsync(to, company, existing, 0, cancellationToken);
                if (state.Serial < next)
                {
                    state = state with { Serial = next };
                }
            }

            plans.Add((state, true));
        }

        var results = ImmutableArray.CreateBuilder<MigratedCompany>();
        foreach (var (state, copy) in plans)
        {
            if (copy)
            {
                await writer.ForceWriteAsync(state, context, cancellationToken);
            }

            results.Add(new MigratedCompany(state.Company, state.Serial, state.Lineage, copy));
        }

        return results.ToImmutable();
    }

    /// <summary>The current version: the whole state when readable, else (WHC5003) what the store recorded of it.</summary>
    private sealed record Current(CompanyState? State, long? Serial, string? Lineage);

    private static async Task<Current?> ReadCurrentAsync(IStateStore store, string company, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(company, cancellationToken) is { } state ? new Current(state, state.Serial, state.Lineage) : null;
        }
        catch (StateException e) when (e.Code == DiagnosticCatalog.StateFormatUnsupported.Code && store is IForceStateWriter writer)
        {
            if (await writer.ReadStoredVersionAsync(company, cancellationToken) is { } stored)
            {
                return new Current(null, stored.Serial, stored.Lineage);
            }

            throw;
        }
    }

    /// <summary>The serial after the current one; when that is unreadable, after every serial the history records.</summary>
    private static async Task<long> NextSerialAsync(IStateStore store, string company, Current current, long atLeast, CancellationToken cancellationToken)
    {
        var highest = current.Serial ?? 0;
        if (current.Serial is null)
        {
            foreach (var version in await store.HistoryAsync(company, cancellationToken))
            {
                highest = Math.Max(highest, version.Serial);
            }
        }

        return Math.Max(highest + 1, atLeast);
    }

    /// <summary>Writes <paramref name="updated"/> as the version after <paramref name="current"/> (compare-and-swap).</summary>
    private static async Task<CompanyState> WriteNextAsync(IStateStore store, CompanyState current, CompanyState updated, StateWriteContext context, CancellationToken cancellationToken)
    {
        var next = updated with { Serial = current.Serial + 1 };
        await store.WriteAsync(next, context, cancellationToken);
        return next;
    }

    /// <summary>
    /// A state that enters a store from outside (a pushed file, an import) holds only names a manifest could hold:
    /// refused (WHC5005, every such name) before anything is written.
    /// </summary>
    public static void RefuseNamesNoManifestHolds(CompanyState state, string operation)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = ResourceNames.Problems(state);
        if (problems.Count > 0)
        {
            throw new StateException(DiagnosticCatalog.StateNamesNoManifestHolds.With(operation, problems));
        }
    }

    private static IForceStateWriter ForceWriter(IStateStore store) =>
        store as IForceStateWriter ?? throw new StateException(DiagnosticCatalog.StateNoUnconditionalWrites.With(store.Description));
}
