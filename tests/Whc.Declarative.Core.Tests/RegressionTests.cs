using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>One test per bug found, named after what broke.</summary>
public class RegressionTests
{
    [Fact]
    public void An_active_company_at_BT_that_is_not_in_state_was_planned_against_as_if_it_were_ours_instead_of_WHC3001()
    {
        // Given BT holds an active company under the manifest's name, with a user the manifest does not have, and no state
        var stranger = new UserRecord("US-x", "SI-x", "someone.else", "Some", "One", "2999", null, "standard", []);
        var inventory = new CompanyInventory("CO-9999", "Acme Ltd", "acme.example", "retail", CompanyStatus.Active, null, [],
            [new SiteRecord("SI-x", "elsewhere", "LOC-x", "A00000009")], [stranger]);

        // When the manifest is planned
        var plan = PlanOne(Input(Simple(), refresh: RefreshSnapshot.Of(inventory)));

        // Then the collision is reported and nothing of the other company is touched
        plan.Codes().Should().Equal("WHC3001");
        var company = plan.Only();
        company.Steps.SelectMany(s => s.Details.Operations).Should().NotContain(o => o.Kind == OrderOperationKind.Cease);
        company.Changes.Should().NotContain(c => c.Address.Name == "someone.else" || c.Address.Name == "elsewhere");
    }

    [Fact]
    public void A_name_registered_by_another_reseller_was_reported_as_three_immutable_field_changes_instead_of_WHC3001()
    {
        // Given BT says only that the name is registered elsewhere
        var input = Input(Simple(), refresh: RefreshSnapshot.Of(CompanyInventory.RegisteredElsewhere("Acme Ltd")));

        // When it is planned
        var plan = PlanOne(input);

        // Then exactly WHC3001 is reported
        plan.Codes().Should().Equal("WHC3001");
    }

    [Fact]
    public void A_company_whose_state_records_another_service_id_is_not_planned_against_the_company_BT_now_holds()
    {
        // Given state records CO-0001 but BT's company under the name is CO-9999
        var manifest = Simple();
        var state = Applied(manifest);
        var inventory = InventoryOf(state) with { ServiceId = "CO-9999", Users = [] };

        // When it is planned
        var plan = PlanOne(Input(manifest, state, RefreshSnapshot.Of(inventory)));

        // Then the collision is reported
        plan.Codes().Should().Contain("WHC3001");
    }
}
