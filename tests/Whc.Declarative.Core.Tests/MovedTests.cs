using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>moved entries (issue 25): renames planned as renames in state, and renames without them caught at plan time.</summary>
public class MovedTests
{
    private static CompanyManifest WithMoves(CompanyManifest manifest, params (string From, string To)[] moves) =>
        manifest with { Moved = [.. moves.Select((m, i) => new MoveSpec(m.From, m.To, Span(40 + i)))] };

    private static SiteSpec Renamed(SiteSpec site, string name) => site with { Name = name };

    [Fact]
    public void Should_plan_a_renamed_site_without_moved_as_an_error_naming_both_sites_and_the_entry_to_add()
    {
        // Given site hq (location code LOC-hq) with a user, applied
        var manifest = Simple(users: 1);
        var state = Applied(manifest);

        // When the site is renamed to main, keeping its location code
        var renamed = Manifest(Renamed(manifest.Sites[0], "main"));
        var plan = PlanOne(Existing(renamed, state));

        // Then the plan refuses it: BT would refuse the create once the user was already ceased
        var error = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3041").Subject;
        error.Message.Should().Contain("'main'").And.Contain("'hq'").And.Contain("moved: [{ from: site/hq, to: site/main }]");
        plan.HasErrors.Should().BeTrue();
    }

    [Fact]
    public void Should_warn_of_a_likely_rename_when_an_added_site_has_a_removed_site_s_NAD_key_under_another_location_code()
    {
        // Given site hq (NAD key of its own) with a user, applied
        var manifest = Simple(users: 1);
        var state = Applied(manifest);

        // When it is renamed to main with a new location code, at the same NAD key
        var renamed = Manifest(Renamed(manifest.Sites[0], "main") with { LocationCode = "LOC-new" });
        var plan = PlanOne(Existing(renamed, state));

        // Then a warning, not an error: BT accepts a second site at the same address, so the plan can be applied
        var warning = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3043").Subject;
        warning.IsError.Should().BeFalse();
        warning.Message.Should().Contain("'main'").And.Contain("'hq'").And.Contain(manifest.Sites[0].Address.NadKey)
            .And.Contain("moved: [{ from: site/hq, to: site/main }]").And.Contain("keep locationCode LOC-hq");
        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        plan.AllDiagnostics.Should().NotContain(d => d.Code == "WHC3041");
    }

    [Fact]
    public void Should_warn_of_a_likely_rename_when_an_added_site_has_a_removed_site_s_postcode_and_premises()
    {
        var manifest = Manifest(SiteAtPostcode("hq", "IP4 1AA", "Unit 1", User("jane.smith", extension: "2001")));
        var state = Applied(manifest);

        // Written differently (spacing, case): the same address as the address matcher reads it
        var renamed = Manifest(SiteAtPostcode("main", "ip41aa", "Unit  1", User("jane.smith", extension: "2001")));
        var plan = PlanOne(Existing(renamed, state));

        var warning = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3043").Subject;
        warning.Message.Should().Contain("moved: [{ from: site/hq, to: site/main }]").And.Contain("IP4 1AA");
    }

    [Fact]
    public void Should_not_warn_of_a_rename_for_an_added_site_at_another_address()
    {
        var manifest = Simple(users: 1);
        var state = Applied(manifest);

        var plan = PlanOne(Existing(Manifest(Site("main", manifest.Sites[0].Users)), state));

        plan.AllDiagnostics.Should().NotContain(d => d.Code == "WHC3043" || d.Code == "WHC3041");
    }

    [Fact]
    public void Should_plan_a_site_renamed_with_moved_as_a_move_with_no_step()
    {
        var manifest = Simple(users: 2);
        var state = Applied(manifest);

        var renamed = WithMoves(Manifest(Renamed(manifest.Sites[0], "main")), ("site/hq", "site/main"));
        var plan = PlanOne(Existing(renamed, state));

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        var company = plan.Only();
        company.Steps.Should().BeEmpty();
        var change = company.ChangeOf(SiteAddress("main"));
        change.Action.Should().Be(ChangeAction.NoOp);
        change.PreviousAddress.Should().Be(SiteAddress("hq"));
        change.Reason.Should().Be("moved");
        company.Changes.Should().NotContain(c => c.Action != ChangeAction.NoOp);
        company.HasChanges.Should().BeTrue();
        company.RefreshedState.Should().NotBeNull();
        company.RefreshedState!.Sites.Select(s => s.Name).Should().Equal("main");
        company.RefreshedState.Users.Should().OnlyContain(u => u.Site == "main");
        plan.Ceases.Should().BeEmpty();
    }

