using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 12 through the command line: a run was killed right after it recorded that it was about to create an order
/// for a user, and the user was then taken out of the manifest. The plan shows what BT said about that call and
/// counts as a change (so CI's <c>--detailed-exitcode</c> and the plan agree); a saved plan carries it to apply.
/// </summary>
public sealed class InterruptedRunCliTests
{
    [Fact]
    public async Task A_call_BT_never_saw_is_shown_answered_saved_applied_and_gone()
    {
        // Given the quickstart applied, then a run killed just before creating an order for a second user
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync("examples/quickstart");
        var statePath = session.Workspace.File(".whc/state/fun-network.json");
        var state = StateSerializer.Default.Deserialize(File.ReadAllText(statePath), statePath);
        var intent = new IntentRecord(
            "whcctl-killed-before-the-call",
            "fun-network:order-1:create",
            IntentOperations.CreateOrder,
            DateTimeOffset.UtcNow,
            new CreateOrderIntent([new OrderOperation(new ResourceAddress("fun-network", ResourceKind.User, "bob.jones"), OrderOperationKind.Add)], []).ToMap());
        File.WriteAllText(statePath, StateSerializer.Default.Serialize(state with { Serial = state.Serial + 1, Intents = [intent] }));

        // When the (unchanged) quickstart is planned
        var plan = await session.RunAsync("plan", "examples/quickstart", "--detailed-exitcode");
        var json = await session.RunAsync("plan", "examples/quickstart", "--format", "json");
        var saved = await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json");

        // Then the plan says what BT answered, and is a change to apply
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("not found  order whcctl-killed-before-the-call: BT has no order with that externalId")
            .And.Contain("1 interrupted call answered by BT");
        var answered = JsonNode.Parse(json.Output)!["reconciled_intents"]!.AsArray().Should().ContainSingle().Subject!;
        answered["outcome"]!.GetValue<string>().Should().Be("not_found");
        answered["intent_id"]!.GetValue<string>().Should().Be("whcctl-killed-before-the-call");
        saved.ExitCode.Should().Be(ExitCodes.Success, saved.ToString());

        // And applying the saved plan records it, after which nothing is left to do
        var apply = await session.RunAsync("apply", "plan.json");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        StateSerializer.Default.Deserialize(File.ReadAllText(statePath), statePath).Intents.Should().BeEmpty();
        (await session.RunAsync("plan", "examples/quickstart", "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
    }
}
