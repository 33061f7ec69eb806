using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 25, item 3, against the sandbox: users leaving a site that must be ceased before its replacement is created
/// (a name BT compares ignoring case). They used to be ceased in the first order, with the site's cease and the
/// create between them and their re-create; now each is ceased with the site (BT ceases a site's users first, within
/// the order) and made again in the very next order, and apply succeeds.
/// </summary>
public sealed class SiteCeasedEarlyMoveTests
{
    private static int Order(StepId stepId) => stepId.Order.Should().BeOfType<PlannedOrder>().Which.Number;

    [Fact]
    public async Task Users_of_a_site_ceased_early_are_ceased_with_it_and_made_again_in_the_next_order()
    {
        await using var harness = await EngineHarness.StartAsync();
        var original = TestManifests.Company("acme", "AcmeWidgets", users: 3, sites: 2);
        (await harness.PlanAndApplyAsync(EngineHarness.Manifests(original))).Succeeded.Should().BeTrue();
        // site-0 (acme.user0, acme.user2) becomes Site-0 at another location code: BT refuses 'Site-0' while 'site-0' is live
        var changed = original.Replace("- name: site-0", "- name: Site-0", StringComparison.Ordinal).Replace("locationCode: ACM00", "locationCode: ACM10", StringComparison.Ordinal);
        var manifests = EngineHarness.Manifests(changed);

        var plan = await harness.PlanAsync(manifests, maxUsersPerOrder: 1);

        var company = plan.Companies.Should().ContainSingle().Subject;
        // Only the likely-rename warning (same NAD key, another location code): the plan is still the user's to choose.
        company.Diagnostics.Should().OnlyContain(d => d.Code == "WHC3043" && d.Severity == Whc.Declarative.Core.Diagnostics.DiagnosticSeverity.Warning);
        var siteCease = company.Steps.OfType<CreateOrderStep>().Single(s => s.Operations.Any(o => o.Address.Kind == ResourceKind.Site && o.Kind == OrderOperationKind.Cease));
        var first = company.Outages.Should().ContainSingle(o => o.Why == null).Subject;
        Order(first.CeaseAwait).Should().Be(Order(siteCease.Id));
        Order(first.AddAwait).Should().Be(Order(siteCease.Id) + 1);
        company.Outages.Should().HaveCount(2);
        company.Outages.Single(o => o.Why != null).Why.Should().Contain("site-0");

        var result = await harness.ApplyAsync(plan);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        (await harness.PlanAsync(manifests)).HasChanges.Should().BeFalse();
        var users = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!["users"]!.AsArray()
            .Where(u => u!["status"]?.GetValue<string>() != "ceased")
            .Select(u => u!["username"]!.GetValue<string>());
        users.Should().BeEquivalentTo("acme.user0", "acme.user1", "acme.user2");
    }
}
