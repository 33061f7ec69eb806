using Whc.Declarative.Files;

namespace Whc.Declarative.WhcApi.Recording;

/// <summary>
/// Collects every HTTP exchange a <see cref="WhcClient"/> makes (token calls and retries included), already redacted,
/// in the order the requests were sent; set it on <see cref="WhcClientOptions.Recorder"/>. <see cref="Save"/> writes
/// them as a HAR 1.2 file, atomically, at any time (after a failure too: what happened so far).
/// </summary>
public sealed class WhcRecorder
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<long, HarEntry> entries = [];
    private long sequence;

    /// <summary>The entries recorded so far, in the order their requests were sent.</summary>
    public IReadOnlyList<HarEntry> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries.Values];
            }
        }
    }

    /// <summary>The recording as a HAR document whose creator is <paramref name="creatorName"/> <paramref name="creatorVersion"/>.</summary>
    public HarDocument ToHar(string creatorName, string creatorVersion) => new(new HarLog("1.2", new HarCreator(creatorName, creatorVersion), Entries));

    /// <summary>
    /// Writes the recording to <paramref name="path"/> through <see cref="AtomicFile"/> (a temporary file created
    /// exclusively beside it, never through a planted link, then renamed over it), so the file is either the previous
    /// one or the whole new recording, never half of it.
    /// </summary>
    /// <exception cref="IOException">The file or its directory cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not allowed.</exception>
    public void Save(string path, string creatorName, string creatorVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(Path.GetFullPath(path), ToHar(creatorName, creatorVersion).ToJson(), flushToDisk: true);
    }

    /// <summary>
    /// Why a recording cannot be written to <paramref name="path"/> (no such directory, a directory, not writable),
    /// found by writing and removing a temporary file beside it; null when it can. Run before the command starts so a
    /// bad path is reported before anything is sent to BT.
    /// </summary>
    public static string? ProblemWriting(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                return $"'{path}' is a directory; give a file name, e.g. {Path.Combine(path, "run.har")}";
            }

            var directory = Path.GetDirectoryName(full);
            if (directory is null || !Directory.Exists(directory))
            {
                return $"the directory of '{path}' does not exist";
            }

            var probe = AtomicFile.TemporaryPathFor(full);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"'{path}' cannot be written: {e.Message}";
        }
    }

    /// <summary>The next request's place in the recording (taken when it is sent, so the file keeps sending order).</summary>
    internal long NextSequence() => Interlocked.Increment(ref sequence);

    internal void Add(long position, HarEntry entry)
    {
        lock (gate)
        {
            entries[position] = entry;
        }
    }
}
