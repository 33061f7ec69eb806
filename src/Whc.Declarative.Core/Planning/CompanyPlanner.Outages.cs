using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.Planning;

// After the steps: users ceased and made again (moving between sites) have no service between two orders; the plan
// says which, and why other orders come between.
internal sealed partial class CompanyPlanner
{
    /// <summary>Users this plan ceases and makes again (moving between sites): the orders between which they have no service.</summary>
    private ImmutableArray<PlanOutage> Outages(PlanPart part, ImmutableArray<PlanStep> steps, IReadOnlyDictionary<ResourceAddress, string> reasons)
    {
        CreateOrderStep? OrderOf(ResourceAddress address, OrderOperationKind kind) =>
            steps.OfType<CreateOrderStep>().FirstOrDefault(s => s.Operations.Contains(new OrderOperation(address, kind)));

        var outages = ImmutableArray.CreateBuilder<PlanOutage>();
        var ceasedUsers = part.UserCeases.Select(c => c.Address).ToHashSet();
        foreach (var add in part.UserOperations.Where(o => o.Kind == OrderOperationKind.Add && ceasedUsers.Contains(o.Address)))
        {
            if (OrderOf(add.Address, OrderOperationKind.Cease) is { } ceased && OrderOf(add.Address, OrderOperationKind.Add) is { } made
                && view.Users.GetValueOrDefault(add.Address.Name) is { } current
                && desired.AllUsers().FirstOrDefault(p => p.User.Username == add.Address.Name) is { Site: { } site })
            {
                // Orders are numbered in plan order: any number between the two is an order between cease and re-create.
                var between = made.Number - ceased.Number - 1;
                outages.Add(new PlanOutage(add.Address, current.Site, site.Name, StepId.AwaitOrder(company, ceased.Order), StepId.AwaitOrder(company, made.Order))
                {
                    Why = between <= 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{Counted.Of(between, "other order")} {Counted.Noun(between, "comes", "come")} between its cease and its re-create: {reasons.GetValueOrDefault(add.Address) ?? "its re-create waits for other changes"}"),
                });
            }
        }

        return outages.ToImmutable();
    }
}
