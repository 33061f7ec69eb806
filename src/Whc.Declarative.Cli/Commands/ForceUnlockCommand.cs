using System.CommandLine;

namespace Whc.Declarative.Cli.Commands;

/// <summary>whcctl force-unlock COMPANY LOCK_ID: remove a lock left behind, only when LOCK_ID is the holder's.</summary>
public static class ForceUnlockCommand
{
    public static Command Build(IOContext io)
    {
        var state = StateCommandContext.StateOption();
        var company = new Argument<string>("COMPANY");
        var lockId = new Argument<string>("LOCK_ID") { Description = "The lock id shown in the 'locked by' message." };
        var command = new Command("force-unlock", "Remove a company's state lock by its id (for a run that died holding it).") { company, lockId, state };
        command.SetAction((parseResult, cancellationToken) => new StateHandler(io).ForceUnlockAsync(
            new ForceUnlockArguments(parseResult.GetRequiredValue(company), parseResult.GetRequiredValue(lockId), parseResult.GetValue(state)),
            cancellationToken));
        return command;
    }
}
