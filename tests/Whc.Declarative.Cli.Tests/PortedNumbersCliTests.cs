using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 17 end to end, over HTTP against the sandbox: a customer that brings its numbers from another provider. The
/// ported range is ringfenced by its ends, ordered as WHCPortednumber, drawn on by users, refused when another company
/// holds it (at plan time where BT's inventory tells, at apply time otherwise), and adopted back by import.
/// </summary>
public sealed class PortedNumbersCliTests
{
    private const string Cug = "CUG5019851064";
    private const string Movers = "ported/movers/company.yaml";
    private const string Rivals = "ported/rivals/company.yaml";

    private static string Company(string key, string name, string from, string to) => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: {{key}}
        spec:
          reseller: { cugId: {{Cug}}, billingAccount: GB12345678 }
          company: { name: {{name}}, domain: {{key}}.example.com, customerGroup: SWAINsTelecom }
          numberBlocks:
            - { name: moved, ported: { from: "{{from}}", to: "{{to}}" } }
          sites:
            - name: hq
              locationCode: HQ01
              address: { postcode: IP5 3RE, premises: Adastral Park }
              users:
                - { username: {{key}}.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: moved } }
                - { username: {{key}}.bob, firstName: Bob, lastName: Two, extension: "2002", number: { from: moved } }

        """;

    [Fact]
    public async Task A_company_with_a_ported_range_and_users_on_it_applies_and_plans_clean()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));

        var plan = await session.RunAsync("plan", "ported/movers");
        await session.ApplyAsync("ported/movers");

        plan.Output.Should().Contain("Ringfence ported numbers 01214960500-0519 (20) for block moved");
        var inventory = await session.AdminGetAsync("/_sandbox/inventory");
        var company = inventory["companies"]!.AsArray().Single()!;
        var range = company["numberRanges"]!.AsArray().Should().ContainSingle().Subject!;
        (range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>(), range["status"]!.GetValue<string>(), range["ported"]!.GetValue<bool>())
            .Should().Be(("01214960500", "01214960519", "ACTIVE", true));
        company["users"]!.AsArray().Select(u => u!["directoryNumber"]!.GetValue<string>()).Should().BeEquivalentTo(["01214960500", "01214960501"]);
        inventory["orders"]!.AsArray().Single()!.ToJsonString().Should().Contain("WHCPortednumber").And.NotContain("WHCNewnumber");
        var again = await session.RunAsync("plan", "ported/movers", "--detailed-exitcode");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
    }

    [Fact]
    public async Task A_ported_block_in_the_plan_JSON_has_its_numbers_as_a_list_and_is_marked_ported()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));

        var plan = await session.RunAsync("plan", "ported/movers", "--format", "json");

        PlanJsonShapeTests.ShouldMatchTheSchema(plan.Output, "a plan with a ported block");
        var block = JsonNode.Parse(plan.Output)!["resource_changes"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "whc_number_block")!;
        block["change"]!["after"]!["numbers"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("01214960500-0519");
        block["change"]!["after"]!["ported"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task A_range_another_company_holds_is_refused_at_plan_time_with_its_position()
    {
        // Given one company holding a ported range
        await using var session = await SandboxSession.StartAsync();
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
        await session.ApplyAsync("ported/movers");

        // When another asks for a range overlapping it
        session.Write(Rivals, Company("rivals", "RivalsLtd", "01214960510", "01214960529"));
        var plan = await session.RunAsync("plan", "ported/rivals");

        // Then the plan is refused where the range is written, before anything is asked of BT's ringfence
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain($"{Rivals}(9,30): error WHC3030").And.Contain("held by another company");
        var requests = (await session.AdminGetAsync("/_sandbox/requests")).AsArray();
        requests.Count(r => r!["route"]!.GetValue<string>() == "ringFence").Should().Be(1, "only the first company's ringfence reached BT");
        requests.Should().Contain(r => r!["route"]!.GetValue<string>() == "verifyNumbers");
    }

    [Fact]
    public async Task A_range_BT_refuses_at_apply_time_fails_the_step_with_BTs_reason_and_records_nothing()
    {
        // Given a plan made without asking BT (so BT's inventory could not tell), and the range then taken by another company
        await using var session = await SandboxSession.StartAsync();
        session.Write(Rivals, Company("rivals", "RivalsLtd", "01214960510", "01214960529"));
        var saved = await session.RunAsync("plan", "ported/rivals", "--refresh=false", "--out", "rivals.plan");
        saved.ExitCode.Should().Be(ExitCodes.Success, saved.ToString());
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
        await session.ApplyAsync("ported/movers");

        // When the saved plan is applied
        var apply = await session.RunAsync("apply", "rivals.plan");

        // Then BT's refusal is the step's diagnostic, and the state holds no range and no open call
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("FAILED  rivals:ringfence:moved:01214960510").And.Contain("BT answered 400 (code 29)").And.Contain("held by another company; they cannot be ported in");
        var state = JsonNode.Parse(await session.StateAsync("rivals"))!;
        state["numberBlocks"]!.AsArray().Should().BeEmpty();
        state["intents"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_step_BT_refuses_is_still_reported_under_quiet_and_ends_the_json_events_with_a_failed_summary()
    {
        // Issue 23: -q keeps errors (the failed step and the "Apply failed" line); --format json ends with a summary.
        static async Task<CliResult> ApplyRefusedRangeAsync(params string[] options)
        {
            await using var session = await SandboxSession.StartAsync();
            session.Write(Rivals, Company("rivals", "RivalsLtd", "01214960510", "01214960529"));
            (await session.RunAsync("plan", "ported/rivals", "--refresh=false", "--out", "rivals.plan")).ExitCode.Should().Be(ExitCodes.Success);
            session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
            await session.ApplyAsync("ported/movers");
            return await session.RunAsync(["apply", "rivals.plan", .. options]);
        }

        var quiet = await ApplyRefusedRangeAsync("-q");
        var json = await ApplyRefusedRangeAsync("--format", "json");

        quiet.ExitCode.Should().Be(ExitCodes.Error, quiet.ToString());
        var lines = quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().Contain(l => l.Contains("FAILED  rivals:ringfence:moved:01214960510", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("Apply failed: ", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains("] done ", StringComparison.Ordinal) || l.Contains("] skipped ", StringComparison.Ordinal), "-q prints only errors");
        json.ExitCode.Should().Be(ExitCodes.Error, json.ToString());
        var summary = JsonNode.Parse(json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
        summary["type"]!.GetValue<string>().Should().Be("summary");
        summary["outcome"]!.GetValue<string>().Should().Be("failed");
        summary["failed"]!.GetValue<int>().Should().BePositive();
    }

    [Fact]
    public async Task A_saved_plan_whose_range_another_company_took_since_is_refused_as_stale()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Rivals, Company("rivals", "RivalsLtd", "01214960510", "01214960529"));
        (await session.RunAsync("plan", "ported/rivals", "--out", "rivals.plan")).ExitCode.Should().Be(ExitCodes.Success);
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
        await session.ApplyAsync("ported/movers");

        var apply = await session.RunAsync("apply", "rivals.plan");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC4050");
        (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Should().ContainSingle("nothing of the stale plan reached BT");
    }

    [Fact]
    public async Task Removing_a_ported_block_needs_allow_destroy_and_warns_that_the_numbers_may_be_lost()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
        await session.ApplyAsync("ported/movers");
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519")
            .Replace(", number: { from: moved }", string.Empty, StringComparison.Ordinal)
            .Replace("    - { name: moved, ported: { from: \"01214960500\", to: \"01214960519\" } }\n", string.Empty, StringComparison.Ordinal)
            .Replace("  numberBlocks:\n", string.Empty, StringComparison.Ordinal));

        var plan = await session.RunAsync("plan", "ported/movers");
        var refused = await session.RunAsync("apply", "ported/movers", "--auto-approve");
        var allowed = await session.RunAsync("apply", "ported/movers", "--auto-approve", "--allow-destroy");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        (plan.Output + plan.Error).Should().Contain("warning WHC3032").And.Contain("lost to the customer for good");
        refused.ExitCode.Should().Be(ExitCodes.Error, refused.ToString());
        refused.Error.Should().Contain("WHC4053");
        allowed.ExitCode.Should().Be(ExitCodes.Success, allowed.ToString());
        var company = (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Single()!;
        company["numberRanges"]!.AsArray().Single()!["status"]!.GetValue<string>().Should().Be("CEASED");
    }

    [Fact]
    public async Task An_interrupted_ported_ringfence_is_reconciled_without_a_duplicate()
    {
        // Given BT ringfences the range and the connection then drops
        await using var session = await SandboxSession.StartAsync();
        await session.AdminPostAsync("/_sandbox/faults", new { script = new[] { new { route = "ringFence", fault = "abortAfterCommit", count = 1 } } });
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));

        // When the company is applied
        await session.ApplyAsync("ported/movers");

        // Then BT holds the range once and the next plan is clean
        var company = (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Single()!;
        company["numberRanges"]!.AsArray().Should().ContainSingle();
        var requests = (await session.AdminGetAsync("/_sandbox/requests")).AsArray();
        requests.Count(r => r!["route"]!.GetValue<string>() == "ringFence").Should().Be(1);
        (await session.RunAsync("plan", "ported/movers", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Import_adopts_a_ported_range_as_a_ported_block_and_its_manifest_plans_clean()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
        await session.ApplyAsync("ported/movers", "--state", "elsewhere");

        var import = await session.RunAsync("import", "movers", "--cug", Cug, "--name", "MoversLtd", "--billing-account", "GB12345678", "--write-manifest", "adopted/movers/company.yaml");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        session.Read("adopted/movers/company.yaml").Should().Contain("    - name: ported-0121\n      ported:\n        - { from: \"01214960500\", to: \"01214960519\" }\n")
            .And.Contain("number: { from: ported-0121 }");
        var plan = await session.RunAsync("plan", "adopted", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
    }

    [Fact]
    public async Task Import_with_the_teams_manifest_names_the_ported_block_as_the_manifest_does()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));
        await session.ApplyAsync("ported/movers", "--state", "elsewhere");

        var import = await session.RunAsync("import", "movers", "ported/movers");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        var plan = await session.RunAsync("plan", "ported/movers", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        JsonNode.Parse(await session.StateAsync("movers"))!["numberBlocks"]!.AsArray().Single()!["ported"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task The_assumed_request_shape_is_overridable_through_the_contract_on_both_sides()
    {
        // Given a contract that puts the range's ends (and the ported mark) elsewhere, served by the sandbox too
        const string Override = """
            {
              "routes": {
                "ringFence": { "request": { "numbers.characteristics.startNumber": "portedRange.from", "numbers.characteristics.endNumber": "portedRange.to" } },
                "readCompany": { "response": { "numberRanges[].ported": "numberRanges[].isPorted" } },
                "verifyNumbers": { "path": "/inventory/{cugId}/numbers", "query": { "startNumber": "from", "endNumber": "to" } }
              }
            }
            """;
        var load = ContractLoader.Load([ContractLoader.ParseOverlay(Override, "contract.json").Overlay!]);
        load.Diagnostics.Should().BeEmpty();
        await using var session = await SandboxSession.StartAsync(contract: load.Contract);
        session.Write("contract.json", Override);
        session.Write(Movers, Company("movers", "MoversLtd", "01214960500", "01214960519"));

        // When the company is applied and planned again through it
        await session.ApplyAsync("ported/movers", "--contract", "contract.json");
        var plan = await session.RunAsync("plan", "ported/movers", "--contract", "contract.json", "--detailed-exitcode");

        // Then it converges, the verify went to the overridden route, and BT holds the range as ported
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var requests = (await session.AdminGetAsync("/_sandbox/requests")).AsArray();
        requests.Should().Contain(r => r!["path"]!.GetValue<string>().StartsWith("/inventory/CUG5019851064/numbers", StringComparison.Ordinal));
        var range = (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Single()!["numberRanges"]!.AsArray().Single()!;
        (range["startNumber"]!.GetValue<string>(), range["ported"]!.GetValue<bool>()).Should().Be(("01214960500", true));
    }
}
