using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Files;
using Whc.Declarative.Manifests;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl import COMPANY [PATH...]</c> or <c>whcctl import COMPANY --cug CUG --name NAME --billing-account ACCOUNT
/// [--write-manifest FILE]</c>: adopts a company that already exists at BT into state from BT's inventory. With the
/// team's manifest of that company (given, or found in the current directory when the options are not all given), its
/// CUG, name and billing account identify the company and its block names name BT's ranges, so a plan with that
/// manifest right after import shows no changes. BT's inventory has no billing account, hence the option without one.
/// <c>whcctl import --all --cug CUG --billing-account ACCOUNT [--write-manifests DIR]</c> adopts every company of the
/// reseller (<see cref="BulkImportHandler"/>).
/// </summary>
public static class ImportCommand
{
    private const string Description = "Adopt a company that already exists at BT into state (and write its manifest).";

    public static Command Build(IOContext io)
    {
        var company = new Argument<string?>("COMPANY")
        {
            Description = "The key to give the company in state and manifest (metadata.name), e.g. fun-network; not with --all.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var paths = new Argument<string[]>("PATH")
        {
            Description = "The company's manifest (files or directories): its CUG, name, billing account and block names are used.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var cug = new Option<string?>("--cug") { Description = "Your reseller CUG id (CUG and 10 digits); default: the manifest's." };
        var name = new Option<string?>("--name") { Description = "The company's name at BT, exactly as registered; default: the manifest's." };
        var billingAccount = new Option<string?>("--billing-account")
        {
            Description = "The billing account orders for this company are charged to (BT's inventory does not show it); default: the manifest's.",
        };
        var writeManifest = new Option<string?>("--write-manifest") { Description = "Also write the company's manifest to FILE (refused when FILE exists)." };
        var all = new Option<bool>("--all") { Description = "Adopt every company of the reseller (--cug) that state does not hold yet; run again to resume." };
        var writeManifests = new Option<string?>("--write-manifests") { Description = "With --all: write one manifest per company into DIR (existing files are kept)." };
        var parallelism = CommonOptions.Parallelism();
        var endpoint = CommonOptions.Endpoint();
        var stateOption = CommonOptions.State();
        var wire = new WireOptions();
        var lockTimeout = CommonOptions.LockTimeout();
        var runtimeOptions = new RuntimeOptions { AllowOrigin = CommonOptions.AllowOrigin() };
        var command = new Command("import", Description)
        {
            company, paths, cug, name, billingAccount, writeManifest, all, writeManifests, parallelism, endpoint, stateOption, lockTimeout,
        };
        wire.AddTo(command);
        runtimeOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, runtimeOptions);
            var sources = new PlanSources(parseResult.GetValue(stateOption), parseResult.GetValue(endpoint), wire.Of(parseResult));
            if (parseResult.GetValue(all))
            {
                var bulk = new BulkImportArguments(
                    parseResult.GetValue(company),
                    parseResult.GetValue(paths) ?? [],
                    parseResult.GetValue(cug),
                    parseResult.GetValue(billingAccount),
                    parseResult.GetValue(name) is not null ? "--name" : parseResult.GetValue(writeManifest) is not null ? "--write-manifest" : null,
                    parseResult.GetValue(writeManifests),
                    parseResult.GetValue(parallelism),
                    sources,
                    parseResult.GetValue(lockTimeout));
                return await runtime.GuardAsync(() => new BulkImportHandler(io, runtime).RunAsync(bulk, cancellationToken));
            }

            if (parseResult.GetValue(writeManifests) is not null)
            {
                return Fail(io, DiagnosticCatalog.OptionsConflictWriteManifestsWithoutAll.At(SourceSpan.None));
            }

            var arguments = new ImportArguments(
                parseResult.GetValue(company),
                parseResult.GetValue(paths) ?? [],
                parseResult.GetValue(cug),
                parseResult.GetValue(name),
                parseResult.GetValue(billingAccount),
                parseResult.GetValue(writeManifest),
                sources,
                parseResult.GetValue(lockTimeout));
            return await runtime.GuardAsync(() => new ImportHandler(io, runtime).RunAsync(arguments, cancellationToken));
        });
        return command;
    }

    /// <summary>An option that says otherwise than the manifest it goes with: refused rather than guessed between.</summary>
    internal static Diagnostic? Conflict((string? Cug, string? Name, string? Account) flags, CompanyManifest manifest) =>
        flags.Cug is { } cug && cug != manifest.Reseller.CugId ? DiagnosticCatalog.OptionsConflictCugDiffers.At(SourceSpan.None, cug, manifest.Reseller.CugId)
        : flags.Name is { } name && name != manifest.Company.Name ? DiagnosticCatalog.OptionsConflictNameDiffers.At(SourceSpan.None, name, manifest.Company.Name)
        : flags.Account is { } account && account != manifest.Reseller.BillingAccount ? DiagnosticCatalog.OptionsConflictBillingAccountDiffers.At(SourceSpan.None, account, manifest.Reseller.BillingAccount)
        : null;

    /// <summary>What is wrong with the import's identity; <paramref name="key"/> is null for <c>--all</c>, which makes its keys.</summary>
    internal static Diagnostic? ArgumentProblem(string? key, string cugId, string billingAccount) =>
        key is not null && !ManifestFormats.CompanyKey().IsMatch(key) ? DiagnosticCatalog.OptionsConflictNotCompanyKey.At(SourceSpan.None, key)
        : !ManifestFormats.CugId().IsMatch(cugId) ? DiagnosticCatalog.OptionsConflictNotCugId.At(SourceSpan.None, cugId)
        : !ManifestFormats.BillingAccount().IsMatch(billingAccount) ? DiagnosticCatalog.OptionsConflictNotBillingAccount.At(SourceSpan.None, billingAccount)
        : null;

    internal static int Fail(IOContext io, Diagnostic refusal)
    {
        io.Error.Write(refusal);
        return ExitCodes.Error;
    }
}

