using System.Globalization;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;
using Whc.Declarative.Files;
using Whc.Declarative.State;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Commands;

public sealed record StateListArguments(string? State);

public sealed record StateShowArguments(string Address, string? State);

public sealed record StateRemoveArguments(string Address, string? State, TimeSpan LockTimeout);

public sealed record StateHistoryArguments(string Company, string? State);

public sealed record StateRollbackArguments(string Company, long Serial, string? State, TimeSpan LockTimeout);

/// <summary><c>state rebind</c>: the endpoint as typed, resolved as plan and apply resolve it (<see cref="WhcEndpoint.Resolve(string?)"/>).</summary>
public sealed record StateRebindArguments(string Company, string Endpoint, string? State, TimeSpan LockTimeout);

public sealed record StatePullArguments(string Company, string? State);

public sealed record StatePushArguments(string Company, string File, bool Force, string? State, TimeSpan LockTimeout);

public sealed record StateMigrateArguments(string? From, string To, bool Force, TimeSpan LockTimeout);

public sealed record StateMoveArguments(string Source, string Destination, string? State, TimeSpan LockTimeout);

public sealed record ForceUnlockArguments(string Company, string LockId, string? State);

/// <summary>
/// The state commands' work over <see cref="StateMaintenance"/>: one method per subcommand, each given its arguments;
/// failures become one diagnostic line (StateCommandContext.RunAsync, over CommandRuntime.Guard). What show and history
/// print is the view's, chosen with the format (text for the subcommands without one).
/// </summary>
public sealed class StateHandler(IOContext io, IStateView view)
{
    public StateHandler(IOContext io)
        : this(io, new StateTextView(io.Output))
    {
    }

    public Task<int> ListAsync(StateListArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            foreach (var company in await store.ListCompaniesAsync(cancellationToken))
            {
                var current = await store.ReadAsync(company, cancellationToken);
                if (current?.Tombstone is { } destroyed)
                {
                    // Kept with its history (state history, rollback), so listed; marked, so no one takes it for live.
                    io.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Diagnostic.OneLine(company)} (destroyed {destroyed.At.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ})"));
                }
                else if (current is not null)
                {
                    foreach (var address in Addresses(current))
                    {
                        io.Output.WriteLine(Diagnostic.OneLine(address.ToString()));
                    }
                }
            }

