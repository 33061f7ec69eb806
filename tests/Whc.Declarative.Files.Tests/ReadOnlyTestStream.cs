namespace Whc.Declarative.Files.Tests;

/// <summary>
/// A forward-only stream for tests: a subclass says what it reports as its length and what each read gives, and
/// counts what it handed out in <see cref="Delivered"/>; everything else is refused.
/// </summary>
internal abstract class ReadOnlyTestStream : Stream
{
    public long Delivered { get; protected set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Position { get => Delivered; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
