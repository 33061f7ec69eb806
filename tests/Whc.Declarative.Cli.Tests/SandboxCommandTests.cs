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
    public async Task Serve_refuses_a_client_without_a_secret()
    {
        var run = new Run();
        var exit = await WhcctlApp.RunAsync(["sandbox", "serve", "--client", "justanid"], run.Io(run.Out), CancellationToken.None);
        exit.Should().Be(ExitCodes.Error);
        run.Err.ToString().Should().Contain("--client must be ID:SECRET");
    }
}
