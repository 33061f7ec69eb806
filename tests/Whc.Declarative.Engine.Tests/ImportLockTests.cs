using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>Issue 24: import writes under its lock with the lock's fence, and sends nothing to BT once the lock is lost.</summary>
public sealed class ImportLockTests
{
    private static ImportRequest Request => new("acme", "CUG5019851064", "AcmeWidgets", "GB12345678", null, new LockInfo(Guid.NewGuid().ToString(), "test", "host", 1, "import", DateTimeOffset.UtcNow), TimeSpan.FromSeconds(5), null);

    [Fact]
    public async Task Import_writes_with_its_locks_fence()
    {
        await using var harness = await EngineHarness.StartAsync();
        await harness.PlanAndApplyAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new LosableStore(new State.LocalStateStore(Path.Combine(Path.GetTempPath(), "whc-import-" + Guid.NewGuid().ToString("N"))));

        var outcome = await ImportOperation.RunAsync(Request, store, harness.Client, TimeProvider.System, CancellationToken.None);

        outcome.State.Should().NotBeNull();
        store.Writes.Should().ContainSingle().Which.Fence.Should().Be(store.LockOf("acme").Fence);
        store.LockOf("acme").Checks.Should().BeGreaterThanOrEqualTo(1, "the read of BT was made under the checked lock");
    }

    [Fact]
    public async Task Import_whose_lock_is_lost_sends_nothing_and_writes_nothing()
    {
        await using var harness = await EngineHarness.StartAsync();
        await harness.PlanAndApplyAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var store = new LosableStore(new State.LocalStateStore(Path.Combine(Path.GetTempPath(), "whc-import-" + Guid.NewGuid().ToString("N"))));
        var reads = harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.ReadCompany);
        var api = new LosesTheLockFirst(harness.Client, () => store.LockOf("acme").Lose());

        var act = () => ImportOperation.RunAsync(Request, store, api, TimeProvider.System, CancellationToken.None);

        (await act.Should().ThrowAsync<StateLockLostException>()).Which.Code.Should().Be("WHC5010");
        harness.Sandbox.Requests.Count(r => r.Route == SandboxRoutes.ReadCompany).Should().Be(reads);
        store.Writes.Should().BeEmpty();
    }

    private sealed class LosesTheLockFirst(IWhcApi inner, Action lose) : WhcApiDecorator(inner)
    {
        public override Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
        {
            lose();
            return Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);
        }
    }
}
