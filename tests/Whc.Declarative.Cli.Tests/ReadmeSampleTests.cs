using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 16, part 9: the README's sample output is what whcctl really prints. The test compares and never rewrites the
/// README: a difference fails with the real output to paste in.
/// </summary>
public sealed class ReadmeSampleTests
{
    [Fact]
    public async Task The_plan_shown_in_the_readme_is_whcctl_s_real_output_line_for_line()
    {
        var readme = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
        var start = Array.IndexOf(readme, "$ whcctl plan examples/quickstart");
        var end = Array.FindIndex(readme, start + 1, l => l.StartsWith("$ ", StringComparison.Ordinal));
        start.Should().BeGreaterThan(0, "the README shows a plan of the quick-start example");
        var sample = readme[(start + 1)..end];
        await using var session = await SandboxSession.StartAsync();

        var plan = await session.RunAsync("plan", "examples/quickstart");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        var real = plan.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var position = 0;
        foreach (var line in sample)
        {
            var found = real.FindIndex(position, l => l == line.TrimEnd());
            found.Should().BeGreaterThanOrEqualTo(0, $"README.md shows '{line.Trim()}', which whcctl does not print (in this order); the real output is:\n{plan.Output}");
            position = found + 1;
        }
    }
}
