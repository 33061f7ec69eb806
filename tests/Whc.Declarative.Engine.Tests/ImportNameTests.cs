using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 22: import takes BT's names for sites and users into state (and the manifest it writes); a name there that a
/// manifest could not hold (a terminal escape, a line break) is refused, and nothing is written.
/// </summary>
public sealed class ImportNameTests
{
    [Theory]
    [InlineData("site", "hq\u001b[31m\n::error::pwned")]
    [InlineData("user", "jane\r\n::warning::x")]
    public async Task A_name_at_BT_that_no_manifest_could_hold_is_refused_and_nothing_is_written(string what, string hostile)
    {
        // Given a company at BT whose answer names a site or a user with control characters
        await using var harness = await EngineHarness.StartAsync();
        await harness.PlanAndApplyAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var api = new HostileNames(harness.Client, what, hostile);
        var store = new State.LocalStateStore(Path.Combine(Path.GetTempPath(), "whc-import-" + Guid.NewGuid().ToString("N")));

        // When it is imported
        var outcome = await ImportOperation.RunAsync(
            new ImportRequest("acme", "CUG5019851064", "AcmeWidgets", "GB12345678", null, new LockInfo("id", "test", "host", 1, "import", DateTimeOffset.UtcNow), TimeSpan.FromSeconds(5), null),
            store,
            api,
            TimeProvider.System,
            CancellationToken.None);

        // Then it is refused, naming the rule, and state holds nothing
        outcome.State.Should().BeNull();
        var diagnostic = outcome.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Code.Should().Be("WHC5005");
        diagnostic.Message.Should().Contain(what == "site" ? "site name" : "username").And.Contain("control character");
        diagnostic.Message.Should().StartWith("'AcmeWidgets' cannot be imported: BT's answer holds names no manifest could hold: ").And.EndWith(". Nothing was written");
        (await store.ReadAsync("acme", CancellationToken.None)).Should().BeNull();
    }

    /// <summary>BT's company answer with one site or one user renamed.</summary>
    private sealed class HostileNames(IWhcApi inner, string what, string hostile) : WhcApiDecorator(inner)
    {
        public override async Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken)
        {
            var inventory = await Inner.ReadCompanyAsync(cugId, companyName, cancellationToken);
            return inventory is null ? null
                : what == "site" ? inventory with { Sites = [.. inventory.Sites.Select((s, i) => i == 0 ? s with { Name = hostile } : s)] }
                : inventory with { Users = [.. inventory.Users.Select((u, i) => i == 0 ? u with { Username = hostile } : u)] };
        }
    }
}
