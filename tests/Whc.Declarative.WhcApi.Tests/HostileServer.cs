using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers every request with a test's own handler (a redirecting gateway, an
/// endless body, a trickle) and notes every request it received, as seen on arrival (before the handler runs).
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private long bytesWritten;
    private int finished;

    private HostileServer(WebApplication app)
    {
        this.app = app;
    }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>"127.0.0.1:PORT", as a Location host shows.</summary>
    public string Authority => BaseUri.Authority;

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>Body bytes the handlers wrote through <see cref="WriteCountedAsync"/>.</summary>
    public long BytesWritten => Interlocked.Read(ref bytesWritten);

    public static Task<HostileServer> StartAsync(Func<HttpContext, Task> handle) => StartAsync((_, context) => handle(context));

    /// <summary>Starts a server whose handler also gets the server (to count what it writes).</summary>
    public static async Task<HostileServer> StartAsync(Func<HostileServer, HttpContext, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HostileServer(app);
        app.Run(async context =>
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            server.requests.Enqueue(new RecordedRequest(
                request.Method,
                request.Path.Value ?? string.Empty,
                request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
                request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body));
            try
            {
                await handle(server, context);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client hung up, as it should on an endless answer.
            }
            finally
            {
                Interlocked.Increment(ref server.finished);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address);
        return server;
    }

    /// <summary>Writes <paramref name="chunk"/> again and again until the client hangs up (or <paramref name="pause"/> between writes).</summary>
    public async Task WriteForeverAsync(HttpContext context, byte[] chunk, TimeSpan pause = default)
    {
        while (await WriteCountedAsync(context, chunk))
        {
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, context.RequestAborted);
            }
        }
    }

    /// <summary>
    /// Writes and flushes one chunk; false once the client is gone. Kestrel completes writes to a connection the client
    /// closed without an error, so the flush result, not an exception, says so: a loop that waited for one would spin
    /// and count bytes nobody received.
    /// </summary>
    public async Task<bool> WriteCountedAsync(HttpContext context, byte[] chunk)
    {
        var flushed = await context.Response.BodyWriter.WriteAsync(chunk, context.RequestAborted);
        if (flushed.IsCompleted || flushed.IsCanceled || context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        Interlocked.Add(ref bytesWritten, chunk.Length);
        return true;
    }

    /// <summary>Waits until <paramref name="count"/> handlers have ended (the client hung up on them); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForFinishedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref finished) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
