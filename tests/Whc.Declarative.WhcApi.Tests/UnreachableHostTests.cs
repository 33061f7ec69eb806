using System.Net.Sockets;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 27, item 2: a host that cannot be connected to (a name that does not resolve, a refusal) gets one retry and no
/// more, and later calls to it fail at once without sending. Nothing leaves the machine: the handler fails the way
/// .NET's own does, before any socket is opened.
/// </summary>
public sealed class UnreachableHostTests : ClientTestBase
{
    [Theory]
    [InlineData("resolve")]
    [InlineData("refused")]
    public async Task A_host_that_cannot_be_connected_to_is_tried_twice_in_all_and_then_not_again(string failure)
    {
        var handler = new FailingHandler(failure);
        var client = CreateClient(o => o with { HttpHandler = handler });

        var first = (await FluentActions.Awaiting(() => client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default)).Should().ThrowAsync<WhcApiException>()).Which;
        var second = (await FluentActions.Awaiting(() => client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default)).Should().ThrowAsync<WhcApiException>()).Which;

        handler.Attempts.Should().Be(2, "one retry, then the host is known to be unreachable");
        first.Message.Should().Contain(failure == "resolve" ? "the name does not resolve" : "connection refused").And.Contain("2 attempts");
        second.Message.Should().Contain("not sent");
        Logs.Lines.Should().NotContain(line => line.Contains("[Warning]", StringComparison.Ordinal) || line.StartsWith("Warning", StringComparison.Ordinal));
    }

    private sealed class FailingHandler(string failure) : HttpMessageHandler
    {
        private int attempts;

        public int Attempts => Volatile.Read(ref attempts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref attempts);
            throw failure == "resolve"
                ? new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known", new SocketException((int)SocketError.HostNotFound))
                : new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
        }
    }
}
