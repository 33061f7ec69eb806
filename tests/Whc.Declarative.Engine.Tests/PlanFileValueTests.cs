using Whc.Declarative.Core.Api;
using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Engine.Tests;

/// <summary>Issue 26: a saved plan keeps every attribute value's type, and a value known only after apply stays unknown.</summary>
public sealed class PlanFileValueTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "whc-plan-values-" + Guid.NewGuid().ToString("N"));

    public PlanFileValueTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Every_kind_of_value_survives_a_saved_plan()
    {
        var user = new ResourceAddress("acme", ResourceKind.User, "jane");
        ImmutableArray<AttributeChange> attributes =
        [
            new("firstName", AttributeValue.Text("Jane"), AttributeValue.Text("(known after ringfence)")),
            new("quantity", AttributeValue.Number(4), AttributeValue.Number(10)),
            new("protect", AttributeValue.Flag(false), AttributeValue.Flag(true)),
            new("devices", AttributeValue.List([]), AttributeValue.List(["001122AABBCC, desk phone", "0004F2AABB01"])),
            new("number", null, AttributeValue.KnownAfter("ringfence")),
            new("numbers", null, AttributeValue.KnownAfter("ringfence", AttributeValue.List(["01214960000-0009"]))),
        ];
        var company = new CompanyPlan("acme", null, 1, null, "none", [new ResourceChange(user, ChangeAction.Update, "changed", attributes)], [], ImmutableSortedDictionary<string, string>.Empty, [])
        {
            Prior = [new ResourceValues(user, [new NamedValue("firstName", AttributeValue.Text("Jane")), new NamedValue("number", null)])],
        };
        var plan = new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []);
        var path = Path.Combine(directory, "saved.plan");

        PlanFile.Create(plan, EndpointName.Of("sandbox"), "0.0.0", new PlanRequest(["acme.yaml"], PlanMode.Normal, true, [], 50, 4, [])).Save(path);
        var loaded = PlanFile.Load(path, "0.0.0").Plan.Companies.Single();

        loaded.Changes.Single().Attributes.Should().Equal(attributes);
        loaded.Prior.Single().Values.Should().Equal(company.Prior.Single().Values);
        PlanFile.Canonical(loaded).Should().Be(PlanFile.Canonical(company), "apply compares a saved plan with the one it derives again by this form");
    }
}
