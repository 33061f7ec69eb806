using System.CommandLine;
using Whc.Declarative.Cli.Commands;

namespace Whc.Declarative.Cli;

/// <summary>Builds whcctl's command tree. Parsing is separate from invoking so tests can inspect either.</summary>
public static class WhcctlApp
{
    public static RootCommand BuildRootCommand(IOContext io)
    {
        var root = new RootCommand("whcctl: declarative provisioning for BT Wholesale Hosted Communications (WHC).");
        // One line per command; each command lives in its own file under Commands/.
        root.Subcommands.Add(ValidateCommand.Build(io));
        root.Subcommands.Add(PlanCommand.Build(io));
        root.Subcommands.Add(ApplyCommand.Build(io));
        root.Subcommands.Add(ApplyCommand.BuildDestroy(io));
        root.Subcommands.Add(StateCommand.Build(io));
        root.Subcommands.Add(ForceUnlockCommand.Build(io));
        root.Subcommands.Add(SandboxCommand.Build(io));
        root.Subcommands.Add(GraphCommand.Build(io));
        root.Subcommands.Add(CompletionCommand.Build(io));
        root.Subcommands.Add(ImportCommand.Build(io));
        Infrastructure.CliManners.Apply(root, io);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, IOContext io, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand(io);
        var parseResult = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = io.Output, Error = io.Error };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }
}
