using System.CommandLine;
using System.Text;
using System.Text.Json;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Manifests;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Commands;

/// <summary>The arguments of <c>whcctl validate</c>.</summary>
/// <param name="Wire">The contract in effect (<c>--contract</c>, WHC_CONTRACT): the characteristic names it sends are checked against.</param>
public sealed record ValidateArguments(IReadOnlyList<string> Paths, string Format, WireFiles? Wire = null);

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
            var arguments = new ValidateArguments(parseResult.GetValue(paths) ?? [], parseResult.GetValue(format).ToString().ToLowerInvariant(), wire.Of(parseResult));
            return Task.FromResult(new ValidateHandler(io).Run(arguments));
        });
        return command;
    }
}

/// <summary>Runs <c>whcctl validate</c> against the injected streams.</summary>
public sealed class ValidateHandler(IOContext io)
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

        var manifests = result.Manifests;
        if (arguments.Format == "json")
        {
            WriteJson(result);
        }
        else if (arguments.Format == "github")
        {
            // Workflow commands on stdout, where the runner reads them; the summary stays talk, on stderr.
            DiagnosticsRenderer.WriteGitHub(io.Output, manifests.Diagnostics);
            io.Error.WriteLine(Summary(result));
        }
        else
        {
            DiagnosticsRenderer.WriteText(io.Error, manifests.Diagnostics);
            io.Error.WriteLine(Summary(result));
        }

        return manifests.HasErrors ? ExitCodes.Error : ExitCodes.Success;
    }

    private static string Summary(ManifestLoadResult result)
    {
        var manifests = result.Manifests;
        var files = DiagnosticsRenderer.Plural(result.Files.Length, "file");
        if (manifests.HasErrors)
        {
            return $"{DiagnosticsRenderer.Count(manifests.Diagnostics)} in {files}";
        }

        var valid = $"{DiagnosticsRenderer.Plural(manifests.Companies.Length, "company", "companies")} valid in {files}";
        return manifests.Diagnostics.IsEmpty ? valid : $"{valid} ({DiagnosticsRenderer.Count(manifests.Diagnostics)})";
    }

    private void WriteJson(ManifestLoadResult result)
    {
        var manifests = result.Manifests;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", !manifests.HasErrors);
            writer.WriteNumber("errors", manifests.Diagnostics.Count(d => d.IsError));
            writer.WriteNumber("warnings", manifests.Diagnostics.Count(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Warning));
            writer.WritePropertyName("files");
            JsonSerializer.Serialize(writer, result.Files.ToArray());
            writer.WritePropertyName("companies");
            JsonSerializer.Serialize(writer, manifests.Companies.Select(c => c.Key).ToArray());
            writer.WritePropertyName("diagnostics");
            DiagnosticsRenderer.WriteJson(writer, manifests.Diagnostics);
            writer.WriteEndObject();
        }

        io.Output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
