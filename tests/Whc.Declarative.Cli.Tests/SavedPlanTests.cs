using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Tests;

/// <summary>A saved plan is applied exactly as reviewed, or refused with what moved since it was made.</summary>
public sealed class SavedPlanTests
{
    [Fact]
    public async Task A_saved_plan_is_refused_when_BT_changed_since_it_was_made()
    {
        // Given a reviewed plan for a company that does not exist yet
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);

        // When another reseller registers the same company name at BT before the plan is applied
        session.Write("other/company.yaml", session.Read("examples/quickstart/company.yaml")
            .Replace("CUG5019851064", "CUG7000000001", StringComparison.Ordinal)
            .Replace("name: fun-network", "name: rival", StringComparison.Ordinal));
        await session.ApplyAsync("other", "--state", ".whc/rival-state");
        var apply = await session.RunAsync("apply", "plan.json");

        // Then the plan is refused, naming what moved, and nothing is ordered for it
        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("WHC4050").And.Contain("BT's inventory of 'fun-network' changed since the plan was made");
        apply.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainMatch("error WHC4050: the saved plan is stale: BT's inventory of 'fun-network' changed since the plan was made*. Run plan again and review the new plan.");
        File.Exists(session.Workspace.File(".whc/state/fun-network.json")).Should().BeFalse();
        var inventory = await session.AdminGetAsync("/_sandbox/inventory");
        inventory["companies"]!.AsArray().Should().ContainSingle("only the rival's company").Which!["cugId"]!.GetValue<string>().Should().Be("CUG7000000001");
        inventory["orders"]!.AsArray().Should().ContainSingle("only the rival's order");
    }

    [Fact]
    public async Task A_saved_plan_that_was_edited_is_refused()
    {
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        session.Edit("plan.json", "jane.smith", "eve.hacker");

        var apply = await session.RunAsync("apply", "plan.json");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("WHC4057").And.Contain("altered");
    }

    [Fact]
    public async Task A_saved_plan_rewritten_with_a_matching_hash_is_refused_because_apply_derives_the_plan_again()
    {
        // Given a reviewed plan, rewritten by someone who can write the artifact: 900 numbers instead of 10, in the
        // manifest it carries and in the ringfence step, with the hash recomputed as whcctl computes it
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        var reviewed = PlanFile.Load(session.Workspace.File("plan.json"), VersionInfo.Version);
        var company = reviewed.Plan.Companies.Single();
        var desired = company.Desired! with { NumberBlocks = [.. company.Desired!.NumberBlocks.Select(b => b with { Quantity = 900 })] };
        var steps = company.Steps.Select(s => s is RingFenceStep ringFence ? ringFence with { Quantity = 900 } : s);
        var forged = reviewed.Plan with { Companies = [company with { Desired = desired, Steps = [.. steps] }] };
        PlanFile.Create(forged, reviewed.Endpoint, reviewed.WhcctlVersion, reviewed.Request).Save(session.Workspace.File("plan.json"));

        // When it is applied
        var apply = await session.RunAsync("apply", "plan.json");

        // Then apply refuses it, and BT was asked for nothing (read from the sandbox's own request log)
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC4057").And.Contain("is not the plan that the manifests");
        apply.Error.Split('\n', StringSplitOptions.TrimEntries).Should().ContainMatch(
            "error WHC4057: the saved plan is not the plan that the manifests, state and BT give for *: it was altered after it was made, or the manifests here are not those it was made from. Run plan again and review the new plan.");
        var calls = (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Select(r => r!["route"]!.GetValue<string>());
        calls.Should().NotContain(["qualify", "ringFence", "createOrder"]);
    }

    [Fact]
    public async Task A_saved_plan_whose_steps_were_edited_outside_the_manifests_is_refused()
    {
        // Given a reviewed plan, edited afterwards in a part that is not a manifest (a step)
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        session.Edit("plan.json", "Ringfence 10 numbers", "Ringfence 900 numbers");

        // When it is applied, then it is refused and nothing happens at BT
        var apply = await session.RunAsync("apply", "plan.json");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("WHC4057").And.Contain("altered");
        File.Exists(session.Workspace.File(".whc/state/fun-network.json")).Should().BeFalse();
    }

    [Fact]
    public async Task A_file_that_is_not_a_plan_is_refused_with_a_reason()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write("plan.json", "{ \"hello\": 1 }");

        var apply = await session.RunAsync("apply", "plan.json");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("WHC4057").And.Contain("plan.json").And.NotContain("   at ");
    }
}
