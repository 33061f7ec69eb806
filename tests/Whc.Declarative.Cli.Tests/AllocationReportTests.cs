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