    [Fact]
    public void Should_record_the_move_without_a_refresh_too()
    {
        var manifest = Simple(users: 1);
        var state = Applied(manifest);

        var renamed = WithMoves(Manifest(Renamed(manifest.Sites[0], "main")), ("site/hq", "site/main"));
        var company = PlanOne(Input(renamed, state)).Only();

        company.RefreshedState!.Sites.Select(s => s.Name).Should().Equal("main");
        company.Steps.Should().BeEmpty();
    }

    [Fact]
    public void Should_leave_an_entry_whose_from_is_not_in_state_as_a_quiet_no_op()
    {
        // Given the rename already applied (state holds main)
        var manifest = WithMoves(Manifest(Site("main", Users("u", 1))), ("site/hq", "site/main"));
        var state = Applied(manifest);

        var plan = PlanOne(Existing(manifest, state));

        plan.AllDiagnostics.Should().BeEmpty();
        plan.HasChanges.Should().BeFalse();
        plan.Only().RefreshedState.Should().BeNull();
    }

    [Fact]
    public void Should_follow_a_chain_of_moves_to_its_end()
    {
        var manifest = Simple(users: 1);
        var state = Applied(manifest);

        var renamed = WithMoves(Manifest(Renamed(manifest.Sites[0], "c")), ("site/hq", "site/b"), ("site/b", "site/c"));
        var company = PlanOne(Existing(renamed, state)).Only();

        company.ChangeOf(SiteAddress("c")).PreviousAddress.Should().Be(SiteAddress("hq"));
        company.Steps.Should().BeEmpty();
    }

    [Fact]
    public void Should_refuse_a_move_when_state_holds_both_its_ends()
    {
        var manifest = Manifest(Site("hq"), Site("main"));
        var state = Applied(manifest);

        var plan = PlanOne(Existing(WithMoves(Manifest(Site("main")), ("site/hq", "site/main")), state));

        plan.Codes().Should().Contain("WHC3040");
    }

    [Fact]
    public void Should_keep_users_numbers_when_a_number_block_is_renamed_with_moved()
    {
        var manifest = Simple(users: 2);
        var state = Applied(manifest);

        var users = manifest.Sites[0].Users.Select(u => u with { Number = new NumberRef("ipswich") }).ToArray();
        var renamed = WithMoves(Manifest([Block("ipswich")], Site("hq", users)), ("number-block/main", "number-block/ipswich"));
        var plan = PlanOne(Existing(renamed, state));

        plan.HasErrors.Should().BeFalse(string.Join("; ", plan.AllDiagnostics));
        var company = plan.Only();
        company.Steps.Should().BeEmpty();
        company.ChangeOf(BlockAddress("ipswich")).PreviousAddress.Should().Be(BlockAddress("main"));
        company.ChangeOf(UserAddress("u01")).Action.Should().Be(ChangeAction.NoOp);
        company.RefreshedState!.Users.Should().OnlyContain(u => u.NumberBlock == "ipswich");
        company.RefreshedState.Users.Select(u => u.DirectoryNumber).Should().Equal(state.Users.Select(u => u.DirectoryNumber));
    }

    [Fact]
    public void Should_warn_that_a_number_block_renamed_without_moved_renumbers_its_users()
    {
        var manifest = Simple(users: 2);
        var state = Applied(manifest);

        var users = manifest.Sites[0].Users.Select(u => u with { Number = new NumberRef("ipswich") }).ToArray();
        var plan = PlanOne(Existing(Manifest([Block("ipswich")], Site("hq", users)), state));

        var warning = plan.AllDiagnostics.Should().ContainSingle(d => d.Code == "WHC3042").Subject;
        warning.IsError.Should().BeFalse();
        warning.Message.Should().Contain("moved: [{ from: number-block/main, to: number-block/ipswich }]").And.Contain("2 users");
    }

    [Fact]
    public void Should_not_move_a_site_an_unfinished_order_acts_on()
    {
        var manifest = Simple(users: 1);
        var state = Applied(manifest) with
        {
            Orders = [new OrderRecord("ORD-7", "ext-7", "acme:order-1:create", Whc.Declarative.Core.Api.OrderState.InProgress, Now.AddMinutes(-3), ["acme/site/hq"])],
        };

        var renamed = WithMoves(Manifest(Renamed(manifest.Sites[0], "main")), ("site/hq", "site/main"));
        var plan = PlanOne(Input(renamed, state));

        plan.AllDiagnostics.Should().Contain(d => d.Code == "WHC3040" && d.Message.Contains("order ORD-7"));
    }
}
