using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 15: <c>whcctl doctor</c>, the read-only first contact with an endpoint.</summary>
public sealed class DoctorCommandTests
{
    [Fact]
    public async Task Against_the_sandbox_every_route_answers_as_expected_and_nothing_but_reads_are_sent()
    {
        await using var session = await SandboxSession.StartAsync();

        var doctor = await session.RunAsync("doctor", "--cug", "CUG5019851064");

        doctor.ExitCode.Should().Be(ExitCodes.Success, doctor.ToString());
        doctor.Output.Should().Contain("11 ok, 0 differ, 0 unreachable").And.Contain("token").And.Contain("find order");
        var requests = (await session.AdminGetAsync("/_sandbox/requests")).AsArray();
        requests.Should().HaveCount(11); // the token, six "no data" probes, the listing (empty: no company to read back), addresses, find order, read order
        requests.Where(r => r!["route"]!.GetValue<string>() != "token").Should().OnlyContain(r => r!["method"]!.GetValue<string>() == "GET", "the doctor never changes anything");
        (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_route_the_endpoint_does_not_have_is_named_and_the_exit_code_is_1()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("routes.json", """{ "verifyUser": "/bt-wholesale/v1/whc/resourceInventory/resellers/{cugId}/users" }""");

        var doctor = await session.RunAsync("doctor", "--cug", "CUG5019851064", "--routes", "routes.json", "--format", "json");

        doctor.ExitCode.Should().Be(ExitCodes.Error, doctor.ToString());
        var report = JsonNode.Parse(doctor.Output)!;
        report["ok"]!.GetValue<bool>().Should().BeFalse();
        var differing = report["checks"]!.AsArray().Where(c => c!["result"]!.GetValue<string>() != "ok").Should().ContainSingle().Subject!;
        differing["route"]!.GetValue<string>().Should().EndWith("/{cugId}/users");
        differing["result"]!.GetValue<string>().Should().Be("differs");
        differing["detail"]!.GetValue<string>().Should().Contain("expected BT's 'no data' answer").And.Contain("got 404 (code 60");
    }

    /// <summary>A BT whose company answer carries its ranges and sites under other names.</summary>
    private const string RenamedLists = """
        { "routes": { "readCompany": { "response": { "numberRanges": "ranges", "sites": "locations" } } } }
        """;

    [Fact]
    public async Task A_company_answer_with_renamed_lists_is_named_and_the_contract_that_maps_them_makes_it_ok()
    {
        var load = ContractLoader.Load([ContractLoader.ParseOverlay(RenamedLists, "contract.json").Overlay!]);
        await using var session = await SandboxSession.StartAsync(contract: load.Contract);
        session.Write("contract.json", RenamedLists);
        await session.ApplyAsync("examples/quickstart", "--contract", "contract.json");

        var blind = await session.RunAsync("doctor", "--cug", "CUG5019851064", "--format", "json");
        var mapped = await session.RunAsync("doctor", "--cug", "CUG5019851064", "--contract", "contract.json");
        var plan = await session.RunAsync("plan", "examples/quickstart");

        blind.ExitCode.Should().Be(ExitCodes.Error, blind.ToString());
        var differing = JsonNode.Parse(blind.Output)!["checks"]!.AsArray().Where(c => c!["result"]!.GetValue<string>() != "ok").Should().ContainSingle().Subject!;
        differing["name"]!.GetValue<string>().Should().Be("read listed company");
        differing["detail"]!.GetValue<string>().Should().Contain("'numberRanges' is missing");
        mapped.ExitCode.Should().Be(ExitCodes.Success, mapped.ToString());
        mapped.Output.Should().Contain("12 ok, 0 differ, 0 unreachable").And.Contain("read listed company");
        plan.ExitCode.Should().Be(ExitCodes.Error, "a plan that reads no ranges and no sites must stop, not plan them anew");
        plan.Error.Should().Contain("WHC4016").And.Contain("'numberRanges'");
    }

    [Fact]
    public async Task A_CUG_id_that_is_not_one_is_a_usage_error()
    {
        await using var session = await SandboxSession.StartAsync();

        var doctor = await session.RunAsync("doctor", "--cug", "CUG1");

        doctor.ExitCode.Should().Be(ExitCodes.Error);
        doctor.Error.Should().Contain("error WHC6001: --cug 'CUG1' is not a CUG id");
    }
}
