using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Issue 26: WHC3032 was worded two ways (a removed block, a destroyed company); it has one wording, the catalogue's.</summary>
public sealed class PortedGivenUpWordingTests
{
    private static CompanyState WithPortedBlock(CompanyState state) => state with
    {
        NumberBlocks = state.NumberBlocks.Add(new NumberBlockState("moved", string.Empty, 20, [new NumberRangeState("01214960500", "01214960519", true, "NR-P0")]) { Ported = true }),
    };

    private static CompanyInventory InventoryWithPorted(CompanyState state) => InventoryOf(state) with
    {
        NumberRanges = [.. state.NumberBlocks.SelectMany(b => b.Ranges.Select(r =>
            new NumberRangeRecord(b.Ported ? "0121" : b.AreaCode, r.StartNumber, r.EndNumber, NumberRangeStatus.Active, r.ServiceId) { Ported = b.Ported }))],
    };

    [Fact]
    public void Should_word_the_ported_numbers_warning_the_same_when_a_block_is_removed_and_when_its_company_is_destroyed()
    {
        // Given a company whose state holds a ported block the manifest no longer names
        var manifest = Manifest([Block("main")], Site("hq", User("u01", extension: "2001")));
        var state = WithPortedBlock(Applied(manifest));
        var refresh = RefreshSnapshot.Of(InventoryWithPorted(state));

        // When the block is removed, and when the whole company is destroyed
        var removed = PlanOne(Input(manifest, state, refresh)).AllDiagnostics.Single(d => d.Code == DiagnosticCatalog.PortedNumbersGivenUp.Code);
        var destroyed = PlanOne(Input(null, state, refresh), mode: PlanMode.Destroy).AllDiagnostics.Single(d => d.Code == DiagnosticCatalog.PortedNumbersGivenUp.Code);

        // Then both say the same, in the catalogue's words
        var expected = "number block 'moved' holds ported numbers (01214960500-0519); once ceased they may return to the provider they came from and be lost to the customer for good";
        removed.Message.Should().Be(expected);
        destroyed.Message.Should().Be(expected);
    }
}
