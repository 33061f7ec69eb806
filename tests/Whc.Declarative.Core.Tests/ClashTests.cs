using System.Collections.Immutable;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.PlanStepQueries;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 25, item 2: BT's uniqueness rules within a company (the sandbox enforces each: site name and location code,
/// username, extension, MAC address, directory number). A create or change that takes a value another resource holds
/// at BT is ordered after the change that frees it (a cease, or a change of that resource); a value a resource keeps
/// is a plan-time error naming both (WHC3050); values swapped between resources are an error too (WHC3051).
/// Duplicates inside the manifest are validate's (WHC2002-WHC2006), not the planner's.
/// </summary>
public class ClashTests
{
    private const string Mac = "00:1A:2B:3C:4D:5E";

    private static PlannerOptions Targeting(params string[] addresses) => new()
    {
        Targets = [.. addresses.Select(a => ResourceAddress.TryParse(a, out var address) ? address : throw new ArgumentException(a))],
    };

    /// <summary>The create-order step whose operations include the resource.</summary>
    [Fact]
    public void A_new_user_taking_the_extension_another_user_gives_up_is_added_after_that_change_completes()
    {
        // Given u01 (extension 2001) at BT; the manifest moves u01 to 2011 and gives 2001 to a new user listed first
        var applied = Applied(Simple(users: 2));
        var manifest = Manifest(Site("hq", User("new", extension: "2001"), User("u01", extension: "2011"), User("u02", extension: "2002")));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied)).Only();

        // Then the add of 'new' is in an order that waits for the order changing u01, never the same or an earlier one
        plan.Diagnostics.Should().BeEmpty();
        var change = OrderOf(plan, "u01");
        var add = OrderOf(plan, "new");
        add.Id.Should().NotBe(change.Id);
        Before(plan, add).Should().Contain(AwaitOf(change));
    }

    [Fact]
    public void A_new_user_taking_a_phone_another_user_gives_up_is_added_after_that_change_completes()
    {
        // Given u01 with a phone at BT; the manifest takes the phone from u01 and gives it to a new user
        var applied = Applied(Manifest(Site("hq", User("u01", extension: "2001", macs: Mac))));
        var manifest = Manifest(Site("hq", User("new", extension: "2005", macs: Mac), User("u01", extension: "2001")));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied)).Only();

        // Then the add waits for the change that frees the MAC address
        plan.Diagnostics.Should().BeEmpty();
        Before(plan, OrderOf(plan, "new")).Should().Contain(AwaitOf(OrderOf(plan, "u01")));
    }

    [Fact]
    public void A_new_user_taking_the_extension_of_a_user_the_plan_leaves_alone_is_an_error_naming_both()
    {
        // Given u01 (2001) at BT, a manifest moving it to 2011 and adding 'new' with 2001, planned with only 'new' targeted
        var applied = Applied(Simple(users: 2));
        var manifest = Manifest(Site("hq", User("new", extension: "2001"), User("u01", extension: "2011"), User("u02", extension: "2002")));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied), Targeting("acme/user/new"));

        // Then u01 keeps 2001 at BT, so BT would refuse the add: a plan-time error naming both users
        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3050").Subject;
        error.Message.Should().Contain("user 'new'").And.Contain("user 'u01'").And.Contain("extension 2001");
    }

    [Fact]
    public void A_new_user_taking_the_phone_of_a_user_the_plan_leaves_alone_is_an_error_naming_both()
    {
        var applied = Applied(Manifest(Site("hq", User("u01", extension: "2001", macs: Mac))));
        var manifest = Manifest(Site("hq", User("new", extension: "2005", macs: "00-1a-2b-3c-4d-5e"), User("u01", extension: "2001")));

        var plan = PlanOne(Existing(manifest, applied), Targeting("acme/user/new"));

        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3050").Subject;
        error.Message.Should().Contain("user 'new'").And.Contain("user 'u01'").And.Contain("MAC address");
    }

    [Fact]
    public void A_new_user_whose_username_differs_only_in_case_from_one_that_stays_is_an_error_naming_both()
    {
        // Given 'Jane' at BT, protected, and a manifest that has 'jane' instead (BT compares usernames ignoring case)
        var original = Manifest(Site("hq", User("Jane", extension: "2001") with { Protect = true }));
        var applied = Applied(original);
        var manifest = Manifest(Site("hq", User("jane", extension: "2002")));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied));

        // Then 'Jane' stays (protected), and the add of 'jane' is refused at plan time, naming both
        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3050").Subject;
        error.Message.Should().Contain("user 'jane'").And.Contain("user 'Jane'").And.Contain("username");
    }

    [Fact]
    public void A_user_whose_username_differs_only_in_case_from_one_the_plan_ceases_is_added_after_the_cease()
    {
        var applied = Applied(Manifest(Site("hq", User("Jane", extension: "2001"))));
        var manifest = Manifest(Site("hq", User("jane", extension: "2001")));

        var plan = PlanOne(Existing(manifest, applied)).Only();

        plan.Diagnostics.Should().BeEmpty();
        Before(plan, OrderOf(plan, "jane")).Should().Contain(AwaitOf(OrderOf(plan, "Jane")));
    }

    [Fact]
    public void A_username_BT_says_is_taken_by_a_user_of_this_company_the_plan_ceases_is_not_an_error()
    {
        // Given 'Jane' at BT, a manifest with 'jane' instead, and BT's username check saying 'jane' is taken (by 'Jane')
        var applied = Applied(Manifest(Site("hq", User("Jane", extension: "2001"))));
        var manifest = Manifest(Site("hq", User("jane", extension: "2001")));
        var refresh = RefreshSnapshot.Of(InventoryOf(applied)) with { TakenUsernames = ["jane"] };

        // When it is planned
        var plan = PlanOne(Input(manifest, applied, refresh)).Only();

        // Then it is not refused (WHC3005): 'Jane' is ceased first, which frees the name
        plan.Diagnostics.Should().BeEmpty();
        Before(plan, OrderOf(plan, "jane")).Should().Contain(AwaitOf(OrderOf(plan, "Jane")));
    }

    [Fact]
    public void A_directory_number_another_user_holds_is_never_planned_for_a_new_user()
    {
        // Given u01 and u02 at BT holding the first two numbers; u01 gives its number up, and a new user is added
        var applied = Applied(Simple(users: 2));
        var manifest = Manifest(Site("hq", User("new", extension: "2020"), User("u01", block: null, extension: "2001"), User("u02", extension: "2002")));

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied)).Only();

        // Then the new user gets a number nobody holds, so BT's rule (a directory number once in a company) cannot refuse it
        plan.Diagnostics.Should().BeEmpty();
        var number = plan.ChangeOf(UserAddress("new")).Attributes.Should().ContainSingle(a => a.Name == "number").Subject.After;
        number.Should().BeOfType<TextValue>().Which.Value.Should().NotBe(Number(0)).And.NotBe(Number(1));
    }

    [Fact]
    public void A_ported_range_held_by_a_ported_block_the_plan_ceases_is_refused_with_the_moved_entry_to_add()
    {
        // Given ported block 'old' at BT holding a range, and a manifest with the same range in ported block 'new' instead
        var range = (From: Number(2000), To: Number(2009));
        var spec = new PortedRangeSpec(range.From, range.To, Span(12));
        var manifest = Manifest([new NumberBlockSpec("new", string.Empty, spec.Count, false, Span(8)) { Ported = [spec] }], Site("hq", User("u01", block: null, extension: "2001")));
        var applied = Applied(Manifest([], Site("hq", User("u01", block: null, extension: "2001"))));
        applied = applied with { NumberBlocks = [new NumberBlockState("old", string.Empty, spec.Count, [new NumberRangeState(range.From, range.To, true, "NR-P0")]) { Ported = true }] };
        var inventory = InventoryOf(applied) with
        {
            NumberRanges = [new NumberRangeRecord("0121", range.From, range.To, NumberRangeStatus.Active, "NR-P0") { Ported = true }],
        };

        // When it is planned
        var plan = PlanOne(Input(manifest, applied, RefreshSnapshot.Of(inventory)));

        // Then the ringfence is refused (WHC3031), saying that 'old' is ceased by this plan and how to keep the numbers
        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3031").Subject;
        error.Message.Should().Contain("block 'old'").And.Contain("this plan ceases").And.Contain("moved: [{ from: number-block/old, to: number-block/new }]");
    }

    [Fact]
    public void Two_users_swapping_extensions_is_an_error_BT_would_refuse_in_any_order()
    {
        var applied = Applied(Simple(users: 2));
        var manifest = Manifest(Site("hq", User("u01", extension: "2002"), User("u02", extension: "2001")));

        var plan = PlanOne(Existing(manifest, applied));

        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3051").Subject;
        error.Message.Should().Contain("u01").And.Contain("u02").And.Contain("extension");
    }

    [Fact]
    public void A_new_site_whose_name_differs_only_in_case_from_a_site_the_plan_ceases_is_created_after_that_cease()
    {
        // Given site 'Branch' at BT (no users), and a manifest with 'branch' at another location code instead
        var applied = Applied(Manifest(Site("hq", User("u01", extension: "2001")), Site("Branch")));
        var manifest = Manifest(Site("hq", User("u01", extension: "2001")), Site("branch") with { LocationCode = "LOC-NEW" });

        // When it is planned
        var plan = PlanOne(Existing(manifest, applied)).Only();

        // Then 'Branch' is ceased in an order that completes before the order creating 'branch' (BT compares site names ignoring case)
        plan.Diagnostics.Should().BeEmpty();
        var cease = OrderOf(plan, "Branch");
        var create = OrderOf(plan, "branch");
        Before(plan, create).Should().Contain(AwaitOf(cease));
    }

    [Fact]
    public void A_new_site_whose_name_differs_only_in_case_from_a_site_that_stays_is_an_error_naming_both()
    {
        var applied = Applied(Manifest(Site("hq", User("u01", extension: "2001")), Site("Branch")));
        var manifest = Manifest(Site("hq", User("u01", extension: "2001")), Site("branch") with { LocationCode = "LOC-NEW" });

        var plan = PlanOne(Existing(manifest, applied), Targeting("acme/site/branch"));

        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3050").Subject;
        error.Message.Should().Contain("site 'branch'").And.Contain("site 'Branch'").And.Contain("site name");
    }

    [Fact]
    public void A_new_site_whose_location_code_differs_only_in_case_from_a_site_that_stays_is_an_error_naming_both()
    {
        // (An equal code on a removed site is a likely rename: WHC3041, MovedTests.)
        var applied = Applied(Manifest(Site("hq", User("u01", extension: "2001")), Site("old") with { LocationCode = "ips01" }));
        var manifest = Manifest(Site("hq", User("u01", extension: "2001")), Site("new") with { LocationCode = "IPS01" });

        var plan = PlanOne(Existing(manifest, applied), Targeting("acme/site/new"));

        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3050").Subject;
        error.Message.Should().Contain("site 'new'").And.Contain("site 'old'").And.Contain("location code");
    }

    [Fact]
    public void A_new_site_whose_location_code_differs_only_in_case_from_a_site_the_plan_ceases_is_created_after_that_cease()
    {
        var applied = Applied(Manifest(Site("hq", User("u01", extension: "2001")), Site("old") with { LocationCode = "ips01" }));
        var manifest = Manifest(Site("hq", User("u01", extension: "2001")), Site("new") with { LocationCode = "IPS01" });

        var plan = PlanOne(Existing(manifest, applied)).Only();

        Before(plan, OrderOf(plan, "new")).Should().Contain(AwaitOf(OrderOf(plan, "old")));
    }

    [Fact]
    public void Without_clashes_the_orders_are_as_before()
    {
        // A plan with no value taken from another resource keeps its phases: ceases, then adds and changes, then site ceases
        var applied = Applied(Simple(users: 3));
        var manifest = Manifest(Site("hq", User("u01", extension: "2011"), User("u02", extension: "2002"), User("new", extension: "2020")));

        var plan = PlanOne(Existing(manifest, applied)).Only();

        plan.Diagnostics.Should().BeEmpty();
        OrderOf(plan, "new").Id.Should().Be(OrderOf(plan, "u01").Id);
    }
}
