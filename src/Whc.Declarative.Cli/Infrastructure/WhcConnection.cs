using Microsoft.Extensions.Logging;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Api;
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
    /// <exception cref="WhcConfigurationException">The endpoint, an allowed origin or the contract breaks the outbound policy (WHC4017, WHC4018), before anything is sent.</exception>
    public static async Task<WhcConnection> OpenAsync(IOContext io, string? endpointOption, WireFiles wire, ILoggerFactory loggers, double? requestsPerSecond, WhcRecorder? recorder, IReadOnlyList<string> allowOrigins, CancellationToken cancellationToken)
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
            sandbox = await SandboxServer.StartAsync(
                new SandboxOptions { DataDirectory = Path.Combine(io.WorkingDirectory, ".whc", "sandbox"), Contract = contract },
                cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync();
        }
    }
}
