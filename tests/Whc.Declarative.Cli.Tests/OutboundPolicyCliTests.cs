using System.Diagnostics;
using Whc.Declarative.Cli.Tests.Support;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 22 from the command line: plain http off loopback is refused before anything is sent (WHC4017), and a
/// contract cannot move a call to another origin (WHC4018) unless the user allows it with --allow-origin or
/// WHC_ALLOW_ORIGINS. Every server is on 127.0.0.1; the host off loopback is under .invalid.
/// </summary>
public sealed class OutboundPolicyCliTests
{
    private const string Cug = "CUG5019851064";

    [Theory]
    [InlineData("doctor", "--cug", Cug)]
    [InlineData("plan", "examples")]
    [InlineData("import", "--all", "--cug", Cug, "--billing-account", "GB12345678")]
    public async Task A_plain_http_endpoint_off_loopback_is_refused_at_once_naming_https(params string[] args)
    {
        await using var session = await SandboxSession.StartAsync();
        var clock = Stopwatch.StartNew();

        var run = await session.RunAsync([.. args, "--endpoint", "http://bt-gateway.invalid/api"]);

        run.ExitCode.Should().Be(ExitCodes.Error, run.ToString());
        run.Error.Should().Contain("WHC4017").And.Contain("https").And.Contain("http://bt-gateway.invalid/api");
        run.Error.Should().NotContain("retrying");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "nothing is sent, so nothing is retried");
    }

    [Fact]
    public async Task WHC_ENDPOINT_in_plain_http_off_loopback_is_refused_without_its_user_info()
    {
        await using var session = await SandboxSession.StartAsync();
        var environment = new Dictionary<string, string?>(session.Environment, StringComparer.Ordinal) { ["WHC_ENDPOINT"] = "http://bt-gateway.invalid:8080/" };

        var run = await Whcctl.RunAsync(session.Workspace.Path, environment, "doctor", "--cug", Cug);

        run.ExitCode.Should().Be(ExitCodes.Error, run.ToString());
        run.Error.Should().Contain("WHC4017").And.Contain("bt-gateway.invalid:8080");
    }

    [Fact]
    public async Task A_contract_that_moves_the_token_call_to_another_origin_is_refused_and_nothing_reaches_it()
    {
        await using var session = await SandboxSession.StartAsync();
        await using var other = await SandboxSession.StartAsync();
        session.Write("contract.json", $$"""{ "routes": { "token": { "path": "{{other.Sandbox.BaseUri.AbsoluteUri.TrimEnd('/')}}/oauth/accesstoken" } } }""");

        var run = await session.RunAsync("doctor", "--cug", Cug, "--contract", "contract.json");

        run.ExitCode.Should().Be(ExitCodes.Error, run.ToString());
        run.Error.Should().Contain("WHC4018").And.Contain("'token'").And.Contain(other.Sandbox.BaseUri.Authority).And.Contain("--allow-origin");
        (await other.AdminGetAsync("/_sandbox/requests")).AsArray().Should().BeEmpty();
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Should().BeEmpty("the refusal comes before anything is sent");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_origin_the_user_allows_takes_the_token_call(bool onTheCommandLine)
    {
        await using var session = await SandboxSession.StartAsync();
        await using var other = await SandboxSession.StartAsync();
        var origin = other.Sandbox.BaseUri.AbsoluteUri.TrimEnd('/');
        session.Write("contract.json", $$"""{ "routes": { "token": { "path": "{{origin}}/oauth/accesstoken" } } }""");
        var environment = new Dictionary<string, string?>(session.Environment, StringComparer.Ordinal);
        string[] args = ["doctor", "--cug", Cug, "--contract", "contract.json"];
        if (onTheCommandLine)
        {
            args = [.. args, "--allow-origin", "https://address.invalid", "--allow-origin", origin];
        }
        else
        {
            environment["WHC_ALLOW_ORIGINS"] = $"https://address.invalid, {origin}";
        }

        var run = await Whcctl.RunAsync(session.Workspace.Path, environment, args);

        run.Error.Should().NotContain("WHC4018");
        (await other.AdminGetAsync("/_sandbox/requests")).AsArray().Should().ContainSingle().Which!["route"]!.GetValue<string>().Should().Be("token");
    }

    [Theory]
    [InlineData("http://address.invalid", "WHC4017")]
    [InlineData("https://address.invalid/path", "WHC4018")]
    public async Task An_allowed_origin_that_is_not_a_bare_https_origin_is_refused(string origin, string code)
    {
        await using var session = await SandboxSession.StartAsync();

        var run = await session.RunAsync("doctor", "--cug", Cug, "--allow-origin", origin);

        run.ExitCode.Should().Be(ExitCodes.Error, run.ToString());
        run.Error.Should().Contain(code);
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Should().BeEmpty();
    }
}
