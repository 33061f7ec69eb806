using System.Net.Sockets;
using System.Text;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// A call whose client closed the connection before the answer is still in the request log, with status 0
/// (docs/whc-api.md): that is the call a test of an interrupted run looks for.
/// </summary>
public sealed class ClientAbortTests
{
    [Fact]
    public async Task A_client_that_gives_up_while_the_sandbox_delays_is_logged_with_status_0()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.TokenAsync();
        (await sandbox.SetFaultsAsync("""{"latency":{"fixedMs":10000,"jitterMs":0}}""")).Code.Should().Be(200);

        using var request = new HttpRequestMessage(HttpMethod.Get, Paths.Company("Acme"));
        request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", "given-up-1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var act = () => sandbox.Http.SendAsync(request, giveUp.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();

        var entry = await LoggedAsync(sandbox, "given-up-1");
        entry.Status.Should().Be(0);
        entry.Route.Should().Be("readCompany");
        entry.ClientId.Should().Be(SandboxOptions.DefaultClientId);
        entry.DurationMs.Should().BeLessThan(10_000, "the sandbox stops waiting once the client has gone");
    }

    [Fact]
    public async Task A_client_that_closes_the_connection_half_way_through_its_body_is_logged_with_status_0()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.TokenAsync();

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(sandbox.Server.BaseUri.Host, sandbox.Server.BaseUri.Port);
            var head = $"POST {Paths.Orders} HTTP/1.1\r\nHost: {sandbox.Server.BaseUri.Authority}\r\nAPIGW-Tracking-Header: half-body-1\r\n" +
                $"Authorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"externalId\":";
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.FlushAsync();
            await Task.Delay(200);
        }

        var entry = await LoggedAsync(sandbox, "half-body-1");
        entry.Status.Should().Be(0);
        entry.Route.Should().Be("createOrder");
    }

    private static async Task<RequestLogEntry> LoggedAsync(SandboxHarness sandbox, string tracking)
    {
        // The server notices the closed connection on its own schedule: wait a little for the entry, no longer.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var entry = sandbox.Server.Requests.LastOrDefault(e => e.TrackingId == tracking);
            if (entry is not null || DateTime.UtcNow > deadline)
            {
                entry.Should().NotBeNull($"the call with tracking id {tracking} should be in the request log");
                return entry!;
            }

            await Task.Delay(50);
        }
    }
}
