using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>A manifest written with YAML anchors, aliases and merge keys plans exactly like the written-out one.</summary>
public sealed class AnchoredManifestPlanTests
{
    private static string AnchoredMultiSite => File.ReadAllText(
        Path.Combine(Repository.Root, "tests", "Whc.Declarative.Manifests.Tests", "Anchors", "multi-site-anchored.yaml"));

    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    public async Task The_anchored_multi_site_manifest_plans_exactly_like_the_written_out_one(string format)
    {
        await using var session = await SandboxSession.StartAsync();
        var writtenOut = await session.RunAsync("plan", "examples/multi-site", "--format", format, "--detailed-exitcode");

        session.Write("examples/multi-site/company.yaml", AnchoredMultiSite);
        var anchored = await session.RunAsync("plan", "examples/multi-site", "--format", format, "--detailed-exitcode");

        writtenOut.ExitCode.Should().Be(ExitCodes.Changes, writtenOut.ToString());
        anchored.ExitCode.Should().Be(ExitCodes.Changes, anchored.ToString());
        WithoutTimestamp(anchored.Output).Should().Be(WithoutTimestamp(writtenOut.Output));
    }

    /// <summary>The JSON plan's creation time (to the second) may tick over between the two plans.</summary>
    private static string WithoutTimestamp(string output) =>
        System.Text.RegularExpressions.Regex.Replace(output, "\"timestamp\":\\s*\"[^\"]*\"", "\"timestamp\":\"\"");
}
