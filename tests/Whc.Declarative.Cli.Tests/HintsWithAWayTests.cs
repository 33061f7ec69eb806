using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 item 7: a hint is a way out that works as written. Each test takes the hint from whcctl's own output and
/// follows it to the letter through the CLI against the sandbox.
/// </summary>
public sealed partial class HintsWithAWayTests
{
    private const string Manifest = "examples/quickstart/company.yaml";

    [Fact]
    public async Task The_import_WHC3001_suggests_works_as_written_from_where_plan_ran_even_beside_another_manifest_of_the_company()
    {
        // Given the quickstart's company made outside this state, and a draft copy of its manifest in the same folder
        // (so an import that reads the whole folder finds the company twice: WHC2001)
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");
        session.Write("drafts/company.yaml", session.Read(Manifest));

        // When the plan refuses it with WHC3001
        var plan = await session.RunAsync("plan", PlanBaselineTests.Quickstart);
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        var hint = ImportHint().Match(plan.Error);
        hint.Success.Should().BeTrue(plan.Error);

        // Then the command it suggests, run as written from the same folder, adopts the company and the plan is clean
        var args = hint.Groups["command"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        args[0].Should().Be("whcctl");
        var import = await session.RunAsync(args[1..]);
        import.ExitCode.Should().Be(ExitCodes.Success, $"hinted: {hint.Value}\n{import}");
        var again = await session.RunAsync("plan", PlanBaselineTests.Quickstart, "--detailed-exitcode");
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
    }

    private const string TwoBlocks = """
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: two-blocks
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: TwoBlocks, domain: two-blocks.example.com, customerGroup: SWAINsTelecom }
          numberBlocks:
            - { name: sales, areaCode: "0121", quantity: 5 }
            - { name: support, areaCode: "0121", quantity: 5 }
          sites:
            - name: hq
              locationCode: HQ01
              address: { postcode: IP5 3RE, premises: Adastral Park }
              users:
                - { username: ann.two, firstName: Ann, lastName: One, extension: "2001", number: { from: sales } }
                - { username: bob.two, firstName: Bob, lastName: Two, extension: "2002", number: { from: support } }

        """;

    [Fact]
    public async Task Two_blocks_renamed_at_once_each_get_the_moved_entry_that_keeps_their_own_users_numbers()
    {
        // Given two alike blocks applied, then both renamed in the manifest (support → helpdesk, sales → revenue)
        await using var session = await SandboxSession.StartAsync();
        session.Write("two/company.yaml", TwoBlocks);
        await session.ApplyAsync("two");
        var numbers = await NumbersAsync(session);
        session.Write("two/company.yaml", TwoBlocks
            .Replace("name: sales,", "name: revenue,", StringComparison.Ordinal).Replace("from: sales", "from: revenue", StringComparison.Ordinal)
            .Replace("name: support,", "name: helpdesk,", StringComparison.Ordinal).Replace("from: support", "from: helpdesk", StringComparison.Ordinal));

        // When it is planned, in text and as the pull-request comment
        var plan = await session.RunAsync("plan", "two");
        var markdown = await session.RunAsync("plan", "two", "--format", "markdown");

        // Then each new block is named with the block its users drew from, in every format
        var entries = MovedHint().Matches(plan.Error).Select(m => m.Groups["entry"].Value).ToList();
        entries.Should().BeEquivalentTo(["{ from: number-block/sales, to: number-block/revenue }", "{ from: number-block/support, to: number-block/helpdesk }"], plan.Error);
        markdown.Output.Should().Contain("WHC3042").And.Contain("{ from: number-block/sales, to: number-block/revenue }").And.Contain("{ from: number-block/support, to: number-block/helpdesk }");

        // And the entries, added as shown, make the plan a move alone that keeps every number
        File.AppendAllText(session.Workspace.File("two/company.yaml"), "  moved:\n" + string.Concat(entries.Select(e => $"    - {e}\n")));
        var moved = await session.RunAsync("plan", "two", "--detailed-exitcode");
        moved.ExitCode.Should().Be(ExitCodes.Changes, moved.ToString());
        moved.Output.Should().Contain("(moved)").And.NotContain("API steps");
        await session.ApplyAsync("two");
        (await NumbersAsync(session)).Should().Equal(numbers);
    }

    private static async Task<List<string>> NumbersAsync(SandboxSession session)
    {
        var inventory = await session.AdminGetAsync("/_sandbox/inventory");
        return [.. inventory["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Select(u => $"{u!["username"]!.GetValue<string>()}={u["directoryNumber"]!.GetValue<string>()}").Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex("run '(?<command>whcctl import [^']+)'")]
    private static partial Regex ImportHint();

    [GeneratedRegex(@"WHC3042: .*?moved: \[(?<entry>\{ from: number-block/[a-z0-9-]+, to: number-block/[a-z0-9-]+ \})\]")]
    private static partial Regex MovedHint();
}
