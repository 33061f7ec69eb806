using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// scripts/pool-run.sh (issue 24's 500 companies under max_connections=20, docs/benchmarks/postgres-pool.md) is a
/// documented command, never run by CI; these checks keep it from rotting: it parses, refuses what it does not know
/// before starting anything, and the benchmark page names it.
/// </summary>
public sealed class PoolRunScriptTests
{
    private static readonly string Script = Path.Combine(Repository.Root, "scripts", "pool-run.sh");

    [Theory]
    [InlineData("--no-such-option", "pool-run: unknown argument")]
    [InlineData("--companies 0", "pool-run: '0' is not a positive number")]
    [InlineData("--parallelism eight", "pool-run: 'eight' is not a positive number")]
    [InlineData("--companies 1301", "pool-run: at most 1300 companies")]
    public async Task Bad_input_is_refused_before_anything_starts(string args, string message)
    {
        var run = await Support.Process.RunAsync("bash", Repository.Root, null, [Script, .. args.Split(' ')]);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().StartWith(message);
    }

    [Fact]
    public void The_benchmark_page_gives_the_command_and_the_issues_number()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "benchmarks", "postgres-pool.md"));
        page.Should().Contain("scripts/pool-run.sh --companies 500").And.Contain("(issue 24)");
    }
}
