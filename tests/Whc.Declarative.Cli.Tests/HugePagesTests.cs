using System.Globalization;
using Whc.Declarative.Cli.Infrastructure;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Skips (with the reason in the test report) where the kernel has no transparent huge pages to advise, or no
/// /proc/self/smaps to read the advice back from.
/// </summary>
public sealed class TransparentHugePagesFactAttribute : FactAttribute
{
    public TransparentHugePagesFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/smaps") || !Directory.Exists("/sys/kernel/mm/transparent_hugepage"))
        {
            Skip = "transparent huge pages are advised on Linux kernels that have them";
        }
    }
}

/// <summary>
/// The managed heap's address range is advised for transparent huge pages (issue 28): found from /proc/self/maps as the
/// run of adjacent anonymous mappings around a fresh object, and read back from the kernel's own account of it.
/// </summary>
public sealed class HugePagesTests
{
    private const string Maps = """
        55d0c0000000-55d0c0100000 r--p 00000000 08:01 1234   /usr/bin/whcctl
        55d0c0100000-55d0c0a00000 rw-p 00000000 00:00 0
        7f0000000000-7f0000200000 rw-p 00000000 00:00 0
        7f0000200000-7f0004000000 ---p 00000000 00:00 0
        7f0004000000-7f0004400000 rw-p 00000000 00:00 0
        7f0004400000-7f0008000000 ---p 00000000 00:00 0
        7f0008000000-7f0008100000 r-xp 00000000 08:01 99     /usr/lib/libc.so.6
        7f0008100000-7f0008200000 rw-p 00000000 00:00 0
        7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0      [stack]
        """;

    // The kernel pads the inode column with spaces, also where no path follows.
    private static IReadOnlyList<string> Lines => [.. Maps.Split('\n').Select(line => line.EndsWith(" 0", StringComparison.Ordinal) ? line + "          " : line)];

    [Fact]
    public void The_range_is_the_run_of_adjacent_anonymous_mappings_holding_the_address()
    {
        HugePages.HeapRange(Lines, 0x7f0004000010).Should().Be((0x7f0000000000UL, 0x7f0008000000UL));
        HugePages.HeapRange(Lines, 0x7f0000000000).Should().Be((0x7f0000000000UL, 0x7f0008000000UL));
    }

    [Fact]
    public void A_file_mapping_a_named_one_or_no_mapping_gives_no_range()
    {
        HugePages.HeapRange(Lines, 0x7f0008000010).Should().BeNull("libc's text is a file mapping");
        HugePages.HeapRange(Lines, 0x7ffd00000010).Should().BeNull("the stack is named, not the heap");
        HugePages.HeapRange(Lines, 0x1000).Should().BeNull();
        HugePages.HeapRange([], 0x7f0004000010).Should().BeNull();
    }

    [TransparentHugePagesFact]
    public void The_kernel_holds_the_advice_for_the_mapping_of_a_fresh_object()
    {
        HugePages.AdviseManagedHeap();

        var address = HugePages.FreshObjectAddress();

        // smaps: a header line per mapping, then fields; VmFlags lists "hg" for a mapping advised MADV_HUGEPAGE.
        string? flags = null;
        var inMapping = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Split(' ')[0].Split('-') is [var start, var end])
            {
                inMapping = ulong.Parse(start, NumberStyles.HexNumber, CultureInfo.InvariantCulture) <= address
                    && address < ulong.Parse(end, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (inMapping && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                flags = line;
            }
        }

        flags.Should().NotBeNull("the object lies in a mapping");
        flags!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Contain("hg");
    }
}
