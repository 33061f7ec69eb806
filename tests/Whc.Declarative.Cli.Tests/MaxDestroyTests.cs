using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 16: <c>--max-destroy N</c>, a policy limit on ceases, on plan and apply.</summary>
public sealed class MaxDestroyTests
{
    private const string Company = PlanJsonShapeTests.Company;

    [Fact]
    public async Task A_plan_ceasing_more_than_the_limit_is_an_error_and_one_within_it_is_not()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Company);
        PlanJsonShapeTests.RemoveTwoUsers(session);

        var over = await session.RunAsync("plan", Company, "--max-destroy", "1", "--format", "json");
        var within = await session.RunAsync("plan", Company, "--max-destroy", "2", "--detailed-exitcode");

        over.ExitCode.Should().Be(ExitCodes.Error, over.ToString());
        var plan = JsonNode.Parse(over.Output)!;
        plan["errored"]!.GetValue<bool>().Should().BeTrue();
        plan["diagnostics"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()).Should().Contain("WHC3023");
        over.Error.Should().Contain("WHC3023").And.Contain("ceases 2 resources, more than --max-destroy 1");
        within.ExitCode.Should().Be(ExitCodes.Changes, within.ToString());
    }

    [Fact]
    public async Task Apply_refuses_past_the_limit_before_changing_anything_even_with_allow_destroy()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Company);
        PlanJsonShapeTests.RemoveTwoUsers(session);
        var calls = (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Count;

        var apply = await session.RunAsync("apply", Company, "--auto-approve", "--allow-destroy", "--max-destroy", "0");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC3023");
        var after = (await session.AdminGetAsync("/_sandbox/requests")).AsArray();
        after.Skip(calls).Should().OnlyContain(r => r!["method"]!.GetValue<string>() == "GET" || r["route"]!.GetValue<string>() == "token", "only reads: nothing was ceased");
    }

    [Fact]
    public async Task A_limit_given_to_apply_holds_for_a_saved_plan_made_without_one()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Company);
        PlanJsonShapeTests.RemoveTwoUsers(session);
        var plan = await session.RunAsync("plan", Company, "--out", "ceases.plan");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());

        var apply = await session.RunAsync("apply", "ceases.plan", "--allow-destroy", "--max-destroy", "1");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC3023");
        apply.Error.Split('\n', StringSplitOptions.TrimEntries).Should().Contain("error WHC3023: the plan ceases 2 resources, more than --max-destroy 1 allows");
        (await session.RunAsync("plan", Company, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Changes, "the users are still there");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("lots")]
    public async Task A_limit_that_is_not_a_count_is_a_usage_error(string value)
    {
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", Company, "--max-destroy", value);

        plan.ExitCode.Should().Be(ExitCodes.Error);
        plan.Error.Should().Contain("WHC6001").And.Contain("--max-destroy");
    }
}
