using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 16: <c>whcctl show</c>, as <c>terraform show</c>: a saved plan again, or the state.</summary>
public sealed class ShowCommandTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    [InlineData("markdown")]
    public async Task A_saved_plan_is_shown_exactly_as_plan_printed_it(string format)
    {
        await using var session = await SandboxSession.StartAsync();
        var plan = await session.RunAsync("plan", "examples/multi-site", "--format", format, "--out", "reviewed.plan");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var calls = (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Count;

        var show = await session.RunAsync("show", "reviewed.plan", "--format", format);

        show.ExitCode.Should().Be(ExitCodes.Success, show.ToString());
        show.Output.Should().Be(plan.Output);
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Count.Should().Be(calls, "show never calls BT");
    }

    [Fact]
    public async Task Without_a_plan_file_it_shows_every_resource_in_state_in_terraforms_words()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");

        var text = await session.RunAsync("show");
        var json = await session.RunAsync("show", "--format", "json");

        text.ExitCode.Should().Be(ExitCodes.Success, text.ToString());
        text.Output.Should().Contain("# fun-network/user/jane.smith:\nresource \"whc_user\" \"jane.smith\" {\n")
            .And.Contain("    devices   = [\"001122AABBCC\"]\n")
            .And.Contain("resource \"whc_number_block\" \"brum\" {")
            .And.Contain("    quantity = 10\n");
        var resources = JsonNode.Parse(json.Output)!["values"]!["root_module"]!["child_modules"]!.AsArray().Should().ContainSingle().Subject!["resources"]!.AsArray();
        resources.Select(r => r!["type"]!.GetValue<string>()).Should().BeEquivalentTo("whc_company", "whc_number_block", "whc_site", "whc_user");
        resources.Single(r => r!["type"]!.GetValue<string>() == "whc_number_block")!["values"]!["numbers"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task An_empty_state_says_so()
    {
        await using var session = await SandboxSession.StartAsync();

        var show = await session.RunAsync("show");

        show.ExitCode.Should().Be(ExitCodes.Success, show.ToString());
        show.Output.Should().Be("The state is empty: no resources.\n");
    }

    [Fact]
    public async Task A_file_that_is_not_a_saved_plan_is_WHC4057_without_a_stack_trace()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("not-a-plan.json", "{\"format_version\": \"2.0\"}");

        var show = await session.RunAsync("show", "not-a-plan.json");

        show.ExitCode.Should().Be(ExitCodes.Error);
        show.Error.Should().Contain("WHC4057").And.NotContain("   at ");
    }
}
