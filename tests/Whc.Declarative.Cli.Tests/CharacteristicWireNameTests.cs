using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 22: an extra characteristic may not take the wire name the contract in effect gives a field whcctl sets: with
/// firstName sent as callerIdName, a manifest's own callerIdName would reach BT twice in one order item.
/// </summary>
public sealed class CharacteristicWireNameTests
{
    private const string Contract = """{ "characteristics": { "user": { "firstName": "callerIdName" } } }""";

    private const string Manifest = "examples/quickstart/company.yaml";

    private static WhcContract Load(string json) => ContractLoader.Load([ContractLoader.ParseOverlay(json, "contract.json").Overlay!]).Contract!;

    private static async Task<(SandboxSession Session, string Where)> StartAsync()
    {
        var session = await SandboxSession.StartAsync(contract: Load(Contract));
        session.Write("contract.json", Contract);
        session.Edit(Manifest, "          licence: standard\n", "          licence: standard\n          characteristics: { callerIdName: Reception }\n");
        var lines = session.Read(Manifest).Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("characteristics: { callerIdName", StringComparison.Ordinal));
        var column = lines[line].IndexOf("Reception", StringComparison.Ordinal) + 1; // WHC2031 points at the entry's value, as for every characteristic
        return (session, $"{Manifest}({line + 1},{column}): error WHC2031");
    }

    [Fact]
    public async Task Validate_refuses_a_characteristic_named_as_the_contract_sends_a_field_whcctl_sets()
    {
        var (session, where) = await StartAsync();
        await using var _ = session;

        var validate = await session.RunAsync("validate", Manifest, "--contract", "contract.json");
        var withoutContract = await session.RunAsync("validate", Manifest);

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        validate.Error.Should().Contain(where).And.Contain("firstName");
        withoutContract.ExitCode.Should().Be(ExitCodes.Success, "under the built-in contract callerIdName is no field's name: " + withoutContract);
    }

    [Fact]
    public async Task Validate_reads_the_contract_from_WHC_CONTRACT_as_plan_does()
    {
        var (session, where) = await StartAsync();
        await using var _ = session;
        var environment = session.Environment.ToDictionary(e => e.Key, e => e.Value);
        environment["WHC_CONTRACT"] = "contract.json";

        var validate = await Whcctl.RunAsync(session.Workspace.Path, environment, "validate", Manifest);

        validate.ExitCode.Should().Be(ExitCodes.Error, validate.ToString());
        validate.Error.Should().Contain(where);
    }

    [Fact]
    public async Task Plan_and_apply_refuse_it_at_the_manifest_position_and_no_order_carries_the_name_twice()
    {
        var (session, where) = await StartAsync();
        await using var _ = session;

        var plan = await session.RunAsync("plan", PlanBaselineTests.Quickstart, "--contract", "contract.json");
        var apply = await session.RunAsync("apply", PlanBaselineTests.Quickstart, "--contract", "contract.json", "--auto-approve");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain(where);
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain(where);
        var orders = (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray();
        orders.Should().BeEmpty("nothing is ordered from a manifest with errors");
    }

    [Fact]
    public async Task Under_the_contract_a_characteristic_of_another_name_is_sent_once_beside_the_renamed_field()
    {
        var (session, _) = await StartAsync();
        await using var __ = session;
        session.Edit(Manifest, "characteristics: { callerIdName: Reception }", "characteristics: { callerIdLabel: Reception }");

        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--contract", "contract.json", "--record", "run.har");

        // The recording holds each request body as it went on the wire, as one string.
        var bodies = Strings(JsonNode.Parse(session.Read("run.har"))).Where(b => b.Contains("callerIdLabel", StringComparison.Ordinal)).ToList();
        bodies.Should().NotBeEmpty().And.OnlyContain(b => CountOf(b, "\"callerIdName\"") == 1, "firstName goes on the wire as callerIdName, once (the order, and BT's answer)");
    }

    [Fact]
    public void A_number_block_is_checked_against_the_names_of_both_its_order_items_and_unrenamed_names_are_not_reserved()
    {
        var names = Cli.Infrastructure.ContractCharacteristicNames.Of(Load("""
            { "characteristics": { "newNumber": { "startNumber": "rangeStart" }, "portedNumber": { "endNumber": "portedEnd" } } }
            """));

        names.FieldSentAs("numberBlock", "rangeStart").Should().Be("startNumber");
        names.FieldSentAs("numberBlock", "portedEnd").Should().Be("endNumber");
        names.FieldSentAs("numberBlock", "startNumber").Should().BeNull("whcctl's own names are refused by the built-in list already");
        names.FieldSentAs("user", "rangeStart").Should().BeNull();
        Cli.Infrastructure.ContractCharacteristicNames.Of(WhcContract.Default).ByProduct.Should().BeEmpty();
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue(out string? text) => [text],
        _ => [],
    };

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
