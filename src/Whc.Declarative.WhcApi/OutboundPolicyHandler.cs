using System.Net.Http.Headers;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The handler next to the wire, under every other layer (the client, the recorder): refuses a request to an origin the
/// policy does not allow and Basic credentials to any origin but the token route's, and caps every answer body, so no
/// layer above can send elsewhere or read an unbounded answer, whatever it does.
/// </summary>
internal sealed class OutboundPolicyHandler(HttpMessageHandler inner, WhcOutboundPolicy policy, long maxAnswerBytes) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.RequestUri ?? throw new OutboundRefusedException("a request without a URL");
        if (!policy.Allows(target))
        {
            throw new OutboundRefusedException($"a request to origin {WhcOutboundPolicy.Origin(target)}, which is neither the endpoint's nor an allowed one");
        }

        if (request.Headers.Authorization is { Scheme: var scheme } && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            && WhcOutboundPolicy.Origin(target) != policy.TokenOrigin)
        {
            throw new OutboundRefusedException($"client credentials to origin {WhcOutboundPolicy.Origin(target)}, which is not the token route's");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentLength is long length && length > maxAnswerBytes)
        {
            response.Dispose();
            throw new AnswerTooLargeException(maxAnswerBytes);
        }

        var original = response.Content;
        Stream body;
        try
        {
            body = await original.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        var capped = new StreamContent(new CappedStream(body, maxAnswerBytes));
        foreach (var header in original.Headers)
        {
            capped.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = capped;
        return response;
    }

    /// <summary>A read stream that fails once more than <c>cap</c> bytes came through it.</summary>
    private sealed class CappedStream(Stream inner, long cap) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int bytes)
        {
            read += bytes;
            if (read > cap)
            {
                // Every layer above disposes the response on a failed read, which hangs up on the server.
                throw new AnswerTooLargeException(cap);
            }

            return bytes;
        }
    }
}

/// <summary>An answer body passed the client's cap; an <see cref="IOException"/> so every layer treats it as a failed read.</summary>
internal sealed class AnswerTooLargeException(long cap) : IOException($"the answer's body is larger than the {WhcOutboundPolicy.Size(cap)} whcctl reads")
{
    public long Cap { get; } = cap;
}

/// <summary>A request the outbound policy refuses; never sent.</summary>
internal sealed class OutboundRefusedException(string what) : InvalidOperationException($"whcctl's outbound policy refused {what}")
{
}