/// <summary>What <c>import</c> was asked to do, read from the command line.</summary>
public sealed record ImportArguments(
    string? Company,
    IReadOnlyList<string> Paths,
    string? CugId,
    string? CompanyName,
    string? BillingAccount,
    string? WriteManifest,
    PlanSources Sources,
    TimeSpan LockTimeout);

/// <summary>
/// Finds the company's identity (the team's manifest, or the options), runs <see cref="ImportOperation"/>, and writes
/// the manifest when asked.
/// </summary>
public sealed class ImportHandler(IOContext io, CommandRuntime runtime)
{
    public async Task<int> RunAsync(ImportArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Company is not { } key)
        {
            return ImportCommand.Fail(io, DiagnosticCatalog.OptionsConflictImportWhat.At(SourceSpan.None));
        }

        var flags = (Cug: arguments.CugId, Name: arguments.CompanyName, Account: arguments.BillingAccount);
        var flagsComplete = flags.Cug is not null && flags.Name is not null && flags.Account is not null;
        CompanyManifest? manifest = null;
        if (arguments.Paths.Count > 0 || !flagsComplete)
        {
            var manifests = ManifestLoader.Load(arguments.Paths, io.WorkingDirectory);
            if (manifests.HasErrors)
            {
                DiagnosticsRenderer.WriteText(io.Error, manifests.Diagnostics);
                return ExitCodes.Error;
            }

            manifest = manifests.Companies.FirstOrDefault(c => c.Key == key);
            if (manifest is null)
            {
                return ImportCommand.Fail(io, DiagnosticCatalog.OptionsConflictNoManifestNamed.At(SourceSpan.None, key, arguments.Paths.Count > 0));
            }

            if (ImportCommand.Conflict(flags, manifest) is { } conflict)
            {
                return ImportCommand.Fail(io, conflict);
            }
        }

        var cugId = flags.Cug ?? manifest?.Reseller.CugId ?? string.Empty;
        var companyName = flags.Name ?? manifest?.Company.Name ?? string.Empty;
        var account = flags.Account ?? manifest?.Reseller.BillingAccount ?? string.Empty;
        var manifestPath = arguments.WriteManifest is { } path ? io.ResolvePath(path) : null;
        if (ImportCommand.ArgumentProblem(key, cugId, account) is { } problem)
        {
            return ImportCommand.Fail(io, problem);
        }

        if (manifestPath is not null && AtomicFile.Taken(manifestPath))
        {
            return ImportCommand.Fail(io, DiagnosticCatalog.OptionsConflictManifestExists.At(SourceSpan.None, manifestPath));
        }

        var store = runtime.OpenStateStore(arguments.Sources.State);
        var api = await runtime.ConnectAsync(arguments.Sources.Endpoint, arguments.Sources.Wire, null, cancellationToken);
        var request = new ImportRequest(key, cugId, companyName, account, manifest, LockHolder.Current(io, "import"), arguments.LockTimeout, runtime.Connection?.Endpoint.Name);
        var outcome = await ImportOperation.RunAsync(request, store, api, io.Clock, cancellationToken);
        DiagnosticsRenderer.WriteText(io.Error, outcome.Diagnostics);
        if (outcome.State is not { } state)
        {
            return ExitCodes.Error;
        }

        io.Error.WriteLine($"Imported '{companyName}' as '{key}' into {store.Description}: {InventoryImport.Describe(state)}.");
        if (manifestPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(manifestPath) ?? io.WorkingDirectory);

            // Created whole, where nothing is: never over a file or through a link that appeared since the check above.
            if (!AtomicFile.TryCreate(manifestPath, ImportedManifestWriter.Write(state)))
            {
                return ImportCommand.Fail(io, DiagnosticCatalog.LocalFileManifestAppeared.At(SourceSpan.None, manifestPath));
            }

            io.Error.WriteLine($"Wrote its manifest to {arguments.WriteManifest}; 'whcctl plan' with it shows no changes.");
        }

        return ExitCodes.Success;
    }
}
