using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

public sealed class ErrorAndRetryTests : ClientTestBase
{
    private static readonly QualificationRequest Qualification = new(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom");

    private static OrderRequest Order => new(
        "whcctl-1",
        Contract.Cug,
        "GB12345678",
        new OrderItem(WhcProducts.Company, OrderItemAction.NoChange, "WHHCBTWKN1484", ImmutableSortedDictionary<string, string>.Empty, null, null, []));

    [Fact]
    public async Task Should_map_BTs_error_envelope_with_code_message_and_errors()
    {
        Server.On("POST", Contract.OrderPath, StubResponse.Json(400, """{"code":"29","message":"Schema validation failed","errors":["duplicate extension 2001","unknown service id WHHS1"]}"""));
        var client = CreateClient();

        var act = () => client.CreateOrderAsync(Order, default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.Rejected);
        failure.Status.Should().Be(400);
        failure.BtCode.Should().Be("29");
        failure.OutcomeUnknown.Should().BeFalse();
        failure.Message.Should().Contain("creating order whcctl-1").And.Contain("Schema validation failed")
            .And.Contain("duplicate extension 2001").And.Contain("unknown service id WHHS1");
        failure.ToDiagnostic().Code.Should().Be("WHC4011");
    }

    [Fact]
    public async Task Should_map_404_code_60_to_not_found()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN9", StubResponse.Json(404, """{"code":"60","message":"Order not found"}"""));
        var client = CreateClient();

        var act = () => client.ReadOrderAsync("BTWKN9", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.NotFound);
        failure.BtCode.Should().Be("60");
    }

    [Fact]
    public async Task Should_describe_an_error_without_an_envelope()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN9", new StubResponse(400, "<html>bad gateway</html>"));
        var client = CreateClient();

        var act = () => client.ReadOrderAsync("BTWKN9", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.BtCode.Should().BeNull();
        failure.Message.Should().Contain("400").And.Contain("without BT's error envelope");
    }

    [Fact]
    public async Task Should_retry_a_POST_after_429_waiting_the_seconds_of_Retry_After()
    {
        Server.On(
            "POST",
            Contract.QualifyPath,
            new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "7" }),
            StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();

        var result = await client.QualifyAsync(Qualification, default);

        result.Qualified.Should().BeTrue();
        Server.ApiRequests.Should().HaveCount(2);
        Clock.Delays.Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(7.7));
    }

    [Fact]
    public async Task Should_retry_after_429_waiting_until_the_HTTP_date_of_Retry_After()
    {
        var date = (Clock.Now + TimeSpan.FromSeconds(5)).ToString("R", CultureInfo.InvariantCulture);
        Server.On(
            "POST",
            Contract.SubmitPath,
            new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = date }),
            StubResponse.Json(201, Contract.OrderSubmitted));
        var client = CreateClient();

        await client.SubmitOrderAsync("BTWKN1485", default);

        Server.ApiRequests.Should().HaveCount(2);
        Clock.Delays.Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(5)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(5.5));
    }

    [Fact]
    public async Task Should_fail_as_rate_limited_when_429_persists_through_all_attempts()
    {
        Server.On("GET", Contract.CompanyPath, new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }));
        var client = CreateClient(o => o with { MaxAttempts = 3 });

        var act = () => client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("X"), default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.RateLimited);
        failure.BtCode.Should().Be("80");
        Server.ApiRequests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Should_not_wait_for_a_Retry_After_longer_than_the_maximum_delay()
    {
        Server.On("GET", Contract.CompanyPath, new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "3600" }));
        var client = CreateClient();

        var act = () => client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("X"), default);

        (await act.Should().ThrowAsync<WhcApiException>()).Which.Kind.Should().Be(WhcFailureKind.RateLimited);
        Server.ApiRequests.Should().ContainSingle();
        Clock.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_retry_a_GET_after_5xx_with_growing_backoff_until_it_succeeds()
    {
        Server.On(
            "GET",
            Contract.CompanyPath,
            StubResponse.Json(500, Contract.ServerError),
            StubResponse.Json(503, """{"code":"05","message":"Service unavailable"}"""),
            StubResponse.Json(200, Contract.Company));
        var client = CreateClient(o => o with { BaseDelay = TimeSpan.FromSeconds(1) });

        var company = await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        company.Should().NotBeNull();
        Server.ApiRequests.Should().HaveCount(3);
        var delays = Clock.Delays.ToList();
        delays.Should().HaveCount(2);
        delays[0].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.5)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
        delays[1].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Should_give_up_on_a_GET_after_the_maximum_attempts_as_a_server_error()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(503, """{"code":"05","message":"Service unavailable"}"""));
        var client = CreateClient(o => o with { MaxAttempts = 3 });

        var act = () => client.ReadOrderAsync("BTWKN1485", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.ServerError);
        failure.Status.Should().Be(503);
        Server.ApiRequests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Should_never_repeat_a_POST_after_5xx_and_report_the_outcome_as_unknown()
    {
        Server.On("POST", Contract.OrderPath, StubResponse.Json(504, """{"code":"69","message":"Downstream timeout"}"""), StubResponse.Json(201, Contract.OrderCreated));
        var client = CreateClient();

        var act = () => client.CreateOrderAsync(Order, default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.ServerError);
        failure.BtCode.Should().Be("69");
        failure.OutcomeUnknown.Should().BeTrue();
        Server.ApiRequests.Should().ContainSingle();
    }

    [Fact]
    public async Task Should_never_repeat_a_POST_that_timed_out_and_report_the_outcome_as_unknown()
    {
        Server.On("POST", Contract.RingFencePath, new StubResponse(201, Contract.RingFenced, Delay: TimeSpan.FromSeconds(30)));
        // Long enough for the request to reach the stub even on a loaded machine's cold start (at 300 ms it once gave
        // up before sending, and the stub saw nothing), far shorter than the stub's delay.
        var client = CreateClient(o => o with { Timeout = TimeSpan.FromSeconds(2) });

        var act = () => client.RingFenceAsync(new RingFenceRequest(Contract.Cug, "0121", 1, "WHHCBTWKN1484", null), default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.Timeout);
        failure.OutcomeUnknown.Should().BeTrue();
        failure.Message.Should().Contain("not repeated");
        // The stub records a request once it has read it, which may be after the client gave up: wait for that, then
        // check nothing came after it.
        for (var waited = 0; Server.ApiRequests.Count == 0 && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
        Server.ApiRequests.Should().ContainSingle();
    }

    [Fact]
    public async Task Should_retry_a_GET_that_timed_out()
    {
        Server.On("GET", Contract.AddressPath, new StubResponse(200, Contract.Addresses, Delay: TimeSpan.FromSeconds(30)), StubResponse.Json(200, Contract.Addresses));
        var client = CreateClient(o => o with { Timeout = TimeSpan.FromMilliseconds(300) });

        var addresses = await client.SearchAddressesAsync("IP5 3RE", default);

        addresses.Should().ContainSingle();
        Server.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Should_never_repeat_a_POST_whose_connection_dropped()
    {
        Server.On("POST", Contract.SubmitPath, new StubResponse(0, Drop: true), StubResponse.Json(201, Contract.OrderSubmitted));
        var client = CreateClient();

        var act = () => client.SubmitOrderAsync("BTWKN1485", default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.Kind.Should().Be(WhcFailureKind.Timeout);
        failure.OutcomeUnknown.Should().BeTrue();
        Server.ApiRequests.Should().ContainSingle();
    }

    [Fact]
    public async Task Should_let_the_callers_cancellation_through_as_cancellation()
    {
        Server.On("GET", Contract.CompanyPath, new StubResponse(200, Contract.Company, Delay: TimeSpan.FromSeconds(30)));
        var client = CreateClient();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Should_count_every_request_per_operation_including_retries_and_tokens()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(503, Contract.ServerError), StubResponse.Json(404, Contract.NotFound));
        Server.On("POST", Contract.SubmitPath, StubResponse.Json(201, Contract.OrderSubmitted));
        var client = CreateClient();

        await client.ReadCompanyAsync(Contract.Cug, "X", default);
        await client.SubmitOrderAsync("BTWKN1485", default);

        client.Calls.Total.Should().Be(4);
        client.Calls.ByOperation.Should().Equal(new Dictionary<string, long> { ["readCompany"] = 2, ["submitOrder"] = 1, ["token"] = 1 });
    }
}
