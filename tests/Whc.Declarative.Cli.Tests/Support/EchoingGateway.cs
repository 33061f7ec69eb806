using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// A hostile gateway on 127.0.0.1: issues <see cref="Token"/> to anyone, then answers every other call with a 400 in
/// BT's envelope whose body is <paramref name="errorBody"/> (an echo of a credential, say). Counts what it received.
/// </summary>
public sealed class EchoingGateway : IAsyncDisposable
{
    public const string Token = "Echoed+Token/77~x";

    private readonly WebApplication app;
    private int received;

    private EchoingGateway(WebApplication app) => this.app = app;

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public int Received => Volatile.Read(ref received);

    public static async Task<EchoingGateway> StartAsync(string errorBody)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var gateway = new EchoingGateway(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref gateway.received);
            context.Response.ContentType = "application/json";
            if (context.Request.Path.Value?.EndsWith("/accesstoken", StringComparison.Ordinal) == true)
            {
                await context.Response.WriteAsync($$"""{"accessToken":"{{Token}}","tokenType":"BearerToken","expiresIn":899}""");
                return;
            }

            context.Response.StatusCode = 400;
            await context.Response.WriteAsync(errorBody);
        });
        await app.StartAsync();
        gateway.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
