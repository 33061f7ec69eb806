using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// The GitOps flow the example workflows run (.github/workflows/whcctl-plan.yml, whcctl-apply.yml, whcctl-drift.yml),
/// with the same commands, against a sandbox server on 127.0.0.1: PR → plan comment and saved plan → merge → apply the
/// saved plan → drift checks.
/// </summary>
public sealed class GitOpsFlowTests
{
    [Fact]
    public async Task A_pull_request_plan_is_applied_after_merge_once_and_drift_at_BT_is_reported_by_the_nightly_check()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        using var workspace = new TempWorkspace();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
            ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
            ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
            ["NO_COLOR"] = "1",
        };
        const string Manifests = "examples/quickstart";

        // Pull request: validate, then plan as markdown with a saved plan; 2 = changes, which the workflow treats as success.
        var validate = await Whcctl.RunAsync(workspace.Path, environment, "validate", Manifests);
        validate.ExitCode.Should().Be(ExitCodes.Success, validate.ToString());
        var plan = await Whcctl.RunAsync(workspace.Path, environment, "plan", Manifests, "--format", "markdown", "--out", "whcctl.plan.json", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().StartWith(PlanMarkdownRenderer.StickyMarker).And.Contain("fun-network/user/jane.smith").And.Contain("```mermaid");
        File.Exists(workspace.File("whcctl.plan.json")).Should().BeTrue();
        File.ReadAllText(workspace.File("whcctl.plan.json")).Should().NotContain(SandboxOptions.DefaultClientSecret);

        // Merge: apply exactly the reviewed plan (no --auto-approve needed for a saved plan).
        var apply = await Whcctl.RunAsync(workspace.Path, environment, "apply", "whcctl.plan.json", "--format", "json");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Output.Should().Contain("\"type\":\"summary\"").And.Contain("\"succeeded\":true");

        // The same reviewed plan applied again is stale: state moved on.
        var again = await Whcctl.RunAsync(workspace.Path, environment, "apply", "whcctl.plan.json");
        again.ExitCode.Should().Be(ExitCodes.Error, again.ToString());
        again.Error.Should().Contain("WHC4050").And.Contain("stale");

        // Nightly drift check right after the apply: nothing changed.
        var quiet = await Whcctl.RunAsync(workspace.Path, environment, "plan", Manifests, "--refresh-only", "--detailed-exitcode", "--format", "markdown");
        quiet.ExitCode.Should().Be(ExitCodes.Success, quiet.ToString());

        // Someone ceases the user at BT behind this repository's back (a colleague with their own state copy).
        ChangeBtOutsideThisState(workspace);
        var outsider = await Whcctl.RunAsync(workspace.Path, environment, "apply", "outside", "--state", "outside-state", "--auto-approve", "--allow-destroy");
        outsider.ExitCode.Should().Be(ExitCodes.Success, outsider.ToString());

        var drift = await Whcctl.RunAsync(workspace.Path, environment, "plan", Manifests, "--refresh-only", "--detailed-exitcode", "--format", "markdown");
        drift.ExitCode.Should().Be(ExitCodes.Changes, drift.ToString());
        drift.Output.Should().StartWith(PlanMarkdownRenderer.StickyMarker).And.Contain("fun-network/user/jane.smith");
    }

    /// <summary>A copy of the state and a manifest without the site's users: applying it ceases jane.smith at BT.</summary>
    private static void ChangeBtOutsideThisState(TempWorkspace workspace)
    {
        TempWorkspace.CopyDirectory(workspace.File(".whc/state"), workspace.File("outside-state"));
        var manifest = File.ReadAllText(workspace.File("examples/quickstart/company.yaml"));
        var users = manifest.IndexOf("      users:", StringComparison.Ordinal);
        Directory.CreateDirectory(workspace.File("outside"));
        File.WriteAllText(workspace.File("outside/company.yaml"), manifest[..users] + "      users: []\n");
    }
}
