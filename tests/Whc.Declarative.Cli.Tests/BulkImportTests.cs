using System.Globalization;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 13: <c>whcctl import --all</c> adopts every company a reseller already has at BT. The companies are made at
/// the sandbox by an apply into another state (to this workspace's state, they were made outside whcctl).
/// </summary>
public sealed class BulkImportTests
{
    private const string Cug = "CUG5019851064";

    [Fact]
    public async Task Two_hundred_companies_are_adopted_with_one_read_each_and_their_written_manifests_plan_clean()
    {
        await using var session = await SandboxSession.StartAsync();
        await SeedAsync(session, Enumerable.Range(1, 200).Select(i => $"Bulk Company {i:000}"));
        var started = DateTimeOffset.UtcNow;

        var import = await session.RunAsync("import", "--all", "--cug", Cug, "--billing-account", "GB12345678", "--write-manifests", "adopted");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        import.Error.Should().Contain("200 companies of CUG5019851064 at BT: 200 imported, 0 already in state, 0 failed; 200 manifests written to adopted")
            .And.Contain("[200/200] ").And.Contain("imported 'Bulk Company 007' as bulk-company-007: ");
        Directory.GetFiles(session.Workspace.File("adopted"), "*.yaml").Should().HaveCount(200);
        var calls = (await session.AdminGetAsync("/_sandbox/requests")).AsArray()
            .Where(r => DateTimeOffset.Parse(r!["time"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= started)
            .GroupBy(r => r!["route"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        calls.Should().BeEquivalentTo(new Dictionary<string, int> { ["token"] = 1, ["listCompanies"] = 3, ["readCompany"] = 200 }, "two full pages and an empty one, then one read per company");
        var plan = await session.RunAsync("plan", "adopted", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_run_that_failed_part_way_is_resumed_by_running_it_again(string backend)
    {
        // Given five companies at BT, and BT failing every attempt to read the first one the import reads
        await using var session = await SandboxSession.StartAsync(backend);
        await SeedAsync(session, ["Alpha Ltd", "Bravo Ltd", "Charlie Ltd", "Delta Ltd", "Echo Ltd"]);
        await session.AdminPostAsync("/_sandbox/faults", new { script = new[] { new { route = "readCompany", fault = "503", count = 4 } } });

        // When the import runs, one company at a time, and then runs again
        var first = await session.RunAsync("import", "--all", "--cug", Cug, "--billing-account", "GB12345678", "--write-manifests", "adopted", "--parallelism", "1");
        var second = await session.RunAsync("import", "--all", "--cug", Cug, "--billing-account", "GB12345678", "--write-manifests", "adopted");

        // Then the first run names the failure and exits 1, the second adopts only what is missing, and all plan clean
        first.ExitCode.Should().Be(ExitCodes.Error, first.ToString());
        first.Error.Should().Contain("4 imported, 0 already in state, 1 failed").And.Contain("error WHC4014").And.Contain("Run the same command again");
        second.ExitCode.Should().Be(ExitCodes.Success, second.ToString());
        second.Error.Should().Contain("1 imported, 4 already in state, 0 failed; 1 manifest written");
        Directory.GetFiles(session.Workspace.File("adopted"), "*.yaml").Select(Path.GetFileName).Should()
            .BeEquivalentTo(["alpha-ltd.yaml", "bravo-ltd.yaml", "charlie-ltd.yaml", "delta-ltd.yaml", "echo-ltd.yaml"]);
        (await session.RunAsync("plan", "adopted", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Names_that_make_the_same_key_each_get_their_service_id_and_an_existing_manifest_is_kept()
    {
        await using var session = await SandboxSession.StartAsync();
        await SeedAsync(session, ["Clash Ltd", "Clash-Ltd", "Café Zoë"]);
        session.Write("adopted/cafe-zoe.yaml", "# the team's own file\n");

        var import = await session.RunAsync("import", "--all", "--cug", Cug, "--billing-account", "GB12345678", "--write-manifests", "adopted");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        session.Read("adopted/cafe-zoe.yaml").Should().Be("# the team's own file\n");
        var keys = (await session.RunAsync("state", "list")).Output.Split('\n').Where(l => !l.Contains('/')).Select(l => l.Trim()).Where(l => l.Length > 0);
        keys.Should().HaveCount(3).And.Contain("cafe-zoe").And.OnlyContain(k => k == "cafe-zoe" || k.StartsWith("clash-ltd-whhcbtwkn", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--all", "fun-network", "--cug", Cug, "--billing-account", "GB12345678" }, "give no COMPANY")]
    [InlineData(new[] { "--all", "--cug", Cug }, "--all needs --cug")]
    [InlineData(new[] { "--all", "--cug", Cug, "--billing-account", "GB12345678", "--name", "X" }, "--name goes with one COMPANY")]
    [InlineData(new[] { "--all", "--cug", "CUG1", "--billing-account", "GB12345678" }, "is not a CUG id")]
    [InlineData(new[] { "fun-network", "--write-manifests", "out" }, "--write-manifests goes with --all")]
    [InlineData(new string[0], "give the COMPANY key")]
    public async Task Options_that_do_not_go_together_are_usage_errors_that_touch_nothing(string[] options, string message)
    {
        await using var session = await SandboxSession.StartAsync();

        var import = await session.RunAsync(["import", .. options]);

        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("error WHC").And.Contain(message);
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Should().BeEmpty("a usage error calls nothing at BT");
    }

    /// <summary>Makes the companies at the sandbox through an apply into a state of their own, then removes their manifests.</summary>
    private static async Task SeedAsync(SandboxSession session, IEnumerable<string> names)
    {
        var index = 0;
        foreach (var name in names)
        {
            index++;
            session.Write($"seed/company-{index:000}.yaml", $$"""
                apiVersion: whc.declarative/v1
                kind: Company
                metadata:
                  name: seed-{{index:000}}
                spec:
                  reseller: { cugId: {{Cug}}, billingAccount: GB12345678 }
                  company: { name: "{{name}}", domain: seed{{index:000}}.example.com, customerGroup: Bulk }
                  numberBlocks:
                    - { name: main, areaCode: "0121", quantity: 2 }
                  sites:
                    - name: hq
                      locationCode: HQ01
                      address: { postcode: IP5 3RE, premises: Adastral Park, street: Main Road, city: Ipswich }
                      users:
                        - { username: user1.seed{{index:000}}, firstName: Ann, lastName: Smith, extension: "201", number: { from: main } }
                """);
        }

        await session.ApplyAsync("seed", "--state", "seeded", "--parallelism", "16");
        Directory.Delete(session.Workspace.File("seed"), recursive: true);
        await session.AdminPostAsync("/_sandbox/faults", new { });
    }
}
