using System.Diagnostics;
using System.Net.Sockets;

namespace Whc.Declarative.Files.Tests;

public sealed class GuardedFileTests : IDisposable
{
    private static readonly FileInput Small = new("test file", 1024 * 1024);

    private readonly string directory = Directory.CreateTempSubdirectory("whc-files-").FullName;

    [Fact]
    public void A_regular_file_is_read_whole()
    {
        var path = Write("input.json", "{\"a\":1}");

        GuardedFile.ReadAllText(path, Small).Should().Be("{\"a\":1}");
    }

    [UnixFact]
    public void A_link_the_user_typed_is_followed_to_a_regular_file()
    {
        var target = Write("target.json", "{}");
        var link = Path.Combine(directory, "link.json");
        File.CreateSymbolicLink(link, target);

        GuardedFile.ReadAllText(link, Small).Should().Be("{}");
    }

    [UnixFact]
    public async Task A_FIFO_is_refused_before_it_is_opened()
    {
        var fifo = Path.Combine(directory, "pipe");
        MakeFifo(fifo);

        var read = Task.Run(() => GuardedFile.ReadAllBytes(fifo, Small, "pipe"));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10)));
        if (finished != read)
        {
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                // releases the blocked reader, so the test host is not left hanging
            }
        }

        finished.Should().BeSameAs(read, "opening a FIFO to read blocks until a writer comes");
        var refusal = await FluentActions.Awaiting(() => read).Should().ThrowAsync<FileInputException>();
        refusal.Which.Message.Should().Be("pipe: this is a FIFO (named pipe), not a regular file; whcctl reads only regular files");
    }

    [UnixFact]
    public void Dev_zero_is_refused_as_a_device()
    {
        FluentActions.Invoking(() => GuardedFile.ReadAllBytes("/dev/zero", Small))
            .Should().Throw<FileInputException>().Which.Reason.Should().Contain("a character device, not a regular file");
    }

    [UnixFact]
    public void A_link_to_a_device_is_refused_by_what_it_leads_to()
    {
        var link = Path.Combine(directory, "zero.json");
        File.CreateSymbolicLink(link, "/dev/zero");

        FluentActions.Invoking(() => GuardedFile.ReadAllBytes(link, Small, "zero.json"))
            .Should().Throw<FileInputException>().Which.Message.Should().StartWith("zero.json: this is a character device");
    }

    [UnixFact]
    public void A_socket_is_refused()
    {
        var path = Path.Combine(directory, "sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        FluentActions.Invoking(() => GuardedFile.ReadAllBytes(path, Small))
            .Should().Throw<FileInputException>().Which.Reason.Should().Contain("a socket");
    }

    [Fact]
    public void A_directory_is_refused()
    {
        FluentActions.Invoking(() => GuardedFile.ReadAllBytes(directory, Small, "dir"))
            .Should().Throw<FileInputException>().Which.Message.Should().StartWith("dir: this is a directory, not a regular file");
    }

    [Fact]
    public void A_missing_file_is_refused_as_missing()
    {
        FluentActions.Invoking(() => GuardedFile.ReadAllBytes(Path.Combine(directory, "nope"), Small, "nope"))
            .Should().Throw<FileInputException>().Which.Message.Should().Be("nope: no such file");
    }

    [Fact]
    public void A_file_over_its_cap_is_refused_with_the_cap_named()
    {
        var path = Path.Combine(directory, "big.json");
        using (var stream = File.Create(path))
        {
            stream.SetLength(Small.MaxBytes + 1);
        }

        FluentActions.Invoking(() => GuardedFile.ReadAllBytes(path, Small, "big.json"))
            .Should().Throw<FileInputException>().Which.Message.Should().Be("big.json: the file is 1.0 MiB; a test file may be at most 1 MiB");
    }

    [UnixFact]
    public void A_file_that_reports_no_length_is_read_to_its_end()
    {
        // /proc files report a length of 0 and hold more
        GuardedFile.ReadAllText("/proc/self/status", Small).Should().Contain("Pid:");
    }

    [Fact]
    public void The_cap_holds_while_reading_whatever_length_was_reported()
    {
        using var endless = new EndlessStream();

        var bytes = GuardedFile.ReadBounded(endless, Small.MaxBytes, reportedLength: 0);

        bytes.Should().BeNull("the stream holds more than the cap");
        endless.Delivered.Should().BeLessThanOrEqualTo(Small.MaxBytes + (64 * 1024), "reading stops one chunk past the cap");
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused()
    {
        var path = Path.Combine(directory, "latin1.json");
        File.WriteAllBytes(path, [(byte)'"', 0xE9, (byte)'"']);

        FluentActions.Invoking(() => GuardedFile.ReadAllText(path, Small, "latin1.json"))
            .Should().Throw<FileInputException>().Which.Reason.Should().Contain("not UTF-8 text");
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        var path = Path.Combine(directory, "bom.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']);

        GuardedFile.ReadAllText(path, Small).Should().Be("{}");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false }) ?? throw new InvalidOperationException("mkfifo did not start");
        process.WaitForExit();
        process.ExitCode.Should().Be(0);
    }

    /// <summary>A stream that reports no length and never ends, counting what it handed out.</summary>
    private sealed class EndlessStream : ReadOnlyTestStream
    {
        public override long Length => 0;

        public override int Read(byte[] buffer, int offset, int count)
        {
            Delivered += count;
            return count;
        }
    }
}
