using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// whcctl state list | show | rm | history | rollback | pull | push | migrate | rebind: inspect and repair recorded
/// state without touching BT. Each subcommand reads its arguments record and hands it to <see cref="StateHandler"/>.
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
        command.Subcommands.Add(BuildMove(io));
        return command;
    }

    private static Command BuildList(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var command = new Command("list", "List every resource address in state, one per line.") { state };
        command.SetAction((parseResult, cancellationToken) =>
            new StateHandler(io).ListAsync(new StateListArguments(parseResult.GetValue(state)), cancellationToken));
        return command;
    }

    private static Command BuildShow(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var address = new Argument<string>("ADDRESS") { Description = "COMPANY or COMPANY/KIND/NAME (KIND: number-block, site, user)." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text", HelpName = "text|json" };
        format.AcceptOnlyFromAmong("text", "json");
        StateAddressCompletion.Add(address, io, state);
        var command = new Command("show", "Show the recorded attributes of one resource.") { address, state, format };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io, StateView.For(parseResult.GetValue(format), io.Output)).ShowAsync(
            new StateShowArguments(parseResult.GetRequiredValue(address), parseResult.GetValue(state)),
            cancellationToken));
        return command;
    }

    private static Command BuildRemove(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var address = new Argument<string>("ADDRESS") { Description = "The resource to forget: COMPANY or COMPANY/KIND/NAME." };
        StateAddressCompletion.Add(address, io, state);
        var command = new Command("rm", "Forget a resource in state without changing it at BT (writes a new serial).") { address, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).RemoveAsync(
            new StateRemoveArguments(parseResult.GetRequiredValue(address), parseResult.GetValue(state), parseResult.GetValue(lockTimeout)),
            cancellationToken));
        return command;
    }

    private static Command BuildHistory(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var company = new Argument<string>("COMPANY");
        StateAddressCompletion.Add(company, io, state, a => a.Kind == ResourceKind.Company);
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text", HelpName = "text|json" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("history", "List the stored versions of a company's state, newest first.") { company, state, format };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io, StateView.For(parseResult.GetValue(format), io.Output)).HistoryAsync(
            new StateHistoryArguments(parseResult.GetRequiredValue(company), parseResult.GetValue(state)),
            cancellationToken));
        return command;
    }

    private static Command BuildRollback(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var company = new Argument<string>("COMPANY");
        StateAddressCompletion.Add(company, io, state, a => a.Kind == ResourceKind.Company);
        var serial = new Argument<long>("SERIAL") { Description = "The version to restore (see 'whcctl state history')." };
        var command = new Command("rollback", "Make an earlier version current again, as a new version (serial = current + 1).") { company, serial, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).RollbackAsync(
            new StateRollbackArguments(parseResult.GetRequiredValue(company), parseResult.GetValue(serial), parseResult.GetValue(state), parseResult.GetValue(lockTimeout)),
            cancellationToken));
        return command;
    }

    private static Command BuildRebind(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var company = new Argument<string>("COMPANY");
        StateAddressCompletion.Add(company, io, state, a => a.Kind == ResourceKind.Company);
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint the company lives at from now on: sandbox, testa, production or a URL.", Required = true };
        var command = new Command("rebind", "Record that a company now lives at another endpoint (its state was applied elsewhere).") { company, endpoint, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).RebindAsync(
            new StateRebindArguments(parseResult.GetRequiredValue(company), parseResult.GetRequiredValue(endpoint), parseResult.GetValue(state), parseResult.GetValue(lockTimeout)),
            cancellationToken));
        return command;
    }

    private static Command BuildMove(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var source = new Argument<string>("SOURCE") { Description = "COMPANY/number-block/NAME or COMPANY/site/NAME." };
        var destination = new Argument<string>("DESTINATION") { Description = "The same with the new name." };
        StateAddressCompletion.Add(source, io, state, a => a.Kind is ResourceKind.NumberBlock or ResourceKind.Site);
        var command = new Command("mv", "Rename a number block or a site in state, without re-creating it at BT.") { source, destination, state, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).MoveAsync(
            new StateMoveArguments(parseResult.GetRequiredValue(source), parseResult.GetRequiredValue(destination), parseResult.GetValue(state), parseResult.GetValue(lockTimeout)),
            cancellationToken));
        return command;
    }

    private static Command BuildPull(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var company = new Argument<string>("COMPANY");
        StateAddressCompletion.Add(company, io, state, a => a.Kind == ResourceKind.Company);
        var command = new Command("pull", "Write a company's current state as JSON to stdout.") { company, state };
        command.SetAction((parseResult, cancellationToken) =>
            new StateHandler(io).PullAsync(new StatePullArguments(parseResult.GetRequiredValue(company), parseResult.GetValue(state)), cancellationToken));
        return command;
    }

    private static Command BuildPush(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var lockTimeout = CommonOptions.LockTimeout();
        var company = new Argument<string>("COMPANY");
        StateAddressCompletion.Add(company, io, state, a => a.Kind == ResourceKind.Company);
        var file = new Argument<string>("FILE") { Description = "A state file, e.g. from 'whcctl state pull'." };
        var force = new Option<bool>("--force") { Description = "Store the file even if it does not descend from the current state (another lineage, or derived from an older version)." };
        var command = new Command("push", "Store a state file as the company's next version; it must descend from the current one (pulled from it, or a recovery file kept since).") { company, file, state, force, lockTimeout };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).PushAsync(
            new StatePushArguments(parseResult.GetRequiredValue(company), parseResult.GetRequiredValue(file), parseResult.GetValue(force), parseResult.GetValue(state), parseResult.GetValue(lockTimeout)),
            cancellationToken));
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
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).MigrateAsync(
            new StateMigrateArguments(parseResult.GetValue(from), parseResult.GetRequiredValue(to), parseResult.GetValue(force), parseResult.GetValue(lockTimeout)),
            cancellationToken));
        return command;
    }
}
