using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 15, part 5: <c>--record FILE</c> on plan, apply and doctor writes every HTTP exchange as HAR 1.2 with no
/// credential in any form, and <c>whcctl sandbox replay FILE</c> checks the sandbox answers as recorded.
/// </summary>
public sealed class RecordingCommandTests
{
    private const string Cug = "CUG5019851064";

    [Fact]
    public async Task An_apply_with_a_retry_and_a_token_renewal_is_recorded_without_the_secret_or_any_token_in_any_form()
    {
        // Given a client whose secret URL-encodes, form-encodes and base64s differently, and BT asking for a retry
        // (503) and a renewed token (401/42), so two tokens are issued
        await using var session = await RecordingSession.StartAsync();
        await session.FaultsAsync(new { script = new object[] { new { route = "readCompany", fault = "503", count = 1 }, new { route = "qualify", fault = "401", count = 1 } } });

        // When the example is applied with --record
        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--record", "run.har");

        // Then the recording holds every exchange, and none of the secret, the Basic credentials or the tokens
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        apply.Error.Should().Contain("Recorded ").And.Contain("run.har");
        var tokens = session.Sandbox.IssuedTokens;
        tokens.Should().HaveCountGreaterThanOrEqualTo(2, "the 401/42 made the client renew its token");
        var text = session.Read("run.har");
        AssertHoldsNoCredential(text, tokens);
        var entries = JsonNode.Parse(text)!["log"]!["entries"]!.AsArray();
        entries.Should().HaveCount((await session.AdminGetAsync("/_sandbox/requests")).AsArray().Count, "every exchange is recorded once, the retried and the token calls too");
        entries.Select(e => e!["response"]!["status"]!.GetValue<int>()).Should().Contain([503, 401]);
    }

