using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Runs only with WHC_TEST_NATIVE_TOOL=1: packing the native tool package is a Native AOT compile (minutes).</summary>
public sealed class NativeToolFactAttribute : FactAttribute
{
    public NativeToolFactAttribute()
    {
        if (!PackedToolFixture.Native)
        {
            Skip = $"packing the native tool package is a Native AOT compile (minutes): set {PackedToolFixture.NativeVariable}=1 to run it";
        }
    }
}

/// <summary>
/// The packed tool installs from a local folder feed as the README says, at the pinned version, and runs: the pointer
/// package resolves to this machine's native package where the release has one, to the framework-dependent fallback
/// elsewhere.
/// </summary>
[Collection(PackedToolGroup.Name)]
public sealed class PackedToolTests(PackedToolFixture packed)
{
    private static async Task<string> InstallAsync(TempWorkspace workspace, string feed, string package, string version)
    {
        var tools = workspace.File("tools");
        var config = PackedToolFixture.NuGetConfigFor(feed, workspace.File("nuget.config"));
        var install = await Support.Process.RunAsync("dotnet", workspace.Path, PackedToolFixture.Environment,
            "tool", "install", "--tool-path", tools, "--configfile", config, package, "--version", version);
        install.ExitCode.Should().Be(0, install.ToString());
        return tools;
    }

    private static async Task RunsVersionAndValidate(TempWorkspace workspace, string tools)
    {
        var whcctl = Path.Combine(tools, OperatingSystem.IsWindows() ? "whcctl.exe" : "whcctl");
        var version = await Support.Process.RunAsync(whcctl, workspace.Path, PackedToolFixture.Environment, "--version");
        version.ExitCode.Should().Be(0, version.ToString());
        version.Output.Should().MatchRegex(@"^whcctl \d+\.\d+\.\d+\S* \(commit (?:[0-9a-f]{7,}|unknown)\)$");
        var validate = await Support.Process.RunAsync(whcctl, workspace.Path, PackedToolFixture.Environment, "validate", "examples/quickstart");
        validate.ExitCode.Should().Be(0, validate.ToString());
        validate.Error.Should().Contain("1 company valid");
    }

    private static string[] RuntimePackages(string pointerPackage)
    {
        using var pointer = ZipFile.OpenRead(pointerPackage);
        using var stream = pointer.Entries.Single(e => e.Name == "DotnetToolSettings.xml").Open();
        return XDocument.Load(stream).Descendants("RuntimeIdentifierPackage")
            .Select(p => $"{(string?)p.Attribute("RuntimeIdentifier")}={(string?)p.Attribute("Id")}")
            .ToArray();
    }

    private static string[] Dlls(string tools) =>
        Directory.GetFiles(tools, "whcctl.dll", SearchOption.AllDirectories);

    [Fact]
    public void The_tool_package_points_to_a_native_package_per_release_runtime_and_a_framework_dependent_fallback()
    {
        packed.Pack.ExitCode.Should().Be(0, packed.Pack.ToString());
        using (var pointer = ZipFile.OpenRead(packed.PointerPackage))
        {
            pointer.Entries.Should().NotContain(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal), "the pointer carries no code, only the list");
        }

        RuntimePackages(packed.PointerPackage).Should().BeEquivalentTo(PackedToolFixture.NativeRuntimes.Append("any").Select(r => $"{r}=whcctl.{r}"));

        packed.PackFallback.ExitCode.Should().Be(0, packed.PackFallback.ToString());
        using (var fallback = ZipFile.OpenRead(packed.Package))
        {
            fallback.Entries.Select(e => e.FullName).Should().Contain("tools/net10.0/any/whcctl.dll", "the fallback is the framework-dependent tool");
        }

        // release.yml builds one native job per runtime the pointer names (AOT compiles only for its own OS).
        var release = File.ReadAllText(Path.Combine(Repository.Root, ".github", "workflows", "release.yml"));
        Regex.Matches(release, @"- \{ rid: ([a-z0-9-]+),").Select(m => m.Groups[1].Value).Should().BeEquivalentTo(PackedToolFixture.NativeRuntimes);
    }

    [Fact]
    public async Task On_a_platform_without_a_native_package_the_tool_installs_framework_dependent_and_runs_version_and_validate()
    {
        packed.PackElsewhere.ExitCode.Should().Be(0, packed.PackElsewhere.ToString());
        RuntimePackages(Path.Combine(packed.Elsewhere, Path.GetFileName(packed.PointerPackage)))
            .Should().Contain("any=whcctl.any").And.NotContain(p => p.StartsWith(PackedToolFixture.ThisRuntime + "=", StringComparison.Ordinal));
        using var workspace = new TempWorkspace();

        var tools = await InstallAsync(workspace, packed.Elsewhere, "whcctl", packed.Version);

        Dlls(tools).Should().NotBeEmpty("the fallback is whcctl.dll run by the installed .NET runtime");
        await RunsVersionAndValidate(workspace, tools);
    }

    [NativeToolFact]
    public async Task Where_the_release_has_a_native_package_the_tool_installs_the_native_executable_and_runs_version_and_validate()
    {
        packed.PackNative.ExitCode.Should().Be(0, packed.PackNative.ToString());
        using var workspace = new TempWorkspace();

        var tools = await InstallAsync(workspace, packed.Release, "whcctl", packed.Version);

        Dlls(tools).Should().BeEmpty("the native package holds one executable, no IL");
        await RunsVersionAndValidate(workspace, tools);
    }

    [Fact]
    public async Task The_packed_tool_normalises_look_alike_usernames_with_the_platform_icu()
    {
        packed.PackFallback.ExitCode.Should().Be(0, packed.PackFallback.ToString());
        using var workspace = new TempWorkspace();
        var tools = await InstallAsync(workspace, packed.Release, "whcctl.any", packed.Version);
        var manifest = File.ReadAllText(workspace.File("examples/quickstart/company.yaml"))
            .Replace("            - { macAddress: \"00:11:22:AA:BB:CC\", model: Yealink T54W }\n", "            - { macAddress: \"00:11:22:AA:BB:CC\", model: Yealink T54W }\n        - { username: \"ｊａｎｅ.ｓｍｉｔｈ\", firstName: Jane, lastName: Twin, extension: \"2002\", licence: standard }\n", StringComparison.Ordinal);
        File.WriteAllText(workspace.File("examples/quickstart/company.yaml"), manifest);

        var validate = await Support.Process.RunAsync(Path.Combine(tools, "whcctl"), workspace.Path, PackedToolFixture.Environment, "validate", "examples/quickstart");

        validate.ExitCode.Should().Be(1, validate.ToString());
        validate.Error.Should().Contain("WHC2004").And.Contain("once Unicode compatibility forms and case are normalised (NFKC)");
    }
}
