using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 15: the wire contract as data. An override is rehearsed on the sandbox, which serves the same contract the
/// client speaks, before it meets BT.
/// </summary>
public sealed class ContractOverrideTests
{
    /// <summary>What first contact with a BT endpoint might teach: moved routes, other names, BT's own state words.</summary>
    private const string Override = """
        {
          "routes": {
            "readCompany": { "path": "/inventory/{cugId}/company", "query": { "companyName": "name" } },
            "readOrder": { "path": "/orders/v9/{orderId}" },
            "qualify": { "response": { "productOfferingQualificationItem[].product.serviceId": "productOfferingQualificationItem[].product.svcId" } }
          },
          "productOfferings": { "user": "WHC-USER" },
          "characteristics": { "site": { "siteLocationCode": "locationCode" }, "user": { "extension": "extensionNumber" } },
          "orderStates": { "completed": null, "COMPLETE": "completed" },
          "errorEnvelope": { "noData": { "code": "NO_DATA" } }
        }
        """;

    private static WhcContract Load(string json)
    {
        var load = ContractLoader.Load([ContractLoader.ParseOverlay(json, "contract.json").Overlay!]);
        load.Diagnostics.Should().BeEmpty();
        return load.Contract!;
    }

    [Fact]
    public async Task An_override_applied_to_client_and_sandbox_converges_end_to_end()
    {
        await using var session = await SandboxSession.StartAsync(contract: Load(Override));
        session.Write("contract.json", Override);

        await session.ApplyAsync("examples/quickstart", "--contract", "contract.json");
        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json", "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var paths = (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Select(r => r!["path"]!.GetValue<string>()).ToList();
        paths.Should().Contain(p => p.StartsWith("/inventory/CUG5019851064/company", StringComparison.Ordinal));
        paths.Should().Contain(p => p.StartsWith("/orders/v9/", StringComparison.Ordinal));
        paths.Should().NotContain(p => p.StartsWith("/bt-wholesale/v1/whc/productOrder/", StringComparison.Ordinal));
        var state = await session.StateAsync("fun-network");
        state.Should().Contain("IPS01").And.Contain("2001", "the renamed characteristics reached the sandbox and came back");
    }

    [Fact]
    public async Task A_run_recorded_under_an_override_replays_clean_against_a_sandbox_serving_it()
    {
        await using var session = await SandboxSession.StartAsync(contract: Load(Override));
        session.Write("contract.json", Override);
        await session.ApplyAsync("examples/quickstart", "--contract", "contract.json", "--record", "run.har");

        var replay = await session.RunAsync("sandbox", "replay", "run.har", "--contract", "contract.json");
        var without = await session.RunAsync("sandbox", "replay", "run.har");

        session.Read("run.har").Should().Contain("/orders/v9/").And.Contain("locationCode", "the recording holds the wire as the contract shaped it");
        replay.ExitCode.Should().Be(ExitCodes.Success, replay.ToString());
        without.ExitCode.Should().Be(ExitCodes.Error, "the default contract's sandbox does not have the moved routes");
    }

    [Fact]
    public async Task Import_speaks_the_contract_too()
    {
        await using var session = await SandboxSession.StartAsync(contract: Load(Override));
        session.Write("contract.json", Override);
        await session.ApplyAsync("examples/quickstart", "--contract", "contract.json");
        await session.RunAsync("state", "rm", "fun-network");

        var import = await session.RunAsync("import", "fun-network", "examples/quickstart", "--cug", "CUG5019851064", "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--contract", "contract.json");

        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json", "--detailed-exitcode");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
    }

    [Fact]
    public async Task A_client_without_the_override_fails_closed_against_an_endpoint_that_follows_it()
    {
        await using var session = await SandboxSession.StartAsync(contract: Load(Override));

        var plan = await session.RunAsync("plan", "examples/quickstart");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("not BT's 'no data' answer").And.Contain("--contract");
    }

    [Fact]
    public async Task The_sandbox_answers_no_data_with_the_contracts_code_and_the_client_reads_it_as_free()
    {
        await using var session = await SandboxSession.StartAsync(contract: Load(Override));
        session.Write("contract.json", Override);

        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json", "--detailed-exitcode");

        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("TheFunNetwork");
    }

    [Fact]
    public async Task Contract_show_prints_the_effective_contract_with_overrides_marked()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("contract.json", Override);

        var show = await session.RunAsync("contract", "show", "--contract", "contract.json");

        show.ExitCode.Should().Be(ExitCodes.Success, show.ToString());
        var document = JsonNode.Parse(show.Output)!;
        document["routes"]!["readOrder"]!["path"]!.GetValue<string>().Should().Be("/orders/v9/{orderId}");
        document["routes"]!["createOrder"]!["path"]!.GetValue<string>().Should().Be("/bt-wholesale/v1/whc/productOrder");
        document["provenance"]!["routes.readOrder.path"]!.GetValue<string>().Should().Be("override");
        document["provenance"]!["routes.ringFence"]!.GetValue<string>().Should().Be("guide");
    }

