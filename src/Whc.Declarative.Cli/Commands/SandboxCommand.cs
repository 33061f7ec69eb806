using System.CommandLine;
using System.Globalization;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Commands;

/// <summary>Arguments of <c>whcctl sandbox serve</c>.</summary>
public sealed record SandboxServeArguments(int Port, string? DataDirectory, IReadOnlyList<SandboxClient> ExtraClients, int Seed);

/// <summary>
/// whcctl sandbox serve [--port N] [--data-dir DIR] [--client ID:SECRET]... [--seed N]: runs the WHC sandbox on
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
            Description = $"Extra accepted client as ID:SECRET (repeatable). {SandboxOptions.DefaultClientId}:{SandboxOptions.DefaultClientSecret} is always accepted.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var seed = new Option<int>("--seed") { Description = "Seed for random fault injection (default 1484).", DefaultValueFactory = _ => 1484 };
        var serve = new Command("serve", "Run the WHC sandbox (an emulator of BT's WHC API) on 127.0.0.1 until Ctrl+C.") { port, dataDir, clients, seed };
        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            var extra = new List<SandboxClient>();
            foreach (var value in parseResult.GetValue(clients) ?? [])
            {
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || colon == value.Length - 1)
                {
                    await io.Error.WriteLineAsync($"error {StartFailedCode}: --client must be ID:SECRET (got a value without both parts)");
                    return ExitCodes.Error;
                }

                extra.Add(new SandboxClient(value[..colon], value[(colon + 1)..]));
            }

            var directory = parseResult.GetValue(dataDir);
            var arguments = new SandboxServeArguments(parseResult.GetValue(port), directory is null ? null : io.ResolvePath(directory), extra, parseResult.GetValue(seed));
            return await new SandboxServeHandler(io).RunAsync(arguments, cancellationToken);
        });
        return new Command("sandbox", "The built-in WHC sandbox.") { serve };
    }
}

/// <summary>Starts the sandbox, prints where it is and how to authenticate, and waits for cancellation.</summary>
public sealed class SandboxServeHandler(IOContext io)
{
    public async Task<int> RunAsync(SandboxServeArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new SandboxOptions
        {
            Port = arguments.Port,
            DataDirectory = arguments.DataDirectory,
            Clients = [new SandboxClient(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret), .. arguments.ExtraClients],
            Seed = arguments.Seed,
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
                await io.Output.WriteLineAsync($"client: {client.ClientId}:{client.ClientSecret}");
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
