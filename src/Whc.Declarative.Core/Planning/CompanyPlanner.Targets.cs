using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The --target pass: keeps only the changes the targets name and what they need, before uniqueness and steps
// are worked out on what the plan will really do.
internal sealed partial class CompanyPlanner
{
    /// <summary>--target: keep only changes inside a target. A new company cannot be created in part, so it stays whole.</summary>
    private PlanPart ApplyTargets(PlanPart part, bool isNew)
    {
        if (options.Targets.IsDefaultOrEmpty)
        {
            return part;
        }

        var targets = options.Targets.Where(t => t.Company == company).ToList();

        if (targets.Count == 0)
        {
            return part with
            {
                Changes = part.Changes.RemoveAll(c => c.Action != ChangeAction.NoOp),
                Structural = [],
                UserOperations = [],
                UserCeases = [],
                StructuralCeases = [],
                Steps = [],
            };
        }

        if (isNew)
        {
            return part;
        }

        // A targeted user that is added needs its site and number block: when those are still to be made, they come too.
        var added = part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && targets.Any(t => t.Contains(o.Address))).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        var needed = desired.AllUsers()
            .Where(p => added.Contains(p.User.Username))
            .SelectMany(p => p.User.Number is null
                ? [Address(ResourceKind.Site, p.Site.Name)]
                : new[] { Address(ResourceKind.Site, p.Site.Name), Address(ResourceKind.NumberBlock, p.User.Number.From) })
            .ToHashSet();
        bool Targeted(ResourceAddress address) => needed.Contains(address) || targets.Any(t => t.Contains(address));
        return part with
        {
            Changes = part.Changes.RemoveAll(c => c.Action != ChangeAction.NoOp && !Targeted(c.Address)),
            Structural = part.Structural.RemoveAll(o => !Targeted(o.Address)),
            UserOperations = part.UserOperations.RemoveAll(o => !Targeted(o.Address)),
            UserCeases = part.UserCeases.RemoveAll(o => !Targeted(o.Address)),
            StructuralCeases = part.StructuralCeases.RemoveAll(o => !Targeted(o.Address)),
            Steps = part.Steps.RemoveAll(s => s switch
            {
                RingFenceStep r => !Targeted(Address(ResourceKind.NumberBlock, r.Block)),
                PortedRingFenceStep p => !Targeted(Address(ResourceKind.NumberBlock, p.Block)),
                CreateAddressStep a => !Targeted(Address(ResourceKind.Site, a.Site)),
                _ => false,
            }),
        };
    }
}
