using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 26: a saved plan is a versioned document of its own. A plan another whcctl version made is refused as such
/// (naming both versions), not as "altered"; a field this whcctl does not know is refused, not dropped; the hash is
/// over a canonical form of the plan, not over how one version happens to indent it.
/// </summary>
public sealed class PlanFileFormatTests
{
    [Fact]
    public async Task A_saved_plan_made_by_another_whcctl_version_is_refused_as_such_naming_both_versions()
    {
        // Given a plan saved by a newer whcctl, whose plan holds a field this one does not know
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        session.Edit("plan.json", $"\"whcctlVersion\": \"{VersionInfo.Version}\"", "\"whcctlVersion\": \"9.9.9\"");
        session.Edit("plan.json", "\"createdAt\":", "\"madeWith\": \"a newer planner\",\n    \"createdAt\":");

        // When it is applied, or shown
        var apply = await session.RunAsync("apply", "plan.json");
        var show = await session.RunAsync("show", "plan.json");

        // Then both refuse it as another version's plan, naming both versions, and nothing is ordered
        foreach (var result in new[] { apply, show })
        {
            result.ExitCode.Should().Be(ExitCodes.Error, result.ToString());
            result.Error.Should().Contain("WHC4058").And.Contain("9.9.9").And.Contain(VersionInfo.Version)
                .And.NotContain("altered").And.NotContain("WHC4057").And.NotContain("   at ");
        }

        File.Exists(session.Workspace.File(".whc/state/fun-network.json")).Should().BeFalse();
    }

    [Fact]
    public async Task A_saved_plan_of_another_plan_format_is_refused_as_another_builds_naming_both_formats()
    {
        // Given a plan saved by another build of this version, in the plan format before this one
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        session.Edit("plan.json", $"\"formatVersion\": {PlanFile.CurrentFormatVersion},", $"\"formatVersion\": {PlanFile.CurrentFormatVersion - 1},");

        var apply = await session.RunAsync("apply", "plan.json");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC4058").And.Contain($"format {PlanFile.CurrentFormatVersion - 1}").And.Contain($"format {PlanFile.CurrentFormatVersion}")
            .And.NotContain("altered");
    }

    [Fact]
    public async Task A_saved_plan_of_this_version_with_a_field_it_does_not_know_is_refused_not_read_without_it()
    {
        // Given a plan of this version with a field added to it by hand
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        session.Edit("plan.json", "\"createdAt\":", "\"approvedBy\": \"someone\",\n    \"createdAt\":");

        // When it is applied
        var apply = await session.RunAsync("apply", "plan.json");

        // Then it is refused (fail closed), naming the field
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("WHC4057").And.Contain("approvedBy").And.NotContain("   at ");
        File.Exists(session.Workspace.File(".whc/state/fun-network.json")).Should().BeFalse();
    }

    [Fact]
    public async Task The_plan_hash_is_over_the_canonical_form_sorted_keys_and_no_insignificant_whitespace()
    {
        // Given a saved plan
        await using var session = await SandboxSession.StartAsync();
        (await session.RunAsync("plan", "examples/quickstart", "--out", "plan.json")).ExitCode.Should().Be(0);
        var document = JsonNode.Parse(session.Read("plan.json"))!.AsObject();

        // When its hash is computed here, independently: endpoint, plan and request, keys sorted, no whitespace
        var content = new JsonObject
        {
            ["endpoint"] = document["endpoint"]!.DeepClone(),
            ["plan"] = document["plan"]!.DeepClone(),
            ["request"] = document["request"]!.DeepClone(),
        };
        var canonical = Sorted(content)!.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        // Then it is the file's hash, and the file still loads
        document["planHash"]!.GetValue<string>().Should().Be(expected);
        PlanFile.Load(session.Workspace.File("plan.json"), VersionInfo.Version).PlanHash.Should().Be(expected);
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
