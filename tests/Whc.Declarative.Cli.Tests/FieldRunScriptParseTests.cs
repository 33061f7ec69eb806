using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>The documented field runs are never run by CI: each script, and the library they share, at least parses.</summary>
public sealed class FieldRunScriptParseTests
{
    [Theory]
    [InlineData("fault-run.sh")]
    [InlineData("pool-run.sh")]
    [InlineData("lib/throwaway-postgres.sh")]
    public async Task The_script_parses(string script)
    {
        var check = await Support.Process.RunAsync("bash", Repository.Root, null, "-n", Path.Combine(Repository.Root, "scripts", script));
        check.ExitCode.Should().Be(0, check.ToString());
    }
}
