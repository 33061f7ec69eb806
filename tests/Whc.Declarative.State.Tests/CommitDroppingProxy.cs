using System.Net;
using System.Net.Sockets;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that, when armed, cuts the connection at the server's answer to the
/// next COMMIT: the transaction is committed on the server, but the client only sees its connection drop. The one
/// fault that makes a retried write find its own commit.
/// </summary>
public sealed class CommitDroppingProxy : IAsyncDisposable
{
    // CommandComplete ('C', length 11) with the tag "COMMIT".
    private static readonly byte[] CommitComplete = [(byte)'C', 0, 0, 0, 11, .. "COMMIT"u8.ToArray(), 0];

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int serverPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> clients = [];
    private int armed;
    private int dropped;
    private Task? accepting;

    private CommitDroppingProxy(int serverPort) => this.serverPort = serverPort;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public bool Dropped => Volatile.Read(ref dropped) == 1;

    public static Task<CommitDroppingProxy> StartAsync(int serverPort)
    {
        var proxy = new CommitDroppingProxy(serverPort);
        proxy.listener.Start();
        proxy.accepting = proxy.AcceptAsync();
        return Task.FromResult(proxy);
    }

    public void DropAfterNextCommit() => Volatile.Write(ref armed, 1);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, serverPort);
            lock (clients)
            {
                clients.Add(client);
                clients.Add(upstream);
            }

            _ = PumpAsync(client, upstream, watch: false);
            _ = PumpAsync(upstream, client, watch: true);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool watch)
    {
        var buffer = new byte[65536];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var read = await input.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (watch && Volatile.Read(ref armed) == 1 && buffer.AsSpan(0, read).IndexOf(CommitComplete) >= 0
                    && Interlocked.Exchange(ref armed, 0) == 1)
                {
                    Volatile.Write(ref dropped, 1);
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        from.Close();
        to.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        if (accepting is not null)
        {
            await accepting;
        }

        lock (clients)
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        stop.Dispose();
    }
}
