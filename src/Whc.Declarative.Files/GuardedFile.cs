using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Whc.Declarative.Files;

/// <summary>Works with a file's bytes, which it must not keep (they are in a pooled buffer).</summary>
public delegate T BytesReader<out T>(ReadOnlySpan<byte> bytes);

/// <summary>
/// Reads a file the user named as manifests are read: a regular file only, its kind told before it is opened (opening a
/// FIFO for reading blocks until a writer comes; /dev/zero never ends) and told again on the open handle (the path may
/// have been swapped since), and never more than the cap of its kind, counted while reading, not only from the reported
/// length (/proc files report 0). Links in a path the user typed are followed, as for manifests given by path: the path
/// is theirs; what the link leads to must be a regular file all the same.
/// </summary>
public static class GuardedFile
{
    private const int Chunk = 64 * 1024; // whole chunks: some /proc files refuse odd sizes

    // A larger file is read into a buffer of its own: the pool rounds up to a power of two and keeps what it lends.
    private const int MaxPooledBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The whole file, or a <see cref="FileInputException"/> saying why not.</summary>
    /// <param name="path">The full path to read.</param>
    /// <param name="input">The kind of file, for its cap and its name in a refusal.</param>
    /// <param name="shownPath">The file as the user named it, for the refusal; <paramref name="path"/> when null.</param>
    /// <exception cref="FileInputException">The file is missing, not a regular file, over the cap or unreadable.</exception>
    public static byte[] ReadAllBytes(string path, FileInput input, string? shownPath = null) =>
        ReadGuarded(path, input, shownPath, pooled: false).Buffer;

