using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Core.Tests;

/// <summary>How planner tests find a user's order and what a step waits for.</summary>
internal static class PlanStepQueries
{
    /// <summary>The one create-order step that acts on the resource named <paramref name="name"/>.</summary>
    public static PlanStep OrderOf(CompanyPlan plan, string name) =>
        plan.Steps.Should().ContainSingle(s => s.Kind == StepKind.CreateOrder && s.Details.Operations.Any(o => o.Address.Name == name)).Subject;

    /// <summary>The await step of the order <paramref name="create"/> creates.</summary>
    public static string AwaitOf(PlanStep create) => create.Id.Replace(":create", ":await", StringComparison.Ordinal);

    /// <summary>Every step <paramref name="step"/> waits for, directly or through others.</summary>
    public static HashSet<string> Before(CompanyPlan plan, PlanStep step)
    {
        var byId = plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(step.DependsOn);
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
