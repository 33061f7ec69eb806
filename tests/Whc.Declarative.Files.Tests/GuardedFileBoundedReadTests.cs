namespace Whc.Declarative.Files.Tests;

/// <summary>
/// The contract of the bounded read, pinned at its edges: what is read is the file as it is while read (whatever length
/// it reported), never more than one chunk past the cap, and a file over the cap is refused. Written against the
/// chunked read and kept for the exactly-sized one that replaced it.
/// </summary>
public sealed class GuardedFileBoundedReadTests : IDisposable
{
    private const int Chunk = 64 * 1024;

    private static readonly FileInput Small = new("test file", 1024 * 1024);

    private readonly string directory = Directory.CreateTempSubdirectory("whc-bounded-").FullName;

    [Theory]
    [InlineData(1)]
    [InlineData(8 * 1024)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    public void A_file_is_read_whole_and_exactly(int size)
    {
        var content = Content(size);
        var path = Path.Combine(directory, "exact.json");
        File.WriteAllBytes(path, content);

        GuardedFile.ReadAllBytes(path, Small).Should().Equal(content);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8 * 1024)]
    [InlineData(Chunk)]
    [InlineData(3 * Chunk + 5)]
    [InlineData(1024 * 1024)]
    public void A_file_read_through_a_pooled_buffer_gives_what_reading_it_whole_gives(int size)
    {
        var content = Content(size);
        var path = Path.Combine(directory, "pooled.json");
        File.WriteAllBytes(path, content);

        GuardedFile.Read(path, Small, bytes => bytes.ToArray()).Should().Equal(GuardedFile.ReadAllBytes(path, Small)).And.Equal(content);
    }

    [Fact]
    public void A_file_too_large_to_pool_is_read_whole_all_the_same()
    {
        var content = Content((1024 * 1024) + 1);
        var path = Path.Combine(directory, "large.json");
        File.WriteAllBytes(path, content);
        var roomy = new FileInput("large file", 2 * 1024 * 1024);

        GuardedFile.Read(path, roomy, bytes => bytes.ToArray()).Should().Equal(content);
    }

    [Fact]
    public void A_file_read_through_a_pooled_buffer_is_refused_as_reading_it_whole_is()
    {
        var over = Path.Combine(directory, "over.json");
        File.WriteAllBytes(over, Content((int)Small.MaxBytes + 1));
        var missing = Path.Combine(directory, "missing.json");

        FluentActions.Invoking(() => GuardedFile.Read(over, Small, bytes => bytes.Length, "over.json")).Should().Throw<FileInputException>()
            .Which.Message.Should().Be("over.json: the file is 1.0 MiB; a test file may be at most 1 MiB");
        FluentActions.Invoking(() => GuardedFile.Read(missing, Small, bytes => bytes.Length, "missing.json")).Should().Throw<FileInputException>()
            .Which.Problem.Should().Be(FileInputProblem.Missing);
        FluentActions.Invoking(() => GuardedFile.Read(directory, Small, bytes => bytes.Length, "dir")).Should().Throw<FileInputException>()
            .Which.Message.Should().StartWith("dir: this is a directory, not a regular file");
    }

    [UnixFact]
    public void A_file_that_reports_no_length_is_read_to_its_end_through_a_pooled_buffer_too()
    {
        GuardedFile.Read("/proc/self/status", Small, bytes => System.Text.Encoding.UTF8.GetString(bytes)).Should().Contain("Pid:");
    }

    [Fact]
    public void An_empty_file_reads_as_no_bytes()
    {
        var path = Path.Combine(directory, "empty.json");
        File.WriteAllBytes(path, []);

        GuardedFile.ReadAllBytes(path, Small).Should().BeEmpty();
    }

    [Fact]
    public void A_file_exactly_at_the_cap_is_read_whole()
    {
        var content = Content((int)Small.MaxBytes);
        var path = Path.Combine(directory, "at-cap.json");
        File.WriteAllBytes(path, content);

        GuardedFile.ReadAllBytes(path, Small).Should().Equal(content);
    }

    [Fact]
    public void A_file_one_byte_over_the_cap_is_refused_by_its_size()
    {
        var path = Path.Combine(directory, "over.json");
        File.WriteAllBytes(path, Content((int)Small.MaxBytes + 1));

        var refusal = FluentActions.Invoking(() => GuardedFile.ReadAllBytes(path, Small, "over.json")).Should().Throw<FileInputException>().Which;
        refusal.Problem.Should().Be(FileInputProblem.TooLarge);
        refusal.Message.Should().Be("over.json: the file is 1.0 MiB; a test file may be at most 1 MiB");
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(100, 101)]
    [InlineData(100, 100 + Chunk)]
    [InlineData(100, 5 * Chunk)]
    [InlineData(Chunk, 2 * Chunk)]
    [InlineData(1, 1024 * 1024)]
    public void A_file_that_grows_while_read_is_read_to_its_end(int reported, int holds)
    {
        var content = Content(holds);
        using var stream = new ScriptedStream(content, reported, pieceSize: 7000);

        GuardedFile.ReadBounded(stream, Small.MaxBytes, reported).Should().Equal(content);
    }

    [Theory]
    [InlineData(100, 1024 * 1024 + 1)]
    [InlineData(1024 * 1024, 1024 * 1024 + 1)]
    [InlineData(1024 * 1024, 3 * 1024 * 1024)]
    public void A_file_that_grows_past_the_cap_while_read_is_refused_within_one_chunk(int reported, int holds)
    {
        using var stream = new ScriptedStream(Content(holds), reported, pieceSize: Chunk);

        GuardedFile.ReadBounded(stream, Small.MaxBytes, reported).Should().BeNull();
        stream.Delivered.Should().BeLessThanOrEqualTo(Small.MaxBytes + Chunk, "reading stops one chunk past the cap");
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(100, 99)]
    [InlineData(5 * Chunk, Chunk)]
    public void A_file_that_shrinks_while_read_is_read_as_it_now_is(int reported, int holds)
    {
        var content = Content(holds);
        using var stream = new ScriptedStream(content, reported, pieceSize: 4096);

        GuardedFile.ReadBounded(stream, Small.MaxBytes, reported).Should().Equal(content);
    }

    [Fact]
    public void Reads_that_deliver_a_byte_at_a_time_still_give_the_whole_file()
    {
        var content = Content(3000);
        using var stream = new ScriptedStream(content, content.Length, pieceSize: 1);

        GuardedFile.ReadBounded(stream, Small.MaxBytes, content.Length).Should().Equal(content);
    }

    [Fact]
    public void A_reported_length_over_the_cap_is_not_trusted_to_size_the_buffer()
    {
        var content = Content(500);
        using var stream = new ScriptedStream(content, long.MaxValue, pieceSize: 4096);

        GuardedFile.ReadBounded(stream, Small.MaxBytes, long.MaxValue).Should().Equal(content);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static byte[] Content(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }

    /// <summary>
    /// A file seen through reads: it reports one length and holds another (it grew or shrank since it was measured), and
    /// hands out at most <c>pieceSize</c> bytes a read, counting what it handed out.
    /// </summary>
    private sealed class ScriptedStream(byte[] content, long reported, int pieceSize) : ReadOnlyTestStream
    {
        public override long Length => reported;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(Math.Min(buffer.Length, pieceSize), content.Length - Delivered);
            content.AsSpan((int)Delivered, count).CopyTo(buffer);
            Delivered += count;
            return count;
        }
    }
}
