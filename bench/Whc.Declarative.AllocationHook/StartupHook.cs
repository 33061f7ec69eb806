// Loaded by the runtime before whcctl's Main when DOTNET_STARTUP_HOOKS names this assembly (bench/native-bench.sh).
// At exit it writes what the process allocated on the managed heap, its collections and GC pause time to the file
// WHC_BENCH_ALLOCATIONS names: "allocated_bytes gen0 gen1 gen2 pause_ms". The runtime finds the hook by this exact
// shape: a type StartupHook outside any namespace with a static Initialize().
using System.Globalization;

#pragma warning disable CA1050 // the runtime requires the hook type in the global namespace
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable("WHC_BENCH_ALLOCATIONS") is not { Length: > 0 } path)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.WriteAllText(path, string.Create(
            CultureInfo.InvariantCulture,
            $"{GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {GC.GetTotalPauseDuration().TotalMilliseconds:0}\n"));
    }
}
