using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Engine.Operations;
using Xunit.Abstractions;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 23: the same inputs give the same plan in any process. .NET seeds string hashing afresh in every process, so
/// anything ordered by a hash set or dictionary comes out in another order in the next process; in-process tests
/// cannot see that. Each plan here is made by whcctl as a child process, and a saved plan is checked (derived again)
/// by other child processes, as a pull request's plan job and the merge's apply job do.
/// </summary>
public sealed partial class PlanDeterminismTests(ITestOutputHelper output)
{
    private const string Company = "det/company.yaml";

    /// <summary>
    /// How many other processes derive a saved plan again in <see cref="A_saved_plan_ceasing_several_users_is_derived_again_identically_in_other_processes"/>.
    /// Each re-derivation is a fresh hash seed; with three users ceased a hash-ordered plan matches by chance one time
    /// in six. The long run (20 full plan and apply cycles) is bench/plan-determinism.sh (docs/benchmarks/plan-determinism.md).
    /// </summary>
    private const int ReDerivations = 5;

    [Fact]
    public async Task A_saved_plan_ceasing_several_users_is_derived_again_identically_in_other_processes()
    {
        // Given the quick-start company with three more users, applied, and then the three removed from the manifest
        await using var session = await SandboxSession.StartAsync();
        var quickstart = session.Read("examples/quickstart/company.yaml");
        session.Write(Company, quickstart + ExtraUsers("bob.jones", "carol.king", "dave.lee"));
        await session.ApplyAsync("det");
        session.Write(Company, quickstart);

        // When one process saves the plan, and other processes apply it (without --allow-destroy, so that each one
        // derives the plan again and then stops at the destroy gate, changing nothing)
        var plan = await RunChildAsync(session, "plan", "det", "--out", "p.json");
        plan.ExitCode.Should().Be(0, plan.ToString());
        for (var i = 0; i < ReDerivations; i++)
        {
            var check = await RunChildAsync(session, "apply", "p.json");

            // Then each one finds the same plan: refused only because it ceases users (WHC4053), never as altered (WHC4057)
            check.Error.Should().NotContain("WHC4057", $"re-derivation {i + 1} of {ReDerivations} in another process must give the saved plan");
            check.Error.Should().Contain("WHC4053", check.ToString());
        }

        // And the reviewed plan applies from yet another process, ceasing the three users
        var apply = await RunChildAsync(session, "apply", "p.json", "--allow-destroy");
        apply.ExitCode.Should().Be(0, apply.ToString());
        var inventory = await session.AdminGetAsync("/_sandbox/inventory");
        inventory["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Where(u => u!["status"]!.GetValue<string>() == "active").Select(u => u!["username"]!.GetValue<string>())
            .Should().Equal("jane.smith");
    }

    [Fact]
    public async Task Text_JSON_Markdown_and_the_saved_file_are_byte_identical_across_processes_for_a_mixed_plan()
    {
        // Given a company of four blocks, four sites and thirteen users, applied; then a manifest that ceases two
        // sites and two blocks with their users and some users elsewhere, moves a user between sites (a replacement),
        // changes one, and adds a block, a site and users: user ceases, a structural order, user orders, and
        // structural ceases, each of several resources
        await using var session = await SandboxSession.StartAsync();
        session.Write(Company, Before);
        await session.ApplyAsync("det");
        session.Write(Company, After);

        // When two processes each plan it, in every format (plan takes no lock: the six run at once, to save time)
        var plans = await Task.WhenAll(PlanInEveryFormatAsync(session, "a"), PlanInEveryFormatAsync(session, "b"));
        var (first, second) = (plans[0], plans[1]);

        // Then every output is the same, byte for byte (but for the time the plan was made)
        first.Text.Should().Contain("-/+").And.Contain("- site orion").And.Contain("- number-block brum").And.Contain("- user abe", "the plan must hold the replacement and ceases it is about");
        second.Text.Should().Be(first.Text);
        WithoutMadeAt(second.Markdown).Should().Be(WithoutMadeAt(first.Markdown));
        WithoutTimestamp(second.Json).Should().Be(WithoutTimestamp(first.Json));
        WithoutSavedTime(second.Saved).Should().Be(WithoutSavedTime(first.Saved));

        // And either saved plan is the plan a third process derives again (it stops only at the destroy gate)
        var check = await RunChildAsync(session, "apply", "b.json");
        check.Error.Should().NotContain("WHC4057").And.Contain("WHC4053", check.ToString());
    }

    private async Task<(string Text, string Json, string Markdown, string Saved)> PlanInEveryFormatAsync(SandboxSession session, string name)
    {
        var results = await Task.WhenAll(
            RunChildAsync(session, "plan", "det", "--out", $"{name}.json"),
            RunChildAsync(session, "plan", "det", "--format", "json"),
            RunChildAsync(session, "plan", "det", "--format", "markdown"));
        var (text, json, markdown) = (results[0], results[1], results[2]);
        foreach (var result in results)
        {
            result.ExitCode.Should().Be(0, result.ToString());
        }

        // The saved file is whole: its hash matches what it holds.
        var path = session.Workspace.File($"{name}.json");
        PlanFile.Load(path, VersionInfo.Version);
        return (text.Output, json.Output, markdown.Output, await File.ReadAllTextAsync(path));
    }

    /// <summary>The JSON plan's <c>timestamp</c>: the clock, the only thing allowed to differ.</summary>
    private static string WithoutTimestamp(string json) => TimestampPattern().Replace(json, "\"timestamp\":\"(time)\"");

    /// <summary>The Markdown comment's footer time ("plan made ...").</summary>
    private static string WithoutMadeAt(string markdown) => MadeAtPattern().Replace(markdown, "plan made (time)</sub>");

    /// <summary>The saved plan's time, and its hash, which covers that time (each file's hash is checked by loading it).</summary>
    private static string WithoutSavedTime(string saved) =>
        PlanHashPattern().Replace(CreatedAtPattern().Replace(saved, "\"createdAt\": \"(time)\""), "\"planHash\": \"(hash)\"");

    [GeneratedRegex("\"timestamp\":\\s*\"[^\"]*\"")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex("plan made [^<]*</sub>")]
    private static partial Regex MadeAtPattern();

    [GeneratedRegex("\"createdAt\":\\s*\"[^\"]*\"")]
    private static partial Regex CreatedAtPattern();

    [GeneratedRegex("\"planHash\":\\s*\"[^\"]*\"")]
    private static partial Regex PlanHashPattern();

    /// <summary>whcctl as a child process (its own string-hash seed), in the session's workspace, against its sandbox and state.</summary>
    private async Task<CliResult> RunChildAsync(SandboxSession session, params string[] args)
    {
        var start = CliExecutable.StartInfo(session.Workspace.Path, args);

        foreach (var (key, value) in session.Environment)
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var result = new CliResult(process.ExitCode, await stdout, await stderr);
        output.WriteLine($"whcctl {string.Join(' ', args)}: exit {result.ExitCode} after {clock.Elapsed.TotalSeconds:0.0}s");
        return result;
    }

    private static string ExtraUsers(params string[] usernames)
    {
        var text = new StringBuilder();
        for (var i = 0; i < usernames.Length; i++)
        {
            var (first, last) = (usernames[i].Split('.')[0], usernames[i].Split('.')[1]);
            text.Append($$"""
                        - username: {{usernames[i]}}
                          firstName: {{char.ToUpperInvariant(first[0])}}{{first[1..]}}
                          lastName: {{char.ToUpperInvariant(last[0])}}{{last[1..]}}
                          extension: "{{2002 + i}}"
                          number: { from: brum }
                          licence: standard

                """);
        }

        return text.ToString();
    }

    private static string User(string username, int extension, string? block, string lastName = "Tester") =>
        $"        - {{ username: {username}, firstName: {char.ToUpperInvariant(username[0])}{username[1..]}, lastName: {lastName}, extension: \"{extension}\"{(block is null ? string.Empty : $", number: {{ from: {block} }}")} }}\n";

    private static string Manifest(string blocks, string sites) => $"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: det-co
        spec:
          reseller: {"{"} cugId: CUG5019851064, billingAccount: GB12345678 {"}"}
          company: {"{"} name: DeterminismLtd, domain: det.example.com, customerGroup: SWAINsTelecom {"}"}
          numberBlocks:
        {blocks}  sites:
        {sites}
        """;

    private static string Site(string name, string nadKey, string users) =>
        $"    - name: {name}\n      locationCode: {name[..3].ToUpperInvariant()}01\n      address: {{ nadKey: {nadKey} }}\n      users:\n{users}";

    private static string Block(string name, string areaCode, int quantity) =>
        $"    - {{ name: {name}, areaCode: \"{areaCode}\", quantity: {quantity} }}\n";

    private static readonly string Before = Manifest(
        Block("leeds", "0113", 10) + Block("manchester", "0161", 5) + Block("brum", "0121", 5) + Block("bristol", "0117", 5),
        Site("ipswich", "X05000455530", User("una", 2001, "leeds") + User("vic", 2002, "leeds") + User("wes", 2003, "leeds") + User("xan", 2004, "leeds") + User("yara", 2005, "leeds") + User("zed", 2006, "leeds"))
        + Site("orion", "X05000455531", User("abe", 2101, "manchester") + User("bea", 2102, "manchester") + User("cal", 2103, "manchester"))
        + Site("antares", "X05000455532", User("dot", 2201, "brum") + User("eli", 2202, "brum"))
        + Site("newgate", "X05000455534", User("fay", 2301, "bristol") + User("gus", 2302, null)));

    private static readonly string After = Manifest(
        Block("leeds", "0113", 10) + Block("bristol", "0117", 5) + Block("sheffield", "0114", 5),
        Site("ipswich", "X05000455530", User("una", 2001, "leeds", lastName: "Changed") + User("vic", 2002, "leeds") + User("yara", 2005, "leeds") + User("hal", 2007, "leeds") + User("ivy", 2008, "leeds") + User("jon", 2009, "sheffield"))
        + Site("newgate", "X05000455534", User("fay", 2301, "bristol") + User("zed", 2006, "leeds"))
        + Site("braham", "X05000455533", User("kit", 2401, "sheffield")));
}
