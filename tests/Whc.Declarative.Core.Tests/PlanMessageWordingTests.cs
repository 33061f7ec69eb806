using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.TestData;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// The planner's messages that no other test pinned whole, pinned here word for word: written against the planner
/// before its messages became catalogue templates, so the templates are checked to word them byte for byte.
/// </summary>
public class PlanMessageWordingTests
{
    private static string MessageOf(Plan plan, string code) =>
        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == code).Subject.Message;

    [Fact]
    public void Should_word_WHC3023_with_the_count_the_limit_and_the_first_five_ceases()
    {
        var manifest = Simple(users: 4);
        var plan = PlanOne(Existing(manifest, Applied(manifest)), new PlannerOptions { MaxDestroy = 1 }, PlanMode.Destroy);

        MessageOf(plan, "WHC3023").Should().Be(
            "the plan ceases 7 resources, more than --max-destroy 1 allows (acme, acme/number-block/main, acme/site/hq, acme/user/u01, acme/user/u02, …)");
    }

    [Fact]
    public void Should_word_WHC3016_with_both_endpoints_and_the_two_ways_out()
    {
        var manifest = Simple();
        var state = Applied(manifest) with { Endpoint = EndpointName.Of("sandbox") };
        var plan = PlanOne(Existing(manifest, state), new PlannerOptions { Endpoint = EndpointName.Of("production") });

        MessageOf(plan, "WHC3016").Should().Be(
            "company 'acme' was applied against sandbox, but this run talks to production; set WHC_ENDPOINT=sandbox (or --endpoint sandbox), or, to move the company to production on purpose, run 'whcctl state rebind acme --endpoint production'");
    }

    [Fact]
    public void Should_word_WHC3044_with_both_keys_and_the_moved_entry_to_add()
    {
        var manifest = Simple();
        var plan = new Planner(new PlannerOptions()).Plan(
            [Input(manifest with { Key = "acme-ltd" }, company: "acme-ltd"), Input(null, Applied(manifest))],
            PlanMode.Normal,
            Now);

        MessageOf(plan, "WHC3044").Should().Be(
            "company 'acme-ltd' is new, but state holds company 'acme' with the same name at BT ('Acme Ltd') and no manifest has it: if metadata.name was changed, add to spec of 'acme-ltd': moved: [{ from: company/acme, to: company/acme-ltd }]");
    }

    [Fact]
    public void Should_word_WHC3040_when_two_moved_sources_lead_to_one_name()
    {
        var manifest = Manifest(Site("a"), Site("b"));
        var state = Applied(manifest);
        var wanted = Manifest(Site("c")) with
        {
            Moved = [new MoveSpec("site/a", "site/c", Span(40)), new MoveSpec("site/b", "site/c", Span(41))],
        };

        MessageOf(PlanOne(Existing(wanted, state)), "WHC3040").Should().Be(
            "moved: state holds site/a and site/b, which the moved entries all lead to site/c; only one can become it: 'whcctl state rm' the others, or fix the entries");
    }

    [Fact]
    public void Should_word_WHC3003_when_a_site_s_NAD_key_changes()
    {
        var manifest = Simple();
        var state = Applied(manifest);
        var site = manifest.Sites[0];
        var changed = manifest with { Sites = [site with { Address = site.Address with { NadKey = "A12345678" } }] };

        MessageOf(PlanOne(Existing(changed, state)), "WHC3003").Should().Be(
            "site 'hq': its address (NAD key A00019674) cannot change; add a new site instead");
    }

    [Fact]
    public void Should_word_WHC3008_when_the_numbers_of_several_ceased_users_go_to_others()
    {
        var manifest = Manifest([Block(quantity: 2)], Site("hq", Users("u", 2)));
        var state = Applied(manifest);
        var wanted = Manifest([Block(quantity: 2)], Site("hq", Users("x", 3)));

        MessageOf(PlanOne(Existing(wanted, state)), "WHC3008").Should().Be(
            "user 'x03': no free number left in block 'main' (all 2 ringfenced and held). The numbers of 'u01' (01214960000), 'u02' (01214960001), whom this plan ceases, are given again once those ceases complete, but to other new users listed earlier: raise the block's quantity, or remove another user of it");
    }
}
