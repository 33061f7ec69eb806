using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

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
        doctor.Output.Should().Contain("10 ok, 0 differ, 0 unreachable").And.Contain("token").And.Contain("find order");
        var requests = (await session.AdminGetAsync("/_sandbox/requests")).AsArray();
        requests.Should().HaveCount(10);
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

    [Fact]
    public async Task A_CUG_id_that_is_not_one_is_a_usage_error()
    {
        await using var session = await SandboxSession.StartAsync();

        var doctor = await session.RunAsync("doctor", "--cug", "CUG1");

        doctor.ExitCode.Should().Be(ExitCodes.Error);
        doctor.Error.Should().Contain("error WHC3017: --cug 'CUG1' is not a CUG id");
    }
}
