using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 22: names enter state only by the manifest's rules (<c>state mv</c>, <c>state push</c>), and a name that got
/// into state anyway (a state file edited by hand) is printed escaped by every renderer: it can neither move the
/// terminal's cursor nor start a line of its own (a GitHub workflow command such as <c>::error::</c>).
/// </summary>
public sealed class HostileNameTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;

    /// <summary>An escape sequence, then a line of its own that GitHub Actions would read as a workflow command.</summary>
    private const string Hostile = "evil\u001b[31m\n::error::pwned";

    public static TheoryData<string> RefusedNames => new()
    {
        Hostile,
        "hq\u001b]0;title\u0007",
        "hq\r\n::warning::x",
        "hq\u202Egnp.exe",
        new string('a', 64),
    };

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task State_mv_refuses_a_name_the_manifest_could_not_hold_and_changes_nothing(string name)
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        var before = await session.StateAsync("fun-network");

        var move = await session.RunAsync("state", "mv", "fun-network/site/ipswich-hq", $"fun-network/site/{name}");

        move.ExitCode.Should().Be(ExitCodes.Error, move.ToString());
        move.Error.Should().Contain("WHC5005");
        AssertInert(move.Error);
        (await session.StateAsync("fun-network")).Should().Be(before);
    }

    [Fact]
    public async Task State_mv_still_renames_to_a_name_the_manifest_accepts()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);

        var move = await session.RunAsync("state", "mv", "fun-network/site/ipswich-hq", "fun-network/site/Ipswich HQ (Adastral Park)");

        move.ExitCode.Should().Be(ExitCodes.Success, move.ToString());
    }

    [Fact]
    public async Task State_push_refuses_a_state_holding_a_name_the_manifest_could_not_hold()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        var before = await session.StateAsync("fun-network");
        var pushed = JsonNode.Parse(before)!.AsObject();
        pushed["serial"] = pushed["serial"]!.GetValue<long>() + 1;
        pushed["users"]![0]!["username"] = Hostile;
        session.Write("pushed.json", pushed.ToJsonString());

        var push = await session.RunAsync("state", "push", "fun-network", "pushed.json");

        push.ExitCode.Should().Be(ExitCodes.Error, push.ToString());
        push.Error.Should().Contain("WHC5005").And.Contain("username");
        AssertInert(push.Error);
        (await session.StateAsync("fun-network")).Should().Be(before);
    }

    [Fact]
    public async Task A_hostile_name_written_straight_into_the_state_file_is_escaped_by_every_renderer()
    {
        // Given a state file edited by hand (not through state mv): the site carries a terminal escape and a workflow command
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(Quickstart);
        const string StateFile = ".whc/state/fun-network.json";
        var state = JsonNode.Parse(session.Read(StateFile))!.AsObject();
        state["sites"]![0]!["name"] = Hostile;
        foreach (var user in state["users"]!.AsArray())
        {
            user!["site"] = Hostile;
        }

        session.Write(StateFile, state.ToJsonString());
        // Another location code for the manifest's site, so the plan ceases the hostile one in its API steps (with the
        // same code it would be a rename without a moved entry, refused at plan time: issue 25, WHC3041).
        session.Edit("examples/quickstart/company.yaml", "locationCode: IPS01", "locationCode: IPS02");

        // When every view of it is printed
        var list = await session.RunAsync("state", "list");
        var show = await session.RunAsync("state", "show", $"fun-network/site/{Hostile}");
        var text = await session.RunAsync("plan", Quickstart);
        var github = await session.RunAsync("plan", Quickstart, "--format", "github");
        var markdown = await session.RunAsync("plan", Quickstart, "--format", "markdown");
        var json = await session.RunAsync("plan", Quickstart, "--format", "json");
        var apply = await session.RunAsync("apply", Quickstart, "--auto-approve");

        // Then each names the site, escaped: no escape character and no line of its own
        list.ExitCode.Should().Be(ExitCodes.Success, list.ToString());
        list.Output.Should().Contain("fun-network/site/evil\\u001B[31m\\n::error::pwned");
        show.ExitCode.Should().Be(ExitCodes.Success, show.ToString());
        show.Output.Should().Contain("evil\\u001B[31m\\n::error::pwned");
        text.Output.Should().Contain("evil\\u001B[31m\\n::error::pwned", "the API steps name the site");
        github.Output.Should().Contain("evil\\u001B[31m\\n::error::pwned");
        markdown.Output.Should().Contain("evil\\u001B[31m\\n::error::pwned");
        JsonNode.Parse(json.Output).Should().NotBeNull();
        foreach (var result in new[] { list, show, text, github, markdown, json, apply })
        {
            AssertInert(result.Output);
            AssertInert(result.Error);
        }
    }

    /// <summary>No escape character reaches the output, and no line of it is a workflow command.</summary>
    private static void AssertInert(string output)
    {
        output.Should().NotContain("\u001b").And.NotContain("\u202E").And.NotContain("\u0007");
        output.Split('\n').Select(line => line.TrimStart()).Should().NotContain(line => line.StartsWith("::error::pwned", StringComparison.Ordinal) || line.StartsWith("::warning::x", StringComparison.Ordinal));
        output.Should().NotContain("\r", "a carriage return would let a name overwrite its line");
    }
}
