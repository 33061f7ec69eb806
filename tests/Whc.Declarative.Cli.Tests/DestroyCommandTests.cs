using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary><c>whcctl destroy</c>: ceasing a whole company at BT, only when asked explicitly and never when protected.</summary>
public sealed class DestroyCommandTests
{
    private static Dictionary<string, string?> Credentials() => new(StringComparer.Ordinal)
    {
        ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
        ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
    };

    [Fact]
    public async Task Destroy_ceases_the_company_at_BT_and_a_later_plan_would_create_it_again()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        using var workspace = new TempWorkspace();
        var endpoint = sandbox.BaseUri.ToString();
        (await Whcctl.RunAsync(workspace.Path, Credentials(), "apply", "examples/quickstart", "--auto-approve", "--endpoint", endpoint)).ExitCode.Should().Be(0);

        var destroy = await Whcctl.RunAsync(workspace.Path, Credentials(), "destroy", "fun-network", "--auto-approve", "--endpoint", endpoint);

        destroy.ExitCode.Should().Be(0, destroy.ToString());
        destroy.Output.Should().Contain("whcctl will cease the following:").And.Contain("- company fun-network");
        using var admin = new HttpClient { BaseAddress = sandbox.BaseUri };
        var company = JsonNode.Parse(await admin.GetStringAsync("/_sandbox/inventory"))!["companies"]!.AsArray().Single()!;
        company["status"]!.GetValue<string>().Should().Be("ceased");
        var plan = await Whcctl.RunAsync(workspace.Path, Credentials(), "plan", "examples/quickstart", "--endpoint", endpoint);
        plan.Output.Should().Contain("+ company fun-network");
    }

    [Fact]
    public async Task Destroy_outside_a_terminal_without_auto_approve_changes_nothing()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        using var workspace = new TempWorkspace();
        var endpoint = sandbox.BaseUri.ToString();
        (await Whcctl.RunAsync(workspace.Path, Credentials(), "apply", "examples/quickstart", "--auto-approve", "--endpoint", endpoint)).ExitCode.Should().Be(0);

        var destroy = await Whcctl.RunAsync(workspace.Path, Credentials(), "destroy", "fun-network", "--endpoint", endpoint);

        destroy.ExitCode.Should().Be(1);
        destroy.Error.Should().Contain("WHC4054").And.Contain("--auto-approve");
        (await Whcctl.RunAsync(workspace.Path, Credentials(), "plan", "examples/quickstart", "--detailed-exitcode", "--endpoint", endpoint)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Destroy_of_a_protected_company_is_refused()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { OrderTimings = OrderTimings.Immediate });
        using var workspace = new TempWorkspace();
        var endpoint = sandbox.BaseUri.ToString();
        var manifest = workspace.File("examples/quickstart/company.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("spec:\n", "spec:\n  protect: true\n", StringComparison.Ordinal));
        (await Whcctl.RunAsync(workspace.Path, Credentials(), "apply", "examples/quickstart", "--auto-approve", "--endpoint", endpoint)).ExitCode.Should().Be(0);

        var destroy = await Whcctl.RunAsync(workspace.Path, Credentials(), "destroy", "fun-network", "--auto-approve", "--endpoint", endpoint);

        destroy.ExitCode.Should().Be(1);
        destroy.Error.Should().Contain("WHC3004").And.Contain("fun-network is protected");
        (await Whcctl.RunAsync(workspace.Path, Credentials(), "plan", "examples/quickstart", "--detailed-exitcode", "--endpoint", endpoint)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Destroy_of_a_company_not_in_state_says_so()
    {
        using var workspace = new TempWorkspace();

        var destroy = await Whcctl.RunAsync(workspace.Path, "destroy", "no-such-company", "--auto-approve");

        destroy.ExitCode.Should().Be(1);
        destroy.Error.Should().Contain("no-such-company").And.Contain("not in state");
    }
}