            return ExitCodes.Success;
        });

    public Task<int> ShowAsync(StateShowArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var target = StateCommandContext.ParseAddress(arguments.Address);
            var current = await StateMaintenance.ReadRequiredAsync(store, target.Company, cancellationToken);
            var node = Find(current, target)
                ?? throw new StateException(DiagnosticCatalog.StateResourceNotInState.With(target));
            view.Resource(target, node);
            return ExitCodes.Success;
        });

    public Task<int> RemoveAsync(StateRemoveArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var target = StateCommandContext.ParseAddress(arguments.Address);
            var operation = $"state rm {target}";
            var written = await StateCommandContext.WithLockAsync(io, store, target.Company, operation, arguments.LockTimeout, fence =>
                StateMaintenance.RemoveAsync(store, target, StateCommandContext.WriteContext(io, operation) with { Fence = fence }, cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Removed {Diagnostic.OneLine(target.ToString())} from state (serial {written.Serial}). Nothing was changed at BT."));
            return ExitCodes.Success;
        });

    public Task<int> HistoryAsync(StateHistoryArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var name = arguments.Company;
            var versions = await store.HistoryAsync(name, cancellationToken);
            if (versions.IsEmpty)
            {
                throw new StateException(DiagnosticCatalog.StateNoCompany.With(name, store.Description));
            }

            view.History(versions);
            return ExitCodes.Success;
        });

    public Task<int> RollbackAsync(StateRollbackArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var name = arguments.Company;
            var target = arguments.Serial;
            var operation = string.Create(CultureInfo.InvariantCulture, $"state rollback {name} {target}");
            var written = await StateCommandContext.WithLockAsync(io, store, name, operation, arguments.LockTimeout, fence =>
                StateMaintenance.RollbackAsync(store, name, target, StateCommandContext.WriteContext(io, operation) with { Fence = fence }, cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restored version {target} of '{name}' as serial {written.Serial}. Run 'whcctl plan' to see how BT differs from it."));
            return ExitCodes.Success;
        });

    public Task<int> RebindAsync(StateRebindArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var name = arguments.Company;
            var target = WhcEndpoint.Resolve(arguments.Endpoint).Name;
            var operation = $"state rebind {name}";
            var written = await StateCommandContext.WithLockAsync(io, store, name, operation, arguments.LockTimeout, fence =>
                StateMaintenance.RebindAsync(store, name, target, StateCommandContext.WriteContext(io, operation) with { Fence = fence }, cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"'{name}' now lives at {target} (serial {written.Serial}). Run 'whcctl plan' against it to see how its BT differs."));
            return ExitCodes.Success;
        });

    public Task<int> PullAsync(StatePullArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var current = await StateMaintenance.ReadRequiredAsync(store, arguments.Company, cancellationToken);
            io.Output.Write(StateSerializer.Default.Serialize(current));
            return ExitCodes.Success;
        });

    public Task<int> PushAsync(StatePushArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var name = arguments.Company;
            var path = io.ResolvePath(arguments.File);
            var text = ReadPushed(path, arguments.File);
            var pushed = StateSerializer.Default.Deserialize(text, path);
            var parentSerial = StateSerializer.ReadParentSerial(System.Text.Encoding.UTF8.GetBytes(text), path, pushed.Serial);
            if (!string.Equals(pushed.Company, name, StringComparison.Ordinal))
            {
                throw new StateException(DiagnosticCatalog.StatePushOtherCompany.With(path, pushed.Company, name));
            }

            var operation = $"state push {name}";
            var outcome = await StateCommandContext.WithLockAsync(io, store, name, operation, arguments.LockTimeout, fence =>
                StateMaintenance.PushFileAsync(store, pushed, parentSerial, arguments.Force, StateCommandContext.WriteContext(io, operation) with { Fence = fence }, cancellationToken), cancellationToken);
            var written = outcome.State;
            io.Error.WriteLine(outcome.Written
                ? string.Create(CultureInfo.InvariantCulture, $"Pushed '{name}' to {store.Description} as serial {written.Serial}, lineage {written.Lineage}.")
                : string.Create(CultureInfo.InvariantCulture, $"'{name}' in {store.Description} already holds this state (serial {written.Serial}, lineage {written.Lineage}); nothing was written."));
            return ExitCodes.Success;
        });

    public Task<int> MoveAsync(StateMoveArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            var source = StateCommandContext.ParseAddress(arguments.Source);
            var destination = StateCommandContext.ParseAddress(arguments.Destination);
            var operation = $"state mv {source} {destination}";
            var written = await StateCommandContext.WithLockAsync(io, store, source.Company, operation, arguments.LockTimeout, fence =>
                StateMaintenance.MoveAsync(store, source, destination, StateCommandContext.WriteContext(io, operation) with { Fence = fence }, cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Renamed {Diagnostic.OneLine(source.ToString())} to {Diagnostic.OneLine(destination.ToString())} in state (serial {written.Serial}). Nothing was changed at BT."));
            return ExitCodes.Success;
        });

    public Task<int> ForceUnlockAsync(ForceUnlockArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.State, async store =>
        {
            await store.ForceUnlockAsync(arguments.Company, arguments.LockId, cancellationToken);
            io.Error.WriteLine($"Removed lock {arguments.LockId} on '{arguments.Company}' in {store.Description}.");
            return ExitCodes.Success;
        });

    public Task<int> MigrateAsync(StateMigrateArguments arguments, CancellationToken cancellationToken) =>
        StateCommandContext.RunAsync(io, arguments.From, async source =>
        {
            var target = StateCommandContext.Open(io, arguments.To);
            try
            {
                var context = StateCommandContext.WriteContext(io, "state migrate");
                var companies = await source.ListCompaniesAsync(cancellationToken);
                var locks = new List<IStateLock>();
                try
                {
                    foreach (var company in companies)
                    {
                        locks.Add(await source.AcquireLockAsync(company, LockHolder.Current(io, "state migrate"), arguments.LockTimeout, cancellationToken));
                    }

                    var results = await StateMaintenance.MigrateAsync(source, target, arguments.Force, context, cancellationToken);
                    foreach (var result in results)
                    {
                        var verb = result.Copied ? "copied" : "already there";
                        io.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Diagnostic.OneLine(result.Company)}: {verb} (serial {result.Serial}, lineage {result.Lineage})"));
                    }

                    io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Migrated {results.Count(r => r.Copied)} of {results.Length} companies from {source.Description} to {target.Description}."));
                }
                finally
                {
                    foreach (var held in locks)
                    {
                        await held.DisposeAsync();
                    }
                }

                return ExitCodes.Success;
            }
            finally
            {
                if (target is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        });

    /// <summary>The addresses recorded in one company's state: the company, then number blocks, sites and users.</summary>
    public static IEnumerable<ResourceAddress> Addresses(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sorted = state.Normalized();
        if (sorted.Record is not null)
        {
            yield return ResourceAddress.ForCompany(sorted.Company);
        }

        foreach (var block in sorted.NumberBlocks)
        {
            yield return new ResourceAddress(sorted.Company, ResourceKind.NumberBlock, block.Name);
        }

        foreach (var site in sorted.Sites)
        {
            yield return new ResourceAddress(sorted.Company, ResourceKind.Site, site.Name);
        }

        foreach (var user in sorted.Users)
        {
            yield return new ResourceAddress(sorted.Company, ResourceKind.User, user.Username);
        }
    }

    private static JsonNode? Find(CompanyState state, ResourceAddress address) => address.Kind switch
    {
        ResourceKind.Company => state.Tombstone is { } destroyed
            ? new JsonObject
            {
                ["serial"] = state.Serial,
                ["lineage"] = state.Lineage,
                ["destroyed"] = StateSerializer.ToJsonNode(destroyed),
            }
            : state.Record is null
            ? null
            : new JsonObject
            {
                ["serial"] = state.Serial,
                ["lineage"] = state.Lineage,
                ["record"] = StateSerializer.ToJsonNode(state.Record),
            },
        ResourceKind.NumberBlock => state.NumberBlocks.Where(b => b.Name == address.Name).Select(b => StateSerializer.ToJsonNode(b)).FirstOrDefault(),
        ResourceKind.Site => state.Sites.Where(s => s.Name == address.Name).Select(s => StateSerializer.ToJsonNode(s)).FirstOrDefault(),
        _ => state.Users.Where(u => u.Username == address.Name).Select(u => StateSerializer.ToJsonNode(u)).FirstOrDefault(),
    };

    /// <summary>The file <c>state push</c> stores, read as a manifest is: a regular file only, within the state file cap.</summary>
    private static string ReadPushed(string path, string given)
    {
        try
        {
            return GuardedFile.ReadAllText(path, FileInput.StateFile, given);
        }
        catch (FileInputException e)
        {
            throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, e.Message, e);
        }
    }
}
