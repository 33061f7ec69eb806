using System.Runtime.ExceptionServices;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// Plans companies on several threads: each company's plan is pure and independent of the others', so they are made
/// at once and put back in company order. Nothing is ordered by which thread finished first: the results are by index,
/// and a failure is the one a sequential run would have met first (the earliest company's).
/// </summary>
public static class CompanyPlanning
{
    /// <summary>At most one thread per processor: planning is all computing, more threads only take turns.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary><paramref name="plan"/> applied to each item, on at most <paramref name="threads"/> threads, in the items' order.</summary>
    public static IReadOnlyList<TResult> Each<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> plan, int threads)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(plan);
        var results = new TResult[items.Count];
        if (threads <= 1 || items.Count < 2)
        {
            for (var i = 0; i < items.Count; i++)
            {
                results[i] = plan(items[i]);
            }

            return results;
        }

        var failures = new ExceptionDispatchInfo?[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            try
            {
                results[i] = plan(items[i]);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        });
        Array.Find(failures, f => f is not null)?.Throw();
        return results;
    }
}
