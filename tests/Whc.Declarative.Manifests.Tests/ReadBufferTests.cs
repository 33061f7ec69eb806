using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// Reading a manifest costs about its own size: a 500-company estate is 500 small files, and a fixed 64 KB buffer per
/// file (plus a copy of what it held) was a seventh of everything a plan allocated (issue 28).
/// </summary>
public sealed class ReadBufferTests
{
    [Fact]
    public void A_small_file_is_read_without_a_buffer_much_larger_than_itself()
    {
        using var directory = new TemporaryDirectory();
        var text = "apiVersion: whc.declarative/v1\n" + string.Concat(Enumerable.Repeat("# a comment line of some length\n", 60));
        var path = directory.Write("company.yaml", text);
        var file = new ManifestFile(path, "company.yaml");
        ManifestLoader.ReadText(file, []); // warm up: the first call's one-off costs are not the read's

        var diagnostics = new List<Diagnostic>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = ManifestLoader.ReadText(file, diagnostics);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        read.Should().Be(text);
        diagnostics.Should().BeEmpty();
        // The text itself is 2 bytes a character; the rest is the handle and bookkeeping, never a 64 KB chunk.
        allocated.Should().BeLessThan((2 * text.Length) + (16 * 1024), "a {0}-byte file should cost about its own size", text.Length);
    }

    [Fact]
    public void A_file_larger_than_one_old_chunk_reads_whole_and_the_size_limit_still_holds()
    {
        using var directory = new TemporaryDirectory();
        var text = "apiVersion: whc.declarative/v1\n" + string.Concat(Enumerable.Repeat("# é a comment line with a two-byte letter\n", 4000));
        var file = new ManifestFile(directory.Write("large.yaml", text), "large.yaml");
        ManifestLoader.ReadText(file, []).Should().Be(text);

        var huge = new ManifestFile(directory.Write("huge.yaml", new string('#', (int)ManifestLoader.MaxFileBytes + 1)), "huge.yaml");
        var diagnostics = new List<Diagnostic>();
        ManifestLoader.ReadText(huge, diagnostics).Should().BeNull();
        diagnostics.Should().ContainSingle().Which.Code.Should().Be("WHC1003");
    }
}
