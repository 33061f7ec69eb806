using System.Globalization;
using System.Runtime.InteropServices;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// Asks Linux to back the managed heap with transparent huge pages where the machine leaves that to each program
/// (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> is <c>madvise</c>, as on Debian and Ubuntu). A plan touches
/// every page it allocates for the first time, and on 4 KiB pages those first touches (one fault each) were nearly
/// half of the native plan's CPU time (issue 28). Best effort: anywhere else, or on any failure, nothing changes.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugePage = 14;

    /// <summary>
    /// Advises the address range the garbage collector reserved: the mapping holding a fresh object and the anonymous
    /// mappings joined to it, which may include the collector's own tables beside the heap (measured: peak memory of the
    /// 500- and 5,000-company plans unchanged). Only pages touched are backed, so an untouched reservation costs nothing.
    /// </summary>
    public static void AdviseManagedHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            if (HeapRange(File.ReadAllLines("/proc/self/maps"), FreshObjectAddress()) is { } range)
            {
                // The result is not needed: a kernel without transparent huge pages refuses (EINVAL) and nothing changes.
                _ = Madvise((nint)range.Start, (nuint)(range.End - range.Start), MadvHugePage);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException or FormatException or OverflowException)
        {
            // An optimisation only: without it the heap is on ordinary pages, as it is for every other program.
        }
    }

    /// <summary>Where a newly allocated object lies: inside the range the garbage collector reserved for the heap.</summary>
    internal static ulong FreshObjectAddress()
    {
        var handle = GCHandle.Alloc(new byte[1], GCHandleType.Pinned);
        try
        {
            return (ulong)handle.AddrOfPinnedObject();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The run of adjacent anonymous mappings (no file, inode 0) that holds <paramref name="address"/>.</summary>
    internal static (ulong Start, ulong End)? HeapRange(IReadOnlyList<string> maps, ulong address)
    {
        var anonymous = new List<(ulong Start, ulong End)>();
        foreach (var line in maps)
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[4] != "0" || (fields.Length == 6 && !string.IsNullOrWhiteSpace(fields[5])))
            {
                continue;
            }

            var dash = fields[0].IndexOf('-', StringComparison.Ordinal);
            anonymous.Add((ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }

        var at = anonymous.FindIndex(m => m.Start <= address && address < m.End);
        if (at < 0)
        {
            return null;
        }

        var (start, end) = anonymous[at];
        for (var i = at - 1; i >= 0 && anonymous[i].End == start; i--)
        {
            start = anonymous[i].Start;
        }

        for (var i = at + 1; i < anonymous.Count && anonymous[i].Start == end; i++)
        {
            end = anonymous[i].End;
        }

        return (start, end);
    }

    [LibraryImport("libc.so.6", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
