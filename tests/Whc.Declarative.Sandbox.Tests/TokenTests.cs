namespace Whc.Declarative.Sandbox.Tests;

public sealed class TokenTests
{
    [Fact]
    public async Task Should_issue_a_token_on_POST_as_well_as_GET()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.RequestTokenAsync(HttpMethod.Post);
        reply.Code.Should().Be(200);
        reply.Json!["expiresIn"]!.GetValue<int>().Should().Be(899);
    }

    [Fact]
    public async Task Should_refuse_wrong_credentials_with_401_41()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.RequestTokenAsync(basic: SandboxHarness.Basic("whcctl-sandbox", "wrong"));
        (reply.Code, reply.ErrorCode).Should().Be((401, "41"));
    }

    [Fact]
    public async Task Should_refuse_a_token_request_without_Basic_auth_with_401_40()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await SandboxHarness.ReadAsync(await sandbox.Http.GetAsync("/oauth/accesstoken?grant_type=client_credentials"));
        (reply.Code, reply.ErrorCode).Should().Be((401, "40"));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_grant_type_with_400_28()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.RequestTokenAsync(query: "?grant_type=password");
        (reply.Code, reply.ErrorCode).Should().Be((400, "28"));
    }

    [Fact]
    public async Task Should_accept_extra_clients_given_in_the_options()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions
        {
            Clients = [new SandboxClient(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret), new SandboxClient("ci", "ci-secret")],
        });
        var reply = await sandbox.RequestTokenAsync(basic: SandboxHarness.Basic("ci", "ci-secret"));
        reply.Code.Should().Be(200);
    }

    [Fact]
    public async Task A_token_expires_after_899_seconds_on_the_sandbox_clock()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.TokenAsync();
        sandbox.Server.Clock.Advance(TimeSpan.FromSeconds(898));
        (await sandbox.SendAsync(HttpMethod.Get, Paths.Company("Acme"), token: token)).Code.Should().Be(404);

        sandbox.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        var reply = await sandbox.SendAsync(HttpMethod.Get, Paths.Company("Acme"), token: token);

        (reply.Code, reply.ErrorCode).Should().Be((401, "42"));
    }
}
