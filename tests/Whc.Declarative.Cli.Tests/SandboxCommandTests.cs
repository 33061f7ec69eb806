using System.Net.Http.Headers;
using System.Text;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

public sealed class SandboxCommandTests
{
    private sealed class Run
    {
        public StringWriter Out { get; } = new();
        public StringWriter Err { get; } = new();
        public TextWriter SyncOut => TextWriter.Synchronized(Out);

        public IOContext Io(TextWriter output) => new(output, TextWriter.Synchronized(Err), TextReader.Null, new Dictionary<string, string?>(), Path.GetTempPath(), isTerminal: false);

        public string Output { get { lock (Out) { return Out.ToString(); } } }
    }

    [Fact]
    public async Task Serve_prints_the_base_url_and_credentials_serves_tokens_and_stops_on_cancellation()
    {
        var run = new Run();
        using var cancellation = new CancellationTokenSource();
        var exit = WhcctlApp.RunAsync(["sandbox", "serve", "--client", "ci:ci-secret"], run.Io(run.SyncOut), cancellation.Token);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!run.Output.Contains("client: ci:ci-secret") && !exit.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().Contain("client: whcctl-sandbox:sandbox-secret").And.Contain("client: ci:ci-secret");
        var baseUrl = lines.Single(l => l.StartsWith("base-url: ", StringComparison.Ordinal))["base-url: ".Length..];
        baseUrl.Should().StartWith("http://127.0.0.1:");
        using (var http = new HttpClient { BaseAddress = new Uri(baseUrl) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/accesstoken?grant_type=client_credentials");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:ci-secret")));
            (await http.SendAsync(request)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        await cancellation.CancelAsync();
        (await exit).Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Serve_on_a_data_directory_in_use_fails_with_WHC4090_and_no_stack_trace()
    {
        var directory = Path.Combine(Path.GetTempPath(), "whcctl-sandbox-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var holder = await SandboxServer.StartAsync(new SandboxOptions { DataDirectory = directory }, CancellationToken.None);
            var run = new Run();

            var exit = await WhcctlApp.RunAsync(["sandbox", "serve", "--data-dir", directory], run.Io(run.Out), CancellationToken.None);

            exit.Should().Be(ExitCodes.Error);
            run.Err.ToString().Should().StartWith("error WHC4090:").And.Contain(directory).And.NotContain("   at ");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_binds_a_client_given_with_CUGs_which_may_act_only_for_them()
    {
        var run = new Run();
        using var cancellation = new CancellationTokenSource();
        var exit = WhcctlApp.RunAsync(["sandbox", "serve", "--client", "ci:ci-secret:CUG5019851064,CUG7000000001"], run.Io(run.SyncOut), cancellation.Token);
        var baseUrl = await BaseUrlAsync(run, exit, "client: ci:");

        run.Output.Split('\n', StringSplitOptions.TrimEntries).Should().Contain("client: ci:ci-secret:CUG5019851064,CUG7000000001")
            .And.Contain("client: whcctl-sandbox:sandbox-secret", "the default client stays, unbound");
        using (var http = new HttpClient { BaseAddress = new Uri(baseUrl) })
        {
            var token = await TokenAsync(http, "ci:ci-secret");
            (await CompaniesAsync(http, token, "CUG7000000001")).Should().Be(System.Net.HttpStatusCode.OK);
            (await CompaniesAsync(http, token, "CUG1234567890")).Should().Be(System.Net.HttpStatusCode.Forbidden);
            (await CompaniesAsync(http, await TokenAsync(http, "whcctl-sandbox:sandbox-secret"), "CUG1234567890")).Should().Be(System.Net.HttpStatusCode.OK);
        }

        await cancellation.CancelAsync();
        (await exit).Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Serve_binds_the_default_client_when_it_is_given_with_CUGs()
    {
        var run = new Run();
        using var cancellation = new CancellationTokenSource();
        var exit = WhcctlApp.RunAsync(["sandbox", "serve", "--client", "whcctl-sandbox:sandbox-secret:CUG5019851064"], run.Io(run.SyncOut), cancellation.Token);
        var baseUrl = await BaseUrlAsync(run, exit, "client: ");

        run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("client: ", StringComparison.Ordinal))
            .Should().Equal("client: whcctl-sandbox:sandbox-secret:CUG5019851064");
        using (var http = new HttpClient { BaseAddress = new Uri(baseUrl) })
        {
            (await CompaniesAsync(http, await TokenAsync(http, "whcctl-sandbox:sandbox-secret"), "CUG7000000001")).Should().Be(System.Net.HttpStatusCode.Forbidden);
        }

        await cancellation.CancelAsync();
        (await exit).Should().Be(ExitCodes.Success);
    }

    [Theory]
    [InlineData("ci:ci-secret:CUG123", "'CUG123' is not a CUG id")]
    [InlineData("ci:ci-secret:CUG5019851064,cug7000000001", "'cug7000000001' is not a CUG id")]
    [InlineData("ci:ci-secret:CUG5019851064,", "'' is not a CUG id")]
    [InlineData("ci:ci-secret:CUG5019851064 CUG7000000001", "'CUG5019851064 CUG7000000001' is not a CUG id")]
    [InlineData("ci::CUG5019851064", "--client must be ID:SECRET")]
    public async Task Serve_refuses_a_malformed_CUG_list_with_one_error_line_and_exit_1(string value, string mentions)
    {
        var run = new Run();

        var exit = await WhcctlApp.RunAsync(["sandbox", "serve", "--client", value], run.Io(run.Out), CancellationToken.None);

        exit.Should().Be(ExitCodes.Error);
        var error = run.Err.ToString();
        error.Should().StartWith("error WHC4091: ").And.Contain(mentions).And.NotContain("   at ");
        error.TrimEnd().Should().NotContain("\n", "one line");
        error.Should().NotContain("ci-secret", "a secret is not echoed");
        run.Out.ToString().Should().BeEmpty("nothing was started");
    }

    [Theory]
    [InlineData("ci:ci-secret", "ci", "ci-secret", "")]
    [InlineData("ci:ci-secret:CUG5019851064", "ci", "ci-secret", "CUG5019851064")]
    [InlineData("ci:ci-secret:CUG5019851064,CUG7000000001,CUG5019851064", "ci", "ci-secret", "CUG5019851064,CUG7000000001")]
    [InlineData("ci:se:cret:CUG5019851064", "ci", "se:cret", "CUG5019851064")]
    [InlineData("ci:se:cret:", "ci", "se:cret", "")]
    public void A_client_value_is_ID_then_SECRET_then_optionally_CUGs_after_the_last_colon(string value, string id, string secret, string cugs)
    {
        var (client, problem) = Commands.SandboxCommand.ParseClient(value);

        problem.Should().BeNull();
        client!.ClientId.Should().Be(id);
        client.ClientSecret.Should().Be(secret);
        string.Join(',', client.Cugs).Should().Be(cugs);
        client.IsBound.Should().Be(cugs.Length > 0);
    }

    [Fact]
    public async Task Serve_refuses_a_client_without_a_secret()
    {
        var run = new Run();
        var exit = await WhcctlApp.RunAsync(["sandbox", "serve", "--client", "justanid"], run.Io(run.Out), CancellationToken.None);
        exit.Should().Be(ExitCodes.Error);
        run.Err.ToString().Should().Contain("--client must be ID:SECRET");
    }

    private static async Task<string> BaseUrlAsync(Run run, Task<int> exit, string waitFor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!run.Output.Contains(waitFor, StringComparison.Ordinal) && !exit.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Single(l => l.StartsWith("base-url: ", StringComparison.Ordinal))["base-url: ".Length..];
    }

    private static async Task<string> TokenAsync(HttpClient http, string credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/accesstoken?grant_type=client_credentials");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>();
    }

    private static async Task<System.Net.HttpStatusCode> CompaniesAsync(HttpClient http, string token, string cug)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/bt-wholesale/v1/whc/resourceInventory/resellers/{cug}/companies");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("APIGW-Tracking-Header", "cli-test");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
