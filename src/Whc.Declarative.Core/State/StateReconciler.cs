using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Core.State;

/// <summary>
/// Brings state's record of a company in line with what BT's inventory says, for the resources whcctl manages (those in
/// state or in the manifest). BT is the truth for what exists and its ids; state keeps whcctl's names and pending work.
/// </summary>
public static class StateReconciler
{
    public static CompanyState Reconcile(CompanyState state, CompanyManifest? desired, CompanyInventory? inventory)
    {
        if (inventory is null || inventory.Status == CompanyStatus.Ceased)
        {
            var active = state.Record?.Active == true;
            return state with
            {
                Record = active || inventory is not null ? null : state.Record,
                NumberBlocks = active ? [] : state.NumberBlocks,
                Sites = active ? [] : state.Sites,
                Users = active ? [] : state.Users,
            };
        }

        inventory = InventoryNaming.InStateNames(inventory, state);

        // Ours by identity: what state records, what the manifest names, and what whcctl's unfinished orders act on (an
        // order may add a user the manifest has since dropped; it is recorded, so that it can be ceased). A finished
        // order no longer counts: a name it once used may since belong to someone else at BT.
        var ordered = state.Orders.Where(o => !o.IsFinal)
            .SelectMany(o => o.Resources)
            .Select(r => ResourceAddress.TryParse(r, out var address) ? address : null)
            .OfType<ResourceAddress>()
            .ToList();
        var managedSites = new HashSet<string>(
            state.Sites.Select(s => s.Name).Concat(desired?.Sites.Select(s => s.Name) ?? []).Concat(ordered.Where(a => a.Kind == ResourceKind.Site).Select(a => a.Name)),
            StringComparer.Ordinal);
        var desiredUsers = desired?.AllUsers().ToDictionary(p => p.User.Username, p => p.User, StringComparer.Ordinal)
            ?? new Dictionary<string, UserSpec>(StringComparer.Ordinal);
        var managedUsers = new HashSet<string>(
            state.Users.Select(u => u.Username).Concat(desiredUsers.Keys).Concat(ordered.Where(a => a.Kind == ResourceKind.User).Select(a => a.Name)),
            StringComparer.Ordinal);
        var desiredSites = desired?.Sites.ToDictionary(s => s.Name, StringComparer.Ordinal) ?? new Dictionary<string, SiteSpec>(StringComparer.Ordinal);
        var desiredBlocks = desired?.NumberBlocks.ToDictionary(b => b.Name, StringComparer.Ordinal) ?? new Dictionary<string, NumberBlockSpec>(StringComparer.Ordinal);

        var liveRanges = inventory.NumberRanges.ToDictionary(r => r.StartNumber, StringComparer.Ordinal);
        var blocks = state.NumberBlocks.Select(b => b with
        {
            Ranges = [.. b.Ranges
                .Where(r => liveRanges.TryGetValue(r.StartNumber, out var live) && live.EndNumber == r.EndNumber)
                .Select(r => r with { Active = liveRanges[r.StartNumber].Status == NumberRangeStatus.Active, ServiceId = liveRanges[r.StartNumber].ServiceId })],
            Protected = desiredBlocks.TryGetValue(b.Name, out var spec) ? spec.Protect : b.Protected,
        }).ToImmutableArray();

        var liveSites = inventory.Sites.Where(s => managedSites.Contains(s.Name)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var siteNames = inventory.Sites.ToDictionary(s => s.ServiceId, s => s.Name, StringComparer.Ordinal);
        var sites = liveSites.Values.Select(s =>
        {
            var known = state.Sites.FirstOrDefault(k => k.Name == s.Name);
            var spec = desiredSites.GetValueOrDefault(s.Name);
            return new SiteState(s.Name, s.LocationCode, s.NadKey, s.ServiceId)
            {
                Protected = spec?.Protect ?? (known?.Protected == true),
                // Recorded once: the address the site was made at (a changed manifest address is refused by the plan).
                FoundBy = known?.FoundBy ?? (spec is null ? null : SiteAddressState.Of(spec.Address)),
            };
        })
            // A site whose address is resolved but whose order has not completed stays as pending (no service id); one
            // the manifest dropped is forgotten only when a plan says so (a forget change).
            .Concat(state.Sites.Where(s => s.ServiceId is null && !liveSites.ContainsKey(s.Name)))
            // By name, as state is written: a saved plan holds this state, and must not follow the order BT lists in.
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToImmutableArray();

        var users = inventory.Users.Where(u => managedUsers.Contains(u.Username)).Select(u =>
        {
            var known = state.Users.FirstOrDefault(k => k.Username == u.Username);
            var spec = desiredUsers.GetValueOrDefault(u.Username);
            return new UserState(
                u.Username,
                siteNames.GetValueOrDefault(u.SiteServiceId, u.SiteServiceId),
                u.FirstName,
                u.LastName,
                u.Extension,
                spec?.Number?.From ?? known?.NumberBlock,
                u.DirectoryNumber,
                u.Licence,
                [.. u.DeviceMacAddresses.Order(StringComparer.Ordinal)],
                u.ServiceId)
            {
                Protected = spec?.Protect ?? known?.Protected ?? false,
            };
        }).OrderBy(u => u.Username, StringComparer.Ordinal).ToImmutableArray();

        var record = state.Record is null
            ? null
            : state.Record with
            {
                ServiceId = inventory.ServiceId,
                Active = inventory.Status == CompanyStatus.Active,
                Protected = desired?.Protect ?? state.Record.Protected,
            };
        return state with { Record = record, NumberBlocks = blocks, Sites = sites, Users = users };
    }

}
