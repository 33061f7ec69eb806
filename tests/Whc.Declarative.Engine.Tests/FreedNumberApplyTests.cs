namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 25, item 4, against the sandbox: one user swapped for another in a full block. The sandbox, like BT, frees a
/// ceased user's directory number once the cease order completes; the plan ceases first, then adds the new user with
/// the freed number (the planner used to refuse it with WHC3008), and the next plan is clean.
/// </summary>
public sealed class FreedNumberApplyTests
{
    [Fact]
    public async Task A_user_swapped_for_another_in_a_full_block_is_applied_with_the_freed_number()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 2).Replace("quantity: 4 }", "quantity: 2 }", StringComparison.Ordinal);
        original.Should().Contain("quantity: 2 }");
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        var before = await NumbersAsync(harness);

        // acme.user1 leaves; acme.user7 comes, drawing on the same (full) block
        var changed = original.Replace("username: acme.user1, firstName: User, lastName: Number1, extension: \"2001\"", "username: acme.user7, firstName: New, lastName: Starter, extension: \"2007\"", StringComparison.Ordinal);
        changed.Should().Contain("acme.user7").And.NotContain("acme.user1");
        var manifests = EngineHarness.Manifests(changed);

        var plan = await harness.PlanAsync(manifests);
        plan.AllDiagnostics.Should().BeEmpty();
        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        var after = await NumbersAsync(harness);
        after.Keys.Should().BeEquivalentTo(["acme.user0", "acme.user7"]);
        after["acme.user0"].Should().Be(before["acme.user0"]);
        after["acme.user7"].Should().Be(before["acme.user1"]);
    }

    private static async Task<Dictionary<string, string>> NumbersAsync(EngineHarness harness) =>
        (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Where(u => u!["status"]?.GetValue<string>() != "ceased")
            .ToDictionary(u => u!["username"]!.GetValue<string>(), u => u!["directoryNumber"]!.GetValue<string>());
}
