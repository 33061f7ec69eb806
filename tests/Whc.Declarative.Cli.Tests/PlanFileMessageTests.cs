using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 (item 5): a file given where a saved plan belongs that is not one is refused in words (the file, what
/// show and apply take, what to run for a manifest), never with System.Text.Json's own text.
/// </summary>
public sealed class PlanFileMessageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    [Fact]
    public async Task Show_of_a_manifest_says_what_show_takes_in_words()
    {
        using var workspace = new TempWorkspace();

        var result = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "show", "examples/quickstart/company.yaml");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("error WHC4057: ").And.Contain("company.yaml").And.Contain("whcctl plan --out").And.Contain("whcctl validate");
        result.Error.Should().NotContain("invalid start of a value").And.NotContain("BytePositionInLine").And.NotContain("LineNumber");
    }

    [Fact]
    public async Task A_plan_file_with_a_field_of_the_wrong_shape_is_named_by_its_place_not_by_dotnet_text()
    {
        using var workspace = new TempWorkspace();
        File.WriteAllText(workspace.File("plan.json"), $$"""{"formatVersion": 4, "whcctlVersion": "{{VersionInfo.Version}}", "plan": 5}""");

        var result = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "show", "plan.json");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("error WHC4057: ").And.Contain("plan.json").And.Contain("the value at $.plan (line 1)");
        result.Error.Should().NotContain("BytePositionInLine").And.NotContain("LineNumber:").And.NotContain("System.");
    }

    [Fact]
    public async Task State_push_of_a_manifest_says_it_is_not_a_state_file_in_words()
    {
        using var workspace = new TempWorkspace();

        var result = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "state", "push", "acme", "examples/quickstart/company.yaml");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("error WHC5003: ").And.Contain("company.yaml").And.Contain("not valid JSON").And.Contain("not a whcctl state file").And.Contain("whcctl state pull");
        result.Error.Should().NotContain("invalid start of a value").And.NotContain("BytePositionInLine").And.NotContain("LineNumber");
    }

    [Fact]
    public async Task State_push_of_a_state_with_a_value_of_the_wrong_shape_names_its_place_not_dotnet_text()
    {
        using var workspace = new TempWorkspace();
        File.WriteAllText(workspace.File("state.json"), """{"version": 3, "serial": 3, "lineage": "l", "company": "acme", "sites": 7}""");

        var result = await ChildWhcctl.RunAsync(workspace.Path, NoEnvironment, Timeout, "state", "push", "acme", "state.json");

        result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
        result.Error.Should().StartWith("error WHC5003: ").And.Contain("state.json").And.Contain("$.sites");
        result.Error.Should().NotContain("could not be converted").And.NotContain("BytePositionInLine").And.NotContain("System.");
    }
}
