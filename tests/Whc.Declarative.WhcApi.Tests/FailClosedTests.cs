using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 15 (fail closed): a read concludes "free", "not created" or "no address" only from BT's own "no data" answer;
/// any other 404 (a gateway's 404/60 for a route it does not know, a page) is an error naming the call. Every TMF622
/// order state is read, and one TMF622 does not name is kept as unknown, never taken as final.
/// </summary>
public sealed class FailClosedTests : ClientTestBase
{
    private const string GatewayNotFound = """{"code":"60","message":"Resource not found"}""";

    public static TheoryData<string, string, Func<WhcClient, Task>> Reads => new()
    {
        { "read company", Contract.CompanyPath, c => c.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default) },
        { "verify company", Contract.CompanyPath, c => c.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default) },
        { "verify domain", "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/domain", c => c.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyDomain("fun.example"), default) },
        { "verify site", "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/site", c => c.IsTakenAsync(Contract.Cug, new VerifyCheck.SiteName("hq", "WHHCBTWKN1484"), default) },
        { "verify user", "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/user", c => c.IsTakenAsync(Contract.Cug, new VerifyCheck.Username("jane.smith"), default) },
        { "verify extension", "/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/extension", c => c.IsTakenAsync(Contract.Cug, new VerifyCheck.Extension("2001", "WHHCBTWKN1484"), default) },
        { "find order", Contract.OrderPath, c => c.FindOrderByExternalIdAsync("whcctl-6f0c", default) },
        { "search addresses", Contract.AddressPath, c => c.SearchAddressesAsync("IP5 3RE", default) },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_gateway_404_is_an_error_not_an_answer(string read, string path, Func<WhcClient, Task> call)
    {
        Server.On("GET", path, StubResponse.Json(404, GatewayNotFound));

        var act = () => call(CreateClient());

        var failure = (await act.Should().ThrowAsync<WhcApiException>(read)).Which;
        failure.Status.Should().Be(404);
        failure.Message.Should().Contain("not BT's 'no data' answer").And.Contain("--contract");
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_404_page_without_BTs_envelope_is_an_error_too(string read, string path, Func<WhcClient, Task> call)
    {
        Server.On("GET", path, new StubResponse(404, "<html>Not Found</html>"));

        var act = () => call(CreateClient());

        (await act.Should().ThrowAsync<WhcApiException>(read)).Which.Status.Should().Be(404);
    }

    [Fact]
    public async Task BTs_no_data_answer_still_means_free()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));

        (await CreateClient().IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("Nobody"), default)).Should().BeFalse();
    }

    [Theory]
    [InlineData("acknowledged", OrderState.Acknowledged, false)]
    [InlineData("rejected", OrderState.Rejected, true)]
    [InlineData("pending", OrderState.Pending, false)]
    [InlineData("held", OrderState.Held, false)]
    [InlineData("inProgress", OrderState.InProgress, false)]
    [InlineData("cancelled", OrderState.Cancelled, true)]
    [InlineData("completed", OrderState.Completed, true)]
    [InlineData("failed", OrderState.Failed, true)]
    [InlineData("partial", OrderState.Partial, true)]
    [InlineData("assessingCancellation", OrderState.AssessingCancellation, false)]
    [InlineData("pendingCancellation", OrderState.PendingCancellation, false)]
    [InlineData("INPROGRESS", OrderState.InProgress, false)]
    public async Task Every_TMF622_order_state_is_read(string text, OrderState state, bool final)
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(200, $$"""{"id":"BTWKN1485","externalId":"x","state":"{{text}}"}"""));

        var order = await CreateClient().ReadOrderAsync("BTWKN1485", default);

        (order.State, order.IsFinal).Should().Be((state, final));
    }

    [Fact]
    public async Task A_state_TMF622_does_not_name_is_unknown_and_not_final()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(200, """{"id":"BTWKN1485","externalId":"x","state":"awaitingEngineer"}"""));

        var order = await CreateClient().ReadOrderAsync("BTWKN1485", default);

        (order.State, order.IsFinal, order.StateText).Should().Be((OrderState.Unknown, false, "awaitingEngineer"));
    }
}
