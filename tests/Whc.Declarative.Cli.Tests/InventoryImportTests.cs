using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using Whc.Declarative.Manifests;

namespace Whc.Declarative.Cli.Tests;

/// <summary>The pure parts of <c>whcctl import</c>: BT's inventory → first state, and state → manifest text.</summary>
public sealed class InventoryImportTests
{
    private static readonly CompanyInventory Inventory = new(
        "SVC-C1",
        "Acme Widgets",
        "acme.example.com",
        "SWAINsTelecom",
        CompanyStatus.Active,
        "Q-1",
        [
            new NumberRangeRecord("0121", "01214960010", "01214960014", NumberRangeStatus.Active, "SVC-N2"),
            new NumberRangeRecord("0121", "01214960000", "01214960004", NumberRangeStatus.Active, "SVC-N1"),
            new NumberRangeRecord("0113", "01134960000", "01134960002", NumberRangeStatus.Ringfenced, null),
        ],
        [new SiteRecord("SVC-S1", "hq", "HQ001", "X05000455534")],
        [
            new UserRecord("SVC-U1", "SVC-S1", "jo.bloggs", "Jo", "O'Bloggs", "2001", "01214960011", "professional", ["00112233AABB"]),
            new UserRecord("SVC-U2", "SVC-S1", "no.number", "No", "Number", "2002", null, "standard", []),
        ]);

    [Fact]
    public void Ranges_of_one_area_code_become_one_block_holding_all_their_numbers()
    {
        var state = InventoryImport.ToState("acme", "lineage-1", "CUG5019851064", "GB12345678", Inventory);

        state.NumberBlocks.Select(b => (b.Name, b.AreaCode, b.Quantity, b.Ranges.Length))
            .Should().Equal(("block-0113", "0113", 3, 1), ("block-0121", "0121", 10, 2));
    }

    [Fact]
    public void The_first_state_is_serial_1_with_the_company_record_and_no_orders()
    {
        var state = InventoryImport.ToState("acme", "lineage-1", "CUG5019851064", "GB12345678", Inventory);

        state.Serial.Should().Be(1);
        state.Lineage.Should().Be("lineage-1");
        state.Record.Should().BeEquivalentTo(new { Name = "Acme Widgets", ServiceId = "SVC-C1", BillingAccount = "GB12345678", CugId = "CUG5019851064", Active = true });
        state.Orders.Should().BeEmpty();
        state.Intents.Should().BeEmpty();
    }

    [Fact]
    public void A_user_is_in_the_block_holding_their_number_and_at_their_site_by_name()
    {
        var state = InventoryImport.ToState("acme", "lineage-1", "CUG5019851064", "GB12345678", Inventory);

        state.Users.Select(u => (u.Username, u.Site, u.NumberBlock)).Should().Equal(("jo.bloggs", "hq", "block-0121"), ("no.number", "hq", null));
    }

    [Fact]
    public void The_written_manifest_loads_without_diagnostics_and_keeps_every_value()
    {
        var state = InventoryImport.ToState("acme", "lineage-1", "CUG5019851064", "GB12345678", Inventory);

        var loaded = ManifestLoader.Parse("acme.yaml", ImportedManifestWriter.Write(state));

        loaded.Diagnostics.Should().BeEmpty();
        var user = loaded.Companies.Should().ContainSingle().Subject.AllUsers().First().User;
        user.LastName.Should().Be("O'Bloggs");
        user.Extension.Should().Be("2001");
        user.Devices.Select(d => d.MacAddress).Should().Equal("00112233AABB");
    }

    [Theory]
    [InlineData("Jane Smith", "Jane Smith")]
    [InlineData("2001", "\"2001\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("", "\"\"")]
    public void Scalars_are_plain_only_when_YAML_cannot_read_them_as_anything_else(string value, string expected)
    {
        ImportedManifestWriter.Scalar(value).Should().Be(expected);
    }
}
