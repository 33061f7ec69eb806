using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 22, item 5: a replay sends each entry's path and query to its own endpoint and nowhere else. A hostile
/// recording aims at a catcher (another stub on another 127.0.0.1 port); the catcher receives nothing, and neither
/// does the endpoint, since every entry is checked before the first is sent.
/// </summary>
public sealed class ReplayConfinementTests : IAsyncLifetime
{
    private StubServer endpoint = null!;
    private StubServer catcher = null!;

    public async Task InitializeAsync()
    {
        endpoint = await StubServer.StartAsync();
        catcher = await StubServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await endpoint.DisposeAsync();
        await catcher.DisposeAsync();
    }

    private string Catcher => catcher.BaseUri.GetLeftPart(UriPartial.Authority);

    private WhcReplayer Replayer() => new(endpoint.BaseUri, new WhcCredentials(StubServer.ClientId, StubServer.ClientSecret));

    public static TheoryData<string, string> HostileUrls => new()
    {
        { "an absolute URL as the path", "https://bt.example.invalid/{catcher}/x" },
        { "a scheme-relative path", "https://bt.example.invalid//{host}/x" },
        { "a backslash path", "https://bt.example.invalid/\\{host}/x" },
        { "another origin", "{catcher}/x" },
    };

    [Theory]
    [MemberData(nameof(HostileUrls))]
    public async Task An_entry_aiming_elsewhere_is_refused_before_anything_is_sent(string what, string url)
    {
        var hostile = url.Replace("{catcher}", Catcher, StringComparison.Ordinal).Replace("{host}", Catcher["http://".Length..], StringComparison.Ordinal);
        var recording = Recording(
            Entry("https://bt.example.invalid/oauth/accesstoken?grant_type=client_credentials", "Basic ***"),
            Entry(hostile, "Bearer ***", body: """{"cug":"CUG5019851064"}"""));

        var replay = () => Replayer().ReplayAsync(recording, default);

        var refusal = (await replay.Should().ThrowAsync<ReplayRefusedException>(what)).Which;
        refusal.Problems.Should().ContainSingle().Which.Should().StartWith("entry 2: ");
        catcher.Requests.Should().BeEmpty("the replay never leaves its endpoint");
        endpoint.Requests.Should().BeEmpty("every entry is checked before the first is sent");
    }

    [Fact]
    public async Task A_path_that_is_a_URL_never_reaches_the_host_it_names()
    {
        // The recording's token call, then a read whose path is the catcher's URL, carrying a body and a header
        var recording = Recording(
            Entry("https://bt.example.invalid/oauth/accesstoken?grant_type=client_credentials", "Basic ***"),
            Entry($"https://bt.example.invalid/{Catcher}/x", "Bearer ***", body: """{"cug":"CUG5019851064"}""", headers: [new HarNameValue("X-Note", "recorded")]));

        try
        {
            await Replayer().ReplayAsync(recording, default);
        }
        catch (ReplayRefusedException)
        {
            // Refusing is right; what matters here is that nothing went out.
        }

        catcher.Requests.Should().BeEmpty("neither the recording's body nor the endpoint's token may reach another host");
    }

