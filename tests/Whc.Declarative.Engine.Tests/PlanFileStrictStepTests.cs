using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Review of issue 26: a saved plan is read strictly, steps and step ids included. A field this whcctl does not know
/// in a step (or in a step id) is refused (WHC4057) rather than dropped, and the hash (taken over what was read) cannot
/// catch it, since what is dropped is not hashed.
/// </summary>
public sealed class PlanFileStrictStepTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("whc-planfile-strict-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("step")]
    [InlineData("dependency")]
    public void A_field_this_whcctl_does_not_know_in_a_step_is_refused_not_dropped(string where)
    {
        // Given a saved plan whose ringfence step (or its dependency's id) holds a field this whcctl does not know
        var path = Saved();
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var step = document["plan"]!["companies"]![0]!["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "ringfence")!.AsObject();
        var target = where == "step" ? step : step["dependsOn"]![0]!.AsObject();
        target["rangeStartNumber"] = "01214960500";
        File.WriteAllText(path, document.ToJsonString());

        // When it is read
        var read = () => PlanFile.Load(path, "test");

        // Then it is refused as not a plan file of this format, naming the field
        read.Should().Throw<PlanFileException>()
            .Where(e => e.Descriptor.Code == "WHC4057" && e.Message.Contains("rangeStartNumber", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"number\":\"ten\"}")]
    [InlineData("{\"number\":1e40}")]
    [InlineData("{\"flag\":\"yes\"}")]
    [InlineData("{\"text\":5}")]
    [InlineData("{\"list\":[1]}")]
    [InlineData("{\"unknownUntil\":7}")]
    public void A_value_of_another_type_than_its_tag_is_refused_as_not_a_plan_file(string value)
    {
        // Given a saved plan whose attribute value is not what its tag says
        var path = Saved();
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        document["plan"]!["companies"]![0]!["changes"]![0]!["attributes"]![0]!["after"] = JsonNode.Parse(value);
        File.WriteAllText(path, document.ToJsonString());

        // When it is read
        var read = () => PlanFile.Load(path, "test");

        // Then it is refused with WHC4057 (a clear error, never a crash)
        read.Should().Throw<PlanFileException>().Where(e => e.Descriptor.Code == "WHC4057");
    }

    private string Saved()
    {
        const string Co = "acme";
        var qualify = new QualifyStep(Co, "Qualify", []);
        var ringFence = new RingFenceStep(Co, "Ringfence", [qualify.Id], "main", 10);
        var user = new ResourceAddress(Co, ResourceKind.User, "jane");
        ResourceChange[] changes = [new ResourceChange(user, ChangeAction.Update, "changed", [new AttributeChange("quantity", AttributeValue.Number(4), AttributeValue.Number(10))])];
        var company = new CompanyPlan(Co, null, 1, "lineage", "none", [.. changes], [qualify, ringFence], ImmutableSortedDictionary<string, string>.Empty, []);
        var plan = new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []);
        var request = new PlanRequest(["acme.yaml"], PlanMode.Normal, true, [], 50, 4, []);
        var path = Path.Combine(directory, "plan.json");
        PlanFile.Create(plan, EndpointName.Of("sandbox"), "test", request).Save(path);
        return path;
    }
}
