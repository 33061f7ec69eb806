using Whc.Declarative.Core.Manifests;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 27 item 7: each rename hint's moved entry can be added as shown. When several alike resources are renamed in
/// one change, each new one is paired with the held one whose users it now has, and no held one is named twice.
/// </summary>
public class RenameCandidatesTests
{
    [Fact]
    public void Should_pair_two_sites_renamed_at_one_address_with_the_site_each_ones_users_were_at()
    {
        // Given two sites at one address, each with its user, applied
        var manifest = Manifest(
            SiteAtPostcode("annex", "IP4 1AA", "Unit 1", User("ann", extension: "2001")),
            SiteAtPostcode("bureau", "IP4 1AA", "Unit 1", User("bob", extension: "2002")));
        var state = Applied(manifest);

        // When both are renamed (new location codes), bob's site listed first
        var renamed = Manifest(
            SiteAtPostcode("xray", "IP4 1AA", "Unit 1", User("bob", extension: "2002")),
            SiteAtPostcode("yankee", "IP4 1AA", "Unit 1", User("ann", extension: "2001")));
        var plan = PlanOne(Existing(renamed, state));

        // Then each warning names the site its users come from
        var hints = plan.AllDiagnostics.Where(d => d.Code == "WHC3043").Select(d => d.Message).ToList();
        hints.Should().HaveCount(2);
        hints.Should().ContainSingle(m => m.Contains("moved: [{ from: site/bureau, to: site/xray }]", StringComparison.Ordinal));
        hints.Should().ContainSingle(m => m.Contains("moved: [{ from: site/annex, to: site/yankee }]", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_name_a_held_block_in_one_hint_only_when_more_new_blocks_look_like_it()
    {
        // Given one block applied
        var manifest = Manifest([Block("main")], Site("hq", User("ann", block: "main", extension: "2001")));
        var state = Applied(manifest);

        // When it is replaced by two alike blocks
        var changed = Manifest([Block("first"), Block("second")], Site("hq", User("ann", block: "second", extension: "2001")));
        var plan = PlanOne(Existing(changed, state));

        // Then one hint, for the block ann now draws from
        plan.AllDiagnostics.Where(d => d.Code == "WHC3042").Should().ContainSingle()
            .Which.Message.Should().Contain("moved: [{ from: number-block/main, to: number-block/second }]");
    }
}
