using System.Collections.Immutable;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>Planning again after an apply that stopped part-way: what is done is not done again.</summary>
public class ResumeTests
{
    /// <summary>State and inventory after qualify, ringfence and the address step of a new company, before its first order.</summary>
    private static CompanyPlanInput QualifiedRingfencedAndAddressed(DateTimeOffset expires)
    {
        var manifest = Manifest(SiteAtPostcode("hq", "B1 1AA", "Unit 9", User("u01")));
        var state = CompanyState.New(Key, "lineage-1") with
        {
            Record = new CompanyRecord("Acme Ltd", "acme.example", "retail", "CUG-1", "BA-1", "CO-0001", new QualificationRecord("Q-1", expires, false), false),
            NumberBlocks = [new NumberBlockState("main", "0121", 10, [new NumberRangeState(Number(0), Number(9), false, null)])],
            Sites = [new SiteState("hq", "LOC-hq", "A12121212", null)],
        };
        var inventory = new CompanyInventory("CO-0001", "Acme Ltd", "acme.example", "retail", CompanyStatus.Qualified, "Q-1",
            [new NumberRangeRecord("0121", Number(0), Number(9), NumberRangeStatus.Ringfenced, null)], [], []);
        return Input(manifest, state, RefreshSnapshot.Of(inventory));
    }

    [Fact]
    public void Should_not_qualify_ringfence_or_resolve_the_address_again_when_resuming_before_the_first_order()
    {
        // Given qualify, ringfence and address steps are done and the qualification is valid for hours
        var input = QualifiedRingfencedAndAddressed(Now.AddHours(8));

        // When it is planned again
        var plan = PlanOne(input).Only();

        // Then only the first order remains, adding the ringfenced numbers at the recorded NAD key
        plan.Steps.Select(s => s.Kind).Should().Equal(StepKind.CreateOrder, StepKind.SubmitOrder, StepKind.AwaitOrder);
        plan.Steps[0].Operations().Select(o => o.Address).Should().Equal(ResourceAddress.ForCompany(Key), BlockAddress(), SiteAddress("hq"), UserAddress("u01"));
        plan.NadKeys.Should().Contain("hq", "A12121212");
        plan.ChangeOf(UserAddress("u01")).Attributes.Should().ContainEquivalentOf(new AttributeChange("number", null, AttributeValue.Text(Number(0))));
    }

    [Fact]
    public void Should_qualify_again_but_not_ringfence_again_when_the_qualification_has_expired()
    {
        // Given the same, with a qualification that expired yesterday
        var input = QualifiedRingfencedAndAddressed(Now.AddDays(-1));

        // When it is planned again
        var plan = PlanOne(input).Only();

        // Then a new qualification precedes the order, and the numbers already ringfenced are kept
        plan.Steps[0].Kind.Should().Be(StepKind.Qualify);
        plan.Steps.Should().NotContain(s => s.Kind == StepKind.RingFence);
        plan.Step("acme:order-1:create").DependsOn.Should().Contain(Id("acme:qualify"));
    }

    [Fact]
    public void Should_plan_no_changes_for_an_unchanged_user_without_a_number_and_with_unsorted_devices()
    {
        // Given a user with no number and devices listed out of order, applied and read back from BT
        var manifest = Manifest(Site("hq", User("u01", block: null, extension: "2001", macs: ["0004F2AABB09", "0004F2AABB01"])));
        var state = Applied(manifest);
        var inventory = InventoryOf(state);
        inventory = inventory with { Users = [inventory.Users[0] with { DeviceMacAddresses = ["0004F2AABB09", "0004F2AABB01"] }] };

        // When it is planned
        var plan = PlanOne(Input(manifest, state, RefreshSnapshot.Of(inventory))).Only();

        // Then nothing changes
        plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public void Should_order_the_rest_of_a_partially_applied_company_without_touching_what_is_done()
    {
        // Given users u01-u03 were created by order 1 and u04-u06 are still to come
        var state = Applied(Simple(users: 3));

        // When the full manifest is planned
        var plan = PlanOne(Existing(Simple(users: 6), state)).Only();

        // Then one order adds u04-u06 with the next numbers
        plan.Steps.Where(s => s.Kind == StepKind.CreateOrder).Should().ContainSingle()
            .Which.Operations().Select(o => o.Address.Name).Should().Equal("u04", "u05", "u06");
        plan.ChangeOf(UserAddress("u06")).Attributes.Should().ContainEquivalentOf(new AttributeChange("number", null, AttributeValue.Text(Number(5))));
    }

    [Fact]
    public void Should_not_list_the_intent_details_it_cannot_parse_as_operations()
    {
        // Given a create-order intent whose operations text is damaged in part
        var details = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["externalId"] = "acme-1",
            ["resources"] = "acme/user/u03,not an address",
            ["operations"] = "Add=acme/user/u03,Explode=acme/user/u01,Add=",
        });
        var intent = new IntentRecord("I-1", "acme:order-1:create", IntentOperations.CreateOrder, Now, details);

        // When it is read
        var read = IntentDetails.Read(intent);

        // Then only the well-formed operation is listed
        read.Should().BeOfType<CreateOrderIntent>().Which.Operations.Should().Equal(new OrderOperation(UserAddress("u03"), OrderOperationKind.Add));
    }
}
