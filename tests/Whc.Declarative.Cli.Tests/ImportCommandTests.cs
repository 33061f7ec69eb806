using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary><c>whcctl import</c> against a sandbox: adopting a company another state created, and refusing what it cannot adopt.</summary>
public sealed class ImportCommandTests
{
    private const string Cug = "CUG5019851064";

    [Fact]
    public async Task An_imported_company_plans_with_no_changes_using_the_written_manifest()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("examples/quickstart/company.yaml", session.Read("examples/quickstart/company.yaml") + PlanBaselineTests.JohnDoe);
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "adopted/fun-network/company.yaml");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        import.Error.Should().Contain("Imported 'TheFunNetwork' as 'fun-network'").And.Contain("2 users");
        var validate = await session.RunAsync("validate", "adopted");
        validate.ExitCode.Should().Be(ExitCodes.Success, validate.ToString());
        var plan = await session.RunAsync("plan", "adopted", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().Contain("No changes");
    }

    [Fact]
    public async Task The_written_manifest_matches_its_baseline()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "fun-network.yaml");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        Baseline.Match("import-quickstart.yaml", session.Read("fun-network.yaml"), session.Workspace.Path);
    }

    [Fact]
    public async Task Importing_a_name_BT_does_not_know_fails_with_WHC3020_and_writes_nothing()
    {
        await using var session = await SandboxSession.StartAsync();

        var import = await session.RunAsync("import", "ghost", "--cug", Cug, "--name", "NoSuchCompany", "--billing-account", "GB12345678", "--write-manifest", "ghost.yaml");

        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("error WHC3020").And.Contain("'NoSuchCompany'");
        import.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainMatch("error WHC3020: BT has no company named 'NoSuchCompany'*; check --name (it is matched exactly)");
        File.Exists(session.Workspace.File("ghost.yaml")).Should().BeFalse();
        File.Exists(session.Workspace.File(".whc/state/ghost.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Importing_a_company_of_another_reseller_fails_with_WHC3021()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        var import = await session.RunAsync("import", "fun-network", "--cug", "CUG7000000001", "--name", "TheFunNetwork", "--billing-account", "GB12345678");

        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("error WHC3021");
        import.Error.Split('\n', StringSplitOptions.TrimEntries).Should().Contain(
            "error WHC3021: 'TheFunNetwork' is registered at BT to another reseller, not to CUG7000000001; only the owning reseller can import it");
    }

    [Fact]
    public async Task Importing_a_company_that_already_has_state_fails_with_WHC3022()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart);

        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678");

        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("error WHC3022").And.Contain("serial");
        import.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainMatch(
            "error WHC3022: 'fun-network' already has state (serial *) in *; import only adopts companies whcctl does not manage yet");
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_company_removed_from_state_with_state_rm_can_be_imported_again_and_plans_clean(string backend)
    {
        // Given the quickstart applied, then forgotten by state rm (BT still has it)
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync("examples/quickstart");
        (await session.RunAsync("state", "rm", "fun-network")).ExitCode.Should().Be(ExitCodes.Success);

        // When it is imported again
        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "adopted/fun-network/company.yaml");

        // Then the import is accepted (state rm left nothing to protect), as the next version of the same state
        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        (await session.RunAsync("plan", "adopted", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
        (await session.RunAsync("state", "list")).Output.Should().Contain("fun-network/user/jane.smith");
    }

    [Fact]
    public async Task Importing_with_the_teams_manifest_uses_its_identity_and_names_so_the_next_plan_is_clean()
    {
        // Given the quickstart applied, then forgotten (as a team adopting a company it already has at BT)
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");
        (await session.RunAsync("state", "rm", "fun-network")).ExitCode.Should().Be(ExitCodes.Success);

        // When it is imported with the team's own manifest, no identity options
        var import = await session.RunAsync("import", "fun-network", "examples/quickstart");

        // Then BT's range is named after the manifest's block (brum, not block-0121) and the team's manifest plans clean
        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        session.Read(".whc/state/fun-network.json").Should().Contain("\"name\": \"brum\"").And.NotContain("block-0121");
        (await session.RunAsync("plan", "examples/quickstart", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Importing_with_an_option_that_contradicts_the_manifest_is_refused()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");
        (await session.RunAsync("state", "rm", "fun-network")).ExitCode.Should().Be(ExitCodes.Success);

        var import = await session.RunAsync("import", "fun-network", "examples/quickstart", "--name", "SomethingElse");

        import.ExitCode.Should().Be(ExitCodes.Error);
        import.Error.Should().Contain("--name 'SomethingElse' differs from the manifest's 'TheFunNetwork'");
    }

    [Fact]
    public async Task Import_without_a_billing_account_or_a_manifest_to_take_it_from_is_a_usage_error()
    {
        await using var session = await SandboxSession.StartAsync();

        var import = await session.RunAsync("import", "ghost", "--cug", Cug, "--name", "TheFunNetwork");

        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("--billing-account");
    }

    [Fact]
    public async Task Import_never_writes_the_manifest_over_an_existing_file_and_then_adopts_nothing()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");

        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "examples/quickstart/company.yaml");

        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("already exists");
        File.Exists(session.Workspace.File(".whc/state/fun-network.json")).Should().BeFalse();
    }
}
