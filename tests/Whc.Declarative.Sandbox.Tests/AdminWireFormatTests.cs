namespace Whc.Declarative.Sandbox.Tests;

/// <summary>
/// The admin API's JSON, pinned byte for byte, so moving it from reflection to source-generated metadata (native AOT)
/// changes nothing a script or a test reads: names, order, enum spelling, nulls and the refusal of unknown members.
/// </summary>
public sealed class AdminWireFormatTests
{
    private const string FullFaults =
        """{"latency":{"fixedMs":5,"jitterMs":0},"errorRates":{"createOrder":0.25},"rateLimit":{"requestsPerSecond":2.5,"burst":3},"timeoutAfterCommitRates":{"*":0.5},"timeoutMode":"abort","tokenLifetimeSeconds":60,"revokeTokens":false,"script":[{"route":"createOrder","fault":"503","count":2}]}""";

    [Fact]
    public async Task The_faults_view_writes_every_field_in_a_stable_order_and_spelling()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var set = await sandbox.SetFaultsAsync(FullFaults);
        var read = await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/faults");

        set.Code.Should().Be(200, set.Json?.ToJsonString());
        (await Raw(set)).Should().Be(FullFaults);
        (await Raw(read)).Should().Be(FullFaults);
    }

    [Fact]
    public async Task The_default_faults_view_writes_nulls_and_empty_collections()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var read = await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/faults");

        (await Raw(read)).Should().Be(
            """{"latency":null,"errorRates":{},"rateLimit":null,"timeoutAfterCommitRates":{},"timeoutMode":"response","tokenLifetimeSeconds":null,"revokeTokens":false,"script":[]}""");
    }

    [Fact]
    public async Task A_fault_configuration_that_leaves_members_out_keeps_their_defaults()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var set = await sandbox.SetFaultsAsync("""{"script":[{"route":"createOrder","fault":"503"}]}""");

        set.Code.Should().Be(200, set.Json?.ToJsonString());
        (await Raw(set)).Should().Be(
            """{"latency":null,"errorRates":{},"rateLimit":null,"timeoutAfterCommitRates":{},"timeoutMode":"response","tokenLifetimeSeconds":null,"revokeTokens":false,"script":[{"route":"createOrder","fault":"503","count":1}]}""");
    }

    [Theory]
    [InlineData("errorRates")]
    [InlineData("timeoutAfterCommitRates")]
    [InlineData("script")]
    public async Task A_fault_configuration_with_a_null_list_is_refused(string member)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.SetFaultsAsync($$"""{"{{member}}":null}""");

        reply.Code.Should().Be(400);
        reply.Json!["errors"]!.ToJsonString().Should().Contain("must not be null");
    }

    [Fact]
    public async Task A_fault_configuration_with_an_unknown_member_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.SetFaultsAsync("""{"latencyy":{"fixedMs":5,"jitterMs":0}}""");

        reply.Code.Should().Be(400);
        reply.Json!.ToJsonString().Should().Contain("latencyy");
    }

    [Fact]
    public async Task A_fault_configuration_with_a_wrongly_typed_member_is_refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.SetFaultsAsync("""{"timeoutMode":"later"}""");

        reply.Code.Should().Be(400);
    }

    [Fact]
    public async Task The_request_log_writes_its_fields_in_a_stable_order_and_spelling()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GetAsync(Paths.Company("Acme"), tracking: "track-me-1");

        var log = await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/requests");
        var entry = log.Json!.AsArray().Last()!.AsObject();

        entry.Select(p => p.Key).Should().Equal("time", "method", "path", "route", "status", "trackingId", "durationMs", "clientId", "fault");
        entry["time"]!.GetValue<string>().Should().Be("2026-11-26T10:00:00+00:00");
        entry["fault"].Should().BeNull();
        // The wire text, with the one measured value (durationMs) cut out.
        var text = System.Text.RegularExpressions.Regex.Replace(await Raw(log), "\"durationMs\":[0-9.Ee+-]+,", string.Empty);
        text.Should().Be(
            """[{"time":"2026-11-26T10:00:00+00:00","method":"GET","path":"/oauth/accesstoken","route":"token","status":200,"trackingId":null,"clientId":"whcctl-sandbox","fault":null},{"time":"2026-11-26T10:00:00+00:00","method":"GET","path":"/bt-wholesale/v1/whc/resourceInventory/resellers/CUG5019851064/company","route":"readCompany","status":404,"trackingId":"track-me-1","clientId":"whcctl-sandbox","fault":null}]""");
    }

    private static Task<string> Raw(Reply reply) => reply.Message.Content.ReadAsStringAsync();
}
