using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25, item 4, with the built whcctl as a child process: swapping one user for another in a full block. The
/// sandbox (like BT) frees the removed user's number once its cease completes, so the plan ceases first and adds the
/// new user with that number; apply (with --allow-destroy) succeeds and the next plan is clean. It used to fail WHC3008.
/// </summary>
public sealed class FullBlockSwapTests
{
    private const string Manifest = "examples/quickstart/company.yaml";

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task Swapping_a_user_in_a_full_block_ceases_first_then_adds_the_new_user_with_the_freed_number(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        session.Edit(Manifest, "      quantity: 10\n", "      quantity: 1\n");
        await session.ApplyAsync("examples/quickstart");
        var before = Numbers(await session.AdminGetAsync("/_sandbox/inventory"));
        session.Edit(Manifest, "        - username: jane.smith\n          firstName: Jane\n          lastName: Smith\n          extension: \"2001\"\n", "        - username: jo.bloggs\n          firstName: Jo\n          lastName: Bloggs\n          extension: \"2002\"\n");

        var plan = await session.RunAsync("plan", "examples/quickstart", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("jo.bloggs").And.Contain(before["jane.smith"]);

        await session.ApplyAsync("examples/quickstart", "--allow-destroy");
        var after = Numbers(await session.AdminGetAsync("/_sandbox/inventory"));
        after.Keys.Should().BeEquivalentTo(["jo.bloggs"]);
        after["jo.bloggs"].Should().Be(before["jane.smith"]);
        var again = await session.RunAsync("plan", "examples/quickstart", "--detailed-exitcode");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
    }

    private static Dictionary<string, string> Numbers(JsonNode inventory) =>
        inventory["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Where(u => u!["status"]?.GetValue<string>() != "ceased")
            .ToDictionary(u => u!["username"]!.GetValue<string>(), u => u!["directoryNumber"]!.GetValue<string>());
}
