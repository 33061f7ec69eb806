using System.Text;

namespace Whc.Declarative.Files;

/// <summary>
/// Writes a file whole or not at all: into a temporary file of a random name in the target's directory, created
/// exclusively (<see cref="FileMode.CreateNew"/> is O_CREAT|O_EXCL, which fails on anything already there, a planted
/// link included, so nothing is ever written through a link), then renamed over the target. A reader sees the old file
/// or the new one, never half of one; on failure the temporary file is removed and the target is as it was. A link at
/// the target itself is replaced, not followed: rename(2) replaces the name.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark) to <paramref name="path"/>, replacing what is there.</summary>
    public static void Write(string path, string text, bool flushToDisk = true) =>
        Write(path, Utf8.GetBytes(text), flushToDisk);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, replacing what is there.</summary>
    /// <exception cref="IOException">The directory cannot be written, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not allowed.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool flushToDisk = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = WriteTemporary(path, bytes, flushToDisk);
        Place(temporary, () => File.Move(temporary, path, overwrite: true));
    }

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/> only if nothing is there (a file, a directory or a link,
    /// even one leading nowhere): false, with nothing written, when something is. The placing itself refuses a name that
    /// is taken (a move without overwrite: link(2) or a non-replacing rename), so a file that appears after the first
    /// look is kept, not overwritten.
    /// </summary>
    public static bool TryCreate(string path, string text, bool flushToDisk = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return !Taken(path) && TryPlaceNew(path, text, flushToDisk);
    }

    /// <summary>The write and the one-step placing of <see cref="TryCreate"/>, without its first look (for a test of the race it covers).</summary>
    internal static bool TryPlaceNew(string path, string text, bool flushToDisk)
    {
        var temporary = WriteTemporary(path, Utf8.GetBytes(text), flushToDisk);
        var placed = false;
        Place(temporary, () =>
        {
            try
            {
                File.Move(temporary, path, overwrite: false);
                placed = true;
            }
            catch (IOException) when (Taken(path))
            {
                Delete(temporary);
            }
        });
        return placed;
    }

    /// <summary>Whether anything is at <paramref name="path"/>: a file, a directory, or a link, even a dangling one.</summary>
    public static bool Taken(string path) =>
        FileKinds.Of(path, followLinks: false).Kind is not FileKind.Missing;

    /// <summary>The name a temporary file beside <paramref name="path"/> gets: hidden, random, ending in .tmp.</summary>
    public static string TemporaryPathFor(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    private static string WriteTemporary(string path, ReadOnlySpan<byte> bytes, bool flushToDisk)
    {
        var temporary = TemporaryPathFor(path);
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            using (stream)
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk);
            }
        }
        catch
        {
            Delete(temporary); // ours: CreateNew made it
            throw;
        }

        return temporary;
    }

    private static void Place(string temporary, Action move)
    {
        try
        {
            move();
        }
        catch
        {
            Delete(temporary);
            throw;
        }
    }

    private static void Delete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The write failed already; that failure is the one to report.
        }
    }
}
