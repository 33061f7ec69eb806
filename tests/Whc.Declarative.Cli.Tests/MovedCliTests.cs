using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25: renames reviewed in the manifest (<c>moved</c>), end to end against the sandbox, on local and PostgreSQL
/// state; and the renames without them that used to strand a customer, now refused or flagged at plan time.
/// </summary>
public sealed class MovedCliTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;
    private const string Manifest = "examples/quickstart/company.yaml";

    private static async Task<int> OrdersAsync(SandboxSession session) =>
        (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray().Count;

    private static JsonNode BtCompany(JsonNode inventory) => inventory["companies"]!.AsArray().Single()!;

    private static JsonNode StateUser(string state, string username) =>
        JsonNode.Parse(state)!["users"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == username)!;

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_site_renamed_without_moved_is_refused_at_plan_time_and_no_user_is_ceased(string backend)
    {
        // Given the quickstart applied, and its site renamed in the manifest (same location code IPS01)
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "name: ipswich-hq", "name: ipswich-main");

        // When it is planned, and applied with --allow-destroy as the user did
        var plan = await session.RunAsync("plan", Quickstart);
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve", "--allow-destroy");

        // Then the plan names both sites and the exact entry to add, and nothing is ordered: jane.smith keeps her service
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("WHC3041").And.Contain("'ipswich-main'").And.Contain("'ipswich-hq'")
            .And.Contain("moved: [{ from: site/ipswich-hq, to: site/ipswich-main }]");
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        (await OrdersAsync(session)).Should().Be(1);
        var jane = BtCompany(await session.AdminGetAsync("/_sandbox/inventory"))["users"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == "jane.smith")!;
        jane["status"]!.GetValue<string>().Should().Be("active");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_site_renamed_with_moved_is_a_rename_in_state_alone_and_the_entry_can_stay(string backend)
    {
        // Given the quickstart applied, and its site renamed with a moved entry
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "name: ipswich-hq", "name: ipswich-main");
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: site/ipswich-hq, to: site/ipswich-main }\n");

        // When it is planned (text and JSON) and applied
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        var jsonText = (await session.RunAsync("plan", Quickstart, "--format", "json")).Output;
        var json = JsonNode.Parse(jsonText)!;
        var markdown = (await session.RunAsync("plan", Quickstart, "--format", "markdown")).Output;
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then the plan shows the move and nothing else for the site: no cease, no create, no API step
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("~ site ipswich-hq → ipswich-main  (moved)").And.NotContain("API steps").And.NotContain("Create order");
        var change = json["resource_changes"]!.AsArray().Single(c => c!["whcctl_address"]!.GetValue<string>() == "fun-network/site/ipswich-main")!;
        change["previous_address"]!.GetValue<string>().Should().Be("module.fun-network.whc_site.this[\"ipswich-hq\"]");
        change["change"]!["actions"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("no-op");
        change["whcctl_previous_address"]!.GetValue<string>().Should().Be("fun-network/site/ipswich-hq");
        json["applyable"]!.GetValue<bool>().Should().BeTrue();
        PlanJsonShapeTests.ShouldMatchTheSchema(jsonText, "a plan with a move");
        markdown.Should().Contain("~ fun-network/site/ipswich-hq → ipswich-main (moved)").And.NotContain("will be ceased");

        // And apply records it in state without a call that changes BT; the next plan is clean with the entry left in
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        (await OrdersAsync(session)).Should().Be(1);
        BtCompany(await session.AdminGetAsync("/_sandbox/inventory"))["sites"]!.AsArray().Select(s => s!["siteName"]!.GetValue<string>())
            .Should().Equal(["ipswich-hq"], "BT cannot rename a site: whcctl reads it under state's name");
        var state = await session.StateAsync("fun-network");
        StateUser(state, "jane.smith")["site"]!.GetValue<string>().Should().Be("ipswich-main");
        JsonNode.Parse(state)!["sites"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal("ipswich-main");
        var next = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        next.ExitCode.Should().Be(ExitCodes.Success, next.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_number_block_renamed_with_moved_keeps_every_number(string backend)
    {
        // Given the quickstart applied, and its block renamed in the manifest
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var number = StateUser(await session.StateAsync("fun-network"), "jane.smith")["directoryNumber"]!.GetValue<string>();
        session.Edit(Manifest, "name: brum", "name: birmingham");
        session.Edit(Manifest, "from: brum", "from: birmingham");

        // When it is planned without a moved entry, the plan warns that the users would be renumbered
        var without = await session.RunAsync("plan", Quickstart);
        without.Error.Should().Contain("WHC3042").And.Contain("moved: [{ from: number-block/brum, to: number-block/birmingham }]");

        // And with the entry, planned and applied
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: number-block/brum, to: number-block/birmingham }\n");
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then it is a move alone, jane.smith keeps her number, and the next plan is clean
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("~ number-block brum → birmingham  (moved)").And.NotContain("API steps");
        plan.Error.Should().NotContain("WHC3042");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        var user = StateUser(await session.StateAsync("fun-network"), "jane.smith");
        user["directoryNumber"]!.GetValue<string>().Should().Be(number);
        user["numberBlock"]!.GetValue<string>().Should().Be("birmingham");
        (await OrdersAsync(session)).Should().Be(1);
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Validate_reports_a_cycle_and_a_user_entry_with_their_positions()
    {
        await using var session = await SandboxSession.StartAsync();
        File.AppendAllText(
            session.Workspace.File(Manifest),
            "  moved:\n    - { from: site/a, to: site/b }\n    - { from: site/b, to: site/a }\n    - { from: user/jane, to: user/jane.smith }\n");
        var lines = session.Read(Manifest).Split('\n');
        var cycleLine = Array.FindIndex(lines, l => l.Contains("from: site/a", StringComparison.Ordinal)) + 1;
        var userLine = Array.FindIndex(lines, l => l.Contains("from: user/jane", StringComparison.Ordinal)) + 1;

        var validate = await session.RunAsync("validate", Quickstart);

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        var column = lines[cycleLine - 1].IndexOf("site/a", StringComparison.Ordinal) + 1;
        validate.Error.Should().Contain($"company.yaml({cycleLine},{column}): error WHC2045: moved entries form a cycle: site/a → site/b → site/a")
            .And.Contain($"company.yaml({userLine},{column}): error WHC2041").And.Contain("its username is how BT knows it");
    }

    [Fact]
    public async Task A_saved_plan_with_a_move_applies_and_a_second_rename_chains_from_the_first()
    {
        // Given the site renamed with moved, planned to a file and applied from it
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "name: ipswich-hq", "name: ipswich-main");
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: site/ipswich-hq, to: site/ipswich-main }\n");
        var saved = await session.RunAsync("plan", Quickstart, "--out", "plan.json", "--detailed-exitcode");
        var apply = await session.RunAsync("apply", "plan.json");
        saved.ExitCode.Should().Be(ExitCodes.Changes, saved.ToString());
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());

        // When it is renamed again a year later, the first entry kept and chained
        session.Edit(Manifest, "name: ipswich-main", "name: ipswich-central");
        File.AppendAllText(session.Workspace.File(Manifest), "    - { from: site/ipswich-main, to: site/ipswich-central }\n");
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        (await session.RunAsync("apply", Quickstart, "--auto-approve")).ExitCode.Should().Be(ExitCodes.Success);

        // Then the second plan is a move alone, and the estate converges with BT untouched
        plan.Output.Should().Contain("~ site ipswich-main → ipswich-central  (moved)");
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
        (await OrdersAsync(session)).Should().Be(1);
    }
}
