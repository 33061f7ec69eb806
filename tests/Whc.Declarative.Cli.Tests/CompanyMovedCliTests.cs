using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25: a company key change (metadata.name) reviewed in the manifest with <c>moved: company/OLD → company/NEW</c>,
/// end to end against the sandbox, on local and PostgreSQL state; and the same change without the entry, refused at plan
/// time with the entry to add rather than re-creating the company at BT.
/// </summary>
public sealed class CompanyMovedCliTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;
    private const string Manifest = "examples/quickstart/company.yaml";

    private static async Task<JsonNode> InventoryAsync(SandboxSession session) => await session.AdminGetAsync("/_sandbox/inventory");

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_company_key_changed_with_moved_keeps_the_company_and_its_history(string backend)
    {
        // Given the quickstart applied, and its metadata.name changed with a moved entry
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var before = JsonNode.Parse(await session.StateAsync("fun-network"))!;
        var btBefore = (await InventoryAsync(session)).ToJsonString();
        session.Edit(Manifest, "name: fun-network", "name: fun-net");
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: company/fun-network, to: company/fun-net }\n");

        // When it is planned (text and JSON) and applied
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        var json = JsonNode.Parse((await session.RunAsync("plan", Quickstart, "--format", "json")).Output)!;
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then the plan shows the move and nothing else: no order, no warning that fun-network is left alone
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("~ company fun-network → fun-net  (moved)").And.NotContain("API steps").And.NotContain("Create order");
        plan.Error.Should().NotContain("WHC3013");
        var change = json["resource_changes"]!.AsArray().Single(c => c!["whcctl_address"]!.GetValue<string>() == "fun-net")!;
        change["whcctl_previous_address"]!.GetValue<string>().Should().Be("fun-network");
        change["previous_address"].Should().NotBeNull();

        // And apply changes nothing at BT; state holds fun-net (same lineage, serial continued), fun-network holds nothing
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        (await InventoryAsync(session)).ToJsonString().Should().Be(btBefore);
        var moved = JsonNode.Parse(await session.StateAsync("fun-net"))!;
        moved["lineage"]!.GetValue<string>().Should().Be(before["lineage"]!.GetValue<string>());
        moved["serial"]!.GetValue<long>().Should().BeGreaterThan(before["serial"]!.GetValue<long>());
        moved["record"]!["serviceId"]!.GetValue<string>().Should().Be(before["record"]!["serviceId"]!.GetValue<string>());
        var old = JsonNode.Parse(await session.StateAsync("fun-network"))!;
        old["record"].Should().BeNull();
        old["users"]!.AsArray().Should().BeEmpty();
        (await session.RunAsync("state", "list")).Output.Should().NotContain("fun-network/");

        // And the next plan is clean with the entry left in
        var next = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        next.ExitCode.Should().Be(ExitCodes.Success, next.ToString());
        next.Error.Should().NotContain("WHC3013");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_company_key_changed_without_moved_is_refused_at_plan_time_with_the_entry_to_add(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var btBefore = (await InventoryAsync(session)).ToJsonString();
        session.Edit(Manifest, "name: fun-network", "name: fun-net");

        var plan = await session.RunAsync("plan", Quickstart);
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("WHC3044").And.Contain("moved: [{ from: company/fun-network, to: company/fun-net }]");
        // The key change explains it all: not "already registered ... import it" (it is ours) nor "left alone" for the old key.
        plan.Error.Should().NotContainAny("WHC3001", "WHC3002", "WHC3013");
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        (await InventoryAsync(session)).ToJsonString().Should().Be(btBefore);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_company_move_killed_between_its_two_writes_is_finished_by_the_next_apply(string backend)
    {
        // Given the quickstart applied, and the state as an apply killed after the copy left it: fun-net holds
        // fun-network's state (same lineage), and fun-network still holds it too
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        var btBefore = (await InventoryAsync(session)).ToJsonString();
        var pulled = JsonNode.Parse(await session.StateAsync("fun-network"))!;
        pulled["company"] = "fun-net";
        var copy = session.Workspace.File("copy.json");
        File.WriteAllText(copy, pulled.ToJsonString());
        var push = await session.RunAsync("state", "push", "fun-net", copy, "--force");
        push.ExitCode.Should().Be(ExitCodes.Success, push.ToString());
        session.Edit(Manifest, "name: fun-network", "name: fun-net");
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: company/fun-network, to: company/fun-net }\n");

        // When it is planned and applied
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then the plan finishes the move rather than refusing; fun-network is emptied, BT unchanged, the next plan clean
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("~ company fun-network → fun-net  (moved)").And.NotContain("Create order");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        JsonNode.Parse(await session.StateAsync("fun-network"))!["record"].Should().BeNull();
        JsonNode.Parse(await session.StateAsync("fun-net"))!["lineage"]!.GetValue<string>().Should().Be(pulled["lineage"]!.GetValue<string>());
        (await InventoryAsync(session)).ToJsonString().Should().Be(btBefore);
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_targeted_apply_of_a_company_move_needs_the_old_keys_lock_too(string backend)
    {
        // Given the quickstart applied, its key changed with a moved entry, and another run holding the old key's lock
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "name: fun-network", "name: fun-net");
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: company/fun-network, to: company/fun-net }\n");
        var store = session.OpenStateStore();
        await using var closeStore = store as IAsyncDisposable;
        var holder = new LockInfo(Guid.NewGuid().ToString("N"), "alice", "elsewhere", Environment.ProcessId, "whcctl apply", DateTimeOffset.UtcNow);
        var held = await store.AcquireLockAsync("fun-network", holder, TimeSpan.Zero, CancellationToken.None);

        // When fun-net is applied with --target, without waiting
        var apply = await session.RunAsync("apply", Quickstart, "--target", "fun-net", "--auto-approve", "--lock-timeout", "0s");
        await held.DisposeAsync();

        // Then it fails on the old key's lock, and nothing moved
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("fun-network");
        (await store.ReadAsync("fun-net", CancellationToken.None)).Should().BeNull();
        (await store.ReadAsync("fun-network", CancellationToken.None))?.Record.Should().NotBeNull();
    }

    [Fact]
    public async Task A_saved_plan_of_a_company_move_applies()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        var btBefore = (await InventoryAsync(session)).ToJsonString();
        session.Edit(Manifest, "name: fun-network", "name: fun-net");
        File.AppendAllText(session.Workspace.File(Manifest), "  moved:\n    - { from: company/fun-network, to: company/fun-net }\n");

        var saved = await session.RunAsync("plan", Quickstart, "--out", "plan.json", "--detailed-exitcode");
        var apply = await session.RunAsync("apply", "plan.json");

        saved.ExitCode.Should().Be(ExitCodes.Changes, saved.ToString());
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        JsonNode.Parse(await session.StateAsync("fun-network"))!["record"].Should().BeNull();
        JsonNode.Parse(await session.StateAsync("fun-net"))!["record"].Should().NotBeNull();
        (await InventoryAsync(session)).ToJsonString().Should().Be(btBefore);
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Validate_refuses_a_company_move_to_another_key_and_from_a_key_still_declared()
    {
        await using var session = await SandboxSession.StartAsync();
        File.AppendAllText(
            session.Workspace.File(Manifest),
            "  moved:\n    - { from: company/old-one, to: company/other }\n    - { from: company/fun-network, to: company/fun-network }\n");
        var lines = session.Read(Manifest).Split('\n');
        var otherLine = Array.FindIndex(lines, l => l.Contains("to: company/other", StringComparison.Ordinal)) + 1;

        var validate = await session.RunAsync("validate", Quickstart);

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        validate.Error.Should().Contain($"company.yaml({otherLine},").And.Contain("error WHC2042").And.Contain("company/other")
            .And.Contain("WHC2045");
    }
}
