using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The site pass: create sites (finding their NAD key), refuse what BT cannot change (location code, address), and
// spot a removed site that was likely renamed, which needs a moved entry rather than a cease and a create.
internal sealed partial class CompanyPlanner
{
    private PlanPart PlanSites(InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        foreach (var site in desired.Sites)
        {
            var address = Address(ResourceKind.Site, site.Name);
            var current = view.Sites.GetValueOrDefault(site.Name);
            if (current?.ServiceId is not null)
            {
                if (current.LocationCode != site.LocationCode)
                {
                    part.Diagnostics.Add(DiagnosticCatalog.ImmutableLocationCode.At(site.Span, site.Name, current.LocationCode, site.LocationCode));
                }

                if (site.Address.HasNadKey && site.Address.NadKey != current.NadKey)
                {
                    part.Diagnostics.Add(DiagnosticCatalog.ImmutableSiteNadKey.At(site.Span, site.Name, current.NadKey));
                }
                else if (!site.Address.HasNadKey && current.FoundBy is { } foundBy && !AddressMatcher.SameAddress(foundBy, site.Address))
                {
                    part.Diagnostics.Add(DiagnosticCatalog.ImmutableSiteAddress.At(site.Span, site.Name, foundBy, site.Address, current.NadKey));
                }

                part.Changes.Add(Unchanged(address, current.Protected, site.Protect));
                continue;
            }

            if (!inFlight.Contains(address) && LooksRenamed(site) is { } old)
            {
                // BT refuses a second site with a location code the company holds, and ceasing the old site first would
                // cease its users: the only way through without an outage is a rename in state.
                part.Diagnostics.Add(DiagnosticCatalog.SiteRenameSameLocationCode.At(site.Span, site.Name, site.LocationCode, old.Name));
            }
            else if (!inFlight.Contains(address) && SharesAddress(site) is { } same)
            {
                // BT accepts a second site at one address, so this plan can be applied; but if it is a rename, it ceases
                // the old site's users and makes them again for nothing. A warning, so a second site there stays possible.
                // Shown by the address it was found by only when the manifest gives this site by address too.
                part.Diagnostics.Add(DiagnosticCatalog.SiteAtRemovedSiteAddressOtherCode.At(site.Span, site.Name, site.LocationCode, same, !site.Address.HasNadKey));
            }

            var nadKey = ResolveNadKey(part, site, current);
            var attributes = Planner.Diff([], [new("locationCode", AttributeValue.Text(site.LocationCode)), new("nadKey", nadKey is null ? AttributeValue.KnownAfter("address step") : AttributeValue.Text(nadKey))]);
            if (inFlight.Contains(address))
            {
                part.Changes.Add(new ResourceChange(address, ChangeAction.Create, "in an order still being processed", attributes));
                continue;
            }

            var reason = CheckNadKey(part, site, input.Refresh, MadeAgain(input.State?.Sites.Any(x => x.Name == site.Name && x.ServiceId is not null)) ?? "new site");
            part.Changes.Add(new ResourceChange(address, ChangeAction.Create, reason, attributes));
            part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            if (nadKey is null)
            {
                part.Steps.Add(new CreateAddressStep(
                    company,
                    $"Find or create the address of site {site.Name} ({site.Address.Postcode}, {site.Address.Premises})",
                    [],
                    site.Name));
            }
            else
            {
                part.NadKeys[site.Name] = nadKey;
            }
        }

        foreach (var (name, current) in view.Sites.Where(kv => desired.Sites.All(s => s.Name != kv.Key)))
        {
            var address = Address(ResourceKind.Site, name);
            if (current.ServiceId is not null || inFlight.Adds(address))
            {
                // At BT, or will be once an unfinished order is done: ceased (after that order).
                if (PlanCease(part, inFlight, address, current.Protected))
                {
                    part.StructuralCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
                }
            }
            else if (!inFlight.Contains(address))
            {
                // Its address was found but it was never ordered: nothing at BT to cease, so state simply lets it go.
                part.Changes.Add(new ResourceChange(
                    address,
                    ChangeAction.Forget,
                    current.NadKey.Length > 0 ? $"never ordered; dropped from state; the address it was to use (NAD key {current.NadKey}) stays at BT, unused" : "never ordered; dropped from state",
                    []));
            }
        }

        return part.ToPart();
    }

    private string? ResolveNadKey(PartBuilder part, SiteSpec site, SiteState? pending)
    {
        if (site.Address.HasNadKey)
        {
            return site.Address.NadKey;
        }

        // A NAD key an address step already found is used, unless the manifest has since named another address.
        if (pending is not null && pending.NadKey.Length > 0 && (pending.FoundBy is null || AddressMatcher.SameAddress(pending.FoundBy, site.Address)))
        {
            return pending.NadKey;
        }

        var postcode = site.Address.Postcode;
        if (postcode is null || input.Refresh is null || !input.Refresh.AddressesByPostcode.TryGetValue(postcode, out var candidates))
        {
            return null;
        }

        var matches = candidates.Where(a => AddressMatcher.Matches(a, site.Address)).ToList();
        if (matches.Count > 1)
        {
            part.Diagnostics.Add(DiagnosticCatalog.SiteAddressMatchesSeveral.At(site.Span, site.Name, postcode, site.Address.Premises, [.. matches.Select(m => m.NadKey)]));
        }

        return matches.Count == 0 ? null : matches[0].NadKey;
    }

    /// <summary>A site BT holds that the manifest no longer names, with the location code of <paramref name="site"/> (new): likely the same site renamed.</summary>
    private SiteState? LooksRenamed(SiteSpec site) =>
        (sameCodeRenames ??= RenameCandidates.Sites(desired, view, (added, held) => held.LocationCode == added.LocationCode)).GetValueOrDefault(site.Name);

    private ImmutableDictionary<string, SiteState>? sameCodeRenames;

    private ImmutableDictionary<string, SiteState>? sameAddressRenames;

    /// <summary>
    /// A site BT holds that the manifest no longer names, at the address of <paramref name="site"/> (new: the same NAD key,
    /// or for a site given by postcode the same postcode and premises) under another location code: likely renamed.
    /// </summary>
    private SiteState? SharesAddress(SiteSpec site) =>
        (sameAddressRenames ??= RenameCandidates.Sites(desired, view, (added, held) =>
            !string.Equals(held.LocationCode, added.LocationCode, StringComparison.OrdinalIgnoreCase)
            && (added.Address.HasNadKey ? held.NadKey == added.Address.NadKey : held.FoundBy is { } foundBy && AddressMatcher.SameAddress(foundBy, added.Address))))
            .GetValueOrDefault(site.Name);
}
