using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 15: extra characteristics reach BT in the order item that creates the resource, and change nothing after.</summary>
public sealed class CharacteristicsApplyTests
{
    [Fact]
    public async Task Extra_characteristics_are_sent_as_they_are_when_the_resource_is_created_and_the_next_plan_is_clean()
    {
        await using var session = await SandboxSession.StartAsync();
        const string Manifest = "examples/quickstart/company.yaml";
        session.Edit(Manifest, "          licence: standard\n", "          licence: standard\n          characteristics: { callerIdName: Reception }\n");
        session.Edit(Manifest, "      locationCode: IPS01\n", "      locationCode: IPS01\n      characteristics: { siteTimezone: Europe/London }\n");

        await session.ApplyAsync(PlanBaselineTests.Quickstart);

        var order = (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray().Single()!.ToJsonString();
        order.Should().Contain("\"callerIdName\":\"Reception\"").And.Contain("\"siteTimezone\":\"Europe/London\"");
        (await session.RunAsync("plan", PlanBaselineTests.Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success, "BT's inventory does not show them, so they are not drift");
    }
}
