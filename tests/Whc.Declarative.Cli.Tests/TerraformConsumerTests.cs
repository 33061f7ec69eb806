using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 23: Terraform's own consumers take the plan JSON unchanged. terraform-json (Go) accepts format_version
/// ">= 0.1, &lt; 2.0"; terraform-unidiff (npm) requires terraform_version; a policy scoped the Terraform way selects a
/// company by its module; configuration, applyable, complete and output_changes are there as Terraform writes them.
/// </summary>
public sealed class TerraformConsumerTests
{
    private static string BaselinePath(string name) => Path.Combine(Repository.Root, "tests", "Whc.Declarative.Cli.Tests", "Baselines", name);

    private static IEnumerable<string> PlanBaselines() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "tests", "Whc.Declarative.Cli.Tests", "Baselines"), "plan-*.json").Order(StringComparer.Ordinal);

    /// <summary>Two users ceased, one changed at BT outside whcctl, in northern-lights-media.</summary>
    private static async Task<(SandboxSession Session, JsonNode Plan, string Text)> PlanWithCeasesAsync()
    {
        var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanJsonShapeTests.Company);
        PlanJsonShapeTests.RemoveTwoUsers(session);
        await session.AdminPostAsync("/_sandbox/outside/users/amelia.patel", new { lastName = "Okafor" });
        var plan = await session.RunAsync("plan", PlanJsonShapeTests.Company, "--format", "json");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        return (session, JsonNode.Parse(plan.Output)!, plan.Output);
    }

    [Fact]
    public void The_format_version_is_in_the_range_terraform_json_accepts_and_whcctl_keeps_its_own()
    {
        foreach (var baseline in PlanBaselines())
        {
            var plan = JsonNode.Parse(File.ReadAllText(baseline))!;
            var what = Path.GetFileName(baseline);

            // terraform-json: PlanFormatVersionConstraints = ">= 0.1, < 2.0"
            var format = Version.Parse(plan["format_version"]!.GetValue<string>());
            format.Should().BeGreaterThanOrEqualTo(new Version(0, 1), what).And.BeLessThan(new Version(2, 0), what);
            plan["whcctl_format_version"]!.GetValue<string>().Should().Be("2.1", what);
            plan["terraform_version"]!.GetValue<string>().Should().NotBeNullOrEmpty(what);
            plan["prior_state"]!["format_version"]!.GetValue<string>().Should().Be("1.0", what);
            plan["prior_state"]!["terraform_version"]!.GetValue<string>().Should().NotBeNullOrEmpty(what);
        }
    }

    [Theory]
    [InlineData("format_version", "2.0")]
    [InlineData("whcctl_format_version", "1.2")]
    public void The_schema_holds_each_format_version_to_its_range(string key, string value)
    {
        var plan = JsonNode.Parse(File.ReadAllText(BaselinePath("plan-quickstart.json")))!;
        PlanJsonShapeTests.ShouldMatchTheSchema(plan.ToJsonString(), "the quickstart baseline, unchanged");
        plan[key] = value;

        PlanJsonShapeTests.Schema.Value.Validate(plan.ToJsonString()).Should().NotBeEmpty($"{key} {value} is outside its range");
    }

    [Fact]
    public void The_schema_requires_the_module_of_each_resource_change()
    {
        var plan = JsonNode.Parse(File.ReadAllText(BaselinePath("plan-quickstart.json")))!;
        PlanJsonShapeTests.ShouldMatchTheSchema(plan.ToJsonString(), "the quickstart baseline, unchanged");
        plan["resource_changes"]![0]!.AsObject().Remove("module_address");

        PlanJsonShapeTests.Schema.Value.Validate(plan.ToJsonString()).Should().NotBeEmpty("a policy scoped to a module would silently skip it");
    }

    /// <summary>A site or block name may hold any character: quoted as an HCL string, as Terraform quotes an instance key.</summary>
    [Theory]
    [InlineData(ResourceKind.Company, "acme", "module.acme.whc_company.this")]
    [InlineData(ResourceKind.User, "jane.smith", "module.acme.whc_user.this[\"jane.smith\"]")]
    [InlineData(ResourceKind.Site, "Leeds \"HQ\" \\ 2", "module.acme.whc_site.this[\"Leeds \\\"HQ\\\" \\\\ 2\"]")]
    [InlineData(ResourceKind.NumberBlock, "${x} %{y}", "module.acme.whc_number_block.this[\"$${x} %%{y}\"]")]
    public void A_name_is_a_quoted_instance_key_so_every_address_parses(ResourceKind kind, string name, string expected)
    {
        var address = kind == ResourceKind.Company ? ResourceAddress.ForCompany("acme") : new ResourceAddress("acme", kind, name);

        Rendering.PlanJsonRenderer.TerraformAddress(address).Should().Be(expected);
    }

    [Fact]
    public async Task Each_company_is_a_module_and_its_resources_are_addressed_under_it()
    {
        var (session, plan, _) = await PlanWithCeasesAsync();
        await using var _ = session;

        const string Module = "module.northern-lights-media";
        foreach (var change in plan["resource_changes"]!.AsArray().Concat(plan["resource_drift"]!.AsArray()))
        {
            change!["module_address"]!.GetValue<string>().Should().Be(Module);
            change["address"]!.GetValue<string>().Should().StartWith(Module + "." + change["type"]!.GetValue<string>() + ".");
        }

        var george = plan["resource_changes"]!.AsArray().Single(c => c!["whcctl_address"]!.GetValue<string>() == "northern-lights-media/user/george.brown")!;
        george["address"]!.GetValue<string>().Should().Be("module.northern-lights-media.whc_user.this[\"george.brown\"]");
        george["name"]!.GetValue<string>().Should().Be("this");
        george["index"]!.GetValue<string>().Should().Be("george.brown");
        var company = plan["planned_values"]!["root_module"]!["child_modules"]!.AsArray().Should().ContainSingle().Subject!;
        company["address"]!.GetValue<string>().Should().Be(Module);
        company["resources"]!.AsArray().Should().Contain(r => r!["address"]!.GetValue<string>() == "module.northern-lights-media.whc_company.this");
        plan["prior_state"]!["values"]!["root_module"]!["child_modules"]!.AsArray().Single()!["resources"]!.AsArray()
            .Should().Contain(r => r!["address"]!.GetValue<string>() == "module.northern-lights-media.whc_user.this[\"george.brown\"]");
    }

    /// <summary>
    /// The case: "changes under module X need approval" silently allowed changes to a protected company. Runs the
    /// filter docs/gitops.md gives, for the company the plan changes and for one it does not.
    /// </summary>
    [Fact]
    public async Task A_policy_scoped_to_a_module_finds_the_changes_under_it()
    {
        const string Documented = "[.resource_changes[] | select(.module_address == \"module.fun-network\" and (.change.actions != [\"no-op\"]))] | length == 0";
        File.ReadAllText(Path.Combine(Repository.Root, "docs", "gitops.md")).Should().Contain(Documented);
        var (session, _, text) = await PlanWithCeasesAsync();
        await using var _ = session;
        if (!Support.Process.IsOnPath("jq"))
        {
            return; // the same selection is asserted without jq in Each_company_is_a_module_and_its_resources_are_addressed_under_it
        }

        await File.WriteAllTextAsync(session.Workspace.File("plan.json"), text);
        var protectedCompany = await Support.Process.RunAsync("jq", session.Workspace.Path, null, "-e", Documented.Replace("module.fun-network", "module.northern-lights-media", StringComparison.Ordinal), "plan.json");
        var otherCompany = await Support.Process.RunAsync("jq", session.Workspace.Path, null, "-e", Documented, "plan.json");

        protectedCompany.ExitCode.Should().Be(1, "the plan ceases two users and changes one under module.northern-lights-media: " + protectedCompany);
        protectedCompany.Output.Trim().Should().Be("false");
        otherCompany.ExitCode.Should().Be(0, "nothing under module.fun-network: " + otherCompany);
    }

    [Fact]
    public async Task Configuration_applyable_complete_and_output_changes_are_there_as_Terraform_writes_them()
    {
        var (session, plan, _) = await PlanWithCeasesAsync();
        await using var _ = session;

        plan["applyable"]!.GetValue<bool>().Should().BeTrue("the plan changes something and has no errors");
        plan["complete"]!.GetValue<bool>().Should().BeTrue();
        plan["output_changes"]!.AsObject().Should().BeEmpty();
        var configuration = plan["configuration"]!;
        configuration["provider_config"]!["whc"]!["full_name"]!.GetValue<string>().Should().Be("whcctl/bt/whc");
        var call = configuration["root_module"]!["module_calls"]!["northern-lights-media"]!;
        call["source"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        call["module"]!["resources"]!.AsArray().Select(r => r!["address"]!.GetValue<string>())
            .Should().Equal("whc_company.this", "whc_number_block.this", "whc_site.this", "whc_user.this");
        call["module"]!["resources"]!.AsArray().Should().OnlyContain(r => r!["provider_config_key"]!.GetValue<string>() == "whc");

        await session.ApplyAsync(PlanJsonShapeTests.Company, "--allow-destroy");
        var unchanged = await session.RunAsync("plan", PlanJsonShapeTests.Company, "--format", "json");
        JsonNode.Parse(unchanged.Output)!["applyable"]!.GetValue<bool>().Should().BeFalse("nothing to apply: " + unchanged);
    }

    [Fact]
    public async Task A_targeted_plan_is_not_complete_as_Terraform_says_of_a_target_plan_and_show_agrees()
    {
        // terraform 1.11: `plan -target=terraform_data.a -out p; show -json p` writes "complete": false.
        await using var session = await SandboxSession.StartAsync();

        var targeted = await session.RunAsync("plan", PlanJsonShapeTests.Company, "--target", "northern-lights-media", "--format", "json", "--out", "targeted.plan");
        var shown = await session.RunAsync("show", "targeted.plan", "--format", "json");

        targeted.ExitCode.Should().Be(ExitCodes.Success, targeted.ToString());
        JsonNode.Parse(targeted.Output)!["complete"]!.GetValue<bool>().Should().BeFalse("a targeted plan leaves the rest of the configuration unplanned");
        JsonNode.Parse(shown.Output)!["complete"]!.GetValue<bool>().Should().BeFalse("show prints the saved plan as plan did: " + shown);
    }

    [TerraformUnidiffFact]
    public async Task The_plan_JSON_passes_terraform_unidiff()
    {
        var (session, _, text) = await PlanWithCeasesAsync();
        await using var _ = session;
        await File.WriteAllTextAsync(session.Workspace.File("plan.json"), text);

        var live = await TerraformUnidiff.RunAsync(session.Workspace.File("plan.json"));

        live.ExitCode.Should().Be(0, live.ToString());
        live.Output.Should().Contain("Plan: 0 to add, 1 to change, 2 to destroy")
            .And.Contain("Index: module.northern-lights-media.whc_user.this[\"george.brown\"]");
        foreach (var baseline in PlanBaselines())
        {
            var result = await TerraformUnidiff.RunAsync(BaselinePath(Path.GetFileName(baseline)));
            result.ExitCode.Should().Be(0, $"{Path.GetFileName(baseline)}: {result}");
        }
    }
}

