using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>The reseller's company listing (assumed route): every page is read, and only a list is taken for an answer.</summary>
public sealed class CompanyListingTests : ClientTestBase
{
    private const string ListingPath = "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/companies";

    private static string Page(int from, int count) =>
        "[" + string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"serviceId":"WHHCBTWKN{{i}}","companyName":"Company {{i}}","status":"{{(i % 2 == 0 ? "active" : "qualified")}}"}""")) + "]";

    [Fact]
    public async Task Every_page_is_read_until_a_short_one()
    {
        Server.On("GET", ListingPath, StubResponse.Json(200, Page(0, 100)), StubResponse.Json(200, Page(100, 1)));
        var client = CreateClient();

        var companies = await client.ListCompaniesAsync(Contract.Cug, default);

        companies.Should().HaveCount(101);
        companies[100].Should().Be(new CompanySummary("Company 100", "WHHCBTWKN100", CompanyStatus.Active));
        companies[1].Status.Should().Be(CompanyStatus.Qualified);
        Server.ApiRequests.Select(r => (r.Query["offset"], r.Query["limit"])).Should().Equal(("0", "100"), ("100", "100"));
    }

    [Fact]
    public async Task A_404_is_an_error_not_an_empty_reseller()
    {
        Server.On("GET", ListingPath, StubResponse.Json(404, """{"code":"60","message":"Resource not found"}"""));
        var client = CreateClient();

        var list = () => client.ListCompaniesAsync(Contract.Cug, default);

        (await list.Should().ThrowAsync<WhcApiException>()).Which.Status.Should().Be(404);
    }

    [Theory]
    [InlineData("""{"companies":[]}""", "not a list of companies")]
    [InlineData("""[{"serviceId":"WHHCBTWKN1","status":"active"}]""", "field '[0].companyName' is missing")]
    [InlineData("""[{"serviceId":"WHHCBTWKN1","companyName":"A","status":"gone"}]""", "company status 'GONE'")]
    public async Task An_answer_that_is_not_a_list_of_companies_is_refused(string body, string message)
    {
        Server.On("GET", ListingPath, StubResponse.Json(200, body));
        var client = CreateClient();

        var list = () => client.ListCompaniesAsync(Contract.Cug, default);

        (await list.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task A_listing_that_ignores_the_offset_is_refused_rather_than_read_for_ever()
    {
        Server.On("GET", ListingPath, StubResponse.Json(200, Page(0, 100)), StubResponse.Json(200, Page(0, 100)));
        var client = CreateClient();

        var list = () => client.ListCompaniesAsync(Contract.Cug, default);

        (await list.Should().ThrowAsync<WhcApiException>()).Which.Message.Should().Contain("listed twice");
    }
}
