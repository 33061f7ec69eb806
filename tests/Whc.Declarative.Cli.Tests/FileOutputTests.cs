using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Files whcctl writes go through a temporary file it creates itself (exclusively, so never through a link someone
/// planted) and then rename over the target: a planted link cannot make whcctl write outside where it was told.
/// </summary>
public sealed class FileOutputTests
{
    private const string Cug = "CUG5019851064";
    private const string Precious = "the file outside, which whcctl must never write\n";

    [Fact]
    public async Task Import_all_write_manifests_does_not_follow_a_link_planted_at_its_temporary_name()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Given a company at BT, and DIR/KEY.yaml.tmp planted as a link to a file outside DIR
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");
        session.Write("outside/victim.txt", Precious);
        Directory.CreateDirectory(session.Workspace.File("adopted"));
        File.CreateSymbolicLink(session.Workspace.File("adopted/thefunnetwork.yaml.tmp"), session.Workspace.File("outside/victim.txt"));

        // When every company is imported with its manifest written to DIR
        var import = await session.RunAsync("import", "--all", "--cug", Cug, "--billing-account", "GB12345678", "--write-manifests", "adopted");

        // Then the file outside is untouched and the manifest is a file of its own in DIR
        import.ExitCode.Should().Be(ExitCodes.Success, import.ToString());
        session.Read("outside/victim.txt").Should().Be(Precious);
        var written = Directory.GetFiles(session.Workspace.File("adopted"), "*.yaml").Should().ContainSingle().Subject;
        new FileInfo(written).LinkTarget.Should().BeNull("the manifest is a regular file, not the planted link moved into place");
        File.ReadAllText(written).Should().Contain("kind: Company");
        Directory.GetFiles(session.Workspace.File("adopted"), "*.tmp*").Select(Path.GetFileName).Should().Equal(["thefunnetwork.yaml.tmp"], "no temporary file is left behind; the planted link is left alone");
    }

    [Fact]
    public async Task Plan_out_does_not_follow_a_link_planted_at_its_temporary_name()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var session = await SandboxSession.StartAsync();
        session.Write("outside/victim.txt", Precious);
        File.CreateSymbolicLink(session.Workspace.File("plan.json.tmp"), session.Workspace.File("outside/victim.txt"));

        var plan = await session.RunAsync("plan", PlanBaselineTests.Quickstart, "--out", "plan.json");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        session.Read("outside/victim.txt").Should().Be(Precious);
        new FileInfo(session.Workspace.File("plan.json")).LinkTarget.Should().BeNull();
        (await session.RunAsync("show", "plan.json")).ExitCode.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Import_write_manifest_does_not_write_through_a_dangling_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Given the manifest's path is a link to a file that does not exist yet, outside the workspace's tree
        await using var session = await SandboxSession.StartAsync();
        await session.ApplyAsync(PlanBaselineTests.Quickstart, "--state", "elsewhere");
        Directory.CreateDirectory(session.Workspace.File("outside"));
        File.CreateSymbolicLink(session.Workspace.File("fun-network.yaml"), session.Workspace.File("outside/planted.yaml"));

        var import = await session.RunAsync("import", "fun-network", "--cug", Cug, "--name", "TheFunNetwork", "--billing-account", "GB12345678", "--write-manifest", "fun-network.yaml");

        // Then nothing is created through the link: the path is taken, so it is refused as an existing file is
        File.Exists(session.Workspace.File("outside/planted.yaml")).Should().BeFalse(import.ToString());
        import.ExitCode.Should().Be(ExitCodes.Error, import.ToString());
        import.Error.Should().Contain("already exists");
    }

    [Fact]
    public void A_recovery_file_does_not_follow_a_link_planted_at_its_temporary_name()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var workspace = new TempWorkspace();
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 6, 4, 30, 0, TimeSpan.Zero));
        var state = CompanyState.New("fun-network", Guid.NewGuid().ToString()) with { Serial = 3 };
        var recovery = Path.Combine(workspace.Path, RecoveryFiles.Directory);
        Directory.CreateDirectory(recovery);
        var victim = workspace.File("victim.txt");
        File.WriteAllText(victim, Precious);
        File.CreateSymbolicLink(Path.Combine(recovery, "fun-network.serial-3.20261206T043000000Z.json.tmp"), victim);

        var kept = new RecoveryFiles(workspace.Path, clock).Keep(state);

        File.ReadAllText(victim).Should().Be(Precious);
        new FileInfo(workspace.File(kept)).LinkTarget.Should().BeNull();
        File.ReadAllText(workspace.File(kept)).Should().Contain("fun-network");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
