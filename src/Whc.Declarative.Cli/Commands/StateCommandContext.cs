using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using System.Globalization;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;

namespace Whc.Declarative.Cli.Commands;

/// <summary>What the state commands share: the <c>--state</c> option, opening the store,
/// taking the lock, and turning failures into one WHC5xxx line on stderr with exit code 1.</summary>
internal static class StateCommandContext
{
    public static Option<string?> StateOption() => new("--state")
    {
        Description = "Where state lives: a directory (default .whc/state) or postgres://user@host:port/db?schema=whc&workspace=default. Also read from WHC_STATE.",
    };

    public static IStateStore Open(IOContext io, string? spec) =>
        StateStoreFactory.Open(spec, io.WorkingDirectory, io.Environment, warning => io.Error.Write(warning));

    public static StateWriteContext WriteContext(IOContext io, string operation) =>
        new($"{LockHolder.Who(io)}@{Environment.MachineName} (whcctl {operation})", io.Clock.GetUtcNow());

    public static ResourceAddress ParseAddress(string text) =>
        ResourceAddress.TryParse(text, out var address)
            ? address
            : throw new StateException(DiagnosticCatalog.StateAddressUnparsable.With(text));

    /// <summary>Runs <paramref name="body"/> against the store; failures become one error line and exit code 1 (CommandRuntime.Guard).</summary>
    public static Task<int> RunAsync(IOContext io, string? spec, Func<IStateStore, Task<int>> body) =>
        CommandRuntime.Guard(io, async () =>
        {
            var store = Open(io, spec);
            try
            {
                return await body(store);
            }
            finally
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        });

    /// <summary>
    /// Runs <paramref name="body"/> while holding the company's lock, giving it the lock's fence: every write it makes
    /// carries it, so the store refuses the write once the lock is no longer this command's (force-unlocked, taken over).
    /// </summary>
    public static async Task<T> WithLockAsync<T>(IOContext io, IStateStore store, string company, string operation, TimeSpan lockTimeout, Func<LockFence, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var held = await store.AcquireLockAsync(company, LockHolder.Current(io, operation), lockTimeout, cancellationToken);
        return await body(held.Fence);
    }
}
