using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>The packed tool installs from a local folder feed as the README says, at the pinned version, and runs.</summary>
[Collection(PackedToolGroup.Name)]
public sealed class PackedToolTests(PackedToolFixture packed)
{
    [Fact]
    public async Task The_packed_tool_installs_with_dotnet_tool_install_and_runs_version_and_validate()
    {
        packed.Pack.ExitCode.Should().Be(0, packed.Pack.ToString());
        using var workspace = new TempWorkspace();
        var tools = workspace.File("tools");

        var install = await Support.Process.RunAsync("dotnet", workspace.Path, PackedToolFixture.Environment,
            "tool", "install", "--tool-path", tools, "--add-source", packed.Release, "whcctl", "--version", packed.Version);
        install.ExitCode.Should().Be(0, install.ToString());

        var whcctl = Path.Combine(tools, OperatingSystem.IsWindows() ? "whcctl.exe" : "whcctl");
        var version = await Support.Process.RunAsync(whcctl, workspace.Path, PackedToolFixture.Environment, "--version");
        version.ExitCode.Should().Be(0, version.ToString());
        version.Output.Should().MatchRegex(@"^whcctl \d+\.\d+\.\d+\S* \(commit (?:[0-9a-f]{7,}|unknown)\)$");
        var validate = await Support.Process.RunAsync(whcctl, workspace.Path, PackedToolFixture.Environment, "validate", "examples/quickstart");
        validate.ExitCode.Should().Be(0, validate.ToString());
        validate.Error.Should().Contain("1 company valid");
    }

    [Fact]
    public async Task The_packed_tool_normalises_look_alike_usernames_with_the_platform_icu()
    {
        packed.Pack.ExitCode.Should().Be(0, packed.Pack.ToString());
        using var workspace = new TempWorkspace();
        var tools = workspace.File("tools");
        var install = await Support.Process.RunAsync("dotnet", workspace.Path, PackedToolFixture.Environment,
            "tool", "install", "--tool-path", tools, "--add-source", packed.Release, "whcctl", "--version", packed.Version);
        install.ExitCode.Should().Be(0, install.ToString());
        var manifest = File.ReadAllText(workspace.File("examples/quickstart/company.yaml"))
            .Replace("            - { macAddress: \"00:11:22:AA:BB:CC\", model: Yealink T54W }\n", "            - { macAddress: \"00:11:22:AA:BB:CC\", model: Yealink T54W }\n        - { username: \"ｊａｎｅ.ｓｍｉｔｈ\", firstName: Jane, lastName: Twin, extension: \"2002\", licence: standard }\n", StringComparison.Ordinal);
        File.WriteAllText(workspace.File("examples/quickstart/company.yaml"), manifest);

        var validate = await Support.Process.RunAsync(Path.Combine(tools, "whcctl"), workspace.Path, PackedToolFixture.Environment, "validate", "examples/quickstart");

        validate.ExitCode.Should().Be(1, validate.ToString());
        validate.Error.Should().Contain("WHC2004").And.Contain("once Unicode compatibility forms and case are normalised (NFKC)");
    }
}
