using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// scripts/check-clean-tree.sh, which .ci/run runs around <c>dotnet test</c>, fails when the tests leave the git
/// working tree changed; each case runs it in a throw-away git repository.
/// </summary>
public sealed class CleanTreeCheckTests : IDisposable
{
    private static readonly string Script = Path.Combine(Repository.Root, "scripts", "check-clean-tree.sh");

    private readonly string directory = Directory.CreateTempSubdirectory("whcctl-clean-tree-").FullName;

    private readonly Dictionary<string, string> environment;

    public CleanTreeCheckTests()
    {
        environment = new Dictionary<string, string>
        {
            ["CLEAN_TREE_SNAPSHOT"] = Path.Combine(directory, ".git", "clean-tree-snapshot"),
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_AUTHOR_NAME"] = "test",
            ["GIT_AUTHOR_EMAIL"] = "test@example.com",
            ["GIT_COMMITTER_NAME"] = "test",
            ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        };
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [RequiresGitFact]
    public async Task A_tree_the_tests_leave_unchanged_passes()
    {
        await CommittedRepositoryAsync();

        (await CheckAsync("before")).ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(directory, "bin", "output.dll"), "ignored");
        (await CheckAsync("after")).ExitCode.Should().Be(0);
    }

    [RequiresGitFact]
    public async Task A_file_the_tests_rewrite_fails_the_check()
    {
        await CommittedRepositoryAsync();

        await CheckAsync("before");
        File.WriteAllText(Path.Combine(directory, "README.md"), "# rewritten by a test\n");
        var after = await CheckAsync("after");

        after.ExitCode.Should().Be(1, after.ToString());
        after.Error.Should().Contain("README.md").And.Contain("the tests changed the working tree");
    }

    [RequiresGitFact]
    public async Task A_file_the_tests_leave_behind_fails_the_check()
    {
        await CommittedRepositoryAsync();

        await CheckAsync("before");
        File.WriteAllText(Path.Combine(directory, "leftover.json"), "{}");
        var after = await CheckAsync("after");

        after.ExitCode.Should().Be(1, after.ToString());
        after.Error.Should().Contain("leftover.json");
    }

    [RequiresGitFact]
    public async Task A_tree_with_changes_before_the_tests_fails_only_when_the_tests_change_more()
    {
        await CommittedRepositoryAsync();
        File.WriteAllText(Path.Combine(directory, "README.md"), "# a developer's edit\n");

        await CheckAsync("before");
        (await CheckAsync("after")).ExitCode.Should().Be(0);

        await CheckAsync("before");
        File.WriteAllText(Path.Combine(directory, "README.md"), "# a developer's edit, rewritten by a test\n");
        (await CheckAsync("after")).ExitCode.Should().Be(1);
    }

    [Fact]
    public async Task Outside_a_git_checkout_the_check_is_skipped()
    {
        var result = await CheckAsync("after", new Dictionary<string, string>(environment) { ["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(directory) ?? "/" });

        result.ExitCode.Should().Be(0, result.ToString());
        result.Error.Should().Contain("not inside a git work tree");
    }

    private async Task CommittedRepositoryAsync()
    {
        Directory.CreateDirectory(Path.Combine(directory, "bin"));
        File.WriteAllText(Path.Combine(directory, ".gitignore"), "bin/\n");
        File.WriteAllText(Path.Combine(directory, "README.md"), "# checked in\n");
        foreach (var args in new[] { new[] { "init", "-q" }, ["add", "-A"], ["commit", "-q", "-m", "initial"] })
        {
            var git = await Support.Process.RunAsync("git", directory, environment, args);
            git.ExitCode.Should().Be(0, git.ToString());
        }
    }

    private Task<CliResult> CheckAsync(string mode, IReadOnlyDictionary<string, string>? env = null) =>
        Support.Process.RunAsync("bash", directory, env ?? environment, Script, mode);
}

/// <summary>Skips (with the reason in the test report) when git is not on PATH.</summary>
public sealed class RequiresGitFactAttribute : FactAttribute
{
    public RequiresGitFactAttribute()
    {
        if (!Support.Process.IsOnPath("git"))
        {
            Skip = "git is not on PATH";
        }
    }
}
