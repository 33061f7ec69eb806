using Npgsql;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;
using Whc.Declarative.State;
using Whc.Declarative.State.Tests;

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

    /// <summary>
    /// whcctl-apply.yml when GitHub dropped a run (issue 23): two pull requests are planned (each by the read-only state
    /// role, as the pull-request job is), both merge, the first merge's apply run is dropped, and the run for the second
    /// covers both. The second's reviewed plan no longer describes main, so the run applies a fresh plan from main's
    /// head, made by the read-only role and applied by the writing one; afterwards nothing is left to apply. The
    /// read-only role can neither apply nor change state.
    /// </summary>
    [PostgresFact]
    public async Task Merges_whose_apply_runs_were_dropped_are_applied_by_one_fresh_plan_from_head_made_with_the_read_only_role()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        using var workspace = new TempWorkspace();
        var writerUrl = await StateBackends.NewStateSpecAsync(StateBackends.Postgres) ?? throw new InvalidOperationException("no PostgreSQL state");
        var spec = PostgresStateSpec.Parse(writerUrl);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
            ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
            ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
            ["WHC_STATE"] = writerUrl,
            ["PGPASSWORD"] = Environment.GetEnvironmentVariable("PGPASSWORD"),
            ["NO_COLOR"] = "1",
        };
        const string Manifests = "examples/quickstart";
        var manifest = workspace.File("examples/quickstart/company.yaml");
        var main = File.ReadAllText(manifest);

        // main as first applied, by the writing role; then the read-only role of docs/gitops.md.
        var first = await Whcctl.RunAsync(workspace.Path, environment, "apply", Manifests, "--auto-approve");
        first.ExitCode.Should().Be(ExitCodes.Success, first.ToString());
        var readOnly = new Dictionary<string, string?>(environment, StringComparer.Ordinal) { ["WHC_STATE"] = await ReadOnlyRoleUrlAsync(writerUrl, spec) };

        // Two pull requests, each planned on its own branch by the read-only role.
        File.WriteAllText(manifest, main + User("bob.jones", "2002"));
        var planA = await Whcctl.RunAsync(workspace.Path, readOnly, "plan", Manifests, "--out", "pr-a.plan.json", "--detailed-exitcode");
        planA.ExitCode.Should().Be(ExitCodes.Changes, planA.ToString());
        File.WriteAllText(manifest, main + User("carol.white", "2003"));
        var planB = await Whcctl.RunAsync(workspace.Path, readOnly, "plan", Manifests, "--out", "pr-b.plan.json", "--detailed-exitcode");
        planB.ExitCode.Should().Be(ExitCodes.Changes, planB.ToString());

        // Both merge; the run for the first merge is dropped. main's head holds both users.
        File.WriteAllText(manifest, main + User("bob.jones", "2002") + User("carol.white", "2003"));

        // The reviewed plan of the second pull request does not describe main's head: refused, nothing applied.
        var reviewed = await Whcctl.RunAsync(workspace.Path, environment, "apply", "pr-b.plan.json");
        reviewed.ExitCode.Should().Be(ExitCodes.Error, reviewed.ToString());
        reviewed.Error.Should().Contain("WHC4057");

        // So the run plans afresh from the head with the read-only role, with the workflow's guard...
        var fresh = await Whcctl.RunAsync(workspace.Path, readOnly, "plan", Manifests, "--out", "head.plan.json", "--detailed-exitcode", "--max-destroy", "10");
        fresh.ExitCode.Should().Be(ExitCodes.Changes, fresh.ToString());
        fresh.Output.Should().Contain("+ user bob.jones").And.Contain("+ user carol.white");

        // ...which the read-only role cannot apply, and the writing role (the approved job) does.
        var denied = await Whcctl.RunAsync(workspace.Path, readOnly, "apply", "head.plan.json");
        denied.ExitCode.Should().Be(ExitCodes.Error, denied.ToString());
        denied.Error.Should().Contain("read-only");
        var applied = await Whcctl.RunAsync(workspace.Path, environment, "apply", "head.plan.json", "--max-destroy", "10");
        applied.ExitCode.Should().Be(ExitCodes.Success, applied.ToString());

        // Both merges are applied: nothing is left for the next run.
        var after = await Whcctl.RunAsync(workspace.Path, readOnly, "plan", Manifests, "--detailed-exitcode");
        after.ExitCode.Should().Be(ExitCodes.Success, after.ToString());
    }

    private static string User(string username, string extension) => $$"""
                - username: {{username}}
                  firstName: {{username.Split('.')[0]}}
                  lastName: {{username.Split('.')[1]}}
                  extension: "{{extension}}"
                  number: { from: brum }
                  licence: standard

        """;

    /// <summary>Creates a login role with the GRANTs docs/gitops.md gives the plan jobs, and returns its state URL.</summary>
    private static async Task<string> ReadOnlyRoleUrlAsync(string writerUrl, PostgresStateSpec spec)
    {
        var role = "plan_" + spec.Schema;
        await using var connection = new NpgsqlConnection(spec.ConnectionString(PostgresServerFixture.Environment));
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            $"CREATE ROLE {role} LOGIN",
            $"ALTER ROLE {role} SET default_transaction_read_only = on",
            $"GRANT USAGE ON SCHEMA {spec.Schema} TO {role}",
            $"GRANT SELECT ON ALL TABLES IN SCHEMA {spec.Schema} TO {role}",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        return writerUrl.Replace($"//{spec.Username}@", $"//{role}@", StringComparison.Ordinal);
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
