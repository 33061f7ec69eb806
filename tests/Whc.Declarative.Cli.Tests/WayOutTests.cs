using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 13: states a team reaches by its own hand (not BT's), each left by commands alone and ending with
/// <c>plan --detailed-exitcode</c> = 0, on local and on PostgreSQL state.
/// </summary>
public sealed class WayOutTests
{
    private const string Quickstart = PlanBaselineTests.Quickstart;
    private const string Manifest = "examples/quickstart/company.yaml";

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task A_protected_company_is_unprotected_by_an_apply_of_that_alone_and_can_then_be_destroyed(string backend)
    {
        // Given the quickstart applied with protect: true
        await using var session = await SandboxSession.StartAsync(backend);
        session.Edit(Manifest, "spec:\n", "spec:\n  protect: true\n");
        await session.ApplyAsync(Quickstart);
        (await session.RunAsync("destroy", "fun-network", "--auto-approve")).ExitCode.Should().Be(ExitCodes.Error, "it is protected");

        // When the team removes the protection, plans and applies
        session.Edit(Manifest, "spec:\n  protect: true\n", "spec:\n");
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        await session.ApplyAsync(Quickstart);

        // Then the change is shown in place, applied to state without an order, and destroy is allowed
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("protection changed").And.Contain("protect");
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
        (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray().Should().HaveCount(1, "protection lives only in state");
        var destroy = await session.RunAsync("destroy", "fun-network", "--auto-approve");
        destroy.ExitCode.Should().Be(ExitCodes.Success, destroy.ToString());
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task An_order_BT_refuses_for_its_size_is_planned_again_with_a_smaller_limit_not_resent(string backend)
    {
        // Given an apply whose first order carries 5 users, more than BT takes (504, code 69; nothing created)
        await using var session = await SandboxSession.StartAsync(backend);
        session.Write(Manifest, session.Read(Manifest) + string.Concat(Enumerable.Range(1, 4).Select(i => $$"""
                    - { username: user{{i}}.fun, firstName: User, lastName: No{{i}}, extension: "30{{i}}", number: { from: brum } }

            """)));
        var refused = await session.RunAsync("apply", Quickstart, "--auto-approve", "--max-users-per-order", "5");
        refused.ExitCode.Should().Be(ExitCodes.Error, refused.ToString());

        // When it is planned and applied again with the default limit (3)
        var plan = await session.RunAsync("plan", Quickstart);
        await session.ApplyAsync(Quickstart);

        // Then the plan says BT holds no such order, the users go in orders of at most 3, and BT has each user once
        plan.Output.Should().Contain("Interrupted calls of an earlier run, answered by BT");
        (await session.RunAsync("plan", Quickstart, "--detailed-exitcode")).ExitCode.Should().Be(ExitCodes.Success);
        var companies = (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray();
        companies.Should().ContainSingle().Which!["users"]!.AsArray().Should().HaveCount(5);
    }

    [Theory]
    [MemberData(nameof(StateBackends.All), MemberType = typeof(StateBackends))]
    public async Task An_order_BT_fails_after_the_apply_stopped_waiting_is_seen_and_its_work_ordered_again(string backend)
    {
        // Given an apply that stopped waiting for its order (BT takes an hour), and BT's staff then failing that order
        await using var session = await SandboxSession.StartAsync(backend, new OrderTimings(TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
        var waited = await session.RunAsync("apply", Quickstart, "--auto-approve", "--order-timeout", "1s");
        waited.ExitCode.Should().Be(ExitCodes.Error, waited.ToString());
        var order = (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray().Should().ContainSingle(waited.ToString()).Subject!["id"]!.GetValue<string>();
        await session.AdminPostAsync($"/_sandbox/outside/orders/{order}/state", new { state = "failed", errorMessage = "cancelled by BT" });

        // When the team plans and applies again, and BT's staff complete the new order
        var plan = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        (await session.RunAsync("apply", Quickstart, "--auto-approve", "--order-timeout", "1s")).ExitCode.Should().Be(ExitCodes.Error, "BT takes an hour again");
        var orders = (await session.AdminGetAsync("/_sandbox/inventory"))["orders"]!.AsArray();
        var second = orders.Select(o => o!["id"]!.GetValue<string>()).Should().HaveCount(2).And.ContainSingle(id => id != order).Subject;
        await session.AdminPostAsync($"/_sandbox/outside/orders/{second}/state", new { state = "completed" });

        // Then the plan ordered the company afresh (the failed order is not waited for again), and the estate converges
        plan.ExitCode.Should().Be(ExitCodes.Changes, plan.ToString());
        plan.Output.Should().Contain("fun-network:order-1");
        var awaiting = await session.RunAsync("plan", Quickstart);
        awaiting.Output.Should().Contain($"Await order {second}").And.NotContain("outside whcctl", "what whcctl's own order did is not drift");
        await session.ApplyAsync(Quickstart);
        var last = await session.RunAsync("plan", Quickstart, "--detailed-exitcode");
        last.ExitCode.Should().Be(ExitCodes.Success, last.ToString());
    }
}
