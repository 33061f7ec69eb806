using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Api;
using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>Issue 15, part 5: <see cref="WhcRecorder"/> records every HTTP exchange, redacted, as HAR 1.2.</summary>
public sealed class RecordingTests : ClientTestBase
{
    /// <summary>Every form a credential can take in a file: as is, URL- and form-encoded, base64, the Basic header's base64.</summary>
    private static IEnumerable<string> Forms(string secret) =>
    [
        secret,
        Uri.EscapeDataString(secret),
        System.Net.WebUtility.UrlEncode(secret),
        Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)),
    ];

    private static readonly string BasicCredentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{StubServer.ClientId}:{StubServer.ClientSecret}"));

    [Fact]
    public async Task A_journey_with_retries_renewals_and_echoed_secrets_is_recorded_exchange_by_exchange_without_any_credential()
    {
        // Given BT answers with a retry (503), an expired token (401/42: a second token) and echoes of the secret and tokens
        Server.On("GET", Contract.CompanyPath,
            StubResponse.Json(503, $$"""{"code":"05","message":"busy for {{Uri.EscapeDataString(StubServer.ClientSecret)}}"}"""),
            StubResponse.Json(404, Contract.NotFound));
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(401, Contract.TokenExpired), StubResponse.Json(201, Contract.Qualified));
        Server.On("POST", Contract.SubmitPath, StubResponse.Json(
            400,
            $$"""{"code":"29","message":"{{System.Net.WebUtility.UrlEncode(StubServer.ClientSecret)}} {{StubServer.ClientSecret.ToUpperInvariant()}} TOKEN-2 {{Convert.ToBase64String("token-1"u8.ToArray())}} {{BasicCredentials}}"}"""));
        var recorder = new WhcRecorder();
        var client = CreateClient(o => o with { Recorder = recorder });

        // When the client reads, qualifies and submits
        await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);
        await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);
        var submit = () => client.SubmitOrderAsync("BTWKN1485", default);
        await submit.Should().ThrowAsync<WhcApiException>();

        // Then every exchange is there once, in order, and no credential in any form or letter case
        var entries = recorder.Entries;
        entries.Select(e => $"{e.Request.Method} {new Uri(e.Request.Url).AbsolutePath} {e.Response.Status}").Should().Equal(
            Server.Requests.Select(r => $"{r.Method} {r.Path}").Zip(
                [200, 503, 404, 401, 200, 201, 400],
                (request, status) => $"{request} {status}"));
        var text = recorder.ToHar("whcctl", "test").ToJson();
        foreach (var form in Forms(StubServer.ClientSecret).Append(BasicCredentials).Concat(Forms("token-1")).Concat(Forms("token-2")))
        {
            text.Should().NotContainEquivalentOf(form);
        }

        text.Should().Contain("***");
        entries.SelectMany(e => e.Request.Headers).Where(h => h.Name == "Authorization").Select(h => h.Value)
            .Should().BeSubsetOf(["Basic ***", "Bearer ***"]).And.Contain("Basic ***").And.Contain("Bearer ***");
    }

    [Fact]
    public async Task A_token_in_an_answer_the_client_refuses_is_redacted_all_the_same()
    {
        Server.On("GET", "/oauth/accesstoken", StubResponse.Json(200, """{"accessToken":"leaky-token-9","expiresIn":-5}"""));
        var recorder = new WhcRecorder();
        var client = CreateClient(o => o with { Recorder = recorder });

        var read = () => client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        await read.Should().ThrowAsync<WhcApiException>();
        recorder.Entries.Should().NotBeEmpty();
        recorder.ToHar("whcctl", "test").ToJson().Should().NotContainEquivalentOf("leaky-token-9").And.Contain("\\\"accessToken\\\":\\\"***\\\"");
    }

    [Fact]
    public async Task A_call_without_an_answer_is_recorded_with_status_0_and_why()
    {
        Server.On("POST", Contract.SubmitPath, new StubResponse(201, "{}", Delay: TimeSpan.FromSeconds(5)));
        var recorder = new WhcRecorder();
        var client = CreateClient(o => o with { Recorder = recorder, Timeout = TimeSpan.FromMilliseconds(300) });

        var submit = () => client.SubmitOrderAsync("BTWKN1485", default);

        await submit.Should().ThrowAsync<WhcApiException>();
        var last = recorder.Entries[^1];
        last.Request.Method.Should().Be("POST");
        last.Request.PostData!.Text.Should().Contain("BTWKN1485");
        last.Response.Status.Should().Be(0);
        last.Error.Should().Contain("no answer");
    }

    [Fact]
    public async Task Saving_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        var directory = Directory.CreateTempSubdirectory("whc-recording-").FullName;
        try
        {
            var path = Path.Combine(directory, "run.har");
            await File.WriteAllTextAsync(path, "an older recording");
            Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
            var recorder = new WhcRecorder();
            var client = CreateClient(o => o with { Recorder = recorder });
            await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

            recorder.Save(path, "whcctl", "1.2.3");

            Directory.GetFiles(directory).Should().ContainSingle().Which.Should().Be(path);
            var har = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
            har["log"]!["version"]!.GetValue<string>().Should().Be("1.2");
            har["log"]!["creator"]!["version"]!.GetValue<string>().Should().Be("1.2.3");
            har["log"]!["entries"]!.AsArray().Should().HaveCount(2);
            HarDocument.Parse(await File.ReadAllTextAsync(path)).Log.Entries.Should().HaveCount(2);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_path_that_cannot_be_written_is_named_before_anything_is_recorded()
    {
        var file = Path.GetTempFileName();
        try
        {
            WhcRecorder.ProblemWriting(Path.Combine(file, "run.har")).Should().Contain("does not exist");
            WhcRecorder.ProblemWriting(Path.GetTempPath()).Should().Contain("is a directory");
            WhcRecorder.ProblemWriting(Path.Combine(Path.GetTempPath(), $"run-{Guid.NewGuid():N}.har")).Should().BeNull();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Answers_of_the_same_shape_do_not_differ_whatever_their_values_and_list_lengths()
    {
        var recorded = JsonNode.Parse("""{"id":"QFW103255","items":[{"id":"1","ok":true}],"when":"2026-01-01"}""");
        var replayed = JsonNode.Parse("""{"id":"QFW000001","items":[{"id":"1","ok":false},{"id":"2","ok":true}],"when":"2026-12-02"}""");

        WhcReplayer.CompareShapes(recorded, replayed).Should().BeEmpty();
    }

    [Fact]
    public void A_null_is_no_value_yet_and_goes_with_any_kind()
    {
        var recorded = JsonNode.Parse("""{"users":[{"directoryNumber":null},{"directoryNumber":"01214960000"}],"errorMessage":null}""");
        var replayed = JsonNode.Parse("""{"users":[{"directoryNumber":"01214960001"}],"errorMessage":"item 1: failed"}""");

        WhcReplayer.CompareShapes(recorded, replayed).Should().BeEmpty();
        WhcReplayer.CompareShapes(replayed, JsonNode.Parse("""{"users":[{"directoryNumber":5}],"errorMessage":null}""")).Should()
            .Equal("$.users[].directoryNumber is number, recorded string");
    }

    [Fact]
    public void A_renamed_missing_or_retyped_field_is_a_difference_named_by_its_path()
    {
        var recorded = JsonNode.Parse("""{"id":"QFW103255","items":[{"serviceId":"WHHC1","quantity":10}]}""");
        var replayed = JsonNode.Parse("""{"id":"QFW103255","items":[{"serviceID":"WHHC1","quantity":"10"}]}""");

        WhcReplayer.CompareShapes(recorded, replayed).Should().BeEquivalentTo(
            "$.items[].serviceId is missing (recorded string)",
            "$.items[].quantity is string, recorded number",
            "$.items[].serviceID is new (string; not in the recording)");
    }

    [Fact]
    public void A_HAR_file_without_its_log_version_or_requests_is_refused()
    {
        var parse = (string json) => () => HarDocument.Parse(json);

        parse("{}").Should().Throw<System.Text.Json.JsonException>().WithMessage("*log*");
        parse("""{"log":{"version":"1.1","creator":{"name":"x","version":"1"},"entries":[]}}""").Should().Throw<System.Text.Json.JsonException>().WithMessage("*1.2*");
        parse("""{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[{"request":{"method":"GET","url":"nope"}}]}}""")
            .Should().Throw<System.Text.Json.JsonException>().WithMessage("*entry 1*");
    }
}

/// <summary>Review finding: a recording is a file from anywhere; what the replay reads must be checked before it is used.</summary>
public sealed class MalformedRecordingTests
{
    private const string Valid = """
        {"log":{"version":"1.2","creator":{"name":"whcctl","version":"0"},"entries":[{
          "startedDateTime":"2026-12-02T00:00:00Z","time":1,
          "request":{"method":"GET","url":"http://127.0.0.1/x","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},
          "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":0,"mimeType":"application/json"},"redirectURL":"","headersSize":-1,"bodySize":0},
          "cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}
        """;

    [Fact]
    public void A_well_formed_recording_parses() =>
        Recording.HarDocument.Parse(Valid).Log.Entries.Should().ContainSingle();

    [Theory]
    [InlineData("\"headers\":[],\"queryString\"", "\"queryString\"")]
    [InlineData("\"content\":{\"size\":0,\"mimeType\":\"application/json\"},", "")]
    [InlineData("\"method\":\"GET\"", "\"method\":\"GE T\"")]
    [InlineData("\"headers\":[],\"queryString\"", "\"headers\":[{\"name\":\"A\"}],\"queryString\"")]
    public void A_recording_missing_what_the_replay_reads_is_refused_as_not_a_recording(string from, string to)
    {
        var act = () => Recording.HarDocument.Parse(Valid.Replace(from, to, StringComparison.Ordinal));

        act.Should().Throw<System.Text.Json.JsonException>();
    }
}
