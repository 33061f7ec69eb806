using Whc.Declarative.Contract;
using Whc.Declarative.Core.Operations;

namespace Whc.Declarative.Engine.Tests;

/// <summary>Issue 26: adding a BT call is one module plus its registration, and the registry cannot drift from the contract.</summary>
public sealed class OperationRegistryTests
{
    [Fact]
    public void Every_non_idempotent_route_of_the_contract_has_an_operation_module_and_every_module_calls_one()
    {
        // The ringFence route has two modules (new numbers by area code, a ported range by its ends): one per kind of effect.
        BtOperations.All.Select(m => m.Route).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Should().Equal(ContractRoutes.NonIdempotent.Order(StringComparer.Ordinal));
        BtOperations.All.Should().HaveCount(ContractRoutes.NonIdempotent.Length + 1, "ringFence is the one route with two modules");
    }

    [Fact]
    public void The_contract_names_exactly_the_calls_that_change_something_and_are_not_safe_to_repeat()
    {
        // An independent list: what BT's API does (docs/whc-api.md), not what the code derives.
        ContractRoutes.NonIdempotent.Should().BeEquivalentTo("qualify", "ringFence", "createAddress", "createOrder");
        ContractRoutes.Changes(ContractRoutes.SubmitOrder).Should().BeTrue("submitting is a change, just one BT answers the same when repeated");
    }

    [Fact]
    public void Module_names_are_unique_and_each_stored_intent_has_one_owner()
    {
        BtOperations.All.Select(m => m.Name).Should().OnlyHaveUniqueItems();
        foreach (var module in BtOperations.All)
        {
            var payload = module switch
            {
                PortedRingFenceOperation => PortedRingFenceOperation.Intent("b", new Core.Api.PortedRange("01214960500", "01214960519"), 20, false),
                RingFenceOperation => new Core.State.RingFenceIntent("b", "0121", 10),
                QualifyOperation => new Core.State.QualifyIntent("C", "B", "N", "D", "G"),
                CreateAddressOperation => new Core.State.CreateAddressIntent("s", "L", "LS1 4AP", "1", null, null),
                _ => (Core.State.IntentDetails)new Core.State.CreateOrderIntent([], []),
            };
            var intent = new Core.State.IntentRecord("I-1", "acme:x", module.Tag, DateTimeOffset.UnixEpoch, payload.ToMap());
            BtOperations.All.Where(m => m.Reads(intent)).Should().Equal([module], $"the intent {module.Name} writes is read by it alone");
            module.Decode(intent).ToMap().Should().Equal(payload.ToMap(), $"{module.Name} reads back what it wrote");
        }
    }
}
