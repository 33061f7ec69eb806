using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25: destroyed means gone. After <c>whcctl destroy</c> the company's state is a tombstone that keeps its
/// history: no plan tells the user to destroy it again, <c>state list</c> shows it destroyed, and the same
/// <c>metadata.name</c> can be made again later, continuing the same history. On the local and the PostgreSQL store.
/// </summary>
public sealed class DestroyedCompanyTests
{
    private const string Quickstart = "examples/quickstart";

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task After_destroy_no_plan_says_to_destroy_it_again_and_state_list_shows_it_destroyed(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var destroy = await session.RunAsync("destroy", "fun-network", "--auto-approve");
        destroy.ExitCode.Should().Be(ExitCodes.Success, destroy.ToString());

        // The team's other manifests, which never named fun-network (or no longer do).
        var plan = await session.RunAsync("plan", "examples/multi-site");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Error.Should().NotContain("WHC3013", plan.ToString());
        (plan.Output + plan.Error).Should().NotContain("whcctl destroy fun-network");

        var list = await session.RunAsync("state", "list");
        list.ExitCode.Should().Be(ExitCodes.Success, list.ToString());
        list.Output.Should().MatchRegex(@"(?m)^fun-network \(destroyed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$", list.ToString());
        list.Output.Should().NotContain("fun-network/");

        var show = await session.RunAsync("state", "show", "fun-network");
        show.ExitCode.Should().Be(ExitCodes.Success, show.ToString());
        show.Output.Should().Contain("destroyed.at").And.Contain("destroyed.name").And.Contain("TheFunNetwork");

        // The state keeps its history: the version before the destroy can still be found.
        var pulled = JsonNode.Parse(await session.StateAsync("fun-network"))!;
        pulled["version"]!.GetValue<int>().Should().Be(3);
        pulled["destroyed"]!["serviceId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var history = JsonNode.Parse((await session.RunAsync("state", "history", "fun-network", "--format", "json")).Output)!.AsArray();
        history.Count.Should().BeGreaterThan(1);

        // A second destroy has nothing to do, and says why, as Terraform's destroy of an empty state does.
        var again = await session.RunAsync("destroy", "fun-network", "--auto-approve");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
        (again.Output + again.Error).Should().Contain("Nothing to cease: fun-network already destroyed").And.NotContain("WHC3012");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task Destroy_of_a_company_already_ceased_at_BT_outside_whcctl_leaves_it_destroyed_in_state(string backend)
    {
        // Given fun-network ceased at BT by someone else, and gone from the manifests: the plan says to destroy it
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        await session.AdminPostAsync("/_sandbox/outside/companies/TheFunNetwork/cease", new { });
        (await session.RunAsync("plan", "examples/multi-site")).Error.Should().Contain("WHC3013").And.Contain("whcctl destroy fun-network");

        // When the user does as told
        var destroy = await session.RunAsync("destroy", "fun-network", "--auto-approve");

        // Then nothing is sent to cease, state records it destroyed, and no plan says to destroy it again
        destroy.ExitCode.Should().Be(ExitCodes.Success, destroy.ToString());
        var plan = await session.RunAsync("plan", "examples/multi-site");
        plan.Error.Should().NotContain("WHC3013", plan.ToString());
        (await session.RunAsync("state", "list")).Output.Should().Contain("fun-network (destroyed ");
        var again = await session.RunAsync("destroy", "fun-network", "--auto-approve");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_company_at_BT_can_be_imported_under_a_destroyed_companys_key_continuing_its_history(string backend)
    {
        // Given fun-network destroyed, and a company of the same name made at BT since (here by whcctl under another key, then forgotten)
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var lineage = JsonNode.Parse(await session.StateAsync("fun-network"))!["lineage"]!.GetValue<string>();
        (await session.RunAsync("destroy", "fun-network", "--auto-approve")).ExitCode.Should().Be(ExitCodes.Success);
        session.Write("again/company.yaml", session.Read("examples/quickstart/company.yaml").Replace("name: fun-network", "name: fun-network-again", StringComparison.Ordinal));
        await session.ApplyAsync("again");
        (await session.RunAsync("state", "rm", "fun-network-again")).ExitCode.Should().Be(ExitCodes.Success);

        // When it is imported under the destroyed company's key
        var import = await session.RunAsync("import", "fun-network", "examples/quickstart");

        // Then the tombstone does not stand in the way, and the history goes on
        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        var state = JsonNode.Parse(await session.StateAsync("fun-network"))!;
        state["lineage"]!.GetValue<string>().Should().Be(lineage);
        state.AsObject().ContainsKey("destroyed").Should().BeFalse();
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_destroyed_company_made_again_from_its_manifest_is_live_again_in_the_same_history(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var lineage = JsonNode.Parse(await session.StateAsync("fun-network"))!["lineage"]!.GetValue<string>();
        (await session.RunAsync("destroy", "fun-network", "--auto-approve")).ExitCode.Should().Be(ExitCodes.Success);

        var plan = await session.RunAsync("plan", Quickstart);
        plan.Output.Should().Contain("+ company fun-network");
        await session.ApplyAsync(Quickstart);

        var state = JsonNode.Parse(await session.StateAsync("fun-network"))!;
        state["lineage"]!.GetValue<string>().Should().Be(lineage, "the company's history continues");
        state.AsObject().ContainsKey("destroyed").Should().BeFalse();
        var list = await session.RunAsync("state", "list");
        list.Output.Should().StartWith("fun-network\n").And.NotContain("destroyed");
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }
}
