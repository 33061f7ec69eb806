using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 22, item 4: a hostile gateway (a stub on 127.0.0.1) echoes the client secret, the Basic credentials and the
/// issued token back in an error body, in every form an encoder writes them; none reaches the error message (stderr)
/// or the recording.
/// </summary>
public sealed class RedactionFormsTests : ClientTestBase
{
    private const string Id = "hostile-id";

    /// <summary>A quote, a non-ASCII letter, '+', '/', a space and '~': every encoder writes it differently.</summary>
    private const string Secret = "s3\"cr\u00e4t+/ ok~~";

    private const string Token = "Tok+en/42~abc";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Unpadded(string base64) => base64.TrimEnd('=');

    private static string UrlSafe(string base64) => base64.Replace('+', '-').Replace('/', '_');

    public static TheoryData<string, string> EchoedForms => new()
    {
        { "raw", Secret },
        { "JSON, short escapes and \\u00e4", @"s3\""cr\u00e4t+/ ok~~" },
        { "JSON, short escapes and \\u00E4", @"s3\""cr\u00E4t+/ ok~~" },
        { "JSON, UTF-8 unescaped", "s3\\\"cr\u00e4t+/ ok~~" },
        { "JSON, System.Text.Json's default encoder", @"s3\u0022cr\u00E4t\u002B/ ok~~" },
        { "JSON, slash escaped too", @"s3\""cr\u00e4t+\/ ok~~" },
        { "URL-encoded", "s3%22cr%C3%A4t%2B%2F%20ok~~" },
        { "URL-encoded, lower-case hex", "s3%22cr%c3%a4t%2b%2f%20ok~~" },
        { "form-encoded", "s3%22cr%C3%A4t%2B%2F+ok%7E%7E" },
        { "form-encoded, ~ kept", "s3%22cr%C3%A4t%2B%2F+ok~~" },
        { "hex, lower case", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Secret)) },
        { "hex, upper case", Convert.ToHexString(Encoding.UTF8.GetBytes(Secret)) },
        { "base64", Base64(Secret) },
        { "base64, URL-safe", UrlSafe(Base64(Secret)) },
        { "Basic credentials, base64", Base64($"{Id}:{Secret}") },
        { "Basic credentials, unpadded base64", Unpadded(Base64($"{Id}:{Secret}")) },
        { "Basic credentials, URL-safe unpadded base64", UrlSafe(Unpadded(Base64($"{Id}:{Secret}"))) },
        { "Basic credentials, URL-encoded", Uri.EscapeDataString($"{Id}:{Secret}") },
        { "the token", Token },
        { "the token, URL-encoded", Uri.EscapeDataString(Token) },
        { "the token, JSON default encoder", @"Tok\u002Ben/42~abc" },
        { "the token, hex", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Token)) },
        { "the token, unpadded base64", Unpadded(Base64(Token)) },
        { "the token, URL-safe base64", UrlSafe(Base64(Token)) },
    };

    [Theory]
    [MemberData(nameof(EchoedForms))]
    public async Task A_secret_echoed_in_any_form_reaches_neither_the_error_message_nor_the_recording(string form, string echoed)
    {
        // Given a gateway that issues a token, then echoes a form of a credential as is in one error body and as the
        // text of the error message (so the message, once decoded, holds it) in the next
        Server.On("GET", "/oauth/accesstoken", StubResponse.Json(200, $$"""{"accessToken":"{{Token}}","expiresIn":899}"""));
        Server.On(
            "POST",
            Contract.SubmitPath,
            StubResponse.Json(400, $$"""{"code":"29","message":"bad request from {{echoed}} here"}"""),
            StubResponse.Json(400, new JsonObject { ["code"] = "29", ["message"] = $"bad request from {echoed} here" }.ToJsonString()));
        var recorder = new WhcRecorder();
        var client = CreateClient(o => o with { Credentials = new WhcCredentials(Id, Secret), Recorder = recorder });

        // When two calls fail with those answers
        var messages = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var submit = () => client.SubmitOrderAsync("BTWKN1485", default);
            messages.Add((await submit.Should().ThrowAsync<WhcApiException>()).Which.Message);
        }

        // Then neither the messages, the log nor the recording (its text, or any string in it once decoded) holds it
        Server.Requests.Should().HaveCount(3, "the token call and the two submits");
        messages[1].Should().Contain("bad request from ***", "the message is kept, the credential hidden");
        foreach (var message in messages)
        {
            message.Should().NotContain(echoed, form);
        }

        Logs.All.Should().NotContain(echoed, form);
        var har = recorder.ToHar("whcctl", "test").ToJson();
        har.Should().NotContain(echoed, form);
        Whc.Declarative.Tests.Shared.JsonStrings.Decoded(har).Should().NotContain(echoed, form);
        har.Should().Contain("***");
    }

    [Fact]
    public async Task Every_string_of_the_token_answer_is_hidden_whatever_its_field_names_and_so_are_cookies()
    {
        // Given a token answer holding secrets under names whcctl does not know, nested, and a cookie
        Server.On("GET", "/oauth/accesstoken", new StubResponse(
            200,
            """{"accessToken":"token-known-1","expiresIn":899,"refreshHandle":"hidden-refresh-99","nested":{"list":["deep-secret-77",{"k":"deeper-secret-66"}],"n":5,"ok":true}}""",
            new Dictionary<string, string> { ["Set-Cookie"] = "session=cookie-secret-55; Path=/; HttpOnly" }));
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var recorder = new WhcRecorder();
        var client = CreateClient(o => o with { Recorder = recorder });

        // When the client reads with that token
        await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        // Then the token answer is recorded with every string hidden, numbers and booleans (its shape) kept
        var har = recorder.ToHar("whcctl", "test").ToJson();
        foreach (var secret in new[] { "token-known-1", "hidden-refresh-99", "deep-secret-77", "deeper-secret-66", "cookie-secret-55" })
        {
            har.Should().NotContain(secret);
            Whc.Declarative.Tests.Shared.JsonStrings.Decoded(har).Should().NotContain(secret);
        }

        var tokenEntry = recorder.Entries[0];
        var answer = JsonNode.Parse(tokenEntry.Response.Content.Text!)!;
        answer["refreshHandle"]!.GetValue<string>().Should().Be("***");
        answer["nested"]!["list"]![0]!.GetValue<string>().Should().Be("***");
        answer["nested"]!["list"]![1]!["k"]!.GetValue<string>().Should().Be("***");
        answer["expiresIn"]!.GetValue<int>().Should().Be(899);
        answer["nested"]!["ok"]!.GetValue<bool>().Should().BeTrue();
        tokenEntry.Response.Headers.Single(h => h.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Value.Should().Be("session=***");
    }

    [Theory]
    [InlineData("access_token=plain-secret-44&expires_in=899")]
    [InlineData("""{"accessToken":"plain-secret-44","accessToken":"plain-secret-44b","expiresIn":899}""")]
    public async Task A_token_answer_that_is_not_JSON_is_not_recorded_in_clear(string answer)
    {
        Server.On("GET", "/oauth/accesstoken", new StubResponse(200, answer));
        var recorder = new WhcRecorder();
        var client = CreateClient(o => o with { Recorder = recorder });

        var read = () => client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        await read.Should().ThrowAsync<WhcApiException>();
        recorder.ToHar("whcctl", "test").ToJson().Should().NotContain("plain-secret-44");
    }

    [Fact]
    public void Redacting_a_large_body_full_of_near_misses_is_fast()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secret);
        for (var i = 0; i < 50; i++)
        {
            redactor.Add($"token-{i:D4}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
        }

        // 4 MiB of text in which every position starts a near miss of the tokens, with one real echo at the end
        var body = string.Concat(Enumerable.Repeat("token-0001-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 4 * 1024 * 1024 / 52)) + Base64(Secret);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var redacted = redactor.Redact(body);

        watch.Stop();
        redacted.Should().EndWith("***").And.NotContain(Base64(Secret));
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("x", "tail")]
    [InlineData("xy", "t")]
    [InlineData("{\"a\":\"", "\"}")]
    public void A_secret_inside_a_larger_base64_text_is_hidden_at_any_byte_offset(string before, string after)
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secret);
        var bytes = Encoding.UTF8.GetBytes(before + Secret + after);
        var secretStart = Encoding.UTF8.GetByteCount(before);
        var secretEnd = secretStart + Encoding.UTF8.GetByteCount(Secret);

        foreach (var encoded in new[] { Convert.ToBase64String(bytes), UrlSafe(Base64(before + Secret + after)) })
        {
            var redacted = redactor.Redact(encoded);

            // Every base64 character made only of the secret's bits is hidden
            redacted.Should().Contain("***");
            var firstWhole = (secretStart * 8 + 5) / 6;
            var lastWhole = (secretEnd * 8 / 6) - 1;
            redacted.Should().NotContain(encoded[firstWhole..(lastWhole + 1)], $"{before}|{after}");
        }
    }

    [Fact]
    public void Redaction_hides_the_longest_form_and_is_the_same_every_time()
    {
        var redactor = new SecretRedactor();
        redactor.Add("abcd1234");
        redactor.Add("abcd1234-longer");

        redactor.Redact("x abcd1234-longer y ABCD1234 z").Should().Be("x *** y *** z");
        redactor.Redact("x abcd1234-longer y ABCD1234 z").Should().Be("x *** y *** z");
    }
}
