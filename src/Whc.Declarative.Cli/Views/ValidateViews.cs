using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;
using Whc.Declarative.Manifests;

namespace Whc.Declarative.Cli.Views;

/// <summary>What <c>whcctl validate</c> reports, one implementation per <c>--format</c>.</summary>
public interface IValidateView
{
    void Result(ManifestLoadResult result);
}

/// <summary>Chooses the validate view for a format: the one place <c>validate</c> looks at <c>--format</c>.</summary>
public static class ValidateView
{
    public static IValidateView For(OutputFormat format, IOContext io)
    {
        ArgumentNullException.ThrowIfNull(io);
        return format switch
        {
            OutputFormat.Json => new ValidateJsonView(io.Output),
            OutputFormat.Github => new ValidateGitHubView(io.Output, io.Error),
            _ => new ValidateTextView(io.Error),
        };
    }

    /// <summary>"2 companies valid in 3 files (1 warning)", or the problems and the files.</summary>
    internal static string Summary(ManifestLoadResult result)
    {
        var manifests = result.Manifests;
        var files = Counted.Of(result.Files.Length, "file");
        if (manifests.HasErrors)
        {
            // No file read (a path that does not exist, a folder without manifests): the errors say why; "in 0 files" would not.
            return result.Files.IsEmpty
                ? $"{DiagnosticsRenderer.Count(manifests.Diagnostics)}; no manifest file was read"
                : $"{DiagnosticsRenderer.Count(manifests.Diagnostics)} in {files}";
        }

        var valid = $"{Counted.Of(manifests.Companies.Length, "company", "companies")} valid in {files}";
        return manifests.Diagnostics.IsEmpty ? valid : $"{valid} ({DiagnosticsRenderer.Count(manifests.Diagnostics)})";
    }
}

/// <summary>Diagnostics and a summary, all talk, on stderr; stdout stays empty.</summary>
public sealed class ValidateTextView(TextWriter error) : IValidateView
{
    public void Result(ManifestLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DiagnosticsRenderer.WriteText(error, result.Manifests.Diagnostics);
        error.WriteLine(ValidateView.Summary(result));
    }
}

/// <summary>Workflow commands on stdout, where the runner reads them; the summary stays talk, on stderr.</summary>
public sealed class ValidateGitHubView(TextWriter output, TextWriter error) : IValidateView
{
    public void Result(ManifestLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DiagnosticsRenderer.WriteGitHub(output, result.Manifests.Diagnostics);
        error.WriteLine(ValidateView.Summary(result));
    }
}

/// <summary>One JSON document on stdout, nothing else: valid, counts, files, companies, diagnostics.</summary>
public sealed class ValidateJsonView(TextWriter output) : IValidateView
{
    public void Result(ManifestLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var manifests = result.Manifests;
        output.WriteLine(JsonText.Indented(writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", !manifests.HasErrors);
            writer.WriteNumber("errors", manifests.Diagnostics.Count(d => d.IsError));
            writer.WriteNumber("warnings", manifests.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
            JsonText.WriteStrings(writer, "files", result.Files);
            JsonText.WriteStrings(writer, "companies", manifests.Companies.Select(c => c.Key));
            writer.WritePropertyName("diagnostics");
            DiagnosticsRenderer.WriteJson(writer, manifests.Diagnostics);
            writer.WriteEndObject();
        }));
    }
}
