using System.Text.Json.Nodes;
using NJsonSchema;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 16: the plan JSON in the shape of Terraform's JSON plan representation, published as
/// schemas/v1/plan.schema.json, so policies written the Terraform way find what they look for.
/// </summary>
public sealed class PlanJsonShapeTests
{
    internal const string Company = "examples/multi-site/company.yaml";

    internal static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Repository.Root, "schemas", "v1", "plan.schema.json"))).GetAwaiter().GetResult());

    internal static void ShouldMatchTheSchema(string json, string what)
    {
        var errors = Schema.Value.Validate(json);
        errors.Should().BeEmpty($"{what} must validate against schemas/v1/plan.schema.json: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
    }

    [Fact]
    public void Every_plan_baseline_validates_against_the_published_schema()
    {
        var baselines = Directory.GetFiles(Path.Combine(Repository.Root, "tests", "Whc.Declarative.Cli.Tests", "Baselines"), "plan-*.json");

        baselines.Should().NotBeEmpty();
        foreach (var baseline in baselines)
        {
            ShouldMatchTheSchema(File.ReadAllText(baseline), Path.GetFileName(baseline));
        }
    }

    [Fact]
    public void The_schema_rejects_the_old_untyped_shape()
    {
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "tests", "Whc.Declarative.Cli.Tests", "Baselines", "plan-quickstart.json")))!;
        plan["resource_changes"]![1]!["change"]!["after"]!["quantity"] = "10";

        Schema.Value.Validate(plan.ToJsonString()).Should().NotBeEmpty("a number written as a string is what Terraform-plan consumers rejected");
    }

    /// <summary>Review finding: whether a value is known after apply was read back from the plan's display text.</summary>
    [Fact]
    public async Task A_value_that_reads_like_a_placeholder_is_still_a_value()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Edit("examples/quickstart/company.yaml", "firstName: Jane", "firstName: \"(known after apply)\"");

        var plan = await session.RunAsync("plan", "examples/quickstart", "--format", "json");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var user = JsonNode.Parse(plan.Output)!["resource_changes"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "whc_user")!["change"]!;
        user["after"]!["firstName"]!.GetValue<string>().Should().Be("(known after apply)");
        user["after_unknown"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("number", "serviceId");
    }

    /// <summary>Removes isla.taylor and george.brown from the multi-site example: two user ceases.</summary>
    internal static void RemoveTwoUsers(SandboxSession session)
    {
        string[] leavers =
        [
            "        - username: isla.taylor", "          firstName: Isla", "          lastName: Taylor", "          extension: \"2003\"",
            "          number: { from: leeds }", "        - username: george.brown", "          firstName: George", "          lastName: Brown",
            "          extension: \"2004\"", "          number: { from: leeds }", "          licence: basic",
            "          devices: [ { macAddress: \"80:5E:C0:02:04:04\", model: Yealink T54W } ]", string.Empty,
        ];
        session.Edit(Company, string.Join('\n', leavers), string.Empty);
    }

    /// <summary>Two users removed, one changed at BT outside whcctl: ceases, an update and drift in one plan.</summary>
    private static async Task<(SandboxSession Session, JsonNode Plan, string Text)> PlanWithCeasesAsync()
    {
        var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Company);
        RemoveTwoUsers(session);
        await session.AdminPostAsync("/_sandbox/outside/users/amelia.patel", new { lastName = "Okafor" });
        var plan = await session.RunAsync("plan", Company, "--format", "json");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        return (session, JsonNode.Parse(plan.Output)!, plan.Output);
    }

    [Fact]
    public async Task A_policy_written_against_the_plan_JSON_counts_the_ceases()
    {
        var (session, plan, text) = await PlanWithCeasesAsync();
        await using var _ = session;

        ShouldMatchTheSchema(text, "a plan with ceases, an update and drift");
        // The Terraform way: resource_changes[] | select(.type == "whc_user" and (.change.actions | index("delete")))
        var ceased = plan["resource_changes"]!.AsArray()
            .Where(c => c!["type"]!.GetValue<string>() == "whc_user" && c["change"]!["actions"]!.AsArray().Any(a => a!.GetValue<string>() == "delete"))
            .ToList();
        ceased.Select(c => c!["index"]!.GetValue<string>()).Should().BeEquivalentTo("isla.taylor", "george.brown");
        var george = ceased.Single(c => c!["index"]!.GetValue<string>() == "george.brown")!["change"]!;
        george["after"].Should().BeNull();
        george["before"]!["lastName"]!.GetValue<string>().Should().Be("Brown");
        george["before"]!["licence"]!.GetValue<string>().Should().Be("basic");
        george["before"]!["devices"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Equal("805EC0020404");
        george["before"]!["serviceId"]!.GetValue<string>().Should().NotBeNullOrEmpty("BT's id is in state, so it is in before");
        george["before"]!["protect"]!.GetValue<bool>().Should().BeFalse();

        if (Support.Process.IsOnPath("jq"))
        {
            var file = session.Workspace.File("plan.json");
            await File.WriteAllTextAsync(file, text);
            var jq = await Support.Process.RunAsync("jq", session.Workspace.Path, null,
                "[.resource_changes[] | select(.type == \"whc_user\" and (.change.actions | index(\"delete\")))] | length", "plan.json");
            jq.Output.Trim().Should().Be("2", jq.ToString());
        }
    }

    [Fact]
    public async Task Drift_is_state_before_and_BT_after_and_the_plan_puts_it_back()
    {
        var (session, plan, _) = await PlanWithCeasesAsync();
        await using var __ = session;

        var drift = plan["resource_drift"]!.AsArray().Should().ContainSingle().Subject!;
        drift["address"]!.GetValue<string>().Should().Be("module.northern-lights-media.whc_user.this[\"amelia.patel\"]");
        drift["whcctl_address"]!.GetValue<string>().Should().Be("northern-lights-media/user/amelia.patel");
        drift["change"]!["actions"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("update");
        drift["change"]!["before"]!["lastName"]!.GetValue<string>().Should().Be("Patel");
        drift["change"]!["after"]!["lastName"]!.GetValue<string>().Should().Be("Okafor");
        var prior = plan["prior_state"]!["values"]!["root_module"]!["child_modules"]![0]!["resources"]!.AsArray()
            .Single(r => r!["index"]?.GetValue<string>() == "amelia.patel")!;
        prior["values"]!["lastName"]!.GetValue<string>().Should().Be("Okafor", "prior_state is after refresh, as Terraform's");
        var planned = plan["planned_values"]!["root_module"]!["child_modules"]![0]!["resources"]!.AsArray();
        planned.Single(r => r!["index"]?.GetValue<string>() == "amelia.patel")!["values"]!["lastName"]!.GetValue<string>().Should().Be("Patel");
        planned.Select(r => r!["index"]?.GetValue<string>()).Should().NotContain("george.brown");
    }

    [Fact]
    public async Task A_company_ceased_at_BT_is_a_delete_in_the_drift_of_a_refresh_only_plan()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");

        await session.AdminPostAsync("/_sandbox/outside/companies/TheFunNetwork/cease", new { });
        var refreshOnly = await session.RunAsync("plan", "examples/quickstart", "--refresh-only", "--format", "json");

        refreshOnly.ExitCode.Should().Be(ExitCodes.Success, refreshOnly.ToString());
        ShouldMatchTheSchema(refreshOnly.Output, "a refresh-only plan");
        var plan = JsonNode.Parse(refreshOnly.Output)!;
        plan["resource_changes"]!.AsArray().Should().BeEmpty();
        var company = plan["resource_drift"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "whc_company")!;
        company["change"]!["actions"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("delete");
        company["change"]!["after"].Should().BeNull();
        company["change"]!["before"]!["name"]!.GetValue<string>().Should().Be("TheFunNetwork");
    }
}
