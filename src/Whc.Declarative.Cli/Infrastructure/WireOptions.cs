using System.Collections.Immutable;
using System.CommandLine;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Files;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// The files that change the wire contract: <c>--contract</c> (or WHC_CONTRACT) and the older <c>--routes</c> (or
/// WHC_ROUTES). Read once per command (per <see cref="IOContext"/>): the client a command connects and its manifest
/// checks (WHC2031's wire names) see one contract, even if a file changes while the command runs.
/// </summary>
public sealed class WireFiles(string? contract, string? routes)
{
    private Loaded? loaded;

    public static WireFiles None { get; } = new(null, null);

    public string? Contract { get; } = contract;

    public string? Routes { get; } = routes;

    /// <summary>
    /// The default contract with the contract file laid over it, then the routes file (so a routes file keeps working
    /// beside a contract). Every problem of every file is reported at once. A second call with the same
    /// <paramref name="io"/> returns the first's result (or its problems) without reading the files again.
    /// </summary>
    /// <exception cref="WhcConfigurationException">A file cannot be read or does not make a valid contract.</exception>
    public ContractLoad Load(IOContext io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var known = Volatile.Read(ref loaded);
        if (known is null || !ReferenceEquals(known.Io, io))
        {
            known = new Loaded(io, Read(io));
            Volatile.Write(ref loaded, known);
        }

        return known.Result.Load ?? throw new WhcConfigurationException(known.Result.Problems);
    }

    private (ContractLoad? Load, ImmutableArray<Diagnostic> Problems) Read(IOContext io)
    {
        var overlays = new List<ContractOverlay>();
        var problems = new List<Diagnostic>();
        void Add(string? file, FileInput input, DiagnosticTemplate<string> unreadable, Func<string, string, (ContractOverlay?, Diagnostic?)> parse)
        {
            if (file is null)
            {
                return;
            }

            string text;
            try
            {
                // Read as a manifest is: a regular file only (a FIFO would hang, /dev/zero never ends), within its cap.
                text = GuardedFile.ReadAllText(io.ResolvePath(file), input, file);
            }
            catch (FileInputException ex)
            {
                problems.Add(unreadable.At(SourceSpan.FileOnly(file), ex.Reason));
                return;
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                problems.Add(unreadable.At(SourceSpan.FileOnly(file), ex.Message));
                return;
            }

            var (overlay, problem) = parse(text, file);
            if (overlay is not null)
            {
                overlays.Add(overlay);
            }
            else if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        Add(Contract ?? io.GetEnvironment(ContractLoader.EnvironmentVariable), FileInput.Contract, DiagnosticCatalog.ContractFileUnreadable, ContractLoader.ParseOverlay);
        Add(Routes ?? io.GetEnvironment(LegacyRoutesFile.EnvironmentVariable), FileInput.Routes, DiagnosticCatalog.ApiRoutesFileUnreadable, LegacyRoutesFile.ToOverlay);
        // The files that parsed are still checked, so one run names every problem of every file.
        var load = ContractLoader.Load(overlays);
        return problems.Count == 0 && load.Succeeded ? (load, []) : (null, [.. problems, .. load.Diagnostics]);
    }

    /// <summary>What the files made for one command's context.</summary>
    private sealed record Loaded(IOContext Io, (ContractLoad? Load, ImmutableArray<Diagnostic> Problems) Result);

    /// <summary>
    /// The effective contract, or null after writing every problem to stderr: for commands that run outside
    /// <see cref="CommandRuntime.Guard"/> (the sandbox's).
    /// </summary>
    public WhcContract? LoadOrReport(IOContext io)
    {
        ArgumentNullException.ThrowIfNull(io);
        try
        {
            return Load(io).Contract;
        }
        catch (WhcConfigurationException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                io.Error.Write(diagnostic);
            }

            return null;
        }
    }
}

/// <summary><c>--contract</c> and <c>--routes</c>, for every command that talks to BT or serves its API.</summary>
public sealed class WireOptions
{
    public Option<string?> Contract { get; } = new("--contract")
    {
        Description = "JSON file laid over the built-in wire contract (see whcctl contract show). Env: WHC_CONTRACT.",
    };

    public Option<string?> Routes { get; } = new("--routes")
    {
        Description = "JSON file of API paths (older form of --contract; applied after it). Env: WHC_ROUTES.",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Contract);
        command.Options.Add(Routes);
    }

    public WireFiles Of(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new WireFiles(parseResult.GetValue(Contract), parseResult.GetValue(Routes));
    }
}
