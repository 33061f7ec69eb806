using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The user pass: numbers given out, creates, changes, and moves between sites (a cease and a create, as BT cannot
// move a user), with the refusals that belong to a single user.
internal sealed partial class CompanyPlanner
{
    private PlanPart PlanUsers(InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        var numbers = Numbers;
        var taken = input.Refresh?.TakenUsernames ?? [];
        var wanted = desired.Sites.SelectMany(s => s.Users.Select(u => (Site: s, User: u))).ToList();
        foreach (var (site, user) in wanted)
        {
            var address = Address(ResourceKind.User, user.Username);
            var current = view.Users.GetValueOrDefault(user.Username);
            var number = user.Number is null ? null : numbers.GetValueOrDefault(user.Username);
            if (user.Number is not null && number is null
                && desired.NumberBlocks.FirstOrDefault(b => b.Name == user.Number.From) is { } wantedBlock
                && view.Blocks.TryGetValue(wantedBlock.Name, out var block) && block.RingfencedCount >= wantedBlock.Quantity)
            {
                // No number left in a block that holds all it wants: it is full.
                part.Diagnostics.Add(FullBlockMessage.At(user, user.Number.From, wantedBlock.Quantity, desired, view.Users.Values));
            }

            var wantedUser = WantedUser(site.Name, user, number);
            if (inFlight.TryGetKind(address, out var inFlightKind) && inFlightKind != OrderOperationKind.Cease)
            {
                part.Changes.Add(new ResourceChange(address, current is null ? ChangeAction.Create : ChangeAction.Update, "in an order still being processed", []));
                continue;
            }

            if (current?.ServiceId is null || inFlightKind == OrderOperationKind.Cease)
            {
                // New, or being ceased by an unfinished order and wanted again: added (after that order).
                // Taken by a user of this very company (BT compares names ignoring case): not BT-wide, but the
                // uniqueness check's to judge, as it knows whether this plan ceases that user first.
                if (taken.Contains(user.Username) && !view.Users.Keys.Any(u => string.Equals(u, user.Username, StringComparison.OrdinalIgnoreCase)))
                {
                    part.Diagnostics.Add(DiagnosticCatalog.UsernameTakenAtBt.At(user.Span, user.Username));
                }

                part.Changes.Add(new ResourceChange(address, ChangeAction.Create, MadeAgain(input.State?.Users.Any(x => x.Username == user.Username && x.ServiceId is not null && inFlightKind != OrderOperationKind.Cease)) ?? "new user", Planner.Diff([], UserAttributes(wantedUser, user))));
                part.UserOperations.Add(new OrderOperation(address, OrderOperationKind.Add));
                continue;
            }

            if (current.Site != site.Name && (current.Protected || user.Protect))
            {
                part.Diagnostics.Add(DiagnosticCatalog.ProtectedUserMovedBetweenSites.At(user.Span, address, current.Site, site.Name));
                continue;
            }

            if (current.Site != site.Name)
            {
                part.Changes.Add(new ResourceChange(address, ChangeAction.Replace, $"moves from site {current.Site} to {site.Name}: BT cannot move a user between sites", Planner.Diff(Planner.UserAttributes(current), UserAttributes(wantedUser, user))));
                CeaseUser(part, address, current);
                part.UserOperations.Add(new OrderOperation(address, OrderOperationKind.Add));
                continue;
            }

            // Most users of most plans: nothing differs, which their fields tell without building both attribute lists to
            // diff. (A number still to be ringfenced always differs: it is known only after the ringfence.)
            var awaitsRingfence = user.Number is not null && number is null;
            if (!awaitsRingfence && Planner.SameUserAttributes(current, wantedUser))
            {
                part.Changes.Add(Unchanged(address, current.Protected, user.Protect));
                continue;
            }

            var diff = Planner.Diff(Planner.UserAttributes(current), UserAttributes(wantedUser, user));
            if (diff.Length == 0)
            {
                part.Changes.Add(Unchanged(address, current.Protected, user.Protect));
                continue;
            }

            part.Changes.Add(new ResourceChange(
                address,
                ChangeAction.Update,
                string.Join(", ", diff.Select(d => d.Name)) + " changed",
                current.Protected == user.Protect ? diff : diff.Add(ProtectChange(current.Protected, user.Protect))));
            part.UserOperations.Add(new OrderOperation(address, OrderOperationKind.Modify));
        }

        var wantedNames = wanted.Select(w => w.User.Username).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, current) in view.Users.Where(kv => kv.Value.ServiceId is not null && !wantedNames.Contains(kv.Key)))
        {
            if (PlanCease(part, inFlight, Address(ResourceKind.User, name), current.Protected))
            {
                CeaseUser(part, Address(ResourceKind.User, name), current);
            }
        }

        // Users an unfinished order adds though the manifest no longer names them: ceased once that order is done.
        foreach (var address in inFlight.Resources.Where(a => a.Kind == ResourceKind.User && !wantedNames.Contains(a.Name) && !view.Users.ContainsKey(a.Name) && inFlight.Adds(a)))
        {
            if (PlanCease(part, inFlight, address, isProtected: false))
            {
                part.UserCeases.Add(new OrderOperation(address, OrderOperationKind.Cease));
            }
        }

        return part.ToPart();
    }

    /// <summary>The user as the manifest wants it, as state would record it, with the number it gets (null: none yet).</summary>
    private static UserState WantedUser(string site, UserSpec user, string? number) =>
        new(user.Username, site, user.FirstName, user.LastName, user.Extension, user.Number?.From, number, user.Licence, SortedMacAddresses(user.Devices), null);

    /// <summary>The attributes of the user the manifest wants (<see cref="WantedUser"/>); a number it draws that is still to be ringfenced is known only after the ringfence.</summary>
    private static ImmutableArray<NamedValue> UserAttributes(UserState wanted, UserSpec user)
    {
        var attributes = Planner.UserAttributes(wanted);
        if (wanted.DirectoryNumber is not null || user.Number is null)
        {
            return attributes;
        }

        var pending = attributes.ToBuilder();
        for (var i = 0; i < pending.Count; i++)
        {
            if (pending[i].Name == "number")
            {
                pending[i] = pending[i] with { Value = AttributeValue.KnownAfter("ringfence") };
            }
        }

        return pending.MoveToImmutable();
    }

    /// <summary>The devices' MAC addresses in ordinal order, as state records them.</summary>
    private static ImmutableArray<string> SortedMacAddresses(ImmutableArray<DeviceSpec> devices)
    {
        var macs = new string[devices.Length];
        for (var i = 0; i < macs.Length; i++)
        {
            macs[i] = devices[i].MacAddress;
        }

        Array.Sort(macs, StringComparer.Ordinal);
        return ImmutableCollectionsMarshal.AsImmutableArray(macs);
    }
}
