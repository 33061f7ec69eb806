using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 26: the divergences between recovering an unknown outcome within a run and across runs, each decided once. These
/// go through the reconciler's entry (<see cref="IntentResolver"/>); the step runner calls the same module's Recognise
/// and Record (OperationModuleTests covers that entry).
/// </summary>
public class OperationDivergenceTests
{
    private static readonly ImmutableDictionary<string, ImmutableArray<AddressRecord>> NoAddresses = ImmutableDictionary<string, ImmutableArray<AddressRecord>>.Empty;
    private static readonly ImmutableDictionary<string, OrderStatus?> NoOrders = ImmutableDictionary<string, OrderStatus?>.Empty;

    private static IntentRecord Raw(string id, string stepId, string operation, params (string Key, string Value)[] map) =>
        new(id, stepId, operation, Now.AddMinutes(-5), map.ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));

    private static IntentReconciliation Resolve(CompanyState state, IntentAnswers answers) =>
        IntentResolver.Resolve(state, [.. state.Intents.Select(i => (i, IntentDetails.Read(i)))], answers);

    private static CompanyInventory Qualified(params NumberRangeRecord[] ranges) =>
        new(CompanyServiceId, "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-2", [.. ranges], [], []);

    private static CompanyState QualifiedState() => CompanyState.New(Key, "lineage-1") with
    {
        Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", CompanyServiceId, new QualificationRecord("Q-1", Now.AddHours(5), false), false),
    };

    [Fact]
    public void Should_record_a_block_found_after_a_lost_answer_as_protected_when_the_run_that_made_the_call_protected_it()
    {
        // Given a ringfence for a protected block (protect: true in the manifest of the run that made the call) whose answer was lost
        var state = QualifiedState() with
        {
            Intents = [Raw("I-1", "acme:ringfence:main", IntentOperations.RingFence, ("numberBlock", "main"), ("areaCode", "0121"), ("quantity", "10"), ("blockQuantity", "10"), ("protect", "true"))],
        };

        // When the next plan answers it
        var result = Resolve(state, new IntentAnswers(Qualified(new NumberRangeRecord("0121", "01214960000", "01214960009", NumberRangeStatus.Ringfenced, null)), NoAddresses, NoOrders));

        // Then the block is protected, as the step runner records it within a run: a later manifest without it cannot cease it
        result.State.NumberBlocks.Should().ContainSingle().Which.Protected.Should().BeTrue();
    }

    [Fact]
    public void Should_record_a_site_found_after_a_lost_answer_as_protected_when_the_run_that_made_the_call_protected_it()
    {
        var state = QualifiedState() with
        {
            Intents = [Raw("I-1", "acme:address:leeds", IntentOperations.CreateAddress, ("site", "leeds"), ("locationCode", "LS01"), ("postcode", "LS1 4AP"), ("premises", "Aire House"), ("protect", "true"))],
        };
        var addresses = NoAddresses.Add("LS1 4AP", [new AddressRecord("X-TEMP-1", "LS1 4AP", "Aire House", null, null, null, null, true)]);

        var result = Resolve(state, new IntentAnswers(null, addresses, NoOrders));

        result.State.Sites.Should().ContainSingle().Which.Protected.Should().BeTrue();
    }

    [Fact]
    public void Should_record_a_company_found_after_a_lost_qualify_as_protected_when_the_run_that_made_the_call_protected_it()
    {
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Intents = [Raw("I-1", "acme:qualify", IntentOperations.Qualify, ("cugId", "CUG-1"), ("billingAccount", "BA-1"), ("companyName", "Acme Ltd"), ("companyDomain", "acme.example"), ("customerGroup", "retail"), ("protect", "true"))],
        };

        var result = Resolve(state, new IntentAnswers(Qualified(), NoAddresses, NoOrders));

        result.State.Record!.Protected.Should().BeTrue();
    }

    [Fact]
    public void Should_adopt_one_range_for_one_lost_ringfence_never_every_leftover_range_of_the_area_code()
    {
        // Given a lost ringfence of 10 numbers, and BT holding two unclaimed ranges in the area code, neither of 10
        var state = QualifiedState() with { Intents = [Raw("I-1", "acme:ringfence:main", IntentOperations.RingFence, ("numberBlock", "main"), ("areaCode", "0121"), ("quantity", "10"))] };
        var inventory = Qualified(
            new NumberRangeRecord("0121", "01214960100", "01214960106", NumberRangeStatus.Ringfenced, null),
            new NumberRangeRecord("0121", "01214960000", "01214960003", NumberRangeStatus.Ringfenced, null));

        // When it is answered
        var result = Resolve(state, new IntentAnswers(inventory, NoAddresses, NoOrders));

        // Then one call made one range: the first by number is adopted (the rule within a run too); the other stays unclaimed
        result.State.NumberBlocks.Single().Ranges.Select(r => r.StartNumber).Should().Equal("01214960000");
    }
}