    /// <summary>
    /// The whole file, read as <see cref="ReadAllBytes"/> reads it, handed to <paramref name="use"/> in a pooled buffer
    /// that is returned afterwards (a plan reads hundreds of states, each parsed once and never needed again as bytes):
    /// <paramref name="use"/> must not keep the span.
    /// </summary>
    /// <exception cref="FileInputException">As <see cref="ReadAllBytes"/>.</exception>
    public static T Read<T>(string path, FileInput input, BytesReader<T> use, string? shownPath = null)
    {
        ArgumentNullException.ThrowIfNull(use);
        var (buffer, count, rented) = ReadGuarded(path, input, shownPath, pooled: true);
        try
        {
            return use(buffer.AsSpan(0, count));
        }
        finally
        {
            if (rented)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static (byte[] Buffer, int Count, bool Rented) ReadGuarded(string path, FileInput input, string? shownPath, bool pooled)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(input);
        var shown = shownPath ?? path;
        var (kind, error) = FileKinds.Of(path, followLinks: true);
        switch (kind)
        {
            case FileKind.Regular:
                break;
            case FileKind.Missing:
                throw new FileInputException(shown, "no such file", FileInputProblem.Missing);
            case FileKind.Unreadable:
                throw new FileInputException(shown, $"cannot read it: {error}", FileInputProblem.Unreadable);
            default:
                throw NotRegular(shown, kind);
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (FileKinds.Of(handle) is var opened and not FileKind.Regular)
            {
                throw NotRegular(shown, opened);
            }

            var length = RandomAccess.GetLength(handle);
            if (length > input.MaxBytes)
            {
                throw TooLarge(shown, input, string.Create(CultureInfo.InvariantCulture, $"the file is {length / (1024.0 * 1024.0):0.0} MiB"));
            }

            if (pooled && length is > 0 and <= MaxPooledBytes)
            {
                // One byte more than reported: a read that fills it means the file grew, and it is read again whole, as
                // a file of unknown length is.
                var limit = (int)length + 1;
                var rented = ArrayPool<byte>.Shared.Rent(limit); // lost to the pool only if reading fails: then it is garbage
                var total = 0;
                while (total < limit && RandomAccess.Read(handle, rented.AsSpan(total, limit - total), total) is var count and > 0)
                {
                    total += count;
                }

                if (total < limit)
                {
                    return (rented, total, true);
                }

                ArrayPool<byte>.Shared.Return(rented);
            }

            var bytes = ReadBounded(handle, length, input.MaxBytes) ?? throw TooLarge(shown, input, $"the file is over {input.Cap} (reading stopped there)");
            return (bytes, bytes.Length, false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException && exception is not FileInputException)
        {
            var reason = exception is UnauthorizedAccessException ? "permission denied" : exception.Message;
            throw new FileInputException(shown, $"cannot read it: {reason}", FileInputProblem.Unreadable);
        }
    }

    /// <summary>The whole file as UTF-8 text (a byte order mark is skipped), guarded as <see cref="ReadAllBytes"/>.</summary>
    /// <exception cref="FileInputException">As <see cref="ReadAllBytes"/>, or the file is not UTF-8 text.</exception>
    public static string ReadAllText(string path, FileInput input, string? shownPath = null)
    {
        var bytes = ReadAllBytes(path, input, shownPath);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new FileInputException(shownPath ?? path, $"this is not UTF-8 text; a {input.What} is UTF-8 JSON", FileInputProblem.NotText);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a regular file (links followed), told without opening it: for a caller that
    /// peeks into a file only to tell what kind of input it is.
    /// </summary>
    public static bool IsRegularFile(string path) => FileKinds.Of(path, followLinks: true).Kind == FileKind.Regular;

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, but never more than one chunk past <paramref name="maxBytes"/>, whatever
    /// length it reported (a file may grow while it is read): null when it holds more than <paramref name="maxBytes"/>.
    /// </summary>
    public static byte[]? ReadBounded(Stream stream, long maxBytes, long reportedLength = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadBounded((into, _) => stream.Read(into), reportedLength, maxBytes);
    }

    private static byte[]? ReadBounded(SafeFileHandle handle, long reportedLength, long maxBytes) =>
        ReadBounded((into, at) => RandomAccess.Read(handle, into, at), reportedLength, maxBytes);

    /// <summary>Reads into <paramref name="into"/> from <paramref name="at"/> (a stream reads on from where it is).</summary>
    private delegate int Reader(Span<byte> into, long at);

    private static byte[]? ReadBounded(Reader read, long reportedLength, long maxBytes)
    {
        var ceiling = (int)Math.Min(maxBytes + Chunk, Array.MaxLength);
        byte[] buffer;
        var total = 0;
        if (reportedLength > 0 && reportedLength <= maxBytes)
        {
            // A length within the cap is read into a buffer of exactly that size (a plan reads hundreds of small states:
            // a chunk-rounded buffer and its trimmed copy each were most of what reading cost), then one more read tells
            // whether the file grew meanwhile; only then is it read on, as a file of unknown length is.
            buffer = new byte[reportedLength];
            while (total < buffer.Length && read(buffer.AsSpan(total), total) is var count and > 0)
            {
                total += count;
            }

            if (total < buffer.Length)
            {
                return buffer[..total]; // it shrank meanwhile
            }

            var probe = ArrayPool<byte>.Shared.Rent(Chunk);
            try
            {
                var more = read(probe.AsSpan(0, Chunk), total);
                if (more == 0)
                {
                    return buffer;
                }

                var grown = new byte[(int)Math.Min(Math.Max(2L * total, (long)total + Chunk), ceiling)];
                buffer.CopyTo(grown, 0);
                probe.AsSpan(0, more).CopyTo(grown.AsSpan(total));
                buffer = grown;
                total += more;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(probe);
            }
        }
        else
        {
            // No length (as /proc files report) or one past the cap: whole chunks, as some /proc files refuse odd sizes.
            buffer = new byte[Chunk];
        }

        while (total <= maxBytes)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, ceiling));
            }

            var count = read(buffer.AsSpan(total), total);
            if (count == 0)
            {
                return total == buffer.Length ? buffer : buffer[..total];
            }

            total += count;
        }

        return null;
    }

    private static FileInputException NotRegular(string shown, FileKind kind) =>
        new(shown, $"this is {FileKinds.Describe(kind)}, not a regular file; whcctl reads only regular files", FileInputProblem.NotRegular);

    private static FileInputException TooLarge(string shown, FileInput input, string size) =>
        new(shown, $"{size}; a {input.What} may be at most {input.Cap}", FileInputProblem.TooLarge);
}