    [Fact]
    public async Task A_contract_file_with_mistakes_reports_each_one_and_calls_nothing()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("contract.json", """{ "routes": { "readOrder": { "path": "/orders/id" }, "deleteCompany": {} }, "roles": { "owner": "x" } }""");

        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json");

        plan.ExitCode.Should().Be(ExitCodes.Error);
        plan.Error.Should().Contain("contract.json: error WHC4007: routes.deleteCompany").And.Contain("contract.json: error WHC4007: roles.owner");
        plan.Error.Should().NotContain("   at ");
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Should().BeEmpty();
    }

    [Theory]
    [InlineData("sandbox", "serve", "--port", "0")]
    [InlineData("sandbox", "replay", "missing.har")]
    public async Task The_sandbox_refuses_a_contract_with_mistakes_before_it_starts(params string[] command)
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("contract.json", """{ "roles": { "owner": "x" } }""");

        var run = await session.RunAsync([.. command, "--contract", "contract.json"]);

        run.ExitCode.Should().Be(ExitCodes.Error);
        run.Error.Should().Contain("contract.json: error WHC4007: roles.owner").And.NotContain("   at ");
    }

    [Fact]
    public async Task The_contract_can_come_from_WHC_CONTRACT_and_a_missing_file_is_WHC4006()
    {
        await using var session = await SandboxSession.StartAsync();

        var show = await Whcctl.RunAsync(session.Workspace.Path, new Dictionary<string, string?>(session.Environment) { ["WHC_CONTRACT"] = "missing.json" }, ["contract", "show"]);

        show.ExitCode.Should().Be(ExitCodes.Error);
        show.Error.Should().Contain("missing.json: error WHC4006: cannot read the file");
    }

    [Fact]
    public async Task The_Markdown_reference_in_docs_is_the_built_in_contract()
    {
        var docs = Path.Combine(Repository.Root, "docs", "whc-api.md");
        var text = await File.ReadAllTextAsync(docs);
        const string Begin = "<!-- contract:begin (generated by `whcctl contract show --format markdown`; a test checks it) -->\n";
        const string End = "<!-- contract:end -->";
        var expected = ContractReference.ToMarkdown(ContractLoader.Load([]));
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("WHC_UPDATE_BASELINES") == "1" && start >= 0 && end > start)
        {
            await File.WriteAllTextAsync(docs, text[..(start + Begin.Length)] + expected + text[end..]);
            return;
        }

        start.Should().BeGreaterThanOrEqualTo(0, "docs/whc-api.md holds the contract reference between its markers");
        text[(start + Begin.Length)..end].Should().Be(expected, "docs/whc-api.md must show the built-in contract; regenerate with WHC_UPDATE_BASELINES=1");
    }
}
