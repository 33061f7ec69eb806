using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Intents an interrupted run left are answered from BT by identity, never from the manifest of today.</summary>
public class IntentResolverTests
{
    private static readonly ImmutableDictionary<string, ImmutableArray<AddressRecord>> NoAddresses = ImmutableDictionary<string, ImmutableArray<AddressRecord>>.Empty;
    private static readonly ImmutableDictionary<string, OrderStatus?> NoOrders = ImmutableDictionary<string, OrderStatus?>.Empty;

    private static IntentRecord Intent(string id, string stepId, IntentDetails details, int minutesAgo = 5) =>
        new(id, stepId, details.Operation, Now.AddMinutes(-minutesAgo), details.ToMap());

    private static IntentReconciliation Resolve(CompanyState state, IntentAnswers answers) =>
        IntentResolver.Resolve(state, [.. state.Intents.Select(i => (i, IntentDetails.Read(i)))], answers);

    private static CompanyInventory Qualified(params NumberRangeRecord[] ranges) =>
        new(CompanyServiceId, "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-2", [.. ranges], [], []);

    private static NumberRangeRecord Range(string start, string end) => new("0121", start, end, NumberRangeStatus.Ringfenced, null);

    private static CompanyState QualifiedState() => CompanyState.New(Key, "lineage-1") with
    {
        Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", CompanyServiceId, new QualificationRecord("Q-2", Now.AddHours(5), false), false),
    };

    [Fact]
    public void Should_give_each_ringfence_the_range_of_the_size_it_asked_for_when_two_blocks_share_an_area_code()
    {
        // Given two ringfences in area 0121 whose answers were lost (4 numbers for "small", 10 for "big")
        var state = QualifiedState() with
        {
            Intents =
            [
                Intent("I-1", "acme:ringfence:big", new RingFenceIntent("big", "0121", 10), minutesAgo: 6),
                Intent("I-2", "acme:ringfence:small", new RingFenceIntent("small", "0121", 4)),
            ],
        };
        var inventory = Qualified(Range("01214960000", "01214960003"), Range("01214960004", "01214960013"));

        // When they are answered
        var result = Resolve(state, new IntentAnswers(inventory, NoAddresses, NoOrders));

        // Then each block gets its own range and no intent is left
        result.State.NumberBlocks.ToDictionary(b => b.Name, b => b.Ranges.Single().StartNumber)
            .Should().Equal(new Dictionary<string, string> { ["big"] = "01214960004", ["small"] = "01214960000" });
        result.State.Intents.Should().BeEmpty();
        result.Resolutions.Should().OnlyContain(r => r.Outcome == IntentOutcome.Found);
    }

    [Fact]
    public void Should_adopt_a_range_of_another_size_and_never_one_a_block_already_claims()
    {
        // Given block main already holds one range, and a ringfence of 10 for it whose answer was lost
        var state = QualifiedState() with
        {
            NumberBlocks = [new NumberBlockState("main", "0121", 5, [new NumberRangeState("01214960000", "01214960004", true, "NR-1")])],
            Intents = [Intent("I-1", "acme:ringfence:main", new RingFenceIntent("main", "0121", 10))],
        };
        var inventory = Qualified(Range("01214960000", "01214960004"), Range("01214960100", "01214960106"));

        // When it is answered
        var result = Resolve(state, new IntentAnswers(inventory, NoAddresses, NoOrders));

        // Then the unclaimed range (7 numbers, not the 10 asked: whatever BT holds) is added to the block
        result.State.NumberBlocks.Single().Ranges.Select(r => r.StartNumber).Should().Equal("01214960000", "01214960100");
        result.Resolutions.Single().Summary.Should().Contain("7 numbers");
    }

    [Fact]
    public void Should_drop_a_ringfence_intent_when_BT_holds_no_unclaimed_range()
    {
        var state = QualifiedState() with { Intents = [Intent("I-1", "acme:ringfence:main", new RingFenceIntent("main", "0121", 10))] };

        var result = Resolve(state, new IntentAnswers(Qualified(), NoAddresses, NoOrders));

        result.Resolutions.Single().Outcome.Should().Be(IntentOutcome.NotFound);
        result.State.Intents.Should().BeEmpty();
        result.State.NumberBlocks.Should().BeEmpty();
    }

