using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Files;
using Whc.Declarative.Sandbox;
using Whc.Declarative.WhcApi;
using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.Cli.Commands;

/// <summary>Arguments of <c>whcctl sandbox serve</c>.</summary>
public sealed record SandboxServeArguments(int Port, string? DataDirectory, IReadOnlyList<SandboxClient> ExtraClients, int Seed)
{
    /// <summary>The wire contract served (<c>--contract</c>, <c>--routes</c>); the built-in one by default.</summary>
    public WhcContract Contract { get; init; } = WhcContract.Default;
}

/// <summary>
/// whcctl sandbox serve [--port N] [--data-dir DIR] [--client ID:SECRET[:CUG,...]]... [--seed N]: runs the WHC sandbox on
/// 127.0.0.1 until Ctrl+C. stdout gets the base URL and the accepted client credentials (public, sandbox-only values);
/// stderr gets the talk.
/// </summary>
public static class SandboxCommand
{
    /// <summary>Diagnostic code printed when the data directory is used by another sandbox. (To be added to the catalogue.)</summary>
    public static readonly string DataDirectoryLockedCode = Core.Diagnostics.DiagnosticCatalog.SandboxDataDirectoryLocked.Code;

    /// <summary>Diagnostic code printed when the sandbox cannot listen or a --client value is malformed. (To be added to the catalogue.)</summary>
    public static readonly string StartFailedCode = Core.Diagnostics.DiagnosticCatalog.SandboxStartFailed.Code;

    public static Command Build(IOContext io)
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (default 0: a free port).", DefaultValueFactory = _ => 0 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Directory where the sandbox keeps its inventory across restarts (default: memory only)." };
        var clients = new Option<string[]>("--client")
        {
            Description = $"Extra accepted client as ID:SECRET[:CUG,...] (repeatable). With CUGs it may act only for those resellers (403 otherwise); "
                + $"without, it is unbound. {SandboxOptions.DefaultClientId}:{SandboxOptions.DefaultClientSecret} is always accepted, unbound unless given here with CUGs.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var seed = new Option<int>("--seed") { Description = "Seed for random fault injection (default 1484).", DefaultValueFactory = _ => 1484 };
        var wire = new WireOptions();
        var serve = new Command("serve", "Run the WHC sandbox (an emulator of BT's WHC API) on 127.0.0.1 until Ctrl+C.") { port, dataDir, clients, seed };
        wire.AddTo(serve);
        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            // The sandbox serves the contract a client would speak, so an override is rehearsed before BT sees it.
            if (wire.Of(parseResult).LoadOrReport(io) is not { } contract)
            {
                return ExitCodes.Error;
            }

            var extra = new List<SandboxClient>();
            foreach (var value in parseResult.GetValue(clients) ?? [])
            {
                var (client, problem) = ParseClient(value);
                if (client is null)
                {
                    await io.Error.WriteLineAsync($"error {StartFailedCode}: {Core.Diagnostics.Diagnostic.OneLine(problem ?? "")}");
                    return ExitCodes.Error;
                }

                extra.Add(client);
            }

            var directory = parseResult.GetValue(dataDir);
            var arguments = new SandboxServeArguments(parseResult.GetValue(port), directory is null ? null : io.ResolvePath(directory), extra, parseResult.GetValue(seed))
            {
                Contract = contract,
            };
            return await new SandboxServeHandler(io).RunAsync(arguments, cancellationToken);
        });
        return new Command("sandbox", "The built-in WHC sandbox.") { serve, BuildReplay(io) };
    }

    /// <summary>whcctl sandbox replay FILE [--format text|json]: a recording (--record) sent again to a fresh sandbox, each answer compared.</summary>
    private static Command BuildReplay(IOContext io)
    {
        var file = new Argument<string>("FILE") { Description = "A HAR 1.2 recording written by --record (plan, apply, doctor)." };
        var format = Infrastructure.CommonOptions.Format(Infrastructure.OutputFormat.Text, Infrastructure.OutputFormat.Json);
        var replay = new Command(
            "replay",
            "Send the requests of a recording to a fresh in-process sandbox, in order, and check each answer has the recorded status and JSON shape; exit 1 when any differs.")
        {
            file, format,
        };
        var wire = new WireOptions();
        wire.AddTo(replay);
        replay.SetAction(async (parseResult, cancellationToken) =>
        {
            // The sandbox serves the contract the recorded run spoke, so the recorded paths and names are its own.
            if (wire.Of(parseResult).LoadOrReport(io) is not { } contract)
            {
                return ExitCodes.Error;
            }

            return await new SandboxReplayHandler(io, ReplayView.For(parseResult.GetValue(format), io.Output)).RunAsync(parseResult.GetValue(file) ?? string.Empty, contract, cancellationToken);
        });
        return replay;
    }

    /// <summary>
    /// ID:SECRET[:CUG,...]. The id ends at the first colon; with two or more colons the CUG list follows the last one,
    /// so a secret may hold colons when a list (or an empty one: a trailing colon) follows it.
    /// </summary>
    public static (SandboxClient? Client, string? Problem) ParseClient(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var first = value.IndexOf(':', StringComparison.Ordinal);
        var last = value.LastIndexOf(':');
        if (first <= 0 || first == value.Length - 1 || (last > first && last == first + 1))
        {
            return (null, "--client must be ID:SECRET or ID:SECRET:CUG,... (got a value without both parts)");
        }

        var id = value[..first];
        if (last == first)
        {
            return (new SandboxClient(id, value[(first + 1)..]), null);
        }

        var cugs = value[(last + 1)..];
        var client = new SandboxClient(id, value[(first + 1)..last]);
        if (cugs.Length == 0)
        {
            return (client, null);
        }

        var list = cugs.Split(',');
        // The secret is not echoed: the message names the client by its id only.
        var wrong = list.FirstOrDefault(c => !SandboxClient.IsCugId(c));
        return wrong is null
            ? (client with { Cugs = [.. list.Distinct(StringComparer.Ordinal)] }, null)
            : (null, $"--client {id}: '{wrong}' is not a CUG id (CUG followed by 10 digits, e.g. CUG5019851064; several are separated by commas)");
    }
}

