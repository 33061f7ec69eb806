using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Cli.Tests;

/// <summary>Issue 14: a state the store would not take is kept as a file that <c>state push</c> stores later.</summary>
public sealed class RecoveryFilesTests
{
    [Fact]
    public async Task A_kept_state_is_a_file_under_whc_recovery_that_state_push_stores()
    {
        using var workspace = new TempWorkspace();
        var state = CompanyState.New("fun-network", Guid.NewGuid().ToString()) with
        {
            Serial = 1,
            Record = new CompanyRecord("TheFunNetwork", "thefunnetwork.com", "Group", "CUG5019851064", "GB12345678", "WHHCBTWKN1484", new QualificationRecord("QFW103255", null, false), false),
        };

        var kept = new RecoveryFiles(workspace.Path, TimeProvider.System).Keep(state);
        var push = await Whcctl.RunAsync(workspace.Path, "state", "push", "fun-network", kept);

        kept.Should().StartWith(".whc/recovery/fun-network.serial-1.");
        push.ExitCode.Should().Be(ExitCodes.Success, push.ToString());
        (await Whcctl.RunAsync(workspace.Path, "state", "show", "fun-network")).Output.Should().Contain("QFW103255");
    }
}
