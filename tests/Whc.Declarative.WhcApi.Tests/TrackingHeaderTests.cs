using System.Text.RegularExpressions;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

public sealed class TrackingHeaderTests : ClientTestBase
{
    [Fact]
    public async Task Should_send_a_fresh_well_formed_uuid_tracking_header_on_every_request()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(503, Contract.ServerError), StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        await client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("A"), default);
        await client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("B"), default);

        var ids = Server.Requests.Select(r => r.Header(WhcHttpSender.TrackingHeader)).ToList();
        ids.Should().HaveCount(4);
        ids.Should().OnlyContain(id => id != null && IsUuid(id));
        ids.Should().OnlyContain(id => id != null && Regex.IsMatch(id, "^[A-Za-z0-9_.~:@-]{1,255}$"));
        ids.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Should_put_the_tracking_id_of_the_failing_request_into_the_exception()
    {
        Server.On("POST", Contract.SubmitPath, StubResponse.Json(404, """{"code":"60","message":"Order not found"}"""));
        var client = CreateClient();

        var act = () => client.SubmitOrderAsync("BTWKN9999", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        var sent = Server.ApiRequests.Single().Header(WhcHttpSender.TrackingHeader);
        failure.TrackingId.Should().Be(sent);
        failure.Message.Should().Contain(sent);
    }

    private static bool IsUuid(string id) => Guid.TryParseExact(id, "D", out _);
}
