using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;
using Whc.Declarative.State;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// whcctl state list | show | rm | history | rollback | pull | push | migrate: inspect and repair recorded state
/// without touching BT.
/// </summary>
public static class StateCommand
{
    public static Command Build(IOContext io)
    {
        var command = new Command("state", "Inspect and repair recorded state (never calls BT).");
        command.Subcommands.Add(BuildList(io));
        command.Subcommands.Add(BuildShow(io));
        command.Subcommands.Add(BuildRemove(io));
        command.Subcommands.Add(BuildHistory(io));
        command.Subcommands.Add(BuildRollback(io));
        command.Subcommands.Add(BuildPull(io));
        command.Subcommands.Add(BuildPush(io));
        command.Subcommands.Add(BuildMigrate(io));
        command.Subcommands.Add(BuildRebind(io));
        return command;
    }

    private static Command BuildList(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var command = new Command("list", "List every resource address in state, one per line.") { state };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            foreach (var company in await store.ListCompaniesAsync(cancellationToken))
            {
                var current = await store.ReadAsync(company, cancellationToken);
                if (current is not null)
                {
                    foreach (var address in Addresses(current))
                    {
                        io.Output.WriteLine(address.ToString());
                    }
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildShow(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var address = new Argument<string>("ADDRESS") { Description = "COMPANY or COMPANY/KIND/NAME (KIND: number-block, site, user)." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("show", "Show the recorded attributes of one resource.") { address, state, format };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var target = StateCommandContext.ParseAddress(parseResult.GetRequiredValue(address));
            var current = await StateMaintenance.ReadRequiredAsync(store, target.Company, cancellationToken);
            var node = Find(current, target)
                ?? throw new StateException(DiagnosticCatalog.StateNotFound.Code, $"{target} is not in state (see 'whcctl state list')");
            if (parseResult.GetValue(format) == "json")
            {
                io.Output.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                io.Output.WriteLine($"# {target}");
                var lines = new List<(string Key, string Value)>();
                Flatten(node, string.Empty, lines);
                var width = lines.Count == 0 ? 0 : lines.Max(l => l.Key.Length);
                foreach (var (key, value) in lines)
                {
                    io.Output.WriteLine($"{key.PadRight(width)} = {value}");
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildRemove(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var address = new Argument<string>("ADDRESS") { Description = "The resource to forget: COMPANY or COMPANY/KIND/NAME." };
        var command = new Command("rm", "Forget a resource in state without changing it at BT (writes a new serial).") { address, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var target = StateCommandContext.ParseAddress(parseResult.GetRequiredValue(address));
            var operation = $"state rm {target}";
            var written = await StateCommandContext.WithLockAsync(io, store, target.Company, operation, parseResult.GetValue(lockTimeout), () =>
                StateMaintenance.RemoveAsync(store, target, StateCommandContext.WriteContext(io, operation), cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Removed {target} from state (serial {written.Serial}). Nothing was changed at BT."));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildHistory(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var company = new Argument<string>("COMPANY");
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("history", "List the stored versions of a company's state, newest first.") { company, state, format };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var name = parseResult.GetRequiredValue(company);
            var versions = await store.HistoryAsync(name, cancellationToken);
            if (versions.IsEmpty)
            {
                throw new StateException(DiagnosticCatalog.StateNotFound.Code, $"no state for company '{name}' in {store.Description}");
            }

            if (parseResult.GetValue(format) == "json")
            {
                var array = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject
                {
                    ["serial"] = v.Serial,
                    ["lineage"] = v.Lineage,
                    ["writtenBy"] = v.WrittenBy,
                    ["writtenAt"] = v.WrittenAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                })]);
                io.Output.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Success;
            }

            io.Output.WriteLine("SERIAL  WRITTEN AT (UTC)      WRITTEN BY");
            foreach (var version in versions)
            {
                io.Output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{version.Serial,6}  {version.WrittenAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z  {version.WrittenBy}"));
            }

            io.Output.WriteLine($"lineage {versions[0].Lineage}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildRollback(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var company = new Argument<string>("COMPANY");
        var serial = new Argument<long>("SERIAL") { Description = "The version to restore (see 'whcctl state history')." };
        var command = new Command("rollback", "Make an earlier version current again, as a new version (serial = current + 1).") { company, serial, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var name = parseResult.GetRequiredValue(company);
            var target = parseResult.GetValue(serial);
            var operation = string.Create(CultureInfo.InvariantCulture, $"state rollback {name} {target}");
            var written = await StateCommandContext.WithLockAsync(io, store, name, operation, parseResult.GetValue(lockTimeout), () =>
                StateMaintenance.RollbackAsync(store, name, target, StateCommandContext.WriteContext(io, operation), cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restored version {target} of '{name}' as serial {written.Serial}. Run 'whcctl plan' to see how BT differs from it."));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildRebind(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var company = new Argument<string>("COMPANY");
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint the company lives at from now on: sandbox, testa, production or a URL.", Required = true };
        var command = new Command("rebind", "Record that a company now lives at another endpoint (its state was applied elsewhere).") { company, endpoint, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var name = parseResult.GetRequiredValue(company);
            var target = WhcEndpoint.Resolve(parseResult.GetRequiredValue(endpoint)).Name;
            var operation = $"state rebind {name}";
            var written = await StateCommandContext.WithLockAsync(io, store, name, operation, parseResult.GetValue(lockTimeout), () =>
                StateMaintenance.RebindAsync(store, name, target, StateCommandContext.WriteContext(io, operation), cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"'{name}' now lives at {target} (serial {written.Serial}). Run 'whcctl plan' against it to see how its BT differs."));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildPull(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var company = new Argument<string>("COMPANY");
        var command = new Command("pull", "Write a company's current state as JSON to stdout.") { company, state };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var current = await StateMaintenance.ReadRequiredAsync(store, parseResult.GetRequiredValue(company), cancellationToken);
            io.Output.Write(StateSerializer.Default.Serialize(current));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildPush(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var company = new Argument<string>("COMPANY");
        var file = new Argument<string>("FILE") { Description = "A state file, e.g. from 'whcctl state pull'." };
        var force = new Option<bool>("--force") { Description = "Replace the stored state even if the file has another lineage or an older serial." };
        var command = new Command("push", "Store a state file as the company's current state.") { company, file, state, force, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(state), async store =>
        {
            var name = parseResult.GetRequiredValue(company);
            var path = io.ResolvePath(parseResult.GetRequiredValue(file));
            var pushed = StateSerializer.Default.Deserialize(await File.ReadAllTextAsync(path, cancellationToken), path);
            if (!string.Equals(pushed.Company, name, StringComparison.Ordinal))
            {
                throw new StateException(DiagnosticCatalog.StateAddressInvalid.Code, $"{path} holds the state of company '{pushed.Company}', not '{name}'");
            }

            var operation = $"state push {name}";
            var written = await StateCommandContext.WithLockAsync(io, store, name, operation, parseResult.GetValue(lockTimeout), () =>
                StateMaintenance.PushAsync(store, pushed, parseResult.GetValue(force), StateCommandContext.WriteContext(io, operation), cancellationToken), cancellationToken);
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pushed '{name}' to {store.Description} as serial {written.Serial}, lineage {written.Lineage}."));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command BuildMigrate(IOContext io)
    {
        var from = StateCommandContext.StateOption();
        from.Aliases.Add("--from");
        var lockTimeout = CommonOptions.LockTimeout();
        var to = new Option<string>("--to") { Description = "The store to copy into (directory or postgres:// URL).", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite states that already exist in the target store." };
        var command = new Command("migrate", "Copy every company's state to another store, keeping serial and lineage.") { to, from, force, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => StateCommandContext.RunAsync(io, parseResult.GetValue(from), async source =>
        {
            var target = StateCommandContext.Open(io, parseResult.GetRequiredValue(to));
            try
            {
                var context = StateCommandContext.WriteContext(io, "state migrate");
                var timeout = parseResult.GetValue(lockTimeout);
                var companies = await source.ListCompaniesAsync(cancellationToken);
                var locks = new List<IStateLock>();
                try
                {
                    foreach (var company in companies)
                    {
                        locks.Add(await source.AcquireLockAsync(company, LockHolder.Current(io, "state migrate"), timeout, cancellationToken));
                    }

                    var results = await StateMaintenance.MigrateAsync(source, target, parseResult.GetValue(force), context, cancellationToken);
                    foreach (var result in results)
                    {
                        var verb = result.Copied ? "copied" : "already there";
                        io.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Company}: {verb} (serial {result.Serial}, lineage {result.Lineage})"));
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
        }));
        return command;
    }

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
        ResourceKind.Company => state.Record is null
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

    private static void Flatten(JsonNode? node, string prefix, List<(string Key, string Value)> lines)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}", lines);
                }

                break;
            case JsonArray array when array.All(item => item is JsonValue or null):
                lines.Add((prefix, "[" + string.Join(", ", array.Select(Scalar)) + "]"));
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], string.Create(CultureInfo.InvariantCulture, $"{prefix}[{i}]"), lines);
                }

                break;
            default:
                lines.Add((prefix, Scalar(node)));
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
