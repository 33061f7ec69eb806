using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>One request the stub received.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>A canned answer; <see cref="Delay"/> holds it back (to provoke timeouts), <see cref="Drop"/> aborts the connection.</summary>
public sealed record StubResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null, bool Drop = false)
{
    public static StubResponse Json(int status, string body) => new(status, body);
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port that answers canned responses from the contract and records every
/// request. The token route issues token-1, token-2, ... to the expected Basic credentials.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    public const string ClientId = "test-client-id";
    public const string ClientSecret = "s3cr3t+Pa55/w0rd=never&log ok"; // characters that URL-encode and base64 differently

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StubResponse>> scripts = new();
    private readonly ConcurrentDictionary<string, StubResponse> defaults = new();
    private readonly List<RecordedRequest> requests = [];
    private int tokenCount;

    private StubServer(WebApplication app)
    {
        this.app = app;
    }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public int TokenExpiresIn { get; set; } = 899;

    /// <summary>When set, the token route answers with snake_case fields.</summary>
    public bool SnakeCaseToken { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<RecordedRequest> ApiRequests => [.. Requests.Where(r => !r.Path.StartsWith("/oauth/", StringComparison.Ordinal))];

    public IReadOnlyList<RecordedRequest> TokenRequests => [.. Requests.Where(r => r.Path.StartsWith("/oauth/", StringComparison.Ordinal))];

    public static async Task<StubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new StubServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address);
        return server;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with the responses in order; the last one repeats.</summary>
    public void On(string method, string path, params StubResponse[] responses)
    {
        var key = Key(method, path);
        var queue = new ConcurrentQueue<StubResponse>(responses[..^1]);
        scripts[key] = queue;
        defaults[key] = responses[^1];
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body);
        lock (requests)
        {
            requests.Add(recorded);
        }

        var key = Key(request.Method, recorded.Path);
        StubResponse response;
        if (scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out var next))
        {
            response = next;
        }
        else if (defaults.TryGetValue(key, out var fallback))
        {
            response = fallback;
        }
        else if (recorded.Path == "/oauth/accesstoken")
        {
            response = Token(recorded);
        }
        else
        {
            response = StubResponse.Json(404, """{"code":"60","message":"stub has no answer for this route"}""");
        }

        if (response.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (response.Drop)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private StubResponse Token(RecordedRequest request)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (request.Query.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return StubResponse.Json(400, """{"code":"28","message":"Invalid query parameter grant_type"}""");
        }

        if (request.Header("Authorization") != expected)
        {
            return StubResponse.Json(401, """{"code":"41","message":"Invalid credentials"}""");
        }

        var token = "token-" + Interlocked.Increment(ref tokenCount);
        return SnakeCaseToken
            ? StubResponse.Json(200, $$"""{"access_token":"{{token}}","token_type":"BearerToken","expires_in":"{{TokenExpiresIn}}"}""")
            : StubResponse.Json(200, $$"""{"accessToken":"{{token}}","tokenType":"BearerToken","expiresIn":{{TokenExpiresIn}}}""");
    }
}
