using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Issue 17: a block of ported ranges is planned range by range, ordered as WHCPortednumber, and ceased only knowingly.</summary>
public sealed class PortedPlanningTests
{
    private static readonly ImmutableDictionary<string, ImmutableArray<AddressRecord>> NoAddresses = ImmutableDictionary<string, ImmutableArray<AddressRecord>>.Empty;
    private static readonly ImmutableDictionary<string, OrderStatus?> NoOrders = ImmutableDictionary<string, OrderStatus?>.Empty;

    private static NumberBlockSpec Ported(string name, params (string From, string To, int Line)[] ranges)
    {
        var specs = ranges.Select(r => new PortedRangeSpec(r.From, r.To, Span(r.Line))).ToImmutableArray();
        return new NumberBlockSpec(name, string.Empty, specs.Sum(r => r.Count), false, Span(8)) { Ported = specs };
    }

    private static CompanyManifest WithBlocks(params NumberBlockSpec[] blocks) =>
        Manifest([.. blocks], Site("hq", User("u01", block: blocks[^1].Name, extension: "2001")));

    /// <summary>State after the ported block was applied: its ranges active, marked ported.</summary>
    private static CompanyState AppliedPorted(CompanyManifest manifest, string block, params (string From, string To)[] ranges)
    {
        var drawing = manifest.AllUsers().Where(p => p.User.Number?.From == block).Select(p => p.User.Username).ToHashSet(StringComparer.Ordinal);
        var withoutBlock = manifest with
        {
            NumberBlocks = manifest.NumberBlocks.RemoveAll(b => b.Name == block),
            Sites = [.. manifest.Sites.Select(s => s with { Users = [.. s.Users.Select(u => drawing.Contains(u.Username) ? u with { Number = null } : u)] })],
        };
        var state = Applied(withoutBlock);
        var held = new NumberBlockState(block, string.Empty, ranges.Sum(r => new NumberRangeState(r.From, r.To, true, null).Count), [.. ranges.Select((r, i) => new NumberRangeState(r.From, r.To, true, $"NR-P{i}"))]) { Ported = true };
        return state with
        {
            NumberBlocks = state.NumberBlocks.Add(held),
            Users = [.. state.Users.Select(u => drawing.Contains(u.Username) ? u with { NumberBlock = block, DirectoryNumber = ranges[0].From } : u)],
        };
    }

    private static CompanyInventory InventoryWithPorted(CompanyState state) =>
        InventoryOf(state) with
        {
            NumberRanges = [.. state.NumberBlocks.SelectMany(b => b.Ranges.Select(r =>
                new NumberRangeRecord(b.Ported ? "0121" : b.AreaCode, r.StartNumber, r.EndNumber, r.Active ? NumberRangeStatus.Active : NumberRangeStatus.Ringfenced, r.ServiceId) { Ported = b.Ported }))],
        };

    [Fact]
    public void Should_ringfence_each_range_of_a_new_ported_block_by_its_ends_and_order_it_as_ported_numbers()
    {
        var manifest = WithBlocks(Ported("moved", ("01214960500", "01214960519", 9), ("01134960100", "01134960100", 10)));

        var plan = PlanOne(Input(manifest)).Only();

        plan.Steps.Should().NotContain(s => s is RingFenceStep);
        var ringfences = plan.Steps.OfType<PortedRingFenceStep>().ToList();
        ringfences.Select(s => (s.Id.ToString(), s.Block, s.Range)).Should().Equal(
            ("acme:ringfence:moved:01214960500", "moved", new PortedRange("01214960500", "01214960519")),
            ("acme:ringfence:moved:01134960100", "moved", new PortedRange("01134960100", "01134960100")));
        ringfences.Should().OnlyContain(s => s.DependsOn.Contains(StepId.Qualify(Key)) && s.Kind == StepKind.RingFence);
        plan.ChangeOf(BlockAddress("moved")).Attributes.Should().Contain(a => a.Name == "numbers" && Equals(a.After, AttributeValue.List(new[] { "01214960500-0519", "01134960100" })));
        plan.ChangeOf(BlockAddress("moved")).Attributes.Should().Contain(a => a.Name == "ported" && Equals(a.After, AttributeValue.Flag(true)));
    }

