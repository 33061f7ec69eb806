using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 25, item 3, with the built whcctl as a child process: a user moved between sites is ceased and made again
/// (BT cannot move a user between sites). The plan text and the pull-request comment name the outage; the cease and the
/// re-create are consecutive orders; apply succeeds, the user keeps its number, and the next plan is clean.
/// </summary>
public sealed class UserMoveOutageTests
{
    private const string Manifest = "examples/multi-site/company.yaml";
    private const string Grace = "        - username: grace.roberts\n          firstName: Grace\n          lastName: Roberts\n          extension: \"2009\"\n          number: { from: leeds }\n";

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_user_moved_between_sites_is_made_again_in_the_next_order_and_the_outage_is_named(string backend)
    {
        await using var session = await SandboxSession.StartAsync(backend);
        await session.ApplyAsync("examples/multi-site");
        var before = User(await session.AdminGetAsync("/_sandbox/inventory"), "grace.roberts");
        session.Edit(Manifest, Grace, string.Empty);
        session.Edit(Manifest, "      users:\n        - username: freya.wright\n", "      users:\n" + Grace + "        - username: freya.wright\n");

        var text = await session.RunAsync("plan", "examples/multi-site", "--detailed-exitcode");
        text.ExitCode.Should().Be(ExitCodes.Changes, text.ToString());
        text.Output.Should().MatchRegex(@"Outage: user grace\.roberts has no service from step \d+ \(order 1\), which ceases it at site leeds-hq, until step \d+ \(order 2\), which makes it again at site manchester-office, completes");
        var markdown = await session.RunAsync("plan", "examples/multi-site", "--format", "markdown");
        markdown.Output.Should().Contain("1 user without service for part of the apply").And.Contain("grace.roberts has no service from order 1");

        await session.ApplyAsync("examples/multi-site", "--allow-destroy");
        var after = User(await session.AdminGetAsync("/_sandbox/inventory"), "grace.roberts");
        after["directoryNumber"]!.GetValue<string>().Should().Be(before["directoryNumber"]!.GetValue<string>());
        after["siteServiceId"]!.GetValue<string>().Should().NotBe(before["siteServiceId"]!.GetValue<string>());
        var again = await session.RunAsync("plan", "examples/multi-site", "--detailed-exitcode");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
    }

    [Fact]
    public async Task The_plan_JSON_names_the_outage_with_the_steps_between_which_the_user_has_no_service()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/multi-site");
        session.Edit(Manifest, Grace, string.Empty);
        session.Edit(Manifest, "      users:\n        - username: freya.wright\n", "      users:\n" + Grace + "        - username: freya.wright\n");

        var json = await session.RunAsync("plan", "examples/multi-site", "--format", "json");

        json.ExitCode.Should().Be(ExitCodes.Success, json.ToString());
        PlanJsonShapeTests.ShouldMatchTheSchema(json.Output, "a plan with an outage");
        var plan = JsonNode.Parse(json.Output)!;
        var outage = plan["outages"]!.AsArray().Should().ContainSingle().Subject!;
        outage["user"]!.GetValue<string>().Should().Be("grace.roberts");
        outage["from_site"]!.GetValue<string>().Should().Be("leeds-hq");
        outage["to_site"]!.GetValue<string>().Should().Be("manchester-office");
        var company = outage["company"]!.GetValue<string>();
        plan["changed_companies"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Contain(company);
        // Both ends are ids of the plan's own await steps, the first before the second.
        var steps = plan["steps"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
        var from = steps.IndexOf(outage["from_step"]!.GetValue<string>());
        var until = steps.IndexOf(outage["until_step"]!.GetValue<string>());
        from.Should().BeGreaterThanOrEqualTo(0);
        until.Should().BeGreaterThan(from);
        plan["steps"]![from]!["kind"]!.GetValue<string>().Should().Be("await-order");
        plan["steps"]![until]!["kind"]!.GetValue<string>().Should().Be("await-order");
    }

    [Fact]
    public async Task A_plan_without_an_outage_writes_an_empty_list()
    {
        await using var session = await SandboxSession.StartAsync();

        var json = await session.RunAsync("plan", "examples/multi-site", "--format", "json");

        json.ExitCode.Should().Be(ExitCodes.Success, json.ToString());
        JsonNode.Parse(json.Output)!["outages"]!.AsArray().Should().BeEmpty();
    }

    private static JsonNode User(JsonNode inventory, string username) =>
        inventory["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Single(u => u!["status"]?.GetValue<string>() != "ceased" && u!["username"]!.GetValue<string>() == username)!;
}
