using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// The test assembly doubles as a small program that holds a local lock in a process of its own, so that the lease
/// tests can freeze, resume and question a real other holder: <c>dotnet Whc.Declarative.State.Tests.dll lock-host DIR
/// COMPANY LEASE_MS RENEW_MS CHECK_MS</c>. It prints <c>held ID GENERATION</c>, then answers one line per command read
/// from standard input: <c>ensure</c>, <c>lost?</c>, <c>write SERIAL</c>, <c>release</c>. The test runner never calls
/// this entry point.
/// </summary>
public static class LockHost
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["lock-host", var directory, var company, var leaseMs, var renewMs, var checkMs])
        {
            return 2;
        }

        var lease = new LocalLockLease(Ms(leaseMs), Ms(renewMs), Ms(checkMs));
        var store = new LocalStateStore(directory, lease: lease);
        var held = await store.AcquireLockAsync(company, SampleStates.Holder("host-process"), TimeSpan.Zero, default);
        Console.Out.WriteLine($"held {held.Fence.LockId} {held.Fence.Generation}");
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } line)
        {
            var answer = await AnswerAsync(store, held, company, line.Trim());
            Console.Out.WriteLine(answer);
            Console.Out.Flush();
            if (answer == "released")
            {
                return 0;
            }
        }

        return 0;
    }

    private static async Task<string> AnswerAsync(LocalStateStore store, IStateLock held, string company, string command)
    {
        try
        {
            switch (command.Split(' '))
            {
                case ["ensure"]:
                    await held.EnsureHeldAsync(default);
                    return "ok";
                case ["lost?"]:
                    return held.Lost.IsCancellationRequested ? "lost yes" : "lost no";
                case ["write", var serial]:
                    var current = await store.ReadAsync(company, default);
                    var lineage = current?.Lineage ?? Guid.NewGuid().ToString();
                    await store.WriteAsync(SampleStates.Minimal(company, long.Parse(serial, System.Globalization.CultureInfo.InvariantCulture), lineage), SampleStates.Context with { Fence = held.Fence }, default);
                    return "written";
                case ["release"]:
                    await held.DisposeAsync();
                    return "released";
                default:
                    return "unknown command";
            }
        }
        catch (StateException e)
        {
            return $"refused {e.Code} {e.Message.ReplaceLineEndings(" ")}";
        }
    }

    private static TimeSpan Ms(string value) => TimeSpan.FromMilliseconds(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
}
