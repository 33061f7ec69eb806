using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Operations;

/// <summary>
/// Where a plan gets its companies' states. A plan that takes no locks first (plan, graph) reads them ahead, while the
/// manifests are still loading, instead of after: the states a plan will want (every one in the store, or with
/// --target only the targeted ones) are read in the background, each once, and handed over when asked for. A state
/// not read ahead is read when asked for, as without reading ahead. What went wrong reading a state is told only when
/// that state is asked for, so the plan reports what it reported before, in the same order (a damaged state the plan
/// never uses, or manifests that do not load, say nothing of it).
/// </summary>
internal sealed class StateReads : IAsyncDisposable
{
    // As many files or rows at once as ReadStatesAsync reads: enough to keep the parse of each busy, few enough to
    // leave the processors to the manifests loading at the same time.
    private const int ReadAheadAtOnce = 8;

    private readonly IStateStore store;
    private readonly CancellationTokenSource? stop;
    private readonly Task<ReadAhead?> ahead;

    private StateReads(IStateStore store, CancellationTokenSource? stop, Task<ReadAhead?> ahead)
    {
        this.store = store;
        this.stop = stop;
        this.ahead = ahead;
    }

    /// <summary>Reads only when asked (apply: its locks are taken first, so that it reads what a run it waited for left).</summary>
    public static StateReads WhenAsked(IStateStore store) => new(store, null, Task.FromResult<ReadAhead?>(null));

    /// <summary>Starts reading, in the background, the states a plan with these targets will want.</summary>
    public static StateReads Ahead(IStateStore store, ImmutableArray<ResourceAddress> targets, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        return new StateReads(store, stop, Task.Run(() => ReadAheadAsync(store, targets, token), CancellationToken.None));
    }

    /// <summary>The company's state (null: none), as <see cref="IStateStore.ReadAsync"/> gives it.</summary>
    public async Task<CompanyState?> ReadAsync(string company, CancellationToken cancellationToken)
    {
        if (await ahead is { } read && read.States.TryGetValue(company, out var pending))
        {
            var result = await pending.Task.WaitAsync(cancellationToken);
            result.Error?.Throw();
            return result.State;
        }

        return await store.ReadAsync(company, cancellationToken);
    }

    /// <summary>The companies in the store, as <see cref="IStateStore.ListCompaniesAsync"/> gives them (listed once, when read ahead).</summary>
    public async Task<ImmutableArray<string>> ListCompaniesAsync(CancellationToken cancellationToken) =>
        await ahead is { Listed: { IsDefault: false } listed } ? listed : await store.ListCompaniesAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (stop is null)
        {
            return;
        }

        // Nothing reads the store behind the operation's back once it has returned.
        await stop.CancelAsync();
        if (await ahead is { } read)
        {
            await read.Done;
        }

        stop.Dispose();
    }

    private static async Task<ReadAhead?> ReadAheadAsync(IStateStore store, ImmutableArray<ResourceAddress> targets, CancellationToken cancellationToken)
    {
        var listed = default(ImmutableArray<string>);
        IReadOnlyList<string> companies;
        if (targets.IsDefaultOrEmpty)
        {
            try
            {
                listed = await store.ListCompaniesAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not told here: the plan lists the store again when it needs the list, and tells it then, as before.
                return null;
            }

            companies = listed;
        }
        else
        {
            companies = [.. targets.Select(t => t.Company).Distinct(StringComparer.Ordinal)];
        }

        var states = companies.ToDictionary(
            c => c,
            _ => new TaskCompletionSource<Result>(TaskCreationOptions.RunContinuationsAsynchronously),
            StringComparer.Ordinal);
        var done = ReadAllAsync(store, states, cancellationToken);
        return new ReadAhead(listed, states, done);
    }

    private static async Task ReadAllAsync(IStateStore store, Dictionary<string, TaskCompletionSource<Result>> states, CancellationToken cancellationToken)
    {
        try
        {
            await Parallel.ForEachAsync(
                states,
                new ParallelOptions { MaxDegreeOfParallelism = ReadAheadAtOnce, CancellationToken = cancellationToken },
                async (entry, token) =>
                {
                    try
                    {
                        entry.Value.TrySetResult(new Result(await store.ReadAsync(entry.Key, token), null));
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        entry.Value.TrySetResult(new Result(null, ExceptionDispatchInfo.Capture(e)));
                    }
                });
        }
        catch (OperationCanceledException)
        {
            // Stopped: the operation returned, or was cancelled (a reader still waiting is cancelled too).
        }

        foreach (var pending in states.Values)
        {
            pending.TrySetCanceled(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(canceled: true));
        }
    }

    private sealed record Result(CompanyState? State, ExceptionDispatchInfo? Error);

    private sealed record ReadAhead(ImmutableArray<string> Listed, Dictionary<string, TaskCompletionSource<Result>> States, Task Done);
}
