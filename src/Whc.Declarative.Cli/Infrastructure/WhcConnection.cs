using Microsoft.Extensions.Logging;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Sandbox;
using Whc.Declarative.WhcApi;
using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// The API a command talks to: BT (testa, production, a URL) with credentials from WHC_CLIENT_ID / WHC_CLIENT_SECRET,
/// or the embedded sandbox, started in-process on loopback with its data under .whc/sandbox/ and its own credentials.
/// </summary>
public sealed class WhcConnection : IAsyncDisposable
{
    private readonly SandboxServer? sandbox;
    private readonly WhcClient client;

    private WhcConnection(WhcEndpoint endpoint, Uri baseUri, WhcClient client, SandboxServer? sandbox)
    {
        Endpoint = endpoint;
        BaseUri = baseUri;
        this.client = client;
        this.sandbox = sandbox;
    }

    public WhcEndpoint Endpoint { get; }

    public Uri BaseUri { get; }

    public IWhcApi Api => client;

    /// <summary>The client itself, for <c>whcctl doctor</c>'s raw probes.</summary>
    public WhcClient Client => client;

    public WhcCallCounter Calls => client.Calls;

    /// <summary>How to name the endpoint in output: the preset's name or the URL; never a credential.</summary>
    public string Description => Endpoint.IsSandbox ? $"embedded sandbox ({BaseUri})" : Endpoint.ToString();

    /// <summary>Connects to the endpoint; the embedded sandbox serves the same contract the client speaks.</summary>
    /// <param name="allowOrigins"><c>--allow-origin</c> values; when none, those of WHC_ALLOW_ORIGINS.</param>
    /// <param name="sandboxWait">The command's <c>--lock-timeout</c>: how long to wait for the embedded sandbox when another command of this folder holds it; null when the command has none.</param>
    /// <exception cref="WhcConfigurationException">
    /// The endpoint, an allowed origin or the contract breaks the outbound policy (WHC4017, WHC4018), before anything
    /// is sent; the embedded sandbox is still held by another command after the wait (WHC4090).
    /// </exception>
    public static async Task<WhcConnection> OpenAsync(IOContext io, string? endpointOption, WireFiles wire, ILoggerFactory loggers, double? requestsPerSecond, WhcRecorder? recorder, IReadOnlyList<string> allowOrigins, SandboxWait? sandboxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(allowOrigins);
        var endpoint = WhcEndpoint.Resolve(endpointOption, io.GetEnvironment);
        // The command line replaces the environment, as --endpoint does WHC_ENDPOINT.
        var allowed = WhcOutboundPolicy.ParseAllowedOrigins(allowOrigins.Count > 0
            ? allowOrigins
            : WhcOutboundPolicy.SplitList(io.GetEnvironment(WhcOutboundPolicy.AllowOriginsVariable)));
        var contract = wire.Load(io).Contract ?? WhcContract.Default;
        SandboxServer? sandbox = null;
        Uri baseUri;
        WhcCredentials credentials;
        if (endpoint.IsSandbox)
        {
            sandbox = await StartSandboxAsync(io, new SandboxOptions { DataDirectory = Path.Combine(io.WorkingDirectory, ".whc", "sandbox"), Contract = contract }, sandboxWait, cancellationToken);
            baseUri = sandbox.BaseUri;
            credentials = new WhcCredentials(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret);
        }
        else
        {
            baseUri = endpoint.BaseUri ?? throw new WhcConfigurationException("the endpoint has no URL");
            credentials = WhcCredentials.FromEnvironment(io.Environment);
        }

        var client = new WhcClient(new WhcClientOptions
        {
            BaseUri = baseUri,
            Credentials = credentials,
            Contract = contract,
            AllowedOrigins = allowed,
            LoggerFactory = loggers,
            RequestsPerSecond = requestsPerSecond,
            Recorder = recorder,
        });
        return new WhcConnection(endpoint, baseUri, client, sandbox);
    }

    /// <summary>
    /// Starts the embedded sandbox on its data directory. Another whcctl command of this folder may hold it (a plan
    /// while an apply runs, as CI does): like a state lock, the command waits for it at most its --lock-timeout, saying
    /// so once, and otherwise fails with WHC4090 and the way to wait. Sharing the other process's sandbox is not an
    /// option: it ends with that command, in the middle of this one.
    /// </summary>
    private static async Task<SandboxServer> StartSandboxAsync(IOContext io, SandboxOptions options, SandboxWait? wait, CancellationToken cancellationToken)
    {
        var shown = Path.Combine(".whc", "sandbox");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            try
            {
                return await SandboxServer.StartAsync(options, cancellationToken);
            }
            catch (SandboxDataDirectoryLockedException)
            {
                if (wait is not { Timeout: var timeout, Given: var given } || timeout <= TimeSpan.Zero)
                {
                    throw new WhcConfigurationException(DiagnosticCatalog.EmbeddedSandboxInUse.At(SourceSpan.None, shown, null, wait is not null));
                }

                if (waited.Elapsed >= timeout)
                {
                    throw new WhcConfigurationException(DiagnosticCatalog.EmbeddedSandboxInUse.At(SourceSpan.None, shown, given, true));
                }

                if (!said)
                {
                    await io.Error.WriteLineAsync($"Waiting for the embedded sandbox ({shown}), in use by another whcctl command in this folder (at most --lock-timeout {given})...");
                    said = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync();
        }
    }
}

/// <summary>A command's <c>--lock-timeout</c>, as a duration and as the user wrote it (for messages).</summary>
public sealed record SandboxWait(TimeSpan Timeout, string Given);
