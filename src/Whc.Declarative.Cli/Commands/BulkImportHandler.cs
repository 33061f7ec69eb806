using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Files;
using Whc.Declarative.Manifests;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Cli.Commands;

/// <summary>What <c>import --all</c> was asked to do; <see cref="NotWithAll"/> names an option that does not go with it.</summary>
public sealed record BulkImportArguments(
    string? Company,
    IReadOnlyList<string> Paths,
    string? CugId,
    string? BillingAccount,
    string? NotWithAll,
    string? WriteManifests,
    int Parallelism,
    PlanSources Sources,
    TimeSpan LockTimeout);

/// <summary>
/// <c>whcctl import --all</c>: runs <see cref="BulkImportOperation"/>, prints one progress line per company on stderr
/// as it finishes, writes the manifests (never over an existing file), and ends with a count. Exit 1 when any company
/// failed; running the same command again resumes, because companies already in state are skipped.
/// </summary>
public sealed class BulkImportHandler(IOContext io, CommandRuntime runtime)
{
    public async Task<int> RunAsync(BulkImportArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (UsageProblem(arguments) is { } problem)
        {
            return ImportCommand.Fail(io, problem);
        }

        var directory = arguments.WriteManifests is { } relative ? io.ResolvePath(relative) : null;
        var store = runtime.OpenStateStore(arguments.Sources.State);
        var api = await runtime.ConnectAsync(arguments.Sources.Endpoint, arguments.Sources.Wire, null, cancellationToken);
        var request = new BulkImportRequest(arguments.CugId!, arguments.BillingAccount!, LockHolder.Current(io, "import"), arguments.LockTimeout, runtime.Connection?.Endpoint.Name, arguments.Parallelism);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var gate = new Lock();
        var (done, written) = (0, 0);
        var items = await BulkImportOperation.RunAsync(request, store, api, io.Clock, (item, total) =>
        {
            // As each company finishes (on several threads): a long run shows where it is, and a stopped one has
            // written the manifest of every company it put in state.
            lock (gate)
            {
                done++;
                io.Error.WriteLine($"[{done}/{total}] {Describe(item)}");
                DiagnosticsRenderer.WriteText(io.Error, item.Diagnostics);
                if (directory is not null && item.State is { } state && WriteManifest(directory, state))
                {
                    written++;
                }
            }
        }, cancellationToken);

        var failed = items.Count(i => i.Result == BulkImportResult.Failed);
        io.Error.WriteLine(
            $"{items.Length} companies of {arguments.CugId} at BT: {items.Count(i => i.Result == BulkImportResult.Imported)} imported, "
            + $"{items.Count(i => i.Result == BulkImportResult.AlreadyInState)} already in state, {failed} failed"
            + (directory is null ? "." : $"; {Counted.Of(written, "manifest")} written to {Diagnostic.OneLine(arguments.WriteManifests!)} (existing files kept)."));
        if (failed > 0)
        {
            io.Error.WriteLine("Run the same command again to retry the failed companies; those in state are skipped.");
        }

        return failed > 0 ? ExitCodes.Error : ExitCodes.Success;
    }

    private static Diagnostic? UsageProblem(BulkImportArguments arguments) =>
        arguments.Company is not null ? DiagnosticCatalog.OptionsConflictAllWithCompany.At(SourceSpan.None, arguments.Company)
        : arguments.Paths.Count > 0 ? DiagnosticCatalog.OptionsConflictAllWithPaths.At(SourceSpan.None)
        : arguments.NotWithAll is { } option ? DiagnosticCatalog.OptionsConflictNotWithAll.At(SourceSpan.None, option)
        : arguments.CugId is null || arguments.BillingAccount is null ? DiagnosticCatalog.OptionsConflictAllNeedsReseller.At(SourceSpan.None)
        : ImportCommand.ArgumentProblem(null, arguments.CugId, arguments.BillingAccount);

    private static string Describe(BulkImportItem item)
    {
        var name = Diagnostic.OneLine(item.CompanyName);
        return item.Result switch
        {
            BulkImportResult.Imported => $"imported '{name}' as {item.Key}: {InventoryImport.Describe(item.State!)}",
            BulkImportResult.AlreadyInState => $"'{name}' is already in state as {item.Key}",
            _ => $"'{name}' not imported",
        };
    }

    /// <summary>
    /// Writes DIR/KEY.yaml unless something is there; through a temporary file of its own, so a stopped run leaves no
    /// half manifest and a link planted in DIR is never written through.
    /// </summary>
    private static bool WriteManifest(string directory, CompanyState state)
    {
        var path = Path.Combine(directory, state.Company + ".yaml");
        return AtomicFile.TryCreate(path, ImportedManifestWriter.Write(state));
    }
}
