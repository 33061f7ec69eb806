using System.Collections.Immutable;
using Whc.Declarative.Core.Operations;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Review of issue 26: an intent's payload is what the reconciler records across runs, so its string map must give
/// back what the run that made the call had, whatever the names hold (the manifest does not forbid ',', '=' or '/' in
/// a site, block or user name); otherwise the order recorded across runs acts on other resources than the one
/// recorded in a run.
/// </summary>
public sealed class IntentRoundTripTests
{
    [Fact]
    public void An_order_intent_gives_back_its_operations_whatever_the_names_hold()
    {
        // Given an order intent whose resources' names hold the characters the map's text form uses
        ImmutableArray<OrderOperation> operations =
        [
            new(new ResourceAddress("acme", ResourceKind.Site, "north,east"), OrderOperationKind.Add),
            new(new ResourceAddress("acme", ResourceKind.User, "ann=one"), OrderOperationKind.Add),
            new(new ResourceAddress("acme", ResourceKind.NumberBlock, "main/extra"), OrderOperationKind.Add),
            new(new ResourceAddress("acme", ResourceKind.User, "bob"), OrderOperationKind.Cease),
        ];
        var payload = new CreateOrderIntent(operations, ["01214960000"]);
        var intent = new IntentRecord("whcctl-1", "acme:order-1:create", payload.Operation, DateTimeOffset.UnixEpoch, payload.ToMap());

        // When the stored intent is decoded by its module
        var decoded = (CreateOrderIntent)BtOperations.Decode(intent);

        // Then it holds the same operations, in order, and the same ranges
        decoded.Operations.Should().Equal(operations);
        decoded.NumberRanges.Should().Equal("01214960000");
    }
}