    public static TheoryData<string, string, string> HostileHeaders => new()
    {
        { "CR LF in a value", "X-Note", "a\r\nHost: evil.invalid" },
        { "LF in a value", "X-Note", "a\nX-Injected: 1" },
        { "NUL in a value", "X-Note", "a\0b" },
        { "CR LF in a name", "X-Note\r\nX-Injected", "1" },
        { "a colon in a name", "X-Note: 1\r\nX", "1" },
        { "a space in a name", "X Note", "1" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public async Task A_header_with_control_characters_or_an_invalid_name_is_refused_before_anything_is_sent(string what, string name, string value)
    {
        var recording = Recording(
            Entry("https://bt.example.invalid/oauth/accesstoken?grant_type=client_credentials", "Basic ***"),
            Entry("https://bt.example.invalid" + Contract.CompanyPath, "Bearer ***", headers: [new HarNameValue(name, value)]));

        var replay = () => Replayer().ReplayAsync(recording, default);

        (await replay.Should().ThrowAsync<ReplayRefusedException>(what)).Which.Problems.Should().ContainSingle().Which.Should().StartWith("entry 2: ");
        endpoint.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_problem_is_named_at_once()
    {
        var recording = Recording(
            Entry("https://bt.example.invalid/oauth/accesstoken?grant_type=client_credentials", "Basic ***"),
            Entry($"https://bt.example.invalid/http://{Catcher["http://".Length..]}/x", "Bearer ***"),
            Entry("https://bt.example.invalid/ok", "Bearer ***", headers: [new HarNameValue("X-Note", "a\r\nb")]),
            Entry($"{Catcher}/x", "Bearer ***"));

        var replay = () => Replayer().ReplayAsync(recording, default);

        (await replay.Should().ThrowAsync<ReplayRefusedException>()).Which.Problems.Select(p => p[..8]).Should().Equal("entry 2:", "entry 3:", "entry 4:");
        catcher.Requests.Should().BeEmpty();
        endpoint.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task The_recordings_own_cookies_and_credentials_are_not_sent()
    {
        endpoint.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var recording = Recording(
            Entry("https://bt.example.invalid/oauth/accesstoken?grant_type=client_credentials", "Basic ***"),
            Entry(
                "https://bt.example.invalid" + Contract.CompanyPath + "?companyName=TheFunNetwork",
                "Bearer ***",
                headers: [new HarNameValue("Cookie", "session=recorded-cookie"), new HarNameValue("Proxy-Authorization", "Basic recorded"), new HarNameValue("Accept", "application/json")]));

        var report = await Replayer().ReplayAsync(recording, default);

        report.Entries.Should().HaveCount(2);
        var read = endpoint.Requests.Single(r => r.Path == Contract.CompanyPath);
        read.Query["companyName"].Should().Be("TheFunNetwork");
        read.Header("Cookie").Should().BeNull();
        read.Header("Proxy-Authorization").Should().BeNull();
        read.Header("Authorization").Should().Be("Bearer token-1", "the replay authenticates with its own token");
        read.Header("Accept").Should().Be("application/json");
    }

    [Fact]
    public async Task A_token_route_on_its_own_origin_in_the_contract_is_not_another_origin()
    {
        // Given a contract whose token route is an absolute URL, and a run recorded with it: the token call first
        var contract = Whc.Declarative.Contract.WhcContract.Default;
        var token = contract.Route(Whc.Declarative.Contract.ContractRoutes.Token);
        contract = contract with { Routes = contract.Routes.SetItem(Whc.Declarative.Contract.ContractRoutes.Token, token with { Path = "https://auth.example.invalid" + token.Path }) };
        endpoint.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var recording = Recording(
            Entry("https://auth.example.invalid/oauth/accesstoken?grant_type=client_credentials", "Basic ***"),
            Entry("https://bt.example.invalid" + Contract.CompanyPath, "Bearer ***"));
        var replayer = new WhcReplayer(endpoint.BaseUri, new WhcCredentials(StubServer.ClientId, StubServer.ClientSecret), contract: contract);

        // When it is replayed, then both calls go to the endpoint
        replayer.Problems(recording).Should().BeEmpty();
        var report = await replayer.ReplayAsync(recording, default);
        report.Entries.Should().HaveCount(2);
        endpoint.Requests.Select(r => r.Path).Should().Equal("/oauth/accesstoken", Contract.CompanyPath);
    }

    [Fact]
    public async Task An_endless_answer_to_a_replayed_request_stops_at_the_clients_answer_cap()
    {
        await using var endless = await HostileServer.StartAsync(async (self, context) =>
        {
            context.Response.StatusCode = 200;
            await self.WriteForeverAsync(context, new byte[64 * 1024]);
        });
        var recording = Recording(Entry("https://bt.example.invalid/bt-wholesale/v1/whc/x", authorization: null));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var replay = () => new WhcReplayer(endless.BaseUri, new WhcCredentials(StubServer.ClientId, StubServer.ClientSecret)).ReplayAsync(recording, patience.Token);

        // HttpClient refuses to buffer past its cap: an HttpRequestException, not a read of gigabytes until cancelled.
        (await replay.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain(WhcOutboundPolicy.DefaultMaxAnswerBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await endless.WaitForFinishedAsync(1, TimeSpan.FromSeconds(5))).Should().BeTrue("the replay hung up");
    }

    private static HarDocument Recording(params HarEntry[] entries) => new(new HarLog("1.2", new HarCreator("whcctl", "test"), entries));

    private static HarEntry Entry(string url, string? authorization, string? body = null, IReadOnlyList<HarNameValue>? headers = null)
    {
        var all = new List<HarNameValue>(headers ?? []);
        if (authorization is not null)
        {
            all.Add(new HarNameValue("Authorization", authorization));
        }

        var request = new HarRequest(body is null ? "GET" : "POST", url, "HTTP/1.1", all, [], [], -1, body?.Length ?? 0)
        {
            PostData = body is null ? null : new HarPostData("application/json", body),
        };
        var response = new HarResponse(200, "OK", "HTTP/1.1", [], [], new HarContent(2, "application/json") { Text = "{}" }, string.Empty, -1, 2);
        return new HarEntry(DateTimeOffset.UnixEpoch, 1, request, response, new HarCache(), new HarTimings(0, 1, 0));
    }
}