/// <summary>Starts the sandbox, prints where it is and how to authenticate, and waits for cancellation.</summary>
public sealed class SandboxServeHandler(IOContext io)
{
    public async Task<int> RunAsync(SandboxServeArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        // A server runs until stopped: its garbage is collected as it goes.
        ShortLivedHeap.End();
        // A --client for the default id replaces the default (that is how it gets bound).
        var defaults = arguments.ExtraClients.Any(c => c.ClientId == SandboxOptions.DefaultClientId) ? [] : new[] { SandboxOptions.DefaultClient };
        var options = new SandboxOptions
        {
            Port = arguments.Port,
            DataDirectory = arguments.DataDirectory,
            Clients = [.. defaults, .. arguments.ExtraClients],
            Seed = arguments.Seed,
            Contract = arguments.Contract,
        };
        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(options, cancellationToken);
        }
        catch (SandboxDataDirectoryLockedException e)
        {
            await io.Error.WriteLineAsync($"error {SandboxCommand.DataDirectoryLockedCode}: {e.Message}");
            return ExitCodes.Error;
        }
        catch (IOException e)
        {
            await io.Error.WriteLineAsync($"error {SandboxCommand.StartFailedCode}: the sandbox could not start on 127.0.0.1:{arguments.Port.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
            return ExitCodes.Error;
        }

        await using (server)
        {
            await io.Output.WriteLineAsync($"base-url: {server.BaseUri}");
            foreach (var client in options.Clients)
            {
                // Sandbox-only credentials: printing them is the point (they are never valid against BT).
                var cugs = client.IsBound ? ":" + string.Join(',', client.Cugs) : "";
                await io.Output.WriteLineAsync($"client: {client.ClientId}:{client.ClientSecret}{cugs}");
            }

            await io.Output.FlushAsync(CancellationToken.None);
            var storage = arguments.DataDirectory is null ? "memory only" : $"data in {arguments.DataDirectory}";
            await io.Error.WriteLineAsync($"WHC sandbox listening on {server.BaseUri} ({storage}); admin API at {server.BaseUri}_sandbox/. Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await io.Error.WriteLineAsync("WHC sandbox stopped.");
            }
        }

        return ExitCodes.Success;
    }
}

/// <summary>
/// Replays a recording against a fresh sandbox (memory only, orders held until the recording shows them final, the default client) with
/// <see cref="WhcReplayer"/>, and reports per entry ok, differs (how) or skipped. The rule is in docs/first-contact.md.
/// </summary>
public sealed class SandboxReplayHandler(IOContext io, IReplayView view)
{
    public async Task<int> RunAsync(string file, WhcContract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        HarDocument recording;
        try
        {
            // Read as a manifest is: a regular file only, within the recording cap.
            recording = HarDocument.Parse(GuardedFile.ReadAllText(io.ResolvePath(file), FileInput.Recording, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            io.Error.Write(DiagnosticCatalog.RecordingUnreadable.At(SourceSpan.None, file, e is FileInputException refused ? refused.Reason : e.Message));
            return ExitCodes.Error;
        }
        catch (JsonException e)
        {
            io.Error.Write(DiagnosticCatalog.RecordingNotHar.At(SourceSpan.None, file, e.Message));
            return ExitCodes.Error;
        }

        SandboxServer sandbox;
        try
        {
            // Orders stay as submitted until the replay settles them as the recording shows (WhcReplayer.ForSandbox).
            sandbox = await SandboxServer.StartAsync(new SandboxOptions { OrderTimings = SandboxReplay.HeldOrders, Contract = contract }, cancellationToken);
        }
        catch (IOException e)
        {
            await io.Error.WriteLineAsync($"error {SandboxCommand.StartFailedCode}: the sandbox could not start: {e.Message}");
            return ExitCodes.Error;
        }

        ReplayReport report;
        await using (sandbox)
        {
            try
            {
                report = await WhcReplayer.ForSandbox(sandbox.BaseUri, new WhcCredentials(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret), contract)
                    .ReplayAsync(recording, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                await io.Error.WriteLineAsync($"error {SandboxCommand.StartFailedCode}: the sandbox did not answer: {e.Message}");
                return ExitCodes.Error;
            }
            catch (ReplayRefusedException e)
            {
                // Checked before anything is sent: one line per refused entry, recorded text kept to one line.
                foreach (var problem in e.Problems)
                {
                    io.Error.Write(DiagnosticCatalog.RecordingNotReplayable.At(SourceSpan.None, file, problem));
                }

                return ExitCodes.Error;
            }
        }

        view.Report(file, report);
        return report.Ok ? ExitCodes.Success : ExitCodes.Error;
    }
}

/// <summary>How <c>whcctl sandbox replay</c> starts its sandbox.</summary>
public static class SandboxReplay
{
    /// <summary>Orders that never move on their own within a replay: the replay settles them as recorded.</summary>
    public static OrderTimings HeldOrders { get; } = new(TimeSpan.FromDays(3650), TimeSpan.FromDays(3650));
}
