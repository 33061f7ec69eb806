using System.Globalization;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// WHC_BENCH_ALLOCATIONS (the benchmarks' allocation count, bench/native-bench.sh) from a real whcctl process: the JIT
/// build, and in CI's native step the native executable, which cannot load a startup hook.
/// </summary>
[Trait("Category", CliExecutable.StoryCategory)]
public sealed class AllocationReportTests
{
    [Fact]
    public async Task A_run_writes_what_it_allocated_and_its_collections_at_exit()
    {
        var directory = Directory.CreateTempSubdirectory("whcctl-alloc-");
        try
        {
            var report = Path.Combine(directory.FullName, "allocations.txt");

            var result = await ChildWhcctl.RunAsync(directory.FullName, new Dictionary<string, string> { ["WHC_BENCH_ALLOCATIONS"] = report }, TimeSpan.FromSeconds(60), "--version");

            result.ExitCode.Should().Be(0, result.ToString());
            var fields = File.ReadAllText(report).TrimEnd('\n').Split(' ');
            fields.Should().HaveCount(5);
            fields.Should().OnlyContain(f => f.Length > 0 && f.All(char.IsAsciiDigit));
            long.Parse(fields[0], CultureInfo.InvariantCulture).Should().BePositive("a run allocates something");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_command_collects_once_as_it_starts_its_no_gc_region_and_not_again()
    {
        // ShortLivedHeap: the region begins with one full collection of a nearly empty heap; a command that allocates
        // less than the region (every command here) never collects after it. Without the region a small run
        // collects not at all, so the counts tell the region is there.
        using var workspace = new TempWorkspace();
        var report = workspace.File("allocations.txt");

        var result = await ChildWhcctl.RunAsync(workspace.Path, new Dictionary<string, string> { ["WHC_BENCH_ALLOCATIONS"] = report }, TimeSpan.FromSeconds(60), "validate", "examples");

        result.ExitCode.Should().Be(0, result.ToString());
        File.ReadAllText(report).TrimEnd('\n').Split(' ')[1..4].Should().Equal("1", "1", "1");
    }

    [Fact]
    public async Task With_heap_tuning_off_a_command_starts_no_region_and_so_does_not_collect()
    {
        using var workspace = new TempWorkspace();
        var report = workspace.File("allocations.txt");

        var result = await ChildWhcctl.RunAsync(workspace.Path, new Dictionary<string, string> { ["WHC_BENCH_ALLOCATIONS"] = report, ["WHC_HEAP_TUNING"] = "off" }, TimeSpan.FromSeconds(60), "validate", "examples");

        result.ExitCode.Should().Be(0, result.ToString());
        File.ReadAllText(report).TrimEnd('\n').Split(' ')[1..4].Should().Equal("0", "0", "0");
    }

    [Fact]
    public async Task Without_the_variable_nothing_is_written_and_a_path_that_cannot_be_written_fails_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("whcctl-alloc-");
        try
        {
            var unwritable = Path.Combine(directory.FullName, "missing-dir", "allocations.txt");

            var result = await ChildWhcctl.RunAsync(directory.FullName, new Dictionary<string, string> { ["WHC_BENCH_ALLOCATIONS"] = unwritable }, TimeSpan.FromSeconds(60), "--version");
            var plain = await ChildWhcctl.RunAsync(directory.FullName, new Dictionary<string, string>(), TimeSpan.FromSeconds(60), "--version");

            result.ExitCode.Should().Be(0, result.ToString());
            result.Error.Should().BeEmpty();
            plain.ExitCode.Should().Be(0, plain.ToString());
            directory.EnumerateFileSystemInfos().Should().BeEmpty();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
