using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 25, item 2, against the sandbox: a new user taking the extension or phone another user gives up in the same
/// plan. The planner used to put both in one order, the add first, which BT refuses ("extension 2000 is already used",
/// "MAC address ... is already registered"); now the add waits for the change that frees the value, and apply succeeds.
/// </summary>
public sealed class UniqueValueOrderTests
{
    private const string User0 = "      - { username: acme.user0, firstName: User, lastName: Number0, extension: \"2000\", number: { from: main } }\n";

    [Fact]
    public async Task A_new_user_taking_the_extension_another_user_gives_up_is_applied_after_that_change()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 3);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();

        // acme.user0 moves from 2000 to 2010; acme.user9, listed first, takes 2000
        var changed = original.Replace(
            User0,
            "      - { username: acme.user9, firstName: New, lastName: Starter, extension: \"2000\", number: { from: main } }\n"
            + User0.Replace("\"2000\"", "\"2010\"", StringComparison.Ordinal),
            StringComparison.Ordinal);
        changed.Should().Contain("acme.user9");
        var manifests = EngineHarness.Manifests(changed);

        var plan = await harness.PlanAsync(manifests);
        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        var users = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Where(u => u!["status"]?.GetValue<string>() != "ceased")
            .ToDictionary(u => u!["username"]!.GetValue<string>(), u => u!["extension"]!.GetValue<string>());
        users["acme.user9"].Should().Be("2000");
        users["acme.user0"].Should().Be("2010");
    }

    [Fact]
    public async Task A_new_user_taking_the_phone_another_user_gives_up_is_applied_after_that_change()
    {
        await using var harness = await EngineHarness.StartAsync();
        const string phone = ", devices: [ { macAddress: \"00:11:22:AA:BB:CC\" } ] }\n";
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 3).Replace(User0, User0.Replace(" }\n", phone, StringComparison.Ordinal), StringComparison.Ordinal);
        original.Should().Contain("00:11:22:AA:BB:CC");
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();

        // the phone goes from acme.user0 to acme.user9, listed first
        var changed = original.Replace(
            User0.Replace(" }\n", phone, StringComparison.Ordinal),
            "      - { username: acme.user9, firstName: New, lastName: Starter, extension: \"2009\", number: { from: main }" + phone + User0,
            StringComparison.Ordinal);
        var manifests = EngineHarness.Manifests(changed);

        var plan = await harness.PlanAsync(manifests);
        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task A_username_changed_only_in_case_is_ceased_then_added_not_refused_as_taken()
    {
        // BT compares usernames ignoring case, so its username check says 'acme.user0' is taken (by 'acme.User0', of
        // this company): the plan used to refuse it (WHC3005); 'acme.User0' is ceased first, which frees the name.
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2).Replace("username: acme.user0,", "username: acme.User0,", StringComparison.Ordinal);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));

        var plan = await harness.PlanAsync(manifests);
        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task A_site_renamed_only_in_case_with_another_location_code_is_created_after_the_old_one_is_ceased()
    {
        // BT compares site names ignoring case: 'Site-0' cannot be created while 'site-0' is live. The plan used to
        // create it before ceasing 'site-0' (refused by BT, after the users were ceased); now 'site-0' goes first.
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        var changed = original.Replace("- name: site-0", "- name: Site-0", StringComparison.Ordinal).Replace("locationCode: ACM00", "locationCode: ACM10", StringComparison.Ordinal);
        changed.Should().Contain("Site-0").And.Contain("ACM10");
        var manifests = EngineHarness.Manifests(changed);

        var plan = await harness.PlanAsync(manifests);
        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
    }
}
