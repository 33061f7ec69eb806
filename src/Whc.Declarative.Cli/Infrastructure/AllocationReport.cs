using System.Globalization;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// For benchmarks (bench/native-bench.sh): when WHC_BENCH_ALLOCATIONS names a file, the process writes there at exit
/// what it allocated on the managed heap, its collections per generation and its total GC pause, as one line:
/// <c>allocated_bytes gen0 gen1 gen2 pause_ms</c>. Built into whcctl rather than loaded as a startup hook because the
/// native executable cannot load one, and both builds are measured the same way.
/// </summary>
internal static class AllocationReport
{
    public const string Variable = "WHC_BENCH_ALLOCATIONS";

    public static void WriteAtExitIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                File.WriteAllText(path, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {GC.GetTotalPauseDuration().TotalMilliseconds:0}\n"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A benchmark aid: a path that cannot be written leaves no report, never a failed command.
            }
        };
    }
}
