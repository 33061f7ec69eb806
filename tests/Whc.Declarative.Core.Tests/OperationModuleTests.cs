using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Operations;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 26: one Recognise per operation, the same within a run (the step runner: the intent being retried, the run's
/// other intents outstanding) and across runs (the reconciler: every intent, in the fixed order).
/// </summary>
public class OperationModuleTests
{
    private static readonly ImmutableDictionary<string, ImmutableArray<AddressRecord>> NoAddresses = ImmutableDictionary<string, ImmutableArray<AddressRecord>>.Empty;
    private static readonly ImmutableDictionary<string, OrderStatus?> NoOrders = ImmutableDictionary<string, OrderStatus?>.Empty;

    private static IntentRecord Intent(string id, string stepId, IntentDetails details, int minutesAgo = 5) =>
        new(id, stepId, details.Operation, Now.AddMinutes(-minutesAgo), details.ToMap());

    private static CompanyState QualifiedState() => CompanyState.New(Key, "lineage-1") with
    {
        Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", CompanyServiceId, new QualificationRecord("Q-1", Now.AddHours(5), false), false),
    };

    private static CompanyInventory Qualified(params NumberRangeRecord[] ranges) =>
        new(CompanyServiceId, "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-1", [.. ranges], [], []);

    /// <summary>The step runner's entry: the module's Recognise for one intent, with the state's other intents outstanding.</summary>
    private static Recognition<NumberRangeState> InRun(CompanyState state, string intentId, IntentAnswers answers)
    {
        var intent = state.Intents.Single(i => i.Id == intentId);
        var payload = (RingFenceIntent)BtOperations.Decode(intent);
        var claims = Claims.InRun(state, intent, state.Intents.Select(i => (i, BtOperations.Decode(i))));
        var module = BtOperations.For(intent) as BtOperation<RingFenceIntent, NoInput, NumberRangeState> ?? throw new InvalidOperationException("not a ringfence");
        return module.Recognise(state, intent, payload, answers, claims);
    }

    private static IntentReconciliation AcrossRuns(CompanyState state, IntentAnswers answers) =>
        IntentResolver.Resolve(state, [.. state.Intents.Select(i => (i, IntentDetails.Read(i)))], answers);

    [Fact]
    public void Should_never_take_an_outstanding_ported_intents_range_for_new_numbers_when_BT_does_not_mark_it_ported_in_a_run_or_across_runs()
    {
        // Given a ported ringfence (0000-0019) and a new-number ringfence of 20 in 0121, both answers lost; BT lists both
        // ranges unmarked, the ported one first
        var ported = PortedRingFenceOperation.Intent("moved", new PortedRange("01214960000", "01214960019"), 20, false);
        var state = QualifiedState() with
        {
            Intents = [Intent("I-P", "acme:ringfence:moved:01214960000", ported, 6), Intent("I-N", "acme:ringfence:fresh", new RingFenceIntent("fresh", "0121", 20))],
        };
        var answers = new IntentAnswers(
            Qualified(new NumberRangeRecord("0121", "01214960000", "01214960019", NumberRangeStatus.Ringfenced, null), new NumberRangeRecord("0121", "01214960020", "01214960039", NumberRangeStatus.Ringfenced, null)),
            NoAddresses,
            NoOrders);

        // When the new-number ringfence is recognised within a run, and both are settled across runs
        var inRun = InRun(state, "I-N", answers);
        var across = AcrossRuns(state, answers);

        // Then the new numbers are the second range either way; the ported range goes to the ported block
        inRun.Result!.StartNumber.Should().Be("01214960020");
        across.State.NumberBlocks.ToDictionary(b => b.Name, b => b.Ranges.Single().StartNumber)
            .Should().Equal(new Dictionary<string, string> { ["moved"] = "01214960000", ["fresh"] = "01214960020" });
        across.State.NumberBlocks.Single(b => b.Name == "moved").Ported.Should().BeTrue();
    }

    [Fact]
    public void Should_leave_a_range_of_exactly_the_size_another_outstanding_ringfence_asked_for_to_that_one_in_a_run_and_across_runs()
    {
        // Given ringfences of 10 (older) and 4 in 0121, both lost; BT holds a range of 4 and one of 7 (not 10)
        var state = QualifiedState() with
        {
            Intents = [Intent("I-1", "acme:ringfence:big", new RingFenceIntent("big", "0121", 10), 6), Intent("I-2", "acme:ringfence:small", new RingFenceIntent("small", "0121", 4))],
        };
        var answers = new IntentAnswers(
            Qualified(new NumberRangeRecord("0121", "01214960000", "01214960003", NumberRangeStatus.Ringfenced, null), new NumberRangeRecord("0121", "01214960100", "01214960106", NumberRangeStatus.Ringfenced, null)),
            NoAddresses,
            NoOrders);

        var inRun = InRun(state, "I-1", answers);
        var across = AcrossRuns(state, answers);

        inRun.Result!.StartNumber.Should().Be("01214960100");
        across.State.NumberBlocks.ToDictionary(b => b.Name, b => b.Ranges.Single().StartNumber)
            .Should().Equal(new Dictionary<string, string> { ["big"] = "01214960100", ["small"] = "01214960000" });
    }

    [Fact]
    public void Should_settle_intents_in_the_fixed_order_whatever_order_state_lists_them_in()
    {
        var state = QualifiedState() with
        {
            Intents =
            [
                Intent("I-3", "acme:order-1:create", new CreateOrderIntent([], []), 9),
                Intent("I-2", "acme:ringfence:fresh", new RingFenceIntent("fresh", "0121", 20), 1),
                Intent("I-1", "acme:ringfence:moved:01214960000", PortedRingFenceOperation.Intent("moved", new PortedRange("01214960000", "01214960019"), 20, false), 1),
            ],
        };

        var result = AcrossRuns(state, new IntentAnswers(Qualified(), NoAddresses, NoOrders.Add("I-3", null)));

        result.Resolutions.Select(r => r.IntentId).Should().Equal("I-1", "I-2", "I-3");
    }

    [Fact]
    public void Should_read_an_older_whcctls_ringfence_intent_without_protect_or_block_quantity_and_record_the_range_size()
    {
        var older = new IntentRecord("I-1", "acme:ringfence:main", IntentOperations.RingFence, Now, ImmutableSortedDictionary<string, string>.Empty.Add("areaCode", "0121").Add("numberBlock", "main").Add("quantity", "10"));
        var state = QualifiedState() with { Intents = [older] };

        var result = AcrossRuns(state, new IntentAnswers(Qualified(new NumberRangeRecord("0121", "01214960000", "01214960009", NumberRangeStatus.Ringfenced, null)), NoAddresses, NoOrders));

        var block = result.State.NumberBlocks.Should().ContainSingle().Subject;
        (block.Quantity, block.Protected).Should().Be((10, false));
    }

    [Fact]
    public void Should_ask_BT_about_a_sites_address_when_the_manifest_named_no_premises_in_a_run_as_across_runs()
    {
        // Given a site given by postcode alone, whose address call's answer was lost
        var site = new Manifests.SiteSpec("leeds", "LS01", new Manifests.AddressSpec("LS1 4AP", null, null, null, null), [], false, Diagnostics.SourceSpan.None);
        var payload = CreateAddressOperation.Intent(site, "LS1 4AP");
        var intent = Intent("I-1", "acme:address:leeds", payload);
        var state = QualifiedState() with { Intents = [intent] };
        var answers = new IntentAnswers(null, NoAddresses.Add("LS1 4AP", [new AddressRecord("X-1", "LS1 4AP", "Aire House", null, null, null, null, true)]), NoOrders);

        // When it is recognised as the step runner does (the payload as built) and as the reconciler does (as stored)
        var inRun = BtOperations.CreateAddress.Recognise(state, intent, payload, answers, Claims.InRun(state, intent, []));
        var across = IntentResolver.Resolve(state, [(intent, IntentDetails.Read(intent))], answers);

        // Then the postcode is asked and the address found either way; the site records no premises
        BtOperations.CreateAddress.Questions(state, intent, payload).Postcodes.Should().Equal("LS1 4AP");
        inRun.Outcome.Should().Be(IntentOutcome.Found);
        across.State.Sites.Single().FoundBy.Should().Be(new SiteAddressState("LS1 4AP", null));
    }

    [Fact]
    public void Should_leave_a_qualify_intent_unknown_when_BT_could_not_be_asked_because_nothing_names_the_company()
    {
        // Given an older whcctl's qualify intent (no company named), no company record, and no manifest to complete it
        var intent = new IntentRecord("I-1", "acme:qualify", IntentOperations.Qualify, Now, ImmutableSortedDictionary<string, string>.Empty);
        var state = CompanyState.New(Key, "lineage-1") with { Intents = [intent] };
        BtOperations.Questions(state, [(intent, IntentDetails.Read(intent))]).Company.Should().BeNull("nothing names the company to read");

        // When it is settled with the company not read
        var result = IntentResolver.Resolve(state, [(intent, IntentDetails.Read(intent))], new IntentAnswers(null, NoAddresses, NoOrders) { CompanyAsked = false });

        // Then it is not concluded "not found" (which would qualify again): it stays, and the plan is refused
        result.Resolutions.Single().Outcome.Should().Be(IntentOutcome.Unknown);
        result.State.Intents.Should().ContainSingle();
    }
}
