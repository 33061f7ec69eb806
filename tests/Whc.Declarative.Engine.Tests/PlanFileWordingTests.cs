using Whc.Declarative.Core.Api;
using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26: a saved plan's refusals pinned whole (code and words), written against the wording at the call sites
/// before it moved into the catalogue's templates.
/// </summary>
public sealed class PlanFileWordingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("whc-planfile-wording-").FullName;

    private string Path => System.IO.Path.Combine(directory, "plan.json");

    private static string Format => PlanFile.CurrentFormatVersion.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_plan_of_another_whcctl_version_is_worded_as_before()
    {
        Save();

        Refusal("other").Should().Be(
            $"WHC4058 {Path} was made by whcctl test (plan format {Format}); this is whcctl other (plan format {Format}). A saved plan is applied by the whcctl version that made it: plan again with this version, or apply it with whcctl test");
    }

    [Fact]
    public void A_plan_of_another_build_is_worded_as_before()
    {
        Save();
        File.WriteAllText(Path, File.ReadAllText(Path).Replace($"\"formatVersion\": {Format}", "\"formatVersion\": 999", StringComparison.Ordinal));

        Refusal("test").Should().Be(
            $"WHC4058 {Path} is a plan of format 999, made by another build of whcctl test; this whcctl reads plan format {Format}: plan again with this version");
    }

    [Fact]
    public void A_file_that_is_not_a_plan_is_worded_as_before()
    {
        File.WriteAllText(Path, "{}");

        Refusal("test").Should().Be($"WHC4057 {Path} is not a whcctl plan file: show and apply take a plan saved with 'whcctl plan --out plan.json'; a manifest is checked with 'whcctl validate {Path}' and planned with 'whcctl plan {Path}'");
    }

    [Fact]
    public void A_file_that_is_not_json_is_worded_as_before()
    {
        File.WriteAllText(Path, "{ \"plan\": ");

        Refusal("test").Should().StartWith($"WHC4057 {Path} is not a whcctl plan file: show and apply take a plan saved with 'whcctl plan --out");
    }

    [Fact]
    public void A_plan_with_a_value_of_the_wrong_shape_names_its_place_not_the_readers_text()
    {
        File.WriteAllText(Path, $"{{\n  \"formatVersion\": {Format},\n  \"whcctlVersion\": \"test\",\n  \"plan\": 5\n}}");

        Refusal("test").Should().Be(
            $"WHC4057 {Path} is not a whcctl plan file of format {Format}: the value at $.plan (line 4) is not what such a plan holds there; plan again with 'whcctl plan --out' rather than editing a saved plan");
    }

    [Fact]
    public void An_altered_plan_is_worded_as_before()
    {
        Save();
        File.WriteAllText(Path, File.ReadAllText(Path).Replace("\"quantity\": 10", "\"quantity\": 11", StringComparison.Ordinal));

        Refusal("test").Should().Be($"WHC4057 {Path} has been altered since it was saved (its plan hash does not match)");
    }

    private void Save()
    {
        var step = new RingFenceStep("acme", "Ringfence", [], "main", 10);
        var company = new CompanyPlan("acme", null, 1, "lineage", "none", [], [step], ImmutableSortedDictionary<string, string>.Empty, []);
        var plan = new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []);
        PlanFile.Create(plan, EndpointName.Of("sandbox"), "test", new PlanRequest(["acme.yaml"], PlanMode.Normal, true, [], 50, 4, [])).Save(Path);
    }

    private string Refusal(string version)
    {
        var refused = Assert.Throws<PlanFileException>(() => PlanFile.Load(Path, version));
        return $"{refused.Descriptor.Code} {refused.Message}";
    }
}
