using Whc.Declarative.Core.Api;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>Issue 22: a token answer is data. The token is token68 text of bounded length, its lifetime a bounded whole number of seconds.</summary>
public sealed class TokenValidationTests : ClientTestBase
{
    private static readonly VerifyCheck Check = new VerifyCheck.CompanyName("TheFunNetwork");

    private async Task<WhcApiException> RefusedTokenAsync(string tokenAnswer)
    {
        Server.On("GET", "/oauth/accesstoken", StubResponse.Json(200, tokenAnswer));
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        var call = () => client.IsTakenAsync(Contract.Cug, Check, default);

        var failure = (await call.Should().ThrowAsync<WhcApiException>()).Which;
        WhcApiDiagnostics.ToDiagnostic(failure).Code.Should().Be("WHC4016");
        failure.Message.Should().Contain("token");
        Server.ApiRequests.Should().BeEmpty("a refused token is never used");
        return failure;
    }

    [Fact]
    public async Task A_token_holding_CR_LF_and_a_header_line_never_reaches_a_request_as_a_header()
    {
        // Not hex: the message carries a random tracking id (a GUID), which contains "abc" about once in 150 runs.
        var failure = await RefusedTokenAsync("""{"accessToken":"qzt\r\nX-Injected: evil","expiresIn":900}""");

        failure.Message.Should().NotContain("X-Injected").And.NotContain("qzt");
        Server.Requests.Should().NotContain(r => r.Headers.ContainsKey("x-injected"));
    }

    [Theory]
    [InlineData("""{"accessToken":"has space","expiresIn":900}""")]
    [InlineData("""{"accessToken":"t\u00e9st","expiresIn":900}""")]
    [InlineData("""{"accessToken":"a=b","expiresIn":900}""")]
    [InlineData("""{"accessToken":"","expiresIn":900}""")]
    [InlineData("""{"accessToken":12345,"expiresIn":900}""")]
    [InlineData("""{"accessToken":["x"],"expiresIn":900}""")]
    public async Task A_token_that_is_not_token68_text_is_refused(string answer)
    {
        var failure = await RefusedTokenAsync(answer);

        failure.Message.Should().Contain("accessToken");
    }

    [Fact]
    public async Task An_overlong_token_is_refused_without_echoing_it()
    {
        var failure = await RefusedTokenAsync($$"""{"accessToken":"{{new string('A', 4097)}}","expiresIn":900}""");

        failure.Message.Should().NotContain("AAAA");
    }

    [Theory]
    [InlineData("5e11")]
    [InlineData("1e400")]
    [InlineData("\"NaN\"")]
    [InlineData("1.5")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("86401")]
    [InlineData("\"12abc\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("99999999999999999999999")]
    public async Task An_expiresIn_that_is_not_a_bounded_positive_whole_number_is_refused(string expiresIn)
    {
        var failure = await RefusedTokenAsync($$"""{"accessToken":"good-token","expiresIn":{{expiresIn}}}""");

        failure.Message.Should().Contain("expiresIn");
    }

    [Theory]
    [InlineData("""{"accessToken":"aB3-._~+/token==","expiresIn":900}""")]
    [InlineData("""{"accessToken":"aB3-._~+/token","expiresIn":"86400"}""")]
    [InlineData("""{"accessToken":"t"}""")]
    public async Task A_token68_token_with_a_bounded_lifetime_is_used(string answer)
    {
        Server.On("GET", "/oauth/accesstoken", StubResponse.Json(200, answer));
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        await client.IsTakenAsync(Contract.Cug, Check, default);

        Server.ApiRequests.Should().ContainSingle().Which.Header("Authorization").Should().StartWith("Bearer ");
    }
}
