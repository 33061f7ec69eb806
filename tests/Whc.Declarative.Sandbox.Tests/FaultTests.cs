using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class FaultTests
{
    private static async Task<(SandboxHarness Sandbox, JsonObject Order)> OrderReadyAsync()
    {
        var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        var range = (await sandbox.RingFenceAsync(serviceId, qualification, 1)).Json!["numberRange"]!;
        var order = Bodies.NewCompanyOrder(qualification, "TheFunNetwork", "TheFunNetwork.com",
            range["startNumber"]!.GetValue<string>(), range["endNumber"]!.GetValue<string>(), externalId: "whcctl-retry-1");
        return (sandbox, order);
    }

    [Fact]
    public async Task A_scripted_timeout_after_commit_answers_504_69_but_the_order_exists()
    {
        var (sandbox, order) = await OrderReadyAsync();
        await using var _ = sandbox;
        (await sandbox.SetFaultsAsync("""{"script":[{"route":"createOrder","fault":"timeoutAfterCommit","count":1}]}""")).Code.Should().Be(200);

        var reply = await sandbox.PostAsync(Paths.Orders, order);

        (reply.Code, reply.ErrorCode).Should().Be((504, "69"));
        var listed = await sandbox.GetAsync(Paths.Orders + "?externalId=whcctl-retry-1");
        listed.Json!.AsArray().Should().ContainSingle();
        (await sandbox.InventoryAsync())["orders"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task A_scripted_abort_after_commit_drops_the_connection_but_the_order_exists()
    {
        var (sandbox, order) = await OrderReadyAsync();
        await using var _ = sandbox;
        await sandbox.SetFaultsAsync("""{"script":[{"route":"createOrder","fault":"abortAfterCommit"}]}""");

        var act = () => sandbox.PostAsync(Paths.Orders, order);

        await act.Should().ThrowAsync<HttpRequestException>();
        (await sandbox.GetAsync(Paths.Orders + "?externalId=whcctl-retry-1")).Json!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task A_scripted_500_hits_exactly_the_next_count_calls_of_its_route()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (qualification, serviceId) = await sandbox.QualifiedAsync();
        await sandbox.SetFaultsAsync("""{"script":[{"route":"ringFence","fault":"500","count":2}]}""");

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await sandbox.RingFenceAsync(serviceId, qualification)).Code);
        }

        codes.Should().Equal(500, 500, 201);
        (await sandbox.InventoryAsync())["companies"]![0]!["numberRanges"]!.AsArray().Should().ContainSingle("a fault before commit changes nothing");
    }

    [Fact]
    public async Task A_scripted_fault_for_one_route_leaves_other_routes_alone()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.SetFaultsAsync("""{"script":[{"route":"createOrder","fault":"503"}]}""");
        (await sandbox.GetAsync(Paths.Company("x"))).Code.Should().Be(404);
        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().BeEmpty("the admin API answers, untouched by faults");
        (await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/faults")).Json!["script"]!.AsArray().Should().ContainSingle();
    }

    [Theory]
    [InlineData("500", 500, "01")]
    [InlineData("503", 503, "05")]
    [InlineData("504", 504, "69")]
    [InlineData("401", 401, "42")]
    [InlineData("429", 429, "80")]
    public async Task Each_scripted_fault_kind_answers_with_its_gateway_code(string fault, int status, string code)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync($$"""{"script":[{"route":"*","fault":"{{fault}}"}]}""");
        var reply = await sandbox.GetAsync(Paths.Company("x"));
        (reply.Code, reply.ErrorCode).Should().Be((status, code));
    }

    [Fact]
    public async Task A_scripted_abort_drops_the_connection_before_anything_happens()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync("""{"script":[{"route":"qualify","fault":"abort"}]}""");

        var act = () => sandbox.QualifyAsync();

        await act.Should().ThrowAsync<HttpRequestException>();
        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task The_rate_limit_answers_429_80_with_Retry_After_and_refills_on_the_sandbox_clock()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync("""{"rateLimit":{"requestsPerSecond":1,"burst":2}}""");

        var codes = new List<int>();
        Reply? limited = null;
        for (var i = 0; i < 3; i++)
        {
            var reply = await sandbox.GetAsync(Paths.Company("x"));
            codes.Add(reply.Code);
            limited = reply;
        }

        codes.Should().Equal(404, 404, 429);
        limited!.ErrorCode.Should().Be("80");
        limited.Message.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        sandbox.Server.Clock.Advance(TimeSpan.FromSeconds(1));
        (await sandbox.GetAsync(Paths.Company("x"))).Code.Should().Be(404);
    }

    [Fact]
    public async Task The_rate_limit_is_per_client()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions
        {
            Clients = [new SandboxClient(SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret), new SandboxClient("other", "other-secret")],
        });
        var mine = await sandbox.TokenAsync();
        var theirs = (await sandbox.RequestTokenAsync(basic: SandboxHarness.Basic("other", "other-secret"))).Json!["accessToken"]!.GetValue<string>();
        await sandbox.SetFaultsAsync("""{"rateLimit":{"requestsPerSecond":1}}""");

        (await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: mine)).Code.Should().Be(404);
        (await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: mine)).Code.Should().Be(429);
        (await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: theirs)).Code.Should().Be(404);
    }

    [Fact]
    public async Task A_random_error_rate_of_one_fails_every_call_of_its_route_with_a_5xx()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync("""{"errorRates":{"readCompany":1.0}}""");

        for (var i = 0; i < 5; i++)
        {
            var reply = await sandbox.GetAsync(Paths.Company("x"));
            reply.Code.Should().BeOneOf(500, 503);
            reply.ErrorCode.Should().BeOneOf("01", "05");
        }

        (await sandbox.GetAsync(Paths.Address + "?postcode=IP5%203RE")).Code.Should().Be(200);
    }

    [Fact]
    public async Task The_same_seed_reproduces_the_same_random_faults()
    {
        static async Task<List<int>> RunAsync(int seed)
        {
            await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions
            {
                Seed = seed,
                Faults = new FaultConfig { ErrorRates = new Dictionary<string, double> { ["readCompany"] = 0.5 } },
            });
            await sandbox.TokenAsync();
            var codes = new List<int>();
            for (var i = 0; i < 20; i++)
            {
                codes.Add((await sandbox.GetAsync(Paths.Company("x"))).Code);
            }

            return codes;
        }

        var first = await RunAsync(42);
        var second = await RunAsync(42);

        second.Should().Equal(first);
        first.Should().Contain(404).And.Contain(c => c >= 500, "a rate of 0.5 over 20 calls mixes both");
    }

    [Fact]
    public async Task A_random_timeout_after_commit_in_abort_mode_drops_the_connection_after_the_change()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync("""{"timeoutAfterCommitRates":{"qualify":1.0},"timeoutMode":"abort"}""");

        var act = () => sandbox.QualifyAsync();

        await act.Should().ThrowAsync<HttpRequestException>();
        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Latency_delays_each_call_by_at_least_the_fixed_part()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { Faults = new FaultConfig { Latency = new LatencyFault(60, 10) } });
        await sandbox.GetAsync(Paths.Company("x"));
        sandbox.Server.Requests[^1].DurationMs.Should().BeGreaterThanOrEqualTo(50, "the delay is 60-70 ms; the margin absorbs timer granularity");
    }

    [Fact]
    public async Task Early_token_expiry_makes_tokens_die_sooner_than_expiresIn_says()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { Faults = new FaultConfig { TokenLifetimeSeconds = 30 } });
        var token = await sandbox.RequestTokenAsync();
        token.Json!["expiresIn"]!.GetValue<int>().Should().Be(899);
        sandbox.Server.Clock.Advance(TimeSpan.FromSeconds(31));

        var reply = await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: token.Json["accessToken"]!.GetValue<string>());

        (reply.Code, reply.ErrorCode).Should().Be((401, "42"));
    }

    [Fact]
    public async Task Revoking_tokens_makes_every_issued_token_expire_now()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.TokenAsync();
        (await sandbox.AdminAsync(HttpMethod.Post, "/_sandbox/tokens/revoke")).Code.Should().Be(200);

        var reply = await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: token);

        (reply.Code, reply.ErrorCode).Should().Be((401, "42"));
        var fresh = (await sandbox.RequestTokenAsync()).Json!["accessToken"]!.GetValue<string>();
        (await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: fresh)).Code.Should().Be(404);
    }

    [Fact]
    public async Task A_fault_configuration_with_revokeTokens_revokes_on_apply()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var token = await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync("""{"revokeTokens":true}""");
        (await sandbox.SendAsync(HttpMethod.Get, Paths.Company("x"), token: token)).ErrorCode.Should().Be("42");
    }

    [Theory]
    [InlineData("""{"script":[{"route":"nope","fault":"500"}]}""", "unknown route")]
    [InlineData("""{"script":[{"route":"token","fault":"boom"}]}""", "unknown fault")]
    [InlineData("""{"errorRates":{"qualify":2}}""", "between 0 and 1")]
    [InlineData("""{"surprise":1}""", "surprise")]
    public async Task An_invalid_fault_configuration_is_refused_with_400_29(string json, string mentions)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.SetFaultsAsync(json);
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
        reply.Json!["errors"]!.ToJsonString().Should().Contain(mentions);
    }

    [Fact]
    public async Task Faults_given_at_start_apply_from_the_first_call()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions
        {
            Faults = new FaultConfig { Script = [new ScriptedFault(SandboxRoutes.Token, ScriptedFaultKinds.Unavailable)] },
        });
        (await sandbox.RequestTokenAsync()).Code.Should().Be(503);
        (await sandbox.RequestTokenAsync()).Code.Should().Be(200);
    }

    [Fact]
    public async Task The_request_log_names_the_injected_fault()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TokenAsync();
        await sandbox.SetFaultsAsync("""{"script":[{"route":"readCompany","fault":"500"}]}""");
        await sandbox.GetAsync(Paths.Company("x"));
        sandbox.Server.Requests[^1].Fault.Should().Be("500");
    }
}
