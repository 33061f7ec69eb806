using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

public sealed class PackedToolTests
{
    [Fact]
    public async Task The_packed_tool_installs_with_dotnet_tool_install_and_runs_version_and_validate()
    {
        using var workspace = new TempWorkspace();
        var project = Path.Combine(Repository.Root, "src", "Whc.Declarative.Cli", "Whc.Declarative.Cli.csproj");
        var feed = workspace.File("feed");
        var tools = workspace.File("tools");
        // Pack what the test run already built (same configuration as these test binaries), so the test does not rebuild.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

        var pack = await Support.Process.RunAsync("dotnet", Repository.Root, environment, "pack", project, "-c", configuration, "--no-build", "-o", feed);
        pack.ExitCode.Should().Be(0, pack.ToString());
        var install = await Support.Process.RunAsync("dotnet", workspace.Path, environment, "tool", "install", "--tool-path", tools, "--add-source", feed, "whcctl");
        install.ExitCode.Should().Be(0, install.ToString());

        var whcctl = Path.Combine(tools, OperatingSystem.IsWindows() ? "whcctl.exe" : "whcctl");
        var version = await Support.Process.RunAsync(whcctl, workspace.Path, environment, "--version");
        version.ExitCode.Should().Be(0, version.ToString());
        version.Output.Should().MatchRegex(@"^whcctl \d+\.\d+\.\d+\S* \(commit (?:[0-9a-f]{7,}|unknown)\)$");
        var validate = await Support.Process.RunAsync(whcctl, workspace.Path, environment, "validate", "examples/quickstart");
        validate.ExitCode.Should().Be(0, validate.ToString());
        validate.Error.Should().Contain("1 company valid");
    }
}
