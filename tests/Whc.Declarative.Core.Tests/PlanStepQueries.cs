using System.Collections.Immutable;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Tests;

/// <summary>How planner tests find a user's order and what a step waits for.</summary>
internal static class PlanStepQueries
{
    /// <summary>The one create-order step that acts on the resource named <paramref name="name"/>.</summary>
    public static CreateOrderStep OrderOf(CompanyPlan plan, string name) =>
        plan.Steps.OfType<CreateOrderStep>().Should().ContainSingle(s => s.Operations.Any(o => o.Address.Name == name)).Subject;

    /// <summary>The await step of the order <paramref name="create"/> creates.</summary>
    public static StepId AwaitOf(CreateOrderStep create) => StepId.AwaitOrder(create.Company, create.Order);

    /// <summary>The order items of an order step (create, submit, await); none for other steps.</summary>
    public static ImmutableArray<OrderOperation> Operations(this PlanStep step) => step switch
    {
        CreateOrderStep create => create.Operations,
        SubmitOrderStep submit => submit.Operations,
        AwaitOrderStep awaitStep => awaitStep.Operations,
        _ => [],
    };

    /// <summary>Every step <paramref name="step"/> waits for, directly or through others.</summary>
    public static HashSet<StepId> Before(CompanyPlan plan, PlanStep step)
    {
        var byId = plan.Steps.ToDictionary(s => s.Id);
        var seen = new HashSet<StepId>();
        var queue = new Queue<StepId>(step.DependsOn);
        while (queue.TryDequeue(out var id))
        {
            if (seen.Add(id))
            {
                foreach (var next in byId[id].DependsOn)
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }
}
