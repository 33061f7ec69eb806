using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class CompanyLifecycleTests
{
    [Fact]
    public async Task A_later_order_modifies_the_company_group_and_domain()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var modify = Bodies.Item("1", "modify", "WHCCompany", company.ServiceId, new JsonArray(
            Bodies.Characteristic("customerGroup", "NewGroup"), Bodies.Characteristic("customerDomain", "fun.example")));

        await sandbox.SubmitAndCompleteAsync(Bodies.Order(SandboxHarness.Cug, "m", modify));

        var read = (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Json!;
        (read["customerGroup"]!.GetValue<string>(), read["companyDomain"]!.GetValue<string>()).Should().Be(("NewGroup", "fun.example"));
    }

    [Fact]
    public async Task Changing_the_domain_to_one_another_company_holds_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        await sandbox.QualifiedAsync("Taken", "taken.example", SandboxHarness.OtherCug);
        var modify = Bodies.Item("1", "modify", "WHCCompany", company.ServiceId, new JsonArray(Bodies.Characteristic("customerDomain", "TAKEN.example")));

        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.Order(SandboxHarness.Cug, "m", modify));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("already registered");
    }

    [Fact]
    public async Task Ceasing_the_company_frees_its_name_and_its_numbers()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();

        await sandbox.SubmitAndCompleteAsync(Bodies.Order(SandboxHarness.Cug, "d", Bodies.Item("1", "delete", "WHCCompany", company.ServiceId)));

        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Code.Should().Be(404);
        var again = await sandbox.QualifiedAsync("TheFunNetwork", "thefunnetwork.com", SandboxHarness.OtherCug);
        (await sandbox.RingFenceAsync(again.ServiceId, again.QualificationId, 1, cug: SandboxHarness.OtherCug)).Json!["numberRange"]!["startNumber"]!.GetValue<string>()
            .Should().Be("01214960000");
    }

    [Fact]
    public async Task Another_reseller_cannot_order_changes_to_a_company_it_does_not_own()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.Order(SandboxHarness.OtherCug, "x", Bodies.Item("1", "delete", "WHCCompany", company.ServiceId)));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("unknown company service id");
    }

    [Fact]
    public async Task A_duplicate_extension_in_the_company_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var site = Bodies.Item("1.1", "noChange", "WHCSite", company.SiteServiceId, null, null, Bodies.User("1.1.1", "john", "2001", "01214960001"));
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.ChangeOrder(company.ServiceId, "x", site));
        reply.Json!["errors"]!.ToJsonString().Should().Contain("extension 2001 is already used");
    }

    [Fact]
    public async Task A_duplicate_site_name_in_the_company_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var reply = await sandbox.PostAsync(Paths.Orders, Bodies.ChangeOrder(company.ServiceId, "x", Bodies.Site("1.1", "IPSWICH-HQ", "IPS02")));
        reply.Json!["errors"]![0]!.GetValue<string>().Should().Contain("site name 'IPSWICH-HQ' is already used");
    }

    [Fact]
    public async Task Concurrent_qualifications_get_distinct_ids_from_the_single_lock()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => sandbox.QualifiedAsync($"C{i}", $"c{i}.example")));

        results.Select(r => r.ServiceId).Should().OnlyHaveUniqueItems();
        results.Select(r => r.QualificationId).Should().OnlyHaveUniqueItems();
        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().HaveCount(20);
    }
}
