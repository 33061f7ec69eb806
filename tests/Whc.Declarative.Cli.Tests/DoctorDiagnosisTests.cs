using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 item 6: <c>whcctl doctor</c> for a CUG the client may not act for. BT's gateway refuses each reseller
/// route with 403 (code 51); the report keeps its rows and ends with one line that names the cause and the way out.
/// </summary>
public sealed class DoctorDiagnosisTests
{
    private const string Bound = "CUG5019851064";
    private const string Other = "CUG7000000001";

    /// <summary>A sandbox whose only client may act for <see cref="Bound"/> alone, as a BT developer app is bound.</summary>
    private static Task<SandboxServer> BoundSandboxAsync() =>
        SandboxServer.StartAsync(new SandboxOptions
        {
            OrderTimings = OrderTimings.Immediate,
            Contract = WhcContract.Default,
            Clients = [SandboxOptions.DefaultClient with { Cugs = [Bound] }],
        });

    private static Dictionary<string, string?> Environment(SandboxServer sandbox) => new(StringComparer.Ordinal)
    {
        ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
        ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
        ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
        ["NO_COLOR"] = "1",
    };

    [Fact]
    public async Task A_CUG_the_client_may_not_use_ends_the_report_with_one_line_that_says_so_and_what_to_do()
    {
        await using var sandbox = await BoundSandboxAsync();
        using var workspace = new TempWorkspace();

        var doctor = await Whcctl.RunAsync(workspace.Path, Environment(sandbox), "doctor", "--cug", Other);

        // The rows stay (seven refused), and one diagnosis follows them, naming the code, the CUG and what to do
        doctor.ExitCode.Should().Be(ExitCodes.Error, doctor.ToString());
        doctor.Output.Split('\n').Count(l => l.Contains("403 (code 51", StringComparison.Ordinal)).Should().Be(7, doctor.ToString());
        var diagnosis = doctor.Error.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Should().ContainSingle(l => l.Contains("WHC4021", StringComparison.Ordinal), doctor.ToString()).Subject;
        diagnosis.Should().StartWith("error WHC4021: ").And.Contain(Other).And.Contain("7 of 11 checks").And.Contain("403 (code 51")
            .And.Contain("--cug").And.Contain("bind");
        diagnosis.Should().NotContain(SandboxOptions.DefaultClientSecret);
    }

    [Fact]
    public async Task In_JSON_the_diagnosis_is_a_field_of_the_report()
    {
        await using var sandbox = await BoundSandboxAsync();
        using var workspace = new TempWorkspace();

        var doctor = await Whcctl.RunAsync(workspace.Path, Environment(sandbox), "doctor", "--cug", Other, "--format", "json");

        doctor.ExitCode.Should().Be(ExitCodes.Error, doctor.ToString());
        var report = JsonNode.Parse(doctor.Output)!;
        report["diagnosis"]!["code"]!.GetValue<string>().Should().Be("WHC4021");
        report["diagnosis"]!["message"]!.GetValue<string>().Should().Contain(Other).And.Contain("7 of 11 checks");
    }

    [Fact]
    public async Task The_CUG_the_client_is_bound_to_gets_no_diagnosis()
    {
        await using var sandbox = await BoundSandboxAsync();
        using var workspace = new TempWorkspace();

        var doctor = await Whcctl.RunAsync(workspace.Path, Environment(sandbox), "doctor", "--cug", Bound, "--format", "json");

        doctor.ExitCode.Should().Be(ExitCodes.Success, doctor.ToString());
        JsonNode.Parse(doctor.Output)!["diagnosis"].Should().BeNull();
        doctor.Error.Should().NotContain("WHC4021");
    }

    [Fact]
    public async Task Routes_the_endpoint_does_not_have_all_answering_alike_are_named_once_with_the_options_that_fix_them()
    {
        // Given a routes file that moves every reseller route to paths the endpoint does not have (each answers 404/60)
        await using var session = await SandboxSession.StartAsync();
        var routes = new[] { "verifyCompany", "verifyDomain", "verifySite", "verifyUser", "verifyExtension", "verifyNumbers", "listCompanies" }
            .Select((route, i) => $"\"{route}\": \"/bt-wholesale/v1/whc/nowhere/resellers/{{cugId}}/r{i}\"");
        session.Write("routes.json", "{ " + string.Join(", ", routes) + " }");

        var doctor = await session.RunAsync("doctor", "--cug", Bound, "--routes", "routes.json");

        doctor.ExitCode.Should().Be(ExitCodes.Error, doctor.ToString());
        doctor.Error.Should().Contain("error WHC4021: 7 of 11 checks got the same answer, 404 (code 60): one cause, not 7.").And.Contain("--routes");
    }
}