    [Fact]
    public async Task A_recording_is_HAR_1_2_with_every_required_field()
    {
        await using var session = await RecordingSession.StartAsync();

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--record", "run.har");

        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        var log = JsonNode.Parse(session.Read("run.har"))!["log"]!;
        log["version"]!.GetValue<string>().Should().Be("1.2");
        log["creator"]!["name"]!.GetValue<string>().Should().Be("whcctl");
        log["creator"]!["version"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var entries = log["entries"]!.AsArray();
        entries.Should().NotBeEmpty();
        foreach (var entry in entries.Select(e => e!))
        {
            DateTimeOffset.Parse(entry["startedDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            entry["time"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
            var request = entry["request"]!;
            request["method"]!.GetValue<string>().Should().BeOneOf("GET", "POST");
            Uri.IsWellFormedUriString(request["url"]!.GetValue<string>(), UriKind.Absolute).Should().BeTrue();
            request["httpVersion"]!.GetValue<string>().Should().StartWith("HTTP/");
            foreach (var list in new[] { "headers", "queryString", "cookies" })
            {
                request[list].Should().BeOfType<JsonArray>(list);
            }

            request["headersSize"]!.GetValue<long>().Should().Be(-1);
            request["bodySize"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0);
            if (request["method"]!.GetValue<string>() == "POST")
            {
                request["postData"]!["mimeType"]!.GetValue<string>().Should().StartWith("application/json");
                JsonNode.Parse(request["postData"]!["text"]!.GetValue<string>()).Should().NotBeNull();
            }

            var response = entry["response"]!;
            response["status"]!.GetValue<int>().Should().BeInRange(200, 599);
            response["statusText"]!.GetValue<string>().Should().NotBeNull();
            response["httpVersion"]!.GetValue<string>().Should().StartWith("HTTP/");
            response["headers"].Should().BeOfType<JsonArray>();
            response["cookies"].Should().BeOfType<JsonArray>();
            response["content"]!["size"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0);
            response["content"]!["mimeType"]!.GetValue<string>().Should().NotBeNull();
            response["redirectURL"]!.GetValue<string>().Should().BeEmpty();
            response["headersSize"]!.GetValue<long>().Should().Be(-1);
            response["bodySize"]!.GetValue<long>().Should().Be(response["content"]!["size"]!.GetValue<long>());
            entry["cache"].Should().BeOfType<JsonObject>();
            foreach (var timing in new[] { "send", "wait", "receive" })
            {
                entry["timings"]![timing]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0, timing);
            }
        }
    }

    [Fact]
    public async Task A_recorded_apply_replays_clean_against_a_fresh_sandbox()
    {
        await using var session = await RecordingSession.StartAsync(OrderTimings.Default);
        var apply = await session.RunAsync("apply", "examples/multi-site", "--auto-approve", "--record", "run.har");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());

        var replay = await session.RunAsync("sandbox", "replay", "run.har");

        replay.ExitCode.Should().Be(ExitCodes.Success, replay.ToString());
        replay.Output.Should().Contain(" 0 differ, 0 skipped").And.Contain("POST /bt-wholesale/v1/order/submit-product-order -> 201 (recorded 201) ok");
    }

    [Fact]
    public async Task A_tampered_recording_is_reported_entry_by_entry_with_what_differs()
    {
        await using var session = await RecordingSession.StartAsync();
        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--record", "run.har");
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        var har = JsonNode.Parse(session.Read("run.har"))!;
        var entries = har["log"]!["entries"]!.AsArray();
        var qualify = entries.First(e => e!["request"]!["url"]!.GetValue<string>().EndsWith("/productOfferingQualification", StringComparison.Ordinal))!;
        qualify["response"]!["status"] = 200;
        var create = entries.First(e => e!["request"]!["url"]!.GetValue<string>().EndsWith("/whc/productOrder", StringComparison.Ordinal))!;
        var content = create["response"]!["content"]!;
        content["text"] = content["text"]!.GetValue<string>().Replace("\"id\":", "\"orderId\":", StringComparison.Ordinal);
        session.Write("tampered.har", har.ToJsonString());

        var replay = await session.RunAsync("sandbox", "replay", "tampered.har", "--format", "json");

        replay.ExitCode.Should().Be(ExitCodes.Error, replay.ToString());
        var report = JsonNode.Parse(replay.Output)!;
        report["ok"]!.GetValue<bool>().Should().BeFalse();
        var differing = report["entries"]!.AsArray().Where(e => e!["result"]!.GetValue<string>() == "differs").Select(e => e!).ToList();
        differing.Should().HaveCount(2);
        differing[0]["path"]!.GetValue<string>().Should().EndWith("/productOfferingQualification");
        differing[0]["differences"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Equal("status 201, recorded 200");
        differing[1]["differences"]!.AsArray().Select(d => d!.GetValue<string>()).Should()
            .Contain("$.orderId is missing (recorded string)").And.Contain("$.id is new (string; not in the recording)");
    }

    [Theory]
    [InlineData("no-such-directory/run.har", "does not exist")]
    [InlineData("examples", "is a directory")]
    [InlineData("examples/quickstart/company.yaml/run.har", "does not exist")]
    public async Task A_record_path_that_cannot_be_written_is_WHC4030_before_anything_is_sent(string path, string why)
    {
        await using var session = await RecordingSession.StartAsync();

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--record", path);

        apply.ExitCode.Should().Be(ExitCodes.Error);
        apply.Error.Should().Contain("error WHC4030: --record").And.Contain(why).And.NotContain("   at ");
        (await session.AdminGetAsync("/_sandbox/requests")).AsArray().Should().BeEmpty("nothing is sent when the recording could not be kept");
    }

    [Fact]
    public async Task An_apply_that_fails_halfway_still_writes_what_happened_so_far_whole()
    {
        await using var session = await RecordingSession.StartAsync();
        // (401/42 twice: the token is renewed once, then the ringfence fails as unauthorised)
        await session.FaultsAsync(new { script = new object[] { new { route = "ringFence", fault = "401", count = 5 } } });

        var apply = await session.RunAsync("apply", "examples/quickstart", "--auto-approve", "--record", "run.har");

        apply.ExitCode.Should().Be(ExitCodes.Error, apply.ToString());
        var entries = JsonNode.Parse(session.Read("run.har"))!["log"]!["entries"]!.AsArray();
        entries.Where(e => e!["request"]!["url"]!.GetValue<string>().EndsWith("/ringFence", StringComparison.Ordinal))
            .Select(e => e!["response"]!["status"]!.GetValue<int>()).Should().Equal(401, 401);
        AssertHoldsNoCredential(session.Read("run.har"), session.Sandbox.IssuedTokens);
        Directory.GetFiles(session.Workspace.Path).Select(Path.GetFileName).Should().Equal("run.har");
    }

    [Fact]
    public async Task Doctor_and_plan_record_their_reads_too_and_the_doctor_run_replays_clean()
    {
        await using var session = await RecordingSession.StartAsync();

        var doctor = await session.RunAsync("doctor", "--cug", Cug, "--record", "doctor.har");
        var plan = await session.RunAsync("plan", "examples/quickstart", "--record", "plan.har");

        doctor.ExitCode.Should().Be(ExitCodes.Success, doctor.ToString());
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
        JsonNode.Parse(session.Read("doctor.har"))!["log"]!["entries"]!.AsArray().Should().HaveCount(11); // the token and the ten read probes (the sandbox lists no company, so none is read back)
        JsonNode.Parse(session.Read("plan.har"))!["log"]!["entries"]!.AsArray().Select(e => e!["request"]!["method"]!.GetValue<string>()).Should().OnlyContain(m => m == "GET");
        AssertHoldsNoCredential(session.Read("doctor.har"), session.Sandbox.IssuedTokens);
        AssertHoldsNoCredential(session.Read("plan.har"), session.Sandbox.IssuedTokens);
        var replay = await session.RunAsync("sandbox", "replay", "doctor.har");
        replay.ExitCode.Should().Be(ExitCodes.Success, replay.ToString());
        replay.Output.Should().Contain("11 ok, 0 differ, 0 skipped");
    }

    [Fact]
    public async Task A_file_that_is_not_a_recording_is_WHC4031()
    {
        await using var session = await RecordingSession.StartAsync();
        session.Write("notes.har", """{"log":{"version":"1.1"}}""");

        var missing = await session.RunAsync("sandbox", "replay", "missing.har");
        var wrong = await session.RunAsync("sandbox", "replay", "notes.har");

        missing.ExitCode.Should().Be(ExitCodes.Error);
        missing.Error.Should().Contain("error WHC4031: 'missing.har' cannot be read");
        wrong.ExitCode.Should().Be(ExitCodes.Error);
        wrong.Error.Should().Contain("error WHC4031: 'notes.har' is not a HAR 1.2 recording").And.NotContain("   at ");
    }

    public static TheoryData<string, string> EchoedForms => new()
    {
        { "JSON, short escapes and \\u00e4", @"s3cr\""t-p\u00e4ss+/ ok" },
        { "JSON, System.Text.Json's default encoder", @"s3cr\u0022t-p\u00E4ss\u002B/ ok" },
        { "JSON, UTF-8 unescaped", "s3cr\\\"t-p\u00e4ss+/ ok" },
        { "hex", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(HostileSecret)) },
        { "id:secret, unpadded base64", Convert.ToBase64String(Encoding.UTF8.GetBytes($"hostile-client:{HostileSecret}")).TrimEnd('=') },
        { "the token, unpadded URL-safe base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(EchoingGateway.Token)).TrimEnd('=').Replace('+', '-').Replace('/', '_') },
    };

    private const string HostileSecret = "s3cr\"t-p\u00e4ss+/ ok";

    [Theory]
    [MemberData(nameof(EchoedForms))]
    public async Task A_credential_BT_echoes_back_encoded_reaches_neither_stderr_nor_the_recording(string form, string echoed)
    {
        // Given a gateway that answers every read with a 400 whose message holds the credential in that form
        await using var gateway = await EchoingGateway.StartAsync(new JsonObject { ["code"] = "29", ["message"] = $"bad request from {echoed}" }.ToJsonString());
        using var workspace = new TempWorkspace();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = "hostile-client",
            ["WHC_CLIENT_SECRET"] = HostileSecret,
            ["WHC_ENDPOINT"] = gateway.BaseUri.ToString(),
            ["NO_COLOR"] = "1",
        };

        // When a plan is recorded against it
        var plan = await Whcctl.RunAsync(workspace.Path, environment, "plan", "examples/quickstart", "--record", "run.har");

        // Then it fails, saying what BT said, without the credential on stderr, stdout or in the recording
        plan.ExitCode.Should().Be(ExitCodes.Error, plan.ToString());
        plan.Error.Should().Contain("bad request from ***", plan.ToString());
        plan.Error.Should().NotContain(echoed, form);
        plan.Output.Should().NotContain(echoed, form);
        var recording = File.ReadAllText(workspace.File("run.har"));
        recording.Should().NotContain(echoed, form);
        recording.Should().NotContain(echoed.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), form + ", as the recording escapes it");
        AssertHoldsNoCredential(recording, [EchoingGateway.Token]);
    }

    [Fact]
    public async Task Replaying_a_recording_that_aims_at_another_host_is_WHC4031_and_sends_nothing()
    {
        // Given a recording of a real run, edited so that one read's path is the URL of a catcher on another port,
        // another read names the catcher's origin, and a header carries CR LF
        await using var session = await RecordingSession.StartAsync();
        await using var catcher = await SandboxServer.StartAsync(new SandboxOptions());
        var doctor = await session.RunAsync("doctor", "--cug", Cug, "--record", "doctor.har");
        doctor.ExitCode.Should().Be(ExitCodes.Success, doctor.ToString());
        var har = JsonNode.Parse(session.Read("doctor.har"))!;
        var entries = har["log"]!["entries"]!.AsArray();
        var origin = new Uri(entries[0]!["request"]!["url"]!.GetValue<string>()).GetLeftPart(UriPartial.Authority);
        var catcherOrigin = catcher.BaseUri.GetLeftPart(UriPartial.Authority);
        entries[1]!["request"]!["url"] = $"{origin}/{catcherOrigin}/_sandbox/requests";
        entries[2]!["request"]!["url"] = $"{catcherOrigin}/_sandbox/requests";
        entries[3]!["request"]!["headers"]!.AsArray().Add(new JsonObject { ["name"] = "X-Note", ["value"] = "a\r\nX-Injected: 1" });
        session.Write("hostile.har", har.ToJsonString());

        // When it is replayed
        var replay = await session.RunAsync("sandbox", "replay", "hostile.har");

        // Then it is refused, entry by entry, before anything is sent, and the catcher received nothing
        replay.ExitCode.Should().Be(ExitCodes.Error, replay.ToString());
        replay.Error.Should().Contain("error WHC4031: 'hostile.har' cannot be replayed", replay.ToString()).And.Contain("entry 2: ").And.Contain("entry 3: ").And.Contain("entry 4: ")
            .And.NotContain("   at ");
        replay.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().NotContain(l => l.StartsWith("X-Injected", StringComparison.Ordinal));
        catcher.Requests.Should().BeEmpty("a replay never leaves its own sandbox");
        replay.Output.Should().BeEmpty();
    }

    /// <summary>
    /// The file's text, and every string in it once JSON-unescaped, holds none of the forms a credential can take
    /// (as is, URL-encoded, form-encoded, base64, the Basic header's base64), in any letter case.
    /// </summary>
    private static void AssertHoldsNoCredential(string text, IReadOnlyList<string> tokens)
    {
        var strings = Whc.Declarative.Tests.Shared.JsonStrings.Decoded(text);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RecordingSession.ClientId}:{RecordingSession.ClientSecret}"));
        var forms = tokens.Prepend(RecordingSession.ClientSecret)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), System.Net.WebUtility.UrlEncode(s), Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) })
            .Append(basic)
            .Distinct()
            .ToList();
        forms.Should().HaveCountGreaterThan(5);
        foreach (var form in forms)
        {
            text.Should().NotContainEquivalentOf(form);
            strings.Should().NotContainEquivalentOf(form);
        }
    }

    /// <summary>A sandbox accepting a client whose secret has characters that every encoding writes differently.</summary>
    private sealed class RecordingSession : IAsyncDisposable
    {
        public const string ClientId = "recording-client";
        public const string ClientSecret = "s3cr3t+Pa55/w0rd=never&log ok";

        private readonly Dictionary<string, string?> environment;

        private RecordingSession(SandboxServer sandbox)
        {
            Sandbox = sandbox;
            environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["WHC_CLIENT_ID"] = ClientId,
                ["WHC_CLIENT_SECRET"] = ClientSecret,
                ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
                ["NO_COLOR"] = "1",
            };
        }

        public SandboxServer Sandbox { get; }

        public TempWorkspace Workspace { get; } = new();

        public static async Task<RecordingSession> StartAsync(OrderTimings? timings = null) =>
            new(await SandboxServer.StartAsync(new SandboxOptions
            {
                OrderTimings = timings ?? OrderTimings.Immediate,
                Clients = [SandboxOptions.DefaultClient, new SandboxClient(ClientId, ClientSecret)],
            }));

        public Task<CliResult> RunAsync(params string[] args) => Whcctl.RunAsync(Workspace.Path, environment, args);

        public string Read(string relative) => File.ReadAllText(Workspace.File(relative));

        public void Write(string relative, string text) => File.WriteAllText(Workspace.File(relative), text);

        public async Task FaultsAsync(object faults)
        {
            using var admin = new HttpClient { BaseAddress = Sandbox.BaseUri };
            (await admin.PostAsJsonAsync("/_sandbox/faults", faults)).EnsureSuccessStatusCode();
        }

        public async Task<JsonNode> AdminGetAsync(string path)
        {
            using var admin = new HttpClient { BaseAddress = Sandbox.BaseUri };
            return JsonNode.Parse(await admin.GetStringAsync(path))!;
        }

        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            Workspace.Dispose();
        }
    }
}
