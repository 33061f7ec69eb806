using System.CommandLine;

namespace Whc.Declarative.Cli.Commands;

/// <summary>whcctl validate [PATH...]: load manifests, check them against the schema and the semantic rules. (Owned by the manifests work.)</summary>
public static class ValidateCommand
{
    public static Command Build(IOContext io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Manifest files or directories (default: the current directory).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("validate", "Check manifests against the schema and the semantic rules.") { paths };
        command.SetAction((parseResult, cancellationToken) =>
        {
            io.Error.WriteLine("validate: not built yet");
            return Task.FromResult(ExitCodes.Error);
        });
        return command;
    }
}
