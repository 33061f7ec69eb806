using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// What BT or state forbids is refused at plan time (or before apply changes anything), through the real CLI against a
/// sandbox; the diagnostics lists on stderr are compared with baselines.
/// </summary>
public sealed class PlanErrorTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;
    private const string Manifest = "examples/quickstart/company.yaml";

    /// <summary>Another reseller (another CUG, its own state) registering the quickstart's company name first.</summary>
    private const string Rival = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: rival
        spec:
          reseller:
            cugId: CUG7000000001
            billingAccount: GB87654321
          company:
            name: TheFunNetwork
            domain: rival-fun.example.com
            customerGroup: RivalTelecom
          sites:
            - name: hq
              locationCode: RIV01
              address: { nadKey: X05000455534 }

        """;

    [Fact]
    public async Task A_company_name_registered_by_another_reseller_fails_the_plan_with_WHC3001_naming_file_and_line()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("rival/company.yaml", Rival);
        await session.ApplyAsync("rival", "--state", "rival-state");

        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain($"{Manifest}(").And.Contain("error WHC3001");
        Baseline.Match("error-name-collision.txt", plan.Error, session.Workspace.Path);
    }

    [Theory]
    [InlineData("manifest")]
    [InlineData("plan")]
    public async Task A_failed_plan_still_reports_as_a_JSON_document_and_as_a_comment_with_a_caution_box(string failsAt)
    {
        // Given a plan that fails: a manifest that does not load, or one BT refuses at plan time (WHC3001)
        await using var session = await SandboxSession.StartAsync();
        if (failsAt == "manifest")
        {
            session.Edit(Manifest, "extension: \"2001\"", "extension: \"2001\"\n          extension: \"2002\"");
        }
        else
        {
            session.Write("rival/company.yaml", Rival);
            await session.ApplyAsync("rival", "--state", "rival-state");
        }

        // When it is planned for a pipeline
        var json = await session.RunAsync("plan", Quickstart, "--format", "json");
        var markdown = await session.RunAsync("plan", Quickstart, "--format", "markdown");

        // Then both exit 1 and still put a usable report on stdout
        json.ExitCode.Should().Be(ExitCodes.Error, json.ToString());
        var document = System.Text.Json.Nodes.JsonNode.Parse(json.Output)!;
        document["errored"]!.GetValue<bool>().Should().BeTrue();
        document["diagnostics"]!.AsArray().Should().Contain(d => d!["severity"]!.GetValue<string>() == "error");
        markdown.ExitCode.Should().Be(ExitCodes.Error, markdown.ToString());
        markdown.Output.Should().Contain("[!CAUTION]").And.Contain("cannot be applied");
    }

    [Fact]
    public async Task Changing_an_applied_company_domain_fails_the_plan_with_WHC3003_and_changes_nothing()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        var before = session.Sandbox.Requests.Count;
        session.Edit(Manifest, "domain: thefunnetwork.com", "domain: funnetwork.example.com");

        var plan = await session.RunAsync("plan", Quickstart);
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        Baseline.Match("error-immutable-domain.txt", plan.Error, session.Workspace.Path);
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC3003").And.Contain("nothing was changed");
        session.Sandbox.Requests.Skip(before).Should().OnlyContain(r => r.Method == "GET" || r.Path.Contains("token", StringComparison.OrdinalIgnoreCase), "planning only reads");
    }

    [Fact]
    public async Task Changing_an_applied_site_locationCode_fails_the_plan_with_WHC3003()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        session.Edit(Manifest, "locationCode: IPS01", "locationCode: IPS02");

        var plan = await session.RunAsync("plan", Quickstart);

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        Baseline.Match("error-immutable-location-code.txt", plan.Error, session.Workspace.Path);
    }

    [Fact]
    public async Task Removing_a_protected_user_from_the_manifest_fails_the_plan_with_WHC3004_because_state_remembers_the_protection()
    {
        await using var session = await SandboxSession.StartAsync();
        var original = session.Read(Manifest);
        session.Write(Manifest, original + PlanBaselineTests.JohnDoe + "          protect: true\n");
        await session.ApplyAsync(Quickstart);
        session.Write(Manifest, original);

        var plan = await session.RunAsync("plan", Quickstart);

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("WHC3004").And.Contain("john.doe");
        Baseline.Match("error-protected-delete.txt", plan.Error, session.Workspace.Path);
    }

    [Fact]
    public async Task Apply_refuses_a_plan_that_ceases_a_user_without_allow_destroy_with_WHC4053()
    {
        await using var session = await SandboxSession.StartAsync();
        var original = session.Read(Manifest);
        session.Write(Manifest, original + PlanBaselineTests.JohnDoe);
        await session.ApplyAsync(Quickstart);
        session.Write(Manifest, original);

        var refused = await session.RunAsync("apply", Quickstart, "--auto-approve");

        refused.ExitCode.Should().Be(ExitCodes.Error, refused.ToString());
        refused.Error.Should().Contain("WHC4053").And.Contain("fun-network/user/john.doe").And.Contain("--allow-destroy");
        Baseline.Match("error-destroy-not-allowed.txt", refused.Error, session.Workspace.Path);
        var still = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        still.ExitCode.Should().Be(ExitCodes.Changes, "john.doe is still at BT: " + still);
    }

    [Fact]
    public async Task Apply_with_allow_destroy_ceases_the_user_removed_from_the_manifest()
    {
        await using var session = await SandboxSession.StartAsync();
        var original = session.Read(Manifest);
        session.Write(Manifest, original + PlanBaselineTests.JohnDoe);
        await session.ApplyAsync(Quickstart);
        session.Write(Manifest, original);

        await session.ApplyAsync(Quickstart, "--allow-destroy");

        var after = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        after.ExitCode.Should().Be(ExitCodes.Success, after.ToString());
        after.Output.Should().Contain("No changes");
    }

    [Fact]
    public async Task Apply_outside_a_terminal_without_auto_approve_fails_with_WHC4054_and_changes_nothing()
    {
        await using var session = await SandboxSession.StartAsync();

        var apply = await session.RunAsync("apply", Quickstart);

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC4054").And.Contain("--auto-approve");
        Baseline.Match("error-approval-required.txt", apply.Error, session.Workspace.Path);
        session.Sandbox.Requests.Should().OnlyContain(r => r.Method == "GET" || r.Path.Contains("token", StringComparison.OrdinalIgnoreCase), "nothing was ordered");
        File.Exists(session.Workspace.File(".whc/state/fun-network.json")).Should().BeFalse("no state was written");
    }
}

public sealed class PlanErrorImportHintTests
{
    [Fact]
    public async Task A_company_of_this_reseller_that_is_not_in_state_fails_the_plan_with_WHC3001_suggesting_import()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        var plan = await session.RunAsync("plan", PlanBaselineTests.Quickstart);

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("error WHC3001").And.Contain("whcctl import fun-network");
    }

    [Fact]
    public async Task A_verify_route_that_BTs_gateway_does_not_know_stops_the_plan_instead_of_reading_as_free()
    {
        // Given a routes file whose company route the endpoint does not have (it answers 404/60, as BT's gateway does)
        await using var session = await SandboxSession.StartAsync();
        session.Write("routes.json", """{ "verifyCompany": "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/companyy" }""");

        // When a new company is planned
        var plan = await session.RunAsync("plan", PlanBaselineTests.Quickstart, "--routes", "routes.json", "--detailed-exitcode");

        // Then the plan fails naming the call and the cause, rather than planning a company it never checked
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("BT answered 404 (code 60)").And.Contain("not BT's 'no data' answer").And.Contain("--contract");
        plan.Output.Should().NotContain("+ company fun-network");
    }
}
