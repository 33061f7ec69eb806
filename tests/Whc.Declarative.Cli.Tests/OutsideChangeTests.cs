using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 13: stories of changes made at BT by someone else (through the sandbox's admin API), each from a state a user
/// really reaches to <c>plan --detailed-exitcode</c> = 0, by commands alone, on local and on PostgreSQL state.
/// </summary>
public sealed class OutsideChangeTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;
    private const string Manifest = "examples/quickstart/company.yaml";

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task Drift_is_seen_then_accepted_with_apply_refresh_only_and_the_drift_check_closes(string backend)
    {
        // Given the quickstart applied, and someone at BT renaming jane.smith
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        await session.AdminPostAsync("/_sandbox/outside/users/jane.smith", new { lastName = "Jones" });

        // When the nightly drift check runs, it reports it (exit 2)
        var drift = await session.RunAsync("plan", Quickstart, "--refresh-only", "--detailed-exitcode");
        drift.ExitCode.Should().Be(ExitCodes.Changes, drift.ToString());
        drift.Output.Should().Contain("user jane.smith").And.Contain("\"Smith\" → \"Jones\"");

        // And a normal plan shows it above the change that would put it back, in text and in JSON
        var plan = await session.RunAsync("plan", Quickstart);
        plan.Output.Should().Contain("Changed at BT outside whcctl since the last apply").And.Contain("\"Jones\" → \"Smith\"");
        var json = JsonNode.Parse((await session.RunAsync("plan", Quickstart, "--format", "json")).Output)!;
        json["resource_drift"]!.AsArray().Should().ContainSingle().Which!["whcctl_address"]!.GetValue<string>().Should().Be("fun-network/user/jane.smith");

        // And after the team edits the manifest to match and accepts the drift
        session.Edit(Manifest, "lastName: Smith", "lastName: Jones");
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success, "BT already matches the edited manifest");
        var accept = await session.RunAsync("apply", Quickstart, "--refresh-only", "--auto-approve");

        // Then state holds what BT holds, the drift check is clean, and nothing was ordered
        accept.ExitCode.Should().Be(ExitCodes.Success, accept.ToString());
        (await session.RunAsync("plan", Quickstart, "--refresh-only", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
        (await session.StateAsync("fun-network")).Should().Contain("\"lastName\": \"Jones\"");
        (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray().Should().HaveCount(1);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_no_change_apply_records_what_refresh_read(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        await session.AdminPostAsync("/_sandbox/outside/users/jane.smith", new { lastName = "Jones" });
        session.Edit(Manifest, "lastName: Smith", "lastName: Jones");

        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().Contain("recording in state what refresh read");
        (await session.RunAsync("plan", Quickstart, "--refresh-only", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_company_ceased_at_BT_outside_whcctl_is_made_again_with_fresh_ids(string backend)
    {
        // Given the quickstart applied, then ceased at BT by someone else
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var before = await session.StateAsync("fun-network");
        await session.AdminPostAsync("/_sandbox/outside/companies/TheFunNetwork/cease", new { });

        // When it is planned and applied
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then it is labelled as made again, qualified afresh, and one apply converges with new ids
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("company fun-network").And.Contain("ceased at BT outside whcctl: made again, with a new qualification")
            .And.Contain("fun-network:qualify");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
        var companies = (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray();
        companies.Select(c => c!["status"]!.GetValue<string>()).Should().BeEquivalentTo(["ceased", "active"]);
        var active = companies.Single(c => c!["status"]!.GetValue<string>() == "active")!;
        (await session.StateAsync("fun-network")).Should().Contain(active["serviceId"]!.GetValue<string>()).And.NotBe(before);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_state_applied_at_one_endpoint_is_never_planned_against_another_until_rebound_on_purpose(string backend)
    {
        // Given the quickstart applied against a served BT (WHC_ENDPOINT set)
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var before = await session.StateAsync("fun-network");
        before.Should().Contain($"\"endpoint\": \"{session.Environment["WHC_ENDPOINT"]!.TrimEnd('/')}\"");

        // When someone forgets WHC_ENDPOINT (so the embedded sandbox would answer)
        var forgetful = session.Environment.Where(e => e.Key != "WHC_ENDPOINT").ToDictionary(e => e.Key, e => e.Value);
        var plan = await Whcctl.RunAsync(session.Workspace.Path, forgetful, ["plan", Quickstart]);
        var apply = await Whcctl.RunAsync(session.Workspace.Path, forgetful, ["apply", Quickstart, "--auto-approve"]);

        // Then both are refused, naming both endpoints and the way to move on purpose, and state is untouched
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("error WHC3016").And.Contain("talks to sandbox").And.Contain("whcctl state rebind fun-network --endpoint sandbox");
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        (await session.StateAsync("fun-network")).Should().Be(before);

        // And once moved on purpose, the sandbox is planned against (it knows nothing of the company)
        (await Whcctl.RunAsync(session.Workspace.Path, forgetful, ["state", "rebind", "fun-network", "--endpoint", "sandbox"])).ExitCode.Should().Be(ExitCodes.Success);
        var moved = await Whcctl.RunAsync(session.Workspace.Path, forgetful, ["plan", Quickstart, "--detailed-exitcode"]);
        moved.ExitCode.Should().Be(ExitCodes.Changes, moved.ToString());
        moved.Error.Should().NotContain("WHC3016");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task Renaming_a_block_and_a_site_in_the_manifest_is_followed_in_state_with_state_mv_without_re_creating_them(string backend)
    {
        // Given the quickstart applied, and the team renaming its block and its site in the manifest
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "name: brum", "name: birmingham");
        session.Edit(Manifest, "from: brum", "from: birmingham");
        session.Edit(Manifest, "name: ipswich-hq", "name: hq");
        var before = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        // (Issue 25: that plan would cease and re-create them, and BT would refuse the new site: it is refused at plan time.)
        before.ExitCode.Should().Be(ExitCodes.Error, before.ToString());
        before.Error.Should().Contain("WHC3041").And.Contain("WHC3042");

        // When state follows with state mv
        (await session.RunAsync("state", "mv", "fun-network/number-block/brum", "fun-network/number-block/birmingham")).ExitCode.Should().Be(ExitCodes.Success);
        (await session.RunAsync("state", "mv", "fun-network/site/ipswich-hq", "fun-network/site/hq")).ExitCode.Should().Be(ExitCodes.Success);
        var user = await session.RunAsync("state", "mv", "fun-network/user/jane.smith", "fun-network/user/jane");

        // Then the plan is clean (BT keeps its names), and a user is refused: its username is its identity at BT
        var after = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        after.ExitCode.Should().Be(ExitCodes.Success, after.ToString());
        user.ExitCode.Should().Be(ExitCodes.Error);
        user.Error.Should().Contain("a username is how BT knows a user");
        (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray().Should().HaveCount(1);
    }
}
