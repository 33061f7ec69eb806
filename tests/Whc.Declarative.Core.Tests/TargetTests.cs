using System.Collections.Immutable;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

public class TargetTests
{
    private static PlannerOptions Targeting(params string[] addresses) => new()
    {
        Targets = [.. addresses.Select(a => ResourceAddress.TryParse(a, out var address) ? address : throw new ArgumentException(a))],
    };

    [Fact]
    public void Should_plan_only_the_targeted_change_of_an_existing_company()
    {
        // Given u01 and u02 both changed
        var manifest = Simple(users: 2);
        var state = Applied(manifest);
        var users = manifest.Sites[0].Users;
        var changed = Manifest(Site("hq", users[0] with { LastName = "New" }, users[1] with { LastName = "Newer" }));

        // When only u01 is targeted
        var plan = PlanOne(Existing(changed, state), Targeting("acme/user/u01")).Only();

        // Then only u01's change and order remain
        plan.Changes.Where(c => c.Action != ChangeAction.NoOp).Select(c => c.Address).Should().Equal(UserAddress("u01"));
        plan.Steps.Where(s => s.Kind == StepKind.CreateOrder).Should().ContainSingle()
            .Which.Operations().Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify));
    }

    [Fact]
    public void Should_drop_a_ringfence_that_is_not_targeted()
    {
        // Given a block that grows and a user that changes
        var manifest = Simple(users: 1);
        var state = Applied(manifest);
        var changed = Manifest([Block(quantity: 20)], Site("hq", manifest.Sites[0].Users[0] with { LastName = "New" }));

        // When only the user is targeted
        var plan = PlanOne(Existing(changed, state), Targeting("acme/user/u01")).Only();

        // Then no ringfence is planned
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.RingFence);
    }

    [Fact]
    public void Should_keep_a_new_company_whole_when_a_target_lies_inside_it()
    {
        // Given a new company with three users
        var input = Input(Simple(users: 3), refresh: RefreshSnapshot.Of(null));

        // When one of its users is targeted
        var plan = PlanOne(input, Targeting("acme/user/u02")).Only();

        // Then the whole company is still created: a company cannot be created in part
        plan.Changes.Should().HaveCount(1 + 1 + 1 + 3).And.OnlyContain(c => c.Action == ChangeAction.Create);
        plan.Steps.Select(s => s.Kind).Should().Contain([StepKind.Qualify, StepKind.RingFence, StepKind.CreateOrder]);
    }

    [Fact]
    public void Should_plan_nothing_for_a_company_that_no_target_names()
    {
        // Given two new companies
        var other = Simple() with { Key = "other" };
        var inputs = new[] { Input(Simple(), refresh: RefreshSnapshot.Of(null)), Input(other, refresh: RefreshSnapshot.Of(null), company: "other") };

        // When only acme is targeted
        var plan = new Planner(Targeting("acme")).Plan(inputs, PlanMode.Normal, Now);

        // Then "other" has no changes or steps
        var untouched = plan.Companies.Should().ContainSingle(c => c.Company == "other").Subject;
        untouched.Steps.Should().BeEmpty();
        untouched.HasChanges.Should().BeFalse();
        plan.Companies.Single(c => c.Company == "acme").HasChanges.Should().BeTrue();
    }

    [Fact]
    public void Should_report_WHC3012_for_a_target_in_an_unknown_company()
    {
        // Given one company
        var input = Input(Simple(), refresh: RefreshSnapshot.Of(null));

        // When a target names a company that is neither in the manifests nor in state
        var plan = PlanOne(input, Targeting("nobody/user/jane"));

        // Then WHC3012 names the target
        var diagnostic = plan.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC3012");
        diagnostic.IsError.Should().BeTrue();
        diagnostic.Message.Should().Contain("nobody/user/jane");
    }

    [Fact]
    public void Should_treat_an_empty_target_list_as_everything()
    {
        // Given default options
        var options = new PlannerOptions { Targets = ImmutableArray<ResourceAddress>.Empty };

        // When a new company is planned
        var plan = PlanOne(Input(Simple(), refresh: RefreshSnapshot.Of(null)), options).Only();

        // Then everything is planned
        plan.Steps.Should().NotBeEmpty();
    }

    /// <summary>An existing company whose manifest grows block main, adds a ported block and two sites BT must find the address of.</summary>
    private static (CompanyManifest Manifest, CompanyState State) Grown(params UserSpec[] newcomers)
    {
        var manifest = Simple(users: 1);
        var state = Applied(manifest);
        var ported = new NumberBlockSpec("moved", string.Empty, 20, false, Span(8)) { Ported = [new PortedRangeSpec("01214960500", "01214960519", Span(9))] };
        var grown = Manifest(
            [Block(quantity: 20), Block("spare", "0161", 4), ported],
            Site("hq", manifest.Sites[0].Users[0] with { LastName = "New" }),
            SiteAtPostcode("branch", "B1 1AA", "Unit 9", newcomers),
            SiteAtPostcode("depot", "B2 2AA", "Unit 1"));
        return (grown, state);
    }

    [Fact]
    public void Should_filter_each_kind_of_preparation_step_by_the_resource_its_type_names()
    {
        // Given a company whose blocks grow and are added (new numbers and a ported range) and whose sites need addresses
        var (manifest, state) = Grown();

        // When block spare and site branch are targeted
        var plan = PlanOne(Existing(manifest, state), Targeting("acme/number-block/spare", "acme/site/branch")).Only();

        // Then only their steps stay: spare's ringfence and branch's address, not main's ringfence, the ported range or depot's address
        plan.Steps.OfType<RingFenceStep>().Select(s => s.Block).Should().Equal("spare");
        plan.Steps.OfType<PortedRingFenceStep>().Should().BeEmpty();
        plan.Steps.OfType<CreateAddressStep>().Select(s => s.Site).Should().Equal("branch");
    }

    [Fact]
    public void Should_keep_a_ported_ringfence_only_when_its_block_is_targeted()
    {
        // Given the same company
        var (manifest, state) = Grown();

        // When the ported block is targeted, and when only the user is
        var ported = PlanOne(Existing(manifest, state), Targeting("acme/number-block/moved")).Only();
        var user = PlanOne(Existing(manifest, state), Targeting("acme/user/u01")).Only();

        // Then the ported range is ringfenced in the first plan alone, and no other preparation step comes with it
        ported.Steps.OfType<PortedRingFenceStep>().Select(s => s.Range).Should().Equal(new Whc.Declarative.Core.Api.PortedRange("01214960500", "01214960519"));
        ported.Steps.Should().NotContain(s => s is RingFenceStep || s is CreateAddressStep);
        user.Steps.Should().NotContain(s => s is RingFenceStep || s is PortedRingFenceStep || s is CreateAddressStep);
        user.Steps.OfType<CreateOrderStep>().Should().ContainSingle().Which.Operations.Should().Equal(new OrderOperation(UserAddress("u01"), OrderOperationKind.Modify));
    }

    [Fact]
    public void Should_bring_the_address_and_ringfence_steps_a_targeted_new_user_needs()
    {
        // Given a new user at new site branch, drawing numbers from new block spare
        var (manifest, state) = Grown(User("x01", block: "spare", extension: "2301"));

        // When only that user is targeted
        var plan = PlanOne(Existing(manifest, state), Targeting("acme/user/x01")).Only();

        // Then its site's address and its block's ringfence come too; main's growth, the ported range and depot do not
        plan.Steps.OfType<RingFenceStep>().Select(s => s.Block).Should().Equal("spare");
        plan.Steps.OfType<PortedRingFenceStep>().Should().BeEmpty();
        plan.Steps.OfType<CreateAddressStep>().Select(s => s.Site).Should().Equal("branch");
        var create = plan.Steps.OfType<CreateOrderStep>().Should().ContainSingle().Subject;
        create.DependsOn.Should().BeEquivalentTo([StepId.RingFence(Key, "spare"), StepId.CreateAddress(Key, "branch")]);
    }
}
