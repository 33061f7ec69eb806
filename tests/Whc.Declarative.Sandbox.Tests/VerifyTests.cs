namespace Whc.Declarative.Sandbox.Tests;

public sealed class VerifyTests
{
    [Fact]
    public async Task A_qualified_company_name_answers_200_case_insensitively()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync("TheFunNetwork", "thefunnetwork.com");

        var reply = await sandbox.GetAsync(Paths.Company("THEFUNNETWORK"));

        reply.Code.Should().Be(200);
        reply.Json!["status"]!.GetValue<string>().Should().Be("qualified");
        reply.Json["serviceId"]!.GetValue<string>().Should().Be("WHHCBTWKN1484");
    }

    [Fact]
    public async Task A_company_of_another_reseller_answers_200_with_only_its_name_and_status()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync("TheFunNetwork", "thefunnetwork.com", SandboxHarness.OtherCug);

        var reply = await sandbox.GetAsync(Paths.Company("TheFunNetwork"));

        reply.Code.Should().Be(200);
        reply.Json!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("companyName", "status");
    }

    [Fact]
    public async Task A_missing_companyName_gets_400_27()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Reseller + SandboxHarness.Cug + "/company");
        (reply.Code, reply.ErrorCode).Should().Be((400, "27"));
    }

    [Fact]
    public async Task Verify_domain_answers_404_when_free_and_200_when_taken()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var path = Paths.Reseller + SandboxHarness.Cug + "/domain?companyDomain=TheFunNetwork.COM";
        (await sandbox.GetAsync(path)).Code.Should().Be(404);
        await sandbox.QualifiedAsync("TheFunNetwork", "thefunnetwork.com", SandboxHarness.OtherCug);
        (await sandbox.GetAsync(path)).Code.Should().Be(200);
    }

    [Fact]
    public async Task Verify_site_user_and_extension_find_what_a_completed_order_created()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var company = await sandbox.ActiveCompanyAsync();
        var reseller = Paths.Reseller + SandboxHarness.Cug;

        (await sandbox.GetAsync($"{reseller}/site?siteName=IPSWICH-HQ&companyServiceId={company.ServiceId}")).Json!["serviceId"]!.GetValue<string>().Should().Be(company.SiteServiceId);
        (await sandbox.GetAsync($"{reseller}/site?siteName=leeds&companyServiceId={company.ServiceId}")).Code.Should().Be(404);
        (await sandbox.GetAsync($"{reseller}/user?username=jane.smith")).Json!["serviceId"]!.GetValue<string>().Should().Be(company.UserServiceId);
        (await sandbox.GetAsync($"{reseller}/user?username=john")).Code.Should().Be(404);
        (await sandbox.GetAsync($"{reseller}/extension?extension=2001&companyServiceId={company.ServiceId}")).Code.Should().Be(200);
        (await sandbox.GetAsync($"{reseller}/extension?extension=2002&companyServiceId={company.ServiceId}")).Code.Should().Be(404);
    }

    [Fact]
    public async Task Verify_site_without_companyServiceId_gets_400_27()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Reseller + SandboxHarness.Cug + "/site?siteName=x");
        (reply.Code, reply.ErrorCode).Should().Be((400, "27"));
    }
}
