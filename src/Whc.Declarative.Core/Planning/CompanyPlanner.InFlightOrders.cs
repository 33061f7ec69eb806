using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The first pass: orders an earlier apply created and BT has not finished are carried into this plan as they are,
// so nothing they do is ordered twice; every later pass asks it which resources are already in flight.
internal sealed partial class CompanyPlanner
{
    /// <summary>
    /// Orders created by an earlier apply that have not finished are carried into this plan as they are, never
    /// re-created: their resources are left out of new orders, which all wait for them. (An order whose creation was
    /// interrupted is no longer a question here: the intent was answered from BT before planning.)
    /// </summary>
    private (InFlightOrders InFlight, PlanPart Part) CarryInFlightOrders()
    {
        var part = new PartBuilder();
        var kinds = new Dictionary<ResourceAddress, OrderOperationKind?>();
        var ranges = new HashSet<string>(StringComparer.Ordinal);
        var rangesKnown = true;
        var awaits = ImmutableArray.CreateBuilder<StepId>();
        foreach (var order in input.State?.Orders.Where(o => !o.IsFinal) ?? [])
        {
            var refreshed = input.Refresh?.Orders.GetValueOrDefault(order.Id);
            if (refreshed is not null && refreshed.State.EndedUndone())
            {
                part.Diagnostics.Add(DiagnosticCatalog.OrderEndedUndone.At(desired.Span, order.Id, refreshed.StateText, refreshed.FailureReason));
                continue;
            }

            // Even an order refresh read as completed stays in flight: the company was read before the order, so the
            // inventory may not show what it did yet. Its await costs one read.
            foreach (var resource in order.ResourceAddresses)
            {
                kinds[resource] = order.Operations.FirstOrDefault(o => o.Address == resource)?.Kind;
            }

            ranges.UnionWith(order.NumberRanges);
            rangesKnown &= !order.Operations.IsDefaultOrEmpty;

            var existing = new ExistingOrder(order.Id);
            var awaitDependsOn = ImmutableArray<StepId>.Empty;
            if ((refreshed?.State ?? order.State) == OrderState.Pending)
            {
                var submit = new SubmitOrderStep(company, $"Submit order {order.Id} (created by an earlier apply)", [], existing, order.Operations);
                part.Steps.Add(submit);
                awaitDependsOn = [submit.Id];
            }

            var awaitStep = new AwaitOrderStep(company, $"Await order {order.Id} (created by an earlier apply) until completed", awaitDependsOn, existing, order.Operations);
            part.Steps.Add(awaitStep);
            awaits.Add(awaitStep.Id);
        }

        return (new InFlightOrders(kinds, ranges, rangesKnown, awaits.ToImmutable()), part.ToPart());
    }

    /// <summary>
    /// The orders earlier runs left unfinished, as this plan carries them: what each does to which resource (a null
    /// kind: an order recorded by an older whcctl, which kept none), the ranges they activate, and their await steps.
    /// </summary>
    private sealed class InFlightOrders(
        IReadOnlyDictionary<ResourceAddress, OrderOperationKind?> kinds,
        IReadOnlySet<string> ranges,
        bool rangesKnown,
        ImmutableArray<StepId> awaits)
    {
        public ImmutableArray<StepId> Awaits { get; } = awaits;

        /// <summary>In address order (ordinal), never the map's own.</summary>
        public IEnumerable<ResourceAddress> Resources => kinds.Keys.OrderBy(a => a.ToString(), StringComparer.Ordinal);

        public bool Contains(ResourceAddress address) => kinds.ContainsKey(address);

        public bool TryGetKind(ResourceAddress address, out OrderOperationKind? kind) => kinds.TryGetValue(address, out kind);

        /// <summary>Whether an unfinished order already ceases the resource (or, for an older order, acts on it at all).</summary>
        public bool Ceases(ResourceAddress address) => kinds.TryGetValue(address, out var kind) && kind is null or OrderOperationKind.Cease;

        /// <summary>Whether an unfinished order adds or changes the resource, so that it exists once the order is done.</summary>
        public bool Adds(ResourceAddress address) => kinds.TryGetValue(address, out var kind) && kind is OrderOperationKind.Add or OrderOperationKind.Modify;

        /// <summary>Whether an unfinished order activates the range (assumed, for orders of an older whcctl that did not say).</summary>
        public bool Activates(string startNumber) => !rangesKnown || ranges.Contains(startNumber);
    }
}
