using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27 item 9, end to end over HTTP against the sandbox: a value BT does not know must not pass plan and fail at
/// apply after the company is qualified (a half-made customer). A NAD key given with its postcode is checked at plan
/// time against BT's address search; an area code (which no BT read can check) is named in the plan as checked by BT
/// at apply, and the sandbox refuses an unknown one as BT would.
/// </summary>
public sealed class PlanTimeBtChecksTests
{
    private const string Path = "checks/acme/company.yaml";

    private static string Company(string address, string areaCode = "0121") => $$"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: acme
        spec:
          reseller: { cugId: CUG5019851064, billingAccount: GB12345678 }
          company: { name: AcmeLtd, domain: acme.example.com, customerGroup: SWAINsTelecom }
          numberBlocks:
            - { name: main, areaCode: "{{areaCode}}", quantity: 10 }
          sites:
            - name: hq
              locationCode: HQ01
              address: {{address}}
              users:
                - { username: acme.ann, firstName: Ann, lastName: One, extension: "2001", number: { from: main } }

        """;

    private static async Task<IReadOnlyList<string>> WritesAsync(SandboxSession session) =>
        [.. (await session.AdminGetAsync("/_sandbox/requests")).AsArray()
            .Select(r => r!["route"]!.GetValue<string>())
            .Where(ContractRoutes.Changes)];

    [Fact]
    public async Task A_NAD_key_BT_does_not_list_at_its_postcode_fails_the_plan_naming_site_key_postcode_and_route_and_makes_no_write()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, nadKey: X05000999999 }"));

        var plan = await session.RunAsync("plan", "checks/acme");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain($"{Path}(").And.Contain("error WHC3060")
            .And.Contain("site 'hq'").And.Contain("X05000999999").And.Contain("IP5 3RE").And.Contain("searchAddress")
            .And.Contain("X05000455530", "the keys BT does list there are the way out");
        (await WritesAsync(session)).Should().BeEmpty("plan only reads");
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray()
            .Should().Contain(r => r!["route"]!.GetValue<string>() == ContractRoutes.SearchAddress, "the key is checked by BT's address search");
    }

    [Fact]
    public async Task An_apply_with_a_NAD_key_BT_does_not_list_stops_before_the_company_is_qualified()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, nadKey: X05000999999 }"));

        var apply = await session.RunAsync("apply", "checks/acme", "--auto-approve");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("error WHC3060");
        (await WritesAsync(session)).Should().BeEmpty("no half-made customer: nothing was qualified, ringfenced or ordered");
        (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_NAD_key_BT_lists_at_its_postcode_passes_the_plan_and_applies()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, nadKey: X05000455531 }"));

        var plan = await session.RunAsync("plan", "checks/acme");
        await session.ApplyAsync("checks/acme");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().Contain("+ site hq  (new site)").And.Contain("nadKey:       \"X05000455531\"");
        var site = (await session.AdminGetAsync("/_sandbox/inventory"))["companies"]!.AsArray().Single()!["sites"]!.AsArray().Single()!;
        site.ToJsonString().Should().Contain("X05000455531");
    }

    [Fact]
    public async Task When_BTs_address_search_fails_a_NAD_key_is_not_taken_on_trust()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, nadKey: X05000455531 }"));
        await session.AdminPostAsync("/_sandbox/faults", new { script = new[] { new { route = ContractRoutes.SearchAddress, fault = "500", count = 20 } } });

        var plan = await session.RunAsync("plan", "checks/acme");

        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("searchAddress");
        (await WritesAsync(session)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_NAD_key_without_a_postcode_is_named_in_the_plan_as_checked_by_BT_at_apply()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ nadKey: X05000455531 }"));

        var text = await session.RunAsync("plan", "checks/acme");
        var json = await session.RunAsync("plan", "checks/acme", "--format", "json");

        text.ExitCode.Should().Be(ExitCodes.Success, text.ToString());
        text.Output.Should().Contain("+ site hq  (new site; NAD key checked by BT at apply: give the site's postcode too to check it at plan time)");
        ReasonOf(json.Output, "whc_site").Should().Contain("NAD key checked by BT at apply");
    }

    [Fact]
    public async Task A_plan_that_reads_nothing_from_BT_says_the_NAD_key_is_left_to_BT_at_apply()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, nadKey: X05000999999 }"));

        var plan = await session.RunAsync("plan", "checks/acme", "--refresh=false");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().Contain("+ site hq  (new site; NAD key checked by BT at apply: this plan read nothing from BT)");
    }

    [Fact]
    public async Task A_new_number_block_is_named_in_every_plan_format_as_having_its_area_code_checked_by_BT_at_apply()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, premises: Adastral Park }"));

        var text = await session.RunAsync("plan", "checks/acme");
        var markdown = await session.RunAsync("plan", "checks/acme", "--format", "markdown");
        var json = await session.RunAsync("plan", "checks/acme", "--format", "json");

        const string Note = "area code checked by BT at apply";
        text.Output.Should().Contain($"+ number-block main  (new number block; {Note})");
        markdown.Output.Should().Contain($"acme/number-block/main (new number block; {Note})");
        ReasonOf(json.Output, "whc_number_block").Should().Be($"new number block; {Note}");
    }

    [Fact]
    public async Task An_area_code_BT_has_no_numbers_in_fails_the_ringfence_with_BTs_reason()
    {
        // No BT read tells which area codes have numbers: the plan says so, and BT (here the sandbox) refuses at apply.
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, premises: Adastral Park }", areaCode: "0191"));

        var plan = await session.RunAsync("plan", "checks/acme");
        var apply = await session.RunAsync("apply", "checks/acme", "--auto-approve");

        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        plan.Output.Should().Contain("area code checked by BT at apply");
        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        apply.Error.Should().Contain("FAILED  acme:ringfence:main").And.Contain("unknown area code '0191'");
        (await WritesAsync(session)).Should().NotContain(ContractRoutes.CreateOrder, "no order is made for numbers BT could not ringfence");
    }

    [Fact]
    public async Task Validate_takes_a_NAD_key_with_its_postcode_and_refuses_one_with_premises()
    {
        await using var session = await SandboxSession.StartAsync();
        session.Write(Path, Company("{ postcode: IP5 3RE, nadKey: X05000455531 }"));
        var withPostcode = await session.RunAsync("validate", "checks/acme");
        session.Write(Path, Company("{ postcode: IP5 3RE, premises: Adastral Park, nadKey: X05000455531 }"));
        var withPremises = await session.RunAsync("validate", "checks/acme");

        withPostcode.ExitCode.Should().Be(ExitCodes.Success, withPostcode.ToString());
        withPremises.ExitCode.Should().Be(ExitCodes.Error, withPremises.ToString());
        withPremises.Error.Should().Contain("error WHC2011").And.Contain("site 'hq'").And.Contain("premises");
    }

    private static string ReasonOf(string planJson, string type) =>
        JsonNode.Parse(planJson)!["resource_changes"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == type)!["action_reason"]!.GetValue<string>();
}
