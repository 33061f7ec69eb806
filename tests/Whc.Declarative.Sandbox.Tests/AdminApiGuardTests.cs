using System.Text;

namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// The admin API has no credentials, so a web page must not reach it: not through DNS rebinding (a Host header that
/// is not loopback) and not with a cross-site "simple" form post (any content type but JSON).
/// </summary>
public sealed class AdminApiGuardTests
{
    [Theory]
    [InlineData("GET", "/_sandbox/inventory")]
    [InlineData("GET", "/_sandbox/requests")]
    [InlineData("GET", "/_sandbox/clock")]
    [InlineData("POST", "/_sandbox/reset")]
    [InlineData("POST", "/_sandbox/outside/companies/TheFunNetwork/cease")]
    public async Task An_admin_call_whose_Host_is_not_loopback_gets_403_50_and_changes_nothing(string method, string path)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();

        foreach (var host in new[] { "rebind.example", "rebind.example:" + sandbox.Server.BaseUri.Port, "127.0.0.1.nip.io", "localhost.example", "10.0.0.1" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Host = host;
            if (method == "POST")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            var reply = await SandboxHarness.ReadAsync(await sandbox.Http.SendAsync(request));

            (reply.Code, reply.ErrorCode).Should().Be((403, "50"), $"{method} {path} with Host {host}");
            reply.Json!["message"]!.GetValue<string>().Should().Contain("loopback");
        }

        (await sandbox.InventoryAsync())["companies"]![0]!["status"]!.GetValue<string>().Should().Be("active");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("[::1]")]
    public async Task An_admin_call_with_a_loopback_Host_is_served_with_any_port(string name)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        foreach (var host in new[] { name, $"{name}:{sandbox.Server.BaseUri.Port}", $"{name}:8080" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_sandbox/clock");
            request.Headers.Host = host;

            (await sandbox.Http.SendAsync(request)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, host);
        }
    }

    [Fact]
    public async Task The_BT_API_itself_is_not_restricted_by_Host()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/oauth/accesstoken?grant_type=client_credentials");
        request.Headers.Host = "whc-sandbox.internal:443";
        request.Headers.Authorization = new("Basic", SandboxHarness.Basic(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret));

        (await sandbox.Http.SendAsync(request)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("text/plain", "{}")]
    [InlineData("application/x-www-form-urlencoded", "reset=1")]
    [InlineData("multipart/form-data; boundary=x", "--x--")]
    [InlineData("application/jsonx", "{}")]
    [InlineData(null, "")]
    public async Task An_admin_POST_without_a_JSON_content_type_gets_415_68_and_changes_nothing(string? mediaType, string body)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();

        foreach (var path in new[] { "/_sandbox/reset", "/_sandbox/tokens/revoke", "/_sandbox/outside/companies/TheFunNetwork/cease", "/_sandbox/clock", "/_sandbox/faults" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path);
            if (mediaType is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
            }

            var reply = await SandboxHarness.ReadAsync(await sandbox.Http.SendAsync(request));

            (reply.Code, reply.ErrorCode).Should().Be((415, "68"), $"POST {path} as {mediaType ?? "nothing"}");
        }

        var inventory = await sandbox.InventoryAsync();
        inventory["companies"]!.AsArray().Should().ContainSingle("reset did not happen")
            .Which!["status"]!.GetValue<string>().Should().Be("active", "cease did not happen");
        (await sandbox.GetAsync(Paths.Company("TheFunNetwork"))).Code.Should().Be(200, "the token was not revoked");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=UTF-8")]
    public async Task An_admin_POST_with_the_JSON_media_type_is_served_whatever_the_charset(string mediaType)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_sandbox/reset") { Content = new ByteArrayContent([]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);

        (await sandbox.Http.SendAsync(request)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().BeEmpty();
    }
}