    [Fact]
    public void Should_record_an_order_BT_holds_with_its_operations_and_mark_the_qualification_used_when_it_adds_the_company()
    {
        // Given the first order's creation was interrupted, and BT holds it (pending)
        var operations = ImmutableArray.Create(new OrderOperation(ResourceAddress.ForCompany(Key), OrderOperationKind.Add), new OrderOperation(UserAddress("u01"), OrderOperationKind.Add));
        var state = QualifiedState() with { Intents = [Intent("whcctl-1", "acme:order-1:create", new CreateOrderIntent(operations, []))] };
        var orders = NoOrders.Add("whcctl-1", new OrderStatus("BT-7", "whcctl-1", OrderState.Pending, null));

        // When it is answered
        var result = Resolve(state, new IntentAnswers(null, NoAddresses, orders));

        // Then the order is in state as BT has it, with what it does, and the qualification it consumed is used
        var order = result.State.Orders.Should().ContainSingle().Subject;
        (order.Id, order.ExternalId, order.State).Should().Be(("BT-7", "whcctl-1", OrderState.Pending));
        order.Operations.Should().Equal(operations);
        result.State.Record!.Qualification!.Used.Should().BeTrue();
    }

    [Fact]
    public void Should_drop_an_order_intent_BT_positively_does_not_hold_and_keep_one_it_was_not_asked_about()
    {
        var state = QualifiedState() with
        {
            Intents =
            [
                Intent("whcctl-1", "acme:order-1:create", new CreateOrderIntent([], [])),
                Intent("whcctl-2", "acme:order-2:create", new CreateOrderIntent([], [])),
            ],
        };

        var result = Resolve(state, new IntentAnswers(null, NoAddresses, NoOrders.Add("whcctl-1", null)));

        result.Resolutions.Select(r => (r.IntentId, r.Outcome)).Should().Equal(("whcctl-1", IntentOutcome.NotFound), ("whcctl-2", IntentOutcome.Unknown));
        result.State.Intents.Select(i => i.Id).Should().Equal("whcctl-2");
    }

    [Fact]
    public void Should_record_a_found_address_as_a_pending_site_with_the_address_it_was_found_by()
    {
        var state = QualifiedState() with
        {
            Intents = [Intent("I-1", "acme:address:leeds", new CreateAddressIntent("leeds", "LS01", "LS1 4AP", "Aire House", "Wellington Street", "Leeds"))],
        };
        var addresses = NoAddresses.Add("LS1 4AP", [new AddressRecord("X-TEMP-1", "LS1 4AP", "Aire House", null, null, "Wellington Street", "Leeds", true)]);

        var result = Resolve(state, new IntentAnswers(null, addresses, NoOrders));

        var site = result.State.Sites.Should().ContainSingle().Subject;
        (site.Name, site.LocationCode, site.NadKey, site.ServiceId).Should().Be(("leeds", "LS01", "X-TEMP-1", (string?)null));
        site.FoundBy.Should().Be(new SiteAddressState("LS1 4AP", "Aire House"));
    }

    [Fact]
    public void Should_record_a_qualification_newer_than_the_one_state_holds_and_drop_the_intent_when_there_is_none()
    {
        var qualify = new QualifyIntent("CUG-1", "BA-1", "Acme Ltd", "acme.example", "retail");
        var fresh = CompanyState.New(Key, "lineage-1") with { Intents = [Intent("I-1", "acme:qualify", qualify)] };

        var found = Resolve(fresh, new IntentAnswers(Qualified(), NoAddresses, NoOrders));
        var known = Resolve(QualifiedState() with { Intents = [Intent("I-1", "acme:qualify", qualify)] }, new IntentAnswers(Qualified(), NoAddresses, NoOrders));

        found.State.Record!.Qualification!.Id.Should().Be("Q-2");
        found.State.Record.ServiceId.Should().Be(CompanyServiceId);
        found.State.Record.CugId.Should().Be("CUG-1");
        known.Resolutions.Single().Outcome.Should().Be(IntentOutcome.NotFound, "Q-2 is the qualification state already holds");
    }

    [Fact]
    public void Should_keep_an_intent_of_an_operation_it_does_not_know()
    {
        var state = QualifiedState() with { Intents = [new IntentRecord("I-9", "acme:teleport", "teleport", Now, ImmutableSortedDictionary<string, string>.Empty)] };

        var result = Resolve(state, new IntentAnswers(null, NoAddresses, NoOrders));

        result.Resolutions.Single().Outcome.Should().Be(IntentOutcome.Unknown);
        result.State.Intents.Should().ContainSingle();
    }

    [Fact]
    public void Should_read_intents_of_an_older_whcctl_by_their_step_ids()
    {
        var ringFence = new IntentRecord("I-1", "acme:ringfence:brum", IntentOperations.RingFence, Now, ImmutableSortedDictionary<string, string>.Empty.Add("areaCode", "0121").Add("quantity", "10"));
        var address = new IntentRecord("I-2", "acme:address:leeds", IntentOperations.CreateAddress, Now, ImmutableSortedDictionary<string, string>.Empty.Add("postcode", "LS1 4AP"));

        IntentDetails.Read(ringFence).Should().Be(new RingFenceIntent("brum", "0121", 10));
        IntentDetails.Read(address).Should().Be(new CreateAddressIntent("leeds", null, "LS1 4AP", null, null, null));
    }
}
