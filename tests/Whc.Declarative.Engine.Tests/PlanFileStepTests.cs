using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26, item 3: a saved plan holds each step tagged by its type with its own payload, and ids by their parts, so
/// that what apply reads back is the plan that was saved: every step type, and an earlier apply's order whose id reads
/// like an order number of the plan.
/// </summary>
public sealed class PlanFileStepTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("whc-planfile-steps-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_saved_plan_reads_back_with_every_step_type_its_payload_and_its_dependencies()
    {
        // Given a plan with one step of each type, and an earlier apply's order named "5" beside the plan's own order 5
        const string Co = "acme";
        var user = new ResourceAddress(Co, ResourceKind.User, "u01");
        ImmutableArray<OrderOperation> operations = [new OrderOperation(user, OrderOperationKind.Add)];
        var qualify = new QualifyStep(Co, "Qualify", []);
        var ringFence = new RingFenceStep(Co, "Ringfence", [qualify.Id], "main", 10);
        var ported = new PortedRingFenceStep(Co, "Ringfence ported", [qualify.Id], "moved", new PortedRange("01214960500", "01214960519"));
        var address = new CreateAddressStep(Co, "Address", [], "branch");
        var earlierSubmit = new SubmitOrderStep(Co, "Submit earlier", [], new ExistingOrder("5"), operations);
        var earlierAwait = new AwaitOrderStep(Co, "Await earlier", [earlierSubmit.Id], new ExistingOrder("5"), []);
        var create = new CreateOrderStep(Co, "Create", [ringFence.Id, ported.Id, address.Id, earlierAwait.Id], 5, operations);
        var submit = new SubmitOrderStep(Co, "Submit", [create.Id], create.Order, operations);
        var awaitStep = new AwaitOrderStep(Co, "Await", [submit.Id], create.Order, operations);
        ImmutableArray<PlanStep> steps = [qualify, ringFence, ported, address, earlierSubmit, earlierAwait, create, submit, awaitStep];
        var company = new CompanyPlan(Co, null, 1, "lineage", "none", [], steps, ImmutableSortedDictionary<string, string>.Empty, [])
        {
            Outages = [new PlanOutage(user, "hq", "branch", earlierAwait.Id, awaitStep.Id)],
        };
        var plan = new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []);
        var request = new PlanRequest(["acme.yaml"], PlanMode.Normal, true, [], 50, 4, []);
        var path = Path.Combine(directory, "plan.json");

        // When it is saved and read back
        PlanFile.Create(plan, EndpointName.Of("sandbox"), "test", request).Save(path);
        var read = PlanFile.Load(path, "test").Plan.Companies.Single();

        // Then every step is of the same type with the same payload, id and dependencies
        read.Steps.Select(s => s.GetType()).Should().Equal(steps.Select(s => s.GetType()));
        read.Steps.Select(s => s.Id).Should().Equal(steps.Select(s => s.Id));
        read.Steps.Select(s => s.Description).Should().Equal(steps.Select(s => s.Description));
        read.Steps.Zip(steps).Should().OnlyContain(p => p.First.DependsOn.SequenceEqual(p.Second.DependsOn));
        read.Steps.OfType<RingFenceStep>().Single().Should().Match<RingFenceStep>(s => s.Block == "main" && s.Quantity == 10);
        read.Steps.OfType<PortedRingFenceStep>().Single().Range.Should().Be(new PortedRange("01214960500", "01214960519"));
        read.Steps.OfType<CreateAddressStep>().Single().Site.Should().Be("branch");
        read.Steps.OfType<CreateOrderStep>().Single().Operations.Should().Equal(operations);
        read.Steps.OfType<SubmitOrderStep>().Select(s => s.Order).Should().Equal(new ExistingOrder("5"), new PlannedOrder(5));
        read.Steps.OfType<AwaitOrderStep>().Select(s => s.Operations.Length).Should().Equal(0, 1);
        read.Outages.Single().CeaseAwait.Should().Be(earlierAwait.Id);
        read.Outages.Single().AddAwait.Should().Be(awaitStep.Id);
    }

    [Theory]
    [InlineData("\"kind\": \"ringfence\"", "\"kind\": \"teleport\"")]
    [InlineData("\"quantity\": 10", "\"quantity\": \"ten\"")]
    [InlineData("\"block\": \"main\"", "\"block\": 7")]
    public void A_saved_plan_whose_step_is_not_one_whcctl_knows_is_refused_as_not_a_plan_file(string from, string to)
    {
        // Given a saved plan with a ringfence step, edited so the step is unreadable
        var step = new RingFenceStep("acme", "Ringfence", [], "main", 10);
        var company = new CompanyPlan("acme", null, 1, "lineage", "none", [], [step], ImmutableSortedDictionary<string, string>.Empty, []);
        var plan = new Plan(DateTimeOffset.UnixEpoch, PlanMode.Normal, [company], []);
        var path = Path.Combine(directory, "plan.json");
        PlanFile.Create(plan, EndpointName.Of("sandbox"), "test", new PlanRequest(["acme.yaml"], PlanMode.Normal, true, [], 50, 4, [])).Save(path);
        var text = File.ReadAllText(path);
        text.Should().Contain(from);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));

        // When it is read, then it is refused with a reason, not an exception of another kind
        var load = () => PlanFile.Load(path, "test");
        load.Should().Throw<PlanFileException>().WithMessage("*is not a whcctl plan file*");
    }
}
