using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25: swapping one user for another in a full block. BT frees the removed user's number only once its cease is
/// applied, so the plan cannot give it to the new user in the same apply; WHC3008 says so, and what to do.
/// </summary>
public sealed class FullBlockSwapTests
{
    private const string Manifest = "examples/quickstart/company.yaml";

    [Fact]
    public async Task Swapping_a_user_in_a_full_block_says_the_removed_users_number_frees_only_once_its_cease_is_applied()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Edit(Manifest, "      quantity: 10\n", "      quantity: 1\n");
        await session.ApplyAsync("examples/quickstart");
        session.Edit(Manifest, "        - username: jane.smith\n          firstName: Jane\n          lastName: Smith\n          extension: \"2001\"\n", "        - username: jo.bloggs\n          firstName: Jo\n          lastName: Bloggs\n          extension: \"2002\"\n");

        var plan = await session.RunAsync("plan", "examples/quickstart");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("WHC3008").And.Contain("'jo.bloggs'").And.Contain("'jane.smith'")
            .And.Contain("frees only once that cease is applied").And.Contain("--allow-destroy");
    }
}
