using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Manifests;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Commands;

/// <summary>The arguments of <c>whcctl validate</c>.</summary>
/// <param name="Wire">The contract in effect (<c>--contract</c>, WHC_CONTRACT): the characteristic names it sends are checked against.</param>
public sealed record ValidateArguments(IReadOnlyList<string> Paths, WireFiles? Wire = null);

/// <summary>
/// whcctl validate [PATH...]: load manifests and check them against the schema and the semantic rules.
/// Text: diagnostics and a summary on stderr. --format json: one JSON document on stdout, nothing else.
/// Exit 0 when there are no errors (warnings allowed), 1 otherwise.
/// </summary>
public static class ValidateCommand
{
    public static Command Build(IOContext io)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Manifest files or directories (default: the current directory).", Arity = ArgumentArity.ZeroOrMore };
        var format = CommonOptions.Format(OutputFormat.Text, OutputFormat.Json, OutputFormat.Github);
        var noColor = Infrastructure.CommonOptions.NoColor(); // validate never colours; accepted so CI scripts can pass it to every command
        var command = new Command("validate", "Check manifests against the schema and the semantic rules.") { paths, format, noColor };
        var wire = new WireOptions();
        wire.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var arguments = new ValidateArguments(parseResult.GetValue(paths) ?? [], wire.Of(parseResult));
            return Task.FromResult(new ValidateHandler(io, ValidateView.For(parseResult.GetValue(format), io)).Run(arguments));
        });
        return command;
    }
}

/// <summary>Runs <c>whcctl validate</c> against the injected streams; its view (chosen with the format) reports the result.</summary>
public sealed class ValidateHandler(IOContext io, IValidateView view)
{
    public int Run(ValidateArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ManifestLoadResult result;
        try
        {
            // As plan checks them: a characteristic may not take the wire name the contract gives a field whcctl sets.
            var wireNames = ContractCharacteristicNames.Of(arguments.Wire ?? WireFiles.None, io);
            result = ManifestLoader.LoadDetailed(arguments.Paths, io.WorkingDirectory, wireNames);
        }
        catch (WhcConfigurationException e)
        {
            result = new ManifestLoadResult(new Core.Manifests.ManifestSet([], [.. e.Diagnostics]), []);
        }

        view.Result(result);
        return result.Manifests.HasErrors ? ExitCodes.Error : ExitCodes.Success;
    }
}
