using System.CommandLine;
using System.CommandLine.Parsing;
using Whc.Declarative.Cli.Commands;
using Whc.Declarative.Core.Diagnostics;

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
        root.Subcommands.Add(DoctorCommand.Build(io));
        root.Subcommands.Add(ContractCommand.Build(io));
        root.Subcommands.Add(ShowCommand.Build(io));
        Infrastructure.CliManners.Apply(root, io);
        return root;
    }

    /// <summary>The environment variable that makes an internal error print its stack trace.</summary>
    public const string DebugVariable = "WHC_DEBUG";

    /// <summary>
    /// Parses and runs one command line. A command line that does not parse is one diagnostic line per problem on
    /// stderr and exit 1 (no help text: it would bury the error and pollute stdout); an exception no command
    /// expected is one WHC6002 line, with its stack trace only when WHC_DEBUG=1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, IOContext io, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(io);
        try
        {
            var root = BuildRootCommand(io);
            var parseResult = root.Parse(args);
            ConfigureStderr(parseResult, io);
            var problems = args.Any(a => a is "-h" or "--help" or "-?") ? [] : Infrastructure.UsageErrors.Of(parseResult, args);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    io.Error.Write(problem.Diagnostic);
                }

                // A line that already says what was meant needs no pointer to the help.
                if (!problems.All(p => p.Suggests))
                {
                    io.Error.WriteLine($"Run '{Infrastructure.UsageErrors.CommandPath(parseResult.CommandResult)} --help' for usage.");
                }

                return ExitCodes.Error;
            }

            var configuration = new InvocationConfiguration { Output = io.Output, Error = io.Error, EnableDefaultExceptionHandler = false };
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            io.Error.Write(DiagnosticCatalog.InternalErrorUnexpected.At(SourceSpan.None, e.GetType().Name, e.Message));
            if (io.Environment.GetValueOrDefault(DebugVariable) == "1")
            {
                io.Error.Talk(e.ToString(), Microsoft.Extensions.Logging.LogLevel.Error); // one entry, however many lines
            }
            else
            {
                io.Error.Talk($"This is a bug in whcctl; please report it with the output of the same command run with {DebugVariable}=1.", Microsoft.Extensions.Logging.LogLevel.Error);
            }

            return ExitCodes.Error;
        }
    }

    /// <summary>
    /// --quiet and --log-format, which every command takes (<see cref="Infrastructure.CliManners"/>), set how all of
    /// stderr is written, before anything is: the command's own lines, diagnostics and logs alike.
    /// </summary>
    private static void ConfigureStderr(ParseResult parseResult, IOContext io)
    {
        var options = parseResult.CommandResult.Command.Options;
        var quiet = options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--quiet") is { } q && parseResult.GetValue(q);
        var json = options.OfType<Option<string>>().FirstOrDefault(o => o.Name == "--log-format") is { } f && parseResult.GetValue(f) == "json";
        io.Error.Configure(quiet, json, io.Clock);
    }
}
