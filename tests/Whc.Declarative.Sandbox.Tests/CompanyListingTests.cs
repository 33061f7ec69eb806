using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>The reseller's company listing (an assumed route, for bulk import): paged, own companies only, live ones only.</summary>
public sealed class CompanyListingTests
{
    private static string Listing(string query = "", string cug = SandboxHarness.Cug) => $"{Paths.Reseller}{cug}/companies{query}";

    [Fact]
    public async Task The_listing_pages_through_the_resellers_live_companies_in_a_stable_order()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync("Alpha", "alpha.example", username: "a.user");
        await sandbox.QualifiedAsync("Bravo", "bravo.example");
        await sandbox.QualifiedAsync("Other", "other.example", SandboxHarness.OtherCug);
        await sandbox.ActiveCompanyAsync("Charlie", "charlie.example", username: "c.user");

        var first = await sandbox.GetAsync(Listing("?offset=0&limit=2"));
        var second = await sandbox.GetAsync(Listing("?offset=2&limit=2"));

        first.Code.Should().Be(200);
        Names(first).Should().Equal("Alpha", "Bravo");
        Names(second).Should().Equal("Charlie");
        first.Json!.AsArray()[0]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("serviceId", "companyName", "status");
        first.Json!.AsArray()[0]!["status"]!.GetValue<string>().Should().Be("active");
        Names(await sandbox.GetAsync(Listing(cug: SandboxHarness.OtherCug))).Should().Equal("Other");
    }

    [Fact]
    public async Task A_ceased_company_is_not_listed()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();
        (await sandbox.AdminAsync(HttpMethod.Post, "/_sandbox/outside/companies/TheFunNetwork/cease", "{}")).Code.Should().Be(200);

        Names(await sandbox.GetAsync(Listing())).Should().BeEmpty();
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?offset=-1")]
    [InlineData("?offset=x")]
    public async Task A_paging_value_out_of_range_is_a_400_in_BTs_error_shape(string query)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.GetAsync(Listing(query));

        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    private static IEnumerable<string> Names(Reply reply) => reply.Json!.AsArray().Select(c => c!["companyName"]!.GetValue<string>());
}
