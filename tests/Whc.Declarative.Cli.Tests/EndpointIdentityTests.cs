using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// The endpoint a saved plan is made for, as the user meets it: plan and apply are separate runs of the built whcctl
/// (child processes) against sandbox servers on 127.0.0.1. Plan and apply name the endpoint the same way, from one type.
/// </summary>
[Trait("Category", CliExecutable.StoryCategory)]
public sealed class EndpointIdentityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_saved_plan_made_without_refresh_is_refused_against_another_endpoint_and_nothing_is_created_there()
    {
        // Given two BT endpoints, and a plan saved for the first without reading BT (--refresh=false)
        await using var first = await SandboxServer.StartAsync(new SandboxOptions());
        await using var second = await SandboxServer.StartAsync(new SandboxOptions());
        using var workspace = new TempWorkspace();
        var plan = await ChildWhcctl.RunAsync(workspace.Path, Environment(first.BaseUri), Timeout, "plan", "examples/quickstart", "--refresh=false", "--out", "plan.json");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());

        // When it is applied against the second
        var apply = await ChildWhcctl.RunAsync(workspace.Path, Environment(second.BaseUri), Timeout, "apply", "plan.json");

        // Then it is refused before any change, naming both endpoints, and no state is written
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain(Name(first.BaseUri)).And.Contain(Name(second.BaseUri)).And.NotContain("   at ");
        File.Exists(workspace.File(".whc/state/fun-network.json")).Should().BeFalse(apply.ToString());
    }

    [Fact]
    public async Task A_saved_plan_records_the_endpoint_as_apply_names_it_and_applies_against_the_same_URL_spelled_otherwise()
    {
        // Given a plan saved against a URL endpoint spelled with a trailing slash
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        using var workspace = new TempWorkspace();
        var url = Name(sandbox.BaseUri);
        var plan = await ChildWhcctl.RunAsync(workspace.Path, Environment(sandbox.BaseUri), Timeout, "plan", "examples/quickstart", "--endpoint", url + "/", "--out", "plan.json");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());

        // Then the file names the endpoint as the state binding does: the URL without a trailing slash
        var document = JsonNode.Parse(File.ReadAllText(workspace.File("plan.json")))!.AsObject();
        document["endpoint"]!.GetValue<string>().Should().Be(url);
        document["request"]!["endpoint"]!.GetValue<string>().Should().Be(url);

        // When it is applied against the same URL spelled without the slash, then it applies and binds the state to it
        var apply = await ChildWhcctl.RunAsync(workspace.Path, Environment(sandbox.BaseUri), Timeout, "apply", "plan.json", "--endpoint", url);
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        JsonNode.Parse(File.ReadAllText(workspace.File(".whc/state/fun-network.json")))!["endpoint"]!.GetValue<string>().Should().Be(url);
    }

    [Fact]
    public async Task A_saved_plan_made_against_a_URL_is_refused_against_another_URL()
    {
        // Given a plan saved against one sandbox's URL
        await using var first = await SandboxServer.StartAsync(new SandboxOptions());
        await using var second = await SandboxServer.StartAsync(new SandboxOptions());
        using var workspace = new TempWorkspace();
        var plan = await ChildWhcctl.RunAsync(workspace.Path, Environment(first.BaseUri), Timeout, "plan", "examples/quickstart", "--out", "plan.json");
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());

        // When it is applied against another, then it is refused naming both, and nothing is written
        var apply = await ChildWhcctl.RunAsync(workspace.Path, Environment(second.BaseUri), Timeout, "apply", "plan.json");
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain($"made against {Name(first.BaseUri)}, not {Name(second.BaseUri)}");
        File.Exists(workspace.File(".whc/state/fun-network.json")).Should().BeFalse(apply.ToString());
    }

    /// <summary>How whcctl names a URL endpoint: its base URL without a trailing slash.</summary>
    private static string Name(Uri baseUri) => baseUri.AbsoluteUri.TrimEnd('/');

    private static Dictionary<string, string> Environment(Uri endpoint) => new(StringComparer.Ordinal)
    {
        ["WHC_CLIENT_ID"] = SandboxOptions.DefaultClientId,
        ["WHC_CLIENT_SECRET"] = SandboxOptions.DefaultClientSecret,
        ["WHC_ENDPOINT"] = endpoint.AbsoluteUri,
        ["NO_COLOR"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };
}
