using System.Net;
using System.Net.Sockets;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL for faults a real server cannot be asked for: when armed, it cuts the
/// connection at the server's answer to the next COMMIT (committed on the server, the client only sees its connection
/// drop: the fault that makes a retried write find its own commit), or it cuts the clients' side only (a partition).
/// </summary>
public sealed class CommitDroppingProxy : IAsyncDisposable
{
    // CommandComplete ('C', length 11) with the tag "COMMIT".
    private static readonly byte[] CommitComplete = [(byte)'C', 0, 0, 0, 11, .. "COMMIT"u8.ToArray(), 0];

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int serverPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> clients = [];
    private readonly HashSet<TcpClient> upstreams = [];
    private int halfOpen;
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

    /// <summary>
    /// Closes every client's side but keeps the server's side open: the clients see their connections drop while the
    /// server's sessions live on (and keep their advisory locks), as after a network partition the server has not noticed.
    /// </summary>
    public void CutClientsKeepServerSessions()
    {
        Volatile.Write(ref halfOpen, 1);
        lock (clients)
        {
            foreach (var client in clients.Where(client => !upstreams.Contains(client)))
            {
                client.Client.Shutdown(SocketShutdown.Both);
                client.Close();
            }
        }
    }

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
                upstreams.Add(upstream);
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

        if (Volatile.Read(ref halfOpen) == 1)
        {
            lock (clients)
            {
                if (!upstreams.Contains(from))
                {
                    from.Close();
                }

                if (!upstreams.Contains(to))
                {
                    to.Close();
                }
            }

            return;
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