/// <summary>
/// terraform-unidiff (npm: @ahmadnassri/terraform-unidiff, pinned), installed once into a cache directory outside the
/// checkout. Tests that need it are skipped, saying why, where node or npm is missing or the registry cannot be reached.
/// </summary>
public static class TerraformUnidiff
{
    public const string Package = "@ahmadnassri/terraform-unidiff";
    public const string PackageVersion = "4.0.5";

    private static readonly string Prefix = Path.Combine(Path.GetTempPath(), "whcctl-test-tools", "terraform-unidiff-" + PackageVersion);

    private static string Bin => Path.Combine(Prefix, "node_modules", "@ahmadnassri", "terraform-unidiff", "bin.js");

    /// <summary>Null when installed; otherwise why the tests that need it are skipped.</summary>
    public static Lazy<string?> Unavailable { get; } = new(Install);

    public static Task<CliResult> RunAsync(string planFile) =>
        Support.Process.RunAsync("node", Path.GetDirectoryName(planFile) ?? ".", null, Bin, planFile);

    private static string? Install()
    {
        if (!Support.Process.IsOnPath("node") || !Support.Process.IsOnPath("npm"))
        {
            return "terraform-unidiff needs node and npm on PATH; the plan JSON was not checked with it";
        }

        if (File.Exists(Bin))
        {
            return null;
        }

        Directory.CreateDirectory(Prefix);
        var install = Support.Process.RunAsync("npm", Prefix, null,
            "install", "--prefix", Prefix, "--no-audit", "--no-fund", "--fetch-retries=1", "--fetch-timeout=30000", $"{Package}@{PackageVersion}").GetAwaiter().GetResult();
        return install.ExitCode == 0 && File.Exists(Bin)
            ? null
            : $"npm could not install {Package}@{PackageVersion} (registry unreachable?); the plan JSON was not checked with it: {install.Error.Trim()}";
    }
}

/// <summary>A test that runs terraform-unidiff; skipped, saying why, where it cannot be installed.</summary>
public sealed class TerraformUnidiffFactAttribute : FactAttribute
{
    public TerraformUnidiffFactAttribute()
    {
        if (TerraformUnidiff.Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
