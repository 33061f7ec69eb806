using Whc.Declarative.Contract;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 26: the client's configuration messages pinned whole, written against the wording at the call sites before
/// it moved into the catalogue's templates, so the move is seen to keep every byte.
/// </summary>
public sealed class ConfigurationWordingTests
{
    private static string Refusal(Action act)
    {
        var thrown = Assert.Throws<WhcConfigurationException>(act);
        return string.Join("\n", thrown.Diagnostics.Select(d => $"{d.Code} {d.Message}"));
    }

    [Fact]
    public void An_endpoint_that_is_no_preset_nor_url_is_worded_as_before()
    {
        Refusal(() => WhcEndpoint.Resolve("staging")).Should().Be(
            "WHC4002 endpoint 'staging' is not one of sandbox, testa, production, nor an absolute http(s) URL without query");
    }

    [Fact]
    public void An_endpoint_with_user_info_is_worded_as_before()
    {
        Refusal(() => WhcEndpoint.Resolve("https://me:hunter2@host.test")).Should().Be(
            "WHC4002 the endpoint URL must not contain user info; credentials come from WHC_CLIENT_ID and WHC_CLIENT_SECRET");
    }

    [Fact]
    public void A_plain_http_endpoint_off_loopback_is_worded_as_before()
    {
        Refusal(() => WhcEndpoint.Resolve("http://host.invalid/whc")).Should().Be(
            "WHC4017 endpoint 'http://host.invalid/whc' is plain http: whcctl sends credentials and tokens only over https (plain http only on loopback: 127.0.0.0/8, ::1, localhost)");
    }

    [Theory]
    [InlineData(null, "WHC_CLIENT_ID and WHC_CLIENT_SECRET are")]
    [InlineData("id", "WHC_CLIENT_SECRET is")]
    public void Missing_credentials_are_worded_as_before(string? id, string names)
    {
        var env = new Dictionary<string, string?> { ["WHC_CLIENT_ID"] = id };

        Refusal(() => WhcCredentials.FromEnvironment(env)).Should().Be(
            $"WHC4001 {names} not set; set the client id and secret of your BT developer app in the environment");
    }

    [Fact]
    public void Allowed_origins_that_are_not_origins_are_worded_as_before()
    {
        Refusal(() => WhcOutboundPolicy.ParseAllowedOrigins(["ftp://files.invalid", "https://u:p@host.invalid/path", "http://host.invalid"])).Should().Be(
            "WHC4018 allowed origin 'ftp://files.invalid' is not an https URL such as https://host or https://host:port\n"
            + "WHC4018 allowed origin 'https://***@host.invalid/path' must be only scheme, host and port (no user info, path, query or fragment)\n"
            + "WHC4017 allowed origin 'http://host.invalid/' is plain http: calls leave loopback only over https");
    }

    [Fact]
    public void An_endpoint_that_is_not_http_is_worded_as_before()
    {
        Refusal(() => WhcOutboundPolicy.For(Options(new Uri("ftp://host.invalid/whc")))).Should().Be(
            "WHC4017 endpoint 'ftp://host.invalid/whc' must be an https URL");
    }

    [Fact]
    public void An_endpoint_with_user_info_given_as_options_is_worded_as_before()
    {
        Refusal(() => WhcOutboundPolicy.For(Options(new Uri("https://me:secret@host.invalid/whc")))).Should().Be(
            "WHC4002 endpoint 'https://host.invalid/whc' must not contain user info; credentials come from WHC_CLIENT_ID and WHC_CLIENT_SECRET");
    }

    [Fact]
    public void Contract_routes_off_the_endpoint_are_worded_as_before()
    {
        var contract = ContractLoader.Load([ContractLoader.ParseOverlay(
            """{ "routes": { "token": { "path": "https://other.invalid/oauth/accesstoken" } } }""",
            "contract.json").Overlay!]).Contract!;

        Refusal(() => WhcOutboundPolicy.For(Options(new Uri("https://host.invalid/whc"), contract))).Should().Be(
            "WHC4018 contract route 'token' goes to origin https://other.invalid:443, which is not the endpoint's (https://host.invalid:443); a contract cannot add an origin: allow it yourself with --allow-origin or WHC_ALLOW_ORIGINS");
    }

    [Fact]
    public void A_configuration_refused_without_words_is_worded_as_before()
    {
        new WhcConfigurationException().Diagnostic.Message.Should().Be("invalid WHC client configuration");
        new WhcConfigurationException([]).Diagnostic.Message.Should().Be("invalid WHC client configuration");
    }

    private static WhcClientOptions Options(Uri endpoint, WhcContract? contract = null) =>
        new() { BaseUri = endpoint, Credentials = new WhcCredentials("id", "secret"), Contract = contract ?? WhcContract.Default };
}
