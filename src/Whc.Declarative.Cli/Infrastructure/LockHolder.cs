using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Who runs whcctl, recorded in every lock it takes and with every state version it writes, the same for every
/// command: <c>WHC_ACTOR</c>, else <c>GITHUB_ACTOR</c> (a CI job's user), else the login (<c>USER</c>,
/// <c>USERNAME</c> on Windows).
/// </summary>
public static class LockHolder
{
    public static string Who(IOContext io) =>
        io.GetEnvironment("WHC_ACTOR") ?? io.GetEnvironment("GITHUB_ACTOR") ?? io.GetEnvironment("USER") ?? io.GetEnvironment("USERNAME") ?? Environment.UserName;

    public static LockInfo Current(IOContext io, string operation) => new(
        Guid.NewGuid().ToString("N"),
        Who(io),
        Environment.MachineName,
        Environment.ProcessId,
        $"whcctl {operation}",
        io.Clock.GetUtcNow());
}
