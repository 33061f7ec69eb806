using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// scripts/fault-run.sh (issue 24's fault run, docs/reliability.md) takes minutes and is never run by CI; these checks
/// keep it from rotting: it parses, refuses what it does not know before starting anything, and its fault kinds are
/// the ones docs/reliability.md describes.
/// </summary>
public sealed class FaultRunScriptTests
{
    private static readonly string Script = Path.Combine(Repository.Root, "scripts", "fault-run.sh");

    [Theory]
    [InlineData("--faults no-such-fault")]
    [InlineData("--no-such-option")]
    public async Task Unknown_input_is_refused_before_anything_starts(string args)
    {
        var run = await Support.Process.RunAsync("bash", Repository.Root, null, [Script, .. args.Split(' ')]);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().StartWith("fault-run: unknown");
    }

    [Fact]
    public void Every_fault_kind_of_the_script_is_described_in_docs_reliability()
    {
        var script = File.ReadAllText(Script);
        var kinds = Regex.Match(script, "^ALL_FAULTS=\"([^\"]+)\"", RegexOptions.Multiline).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        kinds.Should().Contain(["stop", "restart", "blip", "kill-backends", "kill-lock-holders", "read-only", "full-disk", "idle-timeout", "freeze", "kill9"]);
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "reliability.md"));
        kinds.Should().AllSatisfy(kind => docs.Should().Contain($"| `{kind}` |", "docs/reliability.md's fault table describes every kind"));
    }
}
