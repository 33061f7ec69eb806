using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests.Planning;

/// <summary>
/// An equivalence pin, not a bug test: since issue 28 the planner tells an unchanged user by comparing its fields
/// before it builds and diffs attribute lists. These cases, seen passing on the code before that, pin that a user is
/// unchanged exactly when no attribute differs, and which attributes a change shows, on the inputs where the two
/// could part: devices in another order or none at all, no number, another number of the block (kept), a number still
/// to be ringfenced, text differing only in case, protection alone.
/// </summary>
public class UnchangedUserTests
{
    private const string Mac1 = "805EC0000001";
    private const string Mac2 = "805EC0000002";

    public static TheoryData<string, string> Variations => new()
    {
        { "as applied", "" },
        { "first name in another case", "firstName" },
        { "last name", "lastName" },
        { "extension", "extension" },
        { "licence", "licence" },
        { "holding another number of its block", "" },
        { "no number recorded", "number" },
        { "devices recorded in another order", "devices" },
        { "one device fewer", "devices" },
        { "no devices recorded (default)", "devices" },
        { "devices and last name", "lastName, devices" },
        { "protection only", "protect" },
    };

    [Theory]
    [MemberData(nameof(Variations))]
    public void Should_plan_a_user_unchanged_only_when_no_attribute_differs(string variation, string changed)
    {
        // Given a user with two devices, whose state differs from the manifest as the variation says, without refresh
        var manifest = Manifest(Site("hq", User("ann", macs: [Mac2, Mac1]), User("bob")));
        var applied = Applied(manifest);
        var ann = applied.Users.Single(u => u.Username == "ann");
        UserState recorded = variation switch
        {
            "first name in another case" => ann with { FirstName = ann.FirstName.ToUpperInvariant() },
            "last name" => ann with { LastName = "Other" },
            "extension" => ann with { Extension = "7999" },
            "licence" => ann with { Licence = ann.Licence + "-x" },
            "holding another number of its block" => ann with { DirectoryNumber = Number(5) },
            "no number recorded" => ann with { DirectoryNumber = null },
            "devices recorded in another order" => ann with { DeviceMacAddresses = [Mac2, Mac1] },
            "one device fewer" => ann with { DeviceMacAddresses = [Mac1] },
            "no devices recorded (default)" => ann with { DeviceMacAddresses = default },
            "devices and last name" => ann with { LastName = "Other", DeviceMacAddresses = [] },
            "protection only" => ann with { Protected = true },
            _ => ann,
        };
        var state = applied with { Users = [.. applied.Users.Select(u => u.Username == "ann" ? recorded : u)] };

        // When it is planned
        var change = PlanOne(Input(manifest, state)).Only().ChangeOf(UserAddress("ann"));

        // Then it is unchanged exactly when nothing differs, and a change names what does
        change.Action.Should().Be(changed.Length == 0 ? ChangeAction.NoOp : ChangeAction.Update, variation);
        string.Join(", ", change.Attributes.Select(a => a.Name)).Should().Be(changed, variation);
    }

    [Fact]
    public void Should_plan_a_user_without_devices_unchanged_whether_state_records_none_or_an_empty_list()
    {
        // Given a user without devices, recorded once with no list and once with an empty one
        var manifest = Manifest(Site("hq", User("ann")));
        var applied = Applied(manifest);
        foreach (var devices in new[] { default, ImmutableArray<string>.Empty })
        {
            var state = applied with { Users = [.. applied.Users.Select(u => u with { DeviceMacAddresses = devices })] };

            // When it is planned, then it is unchanged
            PlanOne(Input(manifest, state)).Only().ChangeOf(UserAddress("ann")).Action.Should().Be(ChangeAction.NoOp);
        }
    }

    [Fact]
    public void Should_show_a_number_still_to_be_ringfenced_as_known_after_the_ringfence_for_a_user_that_holds_none()
    {
        // Given a user recorded without a number, drawing on a block with no free number (a second user holds the only one)
        var manifest = Manifest([Block(quantity: 1)], Site("hq", User("ann"), User("bob")));
        var applied = Applied(manifest);
        var state = applied with
        {
            Users = [.. applied.Users.Select(u => u.Username == "ann" ? u with { DirectoryNumber = null } : u with { DirectoryNumber = Number(0) })],
        };

        // When it is planned
        var change = PlanOne(Input(manifest, state)).Only().ChangeOf(UserAddress("ann"));

        // Then its number changes to one known after the ringfence
        change.Action.Should().Be(ChangeAction.Update);
        change.Attributes.Should().ContainSingle().Which.After.Should().Be(AttributeValue.KnownAfter("ringfence"));
    }
}