    [Fact]
    public void Should_order_a_ported_blocks_ranges_as_WHCPortednumber_items()
    {
        var manifest = WithBlocks(Ported("moved", ("01214960500", "01214960519", 9)));
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", CompanyServiceId, new QualificationRecord("Q-1", Now.AddHours(5), false), false),
            NumberBlocks = [new NumberBlockState("moved", string.Empty, 20, [new NumberRangeState("01214960500", "01214960519", false, null)]) { Ported = true }],
        };

        var order = OrderBuilder.Build("x-1", manifest, state, [new OrderOperation(BlockAddress("moved"), OrderOperationKind.Add)], ImmutableSortedDictionary<string, string>.Empty);

        var item = order.Root.Children.Should().ContainSingle().Subject;
        item.ProductOffering.Should().Be(WhcProducts.PortedNumber);
        item.Characteristics.Should().Contain("startNumber", "01214960500").And.Contain("endNumber", "01214960519");
    }

    [Fact]
    public void Should_be_clean_once_the_ported_block_is_held_and_active()
    {
        var manifest = WithBlocks(Ported("moved", ("01214960500", "01214960519", 9)));
        var state = AppliedPorted(manifest, "moved", ("01214960500", "01214960519"));

        var plan = PlanOne(Input(manifest, state, RefreshSnapshot.Of(InventoryWithPorted(state))));

        plan.HasChanges.Should().BeFalse(string.Join("; ", plan.Only().Changes.Where(c => c.Action != ChangeAction.NoOp).Select(c => $"{c.Address} {c.Reason}")));
        plan.AllDiagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Should_refuse_a_ported_range_overlapping_numbers_another_block_holds_at_the_ranges_position()
    {
        var manifest = Manifest([Block("main", quantity: 10), Ported("moved", ("01214960005", "01214960014", 12))], Site("hq", User("u01", extension: "2001")));
        var state = Applied(Manifest([Block("main", quantity: 10)], Site("hq", User("u01", extension: "2001"))));

        var plan = PlanOne(Existing(manifest, state));

        var diagnostic = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == DiagnosticCatalog.PortedNumbersAlreadyHeld.Code).Subject;
        diagnostic.Span.Line.Should().Be(12);
        diagnostic.Message.Should().Contain("block 'main'");
        plan.Only().Steps.Should().NotContain(s => s.Kind == StepKind.RingFence);
    }

    [Fact]
    public void Should_refuse_a_ported_range_BTs_inventory_shows_held_by_another_company()
    {
        var manifest = WithBlocks(Ported("moved", ("01214960500", "01214960519", 9)));

        var plan = PlanOne(Input(manifest, null, RefreshSnapshot.Of(null) with { TakenPortedRanges = ["01214960500"] }));

        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == DiagnosticCatalog.PortedNumbersHeldElsewhere.Code).Which.Span.Line.Should().Be(9);
        plan.HasErrors.Should().BeTrue();
    }

    [Fact]
    public void Should_cease_a_removed_ported_block_and_warn_that_its_numbers_may_be_lost()
    {
        var before = Manifest([Block("main"), Ported("moved", ("01214960500", "01214960519", 9))], Site("hq", User("u01", extension: "2001")));
        var state = AppliedPorted(before, "moved", ("01214960500", "01214960519"));
        var after = Manifest([Block("main")], Site("hq", User("u01", extension: "2001")));

        var plan = PlanOne(Input(after, state, RefreshSnapshot.Of(InventoryWithPorted(state))));

        plan.Only().ChangeOf(BlockAddress("moved")).Action.Should().Be(ChangeAction.Delete);
        var warning = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == DiagnosticCatalog.PortedNumbersGivenUp.Code).Subject;
        warning.Severity.Should().Be(DiagnosticSeverity.Warning);
        warning.Message.Should().Contain("01214960500-0519").And.Contain("lost to the customer for good");
    }

    [Fact]
    public void Should_refuse_to_drop_one_range_a_ported_block_holds_and_to_change_a_blocks_kind()
    {
        var held = Manifest([Block("main"), Ported("moved", ("01214960500", "01214960519", 9), ("01214960600", "01214960609", 10))], Site("hq", User("u01", extension: "2001")));
        var state = AppliedPorted(held, "moved", ("01214960500", "01214960519"), ("01214960600", "01214960609"));
        var dropped = held with { NumberBlocks = [Ported("main", ("01214960700", "01214960709", 4)), Ported("moved", ("01214960500", "01214960519", 9))] };

        var plan = PlanOne(Input(dropped, state, RefreshSnapshot.Of(InventoryWithPorted(state))));

        plan.Codes().Should().Contain([DiagnosticCatalog.NumberBlockShrunk.Code, DiagnosticCatalog.ImmutableFieldChanged.Code]);
    }

    [Fact]
    public void Should_answer_a_lost_ported_ringfence_by_its_exact_range_and_never_with_new_numbers() =>
        LostPortedAndNewRingfences(bTMarksPorted: true);

    /// <summary>Regression: BT's "ported" mark is assumed; without it the new-number ringfence adopted the ported range too.</summary>
    [Fact]
    public void Should_never_adopt_one_range_into_two_blocks_when_BT_does_not_mark_it_ported() =>
        LostPortedAndNewRingfences(bTMarksPorted: false);

    private static void LostPortedAndNewRingfences(bool bTMarksPorted)
    {
        // Given a ported ringfence and a new-number ringfence in the same area code, both answers lost
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", CompanyServiceId, new QualificationRecord("Q-2", Now.AddHours(5), false), false),
            Intents =
            [
                new IntentRecord("I-1", "acme:ringfence:moved:01214960500", IntentOperations.RingFence, Now.AddMinutes(-6), new RingFenceIntent("moved", string.Empty, 20) { StartNumber = "01214960500", EndNumber = "01214960519" }.ToMap()),
                new IntentRecord("I-2", "acme:ringfence:main", IntentOperations.RingFence, Now.AddMinutes(-5), new RingFenceIntent("main", "0121", 20).ToMap()),
            ],
        };
        var inventory = new CompanyInventory(CompanyServiceId, "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-2",
            [new NumberRangeRecord("0121", "01214960500", "01214960519", NumberRangeStatus.Ringfenced, null) { Ported = bTMarksPorted }], [], []);

        // When they are answered
        var result = IntentResolver.Resolve(state, [.. state.Intents.Select(i => (i, IntentDetails.Read(i)))], new IntentAnswers(inventory, NoAddresses, NoOrders));

        // Then the ported range goes to the ported block, and the new-number ringfence did not go through
        result.Resolutions.Select(r => (r.IntentId, r.Outcome)).Should().Equal(("I-1", IntentOutcome.Found), ("I-2", IntentOutcome.NotFound));
        var moved = result.State.NumberBlocks.Should().ContainSingle().Subject;
        (moved.Name, moved.Ported, moved.Ranges.Single().StartNumber).Should().Be(("moved", true, "01214960500"));
        result.State.Intents.Should().BeEmpty();
    }

    [Fact]
    public void Should_round_trip_a_ported_ringfence_intent_through_its_map()
    {
        var intent = new RingFenceIntent("moved", string.Empty, 20) { StartNumber = "01214960500", EndNumber = "01214960519" };

        var read = IntentDetails.Read(new IntentRecord("I-1", "acme:ringfence:moved:01214960500", intent.Operation, Now, intent.ToMap()));

        read.Should().Be(intent);
    }

    [Fact]
    public void Should_import_ported_ranges_as_a_ported_block_named_after_their_area_code_without_a_manifest()
    {
        var inventory = new CompanyInventory(CompanyServiceId, "Acme Ltd", "acme.example", "retail", CompanyStatus.Active, "Q-1",
            [
                new NumberRangeRecord("0121", "01214960000", "01214960009", NumberRangeStatus.Active, "NR-1"),
                new NumberRangeRecord("0121", "01214960500", "01214960519", NumberRangeStatus.Active, "NR-2") { Ported = true },
            ],
            [], []);

        var state = InventoryImport.ToState(Key, "lineage-1", "CUG-1", "BA-1", inventory);

        state.NumberBlocks.Select(b => (b.Name, b.Ported, b.AreaCode, b.RingfencedCount)).Should().Equal(("block-0121", false, "0121", 10), ("ported-0121", true, string.Empty, 20));
    }
}
