using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 22: a contract file renames, it never weakens. What would make a plan re-create a live company, or record a
/// failed order as done, is refused before anything is sent; show, edit, pass works.
/// </summary>
public sealed class ContractInvariantCliTests
{
    private static async Task<int> RequestCountAsync(SandboxSession session) =>
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Count;

    [Theory]
    [InlineData("""{ "errorEnvelope": { "noData": { "status": 503 } } }""", "errorEnvelope.noData.status")]
    [InlineData("""{ "errorEnvelope": { "noData": { "status": 401 } } }""", "errorEnvelope.noData.status")]
    [InlineData("""{ "errorEnvelope": { "noData": { "code": "60" } } }""", "errorEnvelope.noData.code")]
    [InlineData("""{ "orderStates": { "FAILED": "completed" } }""", "orderStates.FAILED")]
    public async Task A_contract_that_would_read_an_applied_company_as_gone_or_a_failure_as_done_is_refused_before_any_call(string contract, string field)
    {
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");
        var before = await RequestCountAsync(session);
        session.Write("contract.json", contract);

        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json");
        var apply = await session.RunAsync("apply", "examples/quickstart", "--contract", "contract.json", "--auto-approve");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain($"contract.json: error WHC4008: {field}:").And.NotContain("   at ");
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        (await RequestCountAsync(session)).Should().Be(before, "nothing is read or changed at BT under such a contract");
    }

    [Fact]
    public async Task A_key_given_twice_in_a_contract_file_is_WHC4006_at_its_line_not_an_internal_error()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("contract.json", "{\n  \"orderStates\": { \"DONE\": \"failed\" },\n  \"orderStates\": { \"DONE\": \"completed\" }\n}\n");

        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("contract.json(3,3): error WHC4006:").And.Contain("twice").And.NotContain("   at ").And.NotContain("internal");
        (await RequestCountAsync(session)).Should().Be(0);
    }

    [Fact]
    public async Task Unknown_names_and_unusable_values_of_a_contract_file_are_reported_in_one_run()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("contract.json", """{ "roles": { "owner": "x" }, "errorEnvelope": { "noData": { "status": 503 } } }""");

        var show = await session.RunAsync("contract", "show", "--contract", "contract.json");

        show.ExitCode.Should().Be(ExitCodes.Error);
        show.Error.Should().Contain("contract.json: error WHC4007: roles.owner").And.Contain("contract.json: error WHC4008: errorEnvelope.noData.status");
    }

    [Fact]
    public async Task A_contract_file_that_does_not_parse_does_not_hide_the_problems_of_the_routes_file()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("contract.json", "{ \"roles\": {}, \"roles\": {} }");
        session.Write("routes.json", """{ "submitOrder": "/bt-wholesale/v1/whc/productOrder" }""");

        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "contract.json", "--routes", "routes.json");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("contract.json(1,16): error WHC4006:").And.Contain("routes.json: error WHC4008: routes.submitOrder.path");
    }

    [Fact]
    public async Task The_shown_contract_passed_back_is_the_default_and_a_plan_runs_on_it()
    {
        await using var session = await SandboxSession.StartAsync();
        var shown = await session.RunAsync("contract", "show", "--format", "json");
        session.Write("shown.json", shown.Output);

        var again = await session.RunAsync("contract", "show", "--format", "json", "--contract", "shown.json");
        var plan = await session.RunAsync("plan", "examples/quickstart", "--contract", "shown.json", "--detailed-exitcode");

        shown.ExitCode.Should().Be(ExitCodes.Success, shown.ToString());
        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
        again.Output.Should().Be(shown.Output, "the contract shown, passed back unchanged, is the default with nothing marked override");
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
    }

    [Fact]
    public async Task Show_edit_pass_keeps_the_edit_and_marks_only_it()
    {
        await using var session = await SandboxSession.StartAsync();
        var shown = JsonNode.Parse((await session.RunAsync("contract", "show")).Output)!;
        shown["routes"]!["readOrder"]!["path"] = "/orders/v9/{orderId}";
        session.Write("edited.json", shown.ToJsonString());

        var again = await session.RunAsync("contract", "show", "--contract", "edited.json");

        again.ExitCode.Should().Be(ExitCodes.Success, again.ToString());
        var provenance = JsonNode.Parse(again.Output)!["provenance"]!.AsObject();
        provenance.Where(p => p.Value!.GetValue<string>() == "override").Select(p => p.Key).Should().Equal("routes.readOrder.path");
    }
}
