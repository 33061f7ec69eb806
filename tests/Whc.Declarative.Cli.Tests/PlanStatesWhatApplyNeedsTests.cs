using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25: the plan says what apply will need. A plan that ceases anything ends with the flag apply refuses it
/// without (<c>--allow-destroy</c>, WHC4053) and the count, in text, in the pull-request comment and in JSON.
/// </summary>
public sealed class PlanStatesWhatApplyNeedsTests
{
    private const string Quickstart = "examples/quickstart";
    private const string Manifest = "examples/quickstart/company.yaml";

    /// <summary>An applied quickstart with two extra users, both then removed from the manifest: a plan that ceases two.</summary>
    private static async Task<SandboxSession> TwoCeasesAsync()
    {
        var session = await SandboxSession.StartAsync();
        var original = session.Read(Manifest);
        session.Write(Manifest, original + PlanBaselineTests.JohnDoe + PlanBaselineTests.AdaLovelace);
        await session.ApplyAsync(Quickstart);
        session.Write(Manifest, original);
        return session;
    }

    [Fact]
    public async Task A_plan_that_ceases_ends_with_the_flag_apply_needs_and_the_count_in_text()
    {
        await using var session = await TwoCeasesAsync();

        var plan = await session.RunAsync("plan", Quickstart);

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.TrimEnd().Split('\n')[^1].Should().Be("Apply needs --allow-destroy: this plan ceases 2 resources.");
    }

    [Fact]
    public async Task A_plan_that_ceases_ends_with_the_flag_apply_needs_and_the_count_in_the_pull_request_comment()
    {
        await using var session = await TwoCeasesAsync();

        var plan = await session.RunAsync("plan", Quickstart, "--format", "markdown");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var lines = plan.Output.TrimEnd().Split('\n');
        lines[^3].Should().Be("**Apply needs `--allow-destroy`**: this plan ceases 2 resources.", plan.Output);
        lines[^2].Should().BeEmpty("a paragraph of its own");
        lines[^1].Should().StartWith("<sub>whcctl ");
    }

    [Fact]
    public async Task A_plan_that_ceases_says_in_JSON_what_apply_needs()
    {
        await using var session = await TwoCeasesAsync();

        var plan = await session.RunAsync("plan", Quickstart, "--format", "json");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var needs = JsonNode.Parse(plan.Output)!["apply_requires"]!.AsArray();
        needs.Should().ContainSingle();
        needs[0]!["flag"]!.GetValue<string>().Should().Be("--allow-destroy");
        needs[0]!["ceases"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task The_count_the_plan_states_is_the_count_apply_refuses_with()
    {
        await using var session = await TwoCeasesAsync();
        var plan = await session.RunAsync("plan", Quickstart, "--format", "json");
        var stated = JsonNode.Parse(plan.Output)!["apply_requires"]![0]!["ceases"]!.GetValue<int>();

        var refused = await session.RunAsync("apply", Quickstart, "--auto-approve");

        refused.ExitCode.Should().Be(ExitCodes.Error, refused.ToString());
        refused.Error.Should().Contain($"WHC4053: the plan ceases {stated} resource{(stated == 1 ? string.Empty : "s")} (");
    }

    [Fact]
    public async Task A_plan_that_ceases_nothing_needs_nothing_and_says_nothing_about_it()
    {
        await using var session = await SandboxSession.StartAsync();

        var text = await session.RunAsync("plan", Quickstart);
        var json = await session.RunAsync("plan", Quickstart, "--format", "json");

        text.Output.Should().NotContain("--allow-destroy");
        JsonNode.Parse(json.Output)!["apply_requires"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_destroy_plan_needs_no_allow_destroy_so_it_does_not_ask_for_it()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);

        var destroy = await session.RunAsync("destroy", "fun-network");

        destroy.ExitCode.Should().Be(ExitCodes.Error, "not on a terminal: " + destroy);
        destroy.Output.Should().Contain("- company fun-network").And.NotContain("--allow-destroy");
    }
}
