using System.Text.Json.Nodes;
using FluentAssertions.Execution;
using Npgsql;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Sandbox;
using Whc.Declarative.State.Tests;
using Xunit.Abstractions;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 24, the split brain: apply A (the built whcctl, a child process) is waiting on a 429 for its ringfence and is
/// held there (SIGSTOP, so the pause lasts exactly as long as the test needs); its lock is lost (its PostgreSQL session
/// terminated, <c>force-unlock</c>, a server restart, or force-unlock of a local lock file); apply B (another process,
/// another BT client id, so the sandbox's request log tells them apart) runs to completion; then A resumes. A must not
/// send anything more to BT for the company, must exit non-zero with WHC5010 saying its lock was lost, BT must hold
/// exactly what B made (one ringfence of the block), and a following plan must agree with BT.
/// </summary>
public sealed class SplitBrainTests(SplitBrainTests.Server server, ITestOutputHelper output) : IClassFixture<SplitBrainTests.Server>
{
    private const string Company = "fun-network";
    private const string Manifest = "examples/quickstart";
    private const string ClientA = "split-brain-a";
    private const string ClientB = "split-brain-b";
    private const string Secret = "split-brain-secret";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    public enum Loss
    {
        TerminateBackend,
        ForceUnlock,
        ServerRestart,
    }

    [PostgresClusterFact]
    public Task Postgres_lock_session_terminated_while_paused_A_sends_nothing_more_and_BT_has_no_duplicate() =>
        RunSplitBrainAsync(Loss.TerminateBackend, postgres: true);

    [PostgresClusterFact]
    public Task Postgres_force_unlock_while_paused_A_sends_nothing_more_and_BT_has_no_duplicate() =>
        RunSplitBrainAsync(Loss.ForceUnlock, postgres: true);

    [PostgresClusterFact]
    public Task Postgres_server_restart_while_paused_A_sends_nothing_more_and_BT_has_no_duplicate() =>
        RunSplitBrainAsync(Loss.ServerRestart, postgres: true);

    [Fact]
    public Task Local_force_unlock_while_paused_A_sends_nothing_more_and_BT_has_no_duplicate() =>
        RunSplitBrainAsync(Loss.ForceUnlock, postgres: false);

    private async Task RunSplitBrainAsync(Loss loss, bool postgres)
    {
        // Given a sandbox that knows two clients (A and B), and that answers the next ringfences with 429 (Retry-After 1 s)
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Clients = [new SandboxClient(ClientA, Secret), new SandboxClient(ClientB, Secret)],
            OrderTimings = OrderTimings.Immediate,
            Faults = new FaultConfig { Script = [new ScriptedFault(SandboxRoutes.RingFence, ScriptedFaultKinds.TooManyRequests, 3)] },
        });
        using var workspace = new TempWorkspace();
        var schema = PostgresServerFixture.NewSchemaName();
        var state = postgres ? server.Postgres.UrlFor(schema) : null;

        // When apply A starts, and is held (SIGSTOP) as soon as BT refused its ringfence with 429
        await using var a = ChildWhcctl.Start(workspace.Path, Environment(sandbox, ClientA, state), "apply", Manifest, "--auto-approve");
        await WaitUntilAsync(() => sandbox.Requests.Any(r => r.ClientId == ClientA && r.Route == SandboxRoutes.RingFence && r.Status == 429), "A's ringfence gets a 429", a);
        await a.SignalAsync("STOP");
        sandbox.ReplaceFaults(FaultConfig.None);
        var lockId = postgres ? await PostgresLockIdAsync(schema) : LocalLockId(workspace);
        lockId.Should().NotBeNull("A holds the company's lock while it waits");

        // ... its lock is lost
        switch (loss)
        {
            case Loss.TerminateBackend:
                (await TerminateLockBackendAsync(schema)).Should().BeTrue("the session holding A's advisory lock is ended");
                break;
            case Loss.ForceUnlock:
                var unlock = await Whcctl.RunAsync(workspace.Path, InProcess(Environment(sandbox, ClientB, state)), "force-unlock", Company, lockId ?? string.Empty);
                unlock.ExitCode.Should().Be(ExitCodes.Success, unlock.ToString());
                break;
            case Loss.ServerRestart:
                await server.Postgres.RestartAsync();
                break;
        }

        // ... apply B runs to completion
        var b = await ChildWhcctl.RunAsync(workspace.Path, Environment(sandbox, ClientB, state), Patience, "apply", Manifest, "--auto-approve", "--lock-timeout", "30s");
        output.WriteLine($"B: {b}");
        b.ExitCode.Should().Be(ExitCodes.Success, $"B runs alone once A's lock is gone\n{b}");

        // ... and A resumes
        var sentByABeforeResume = RequestsOf(sandbox, ClientA).Count;
        await a.SignalAsync("CONT");
        var resumed = await a.WaitAsync(Patience);
        output.WriteLine($"A: {resumed}");
        var sentByAAfterResume = RequestsOf(sandbox, ClientA).Skip(sentByABeforeResume).Select(r => $"{r.Method} {r.Route} -> {r.Status}").ToList();
        var inventory = JsonNode.Parse(await InventoryAsync(sandbox)) ?? new JsonObject();
        var company = inventory["companies"]?.AsArray().SingleOrDefault() ?? new JsonObject();
        var plan = await Whcctl.RunAsync(workspace.Path, InProcess(Environment(sandbox, ClientB, state)), "plan", Manifest, "--detailed-exitcode");
        output.WriteLine($"plan: {plan}");
        var pull = await Whcctl.RunAsync(workspace.Path, InProcess(Environment(sandbox, ClientB, state)), "state", "pull", Company);

        // Then A sent nothing more to BT, said it lost its lock and failed; BT holds what B made once; plan agrees with BT
        using (new AssertionScope())
        {
            sentByAAfterResume.Should().BeEmpty($"A lost its lock ({loss}) while it waited: it must not call BT for '{Company}' again");
            resumed.ExitCode.Should().NotBe(ExitCodes.Success, "A lost its lock and must fail");
            (resumed.Output + resumed.Error).Should().Contain("WHC5010", "A must say, with the lock-lost code, that it stopped");
            (resumed.Output + resumed.Error).Should().MatchRegex("(?i)lock[^\n]*lost|lost[^\n]*lock", "A must say its lock was lost");
            b.Error.Should().NotMatchRegex("(?i)is gone|no longer runs", "A's process is alive: only its session or lock ended");
            RangeStarts(company["numberRanges"]).Should().HaveCount(1, "the block of 10 is ringfenced once, by B: no duplicate at BT");
            company["users"]?.AsArray().Should().HaveCount(1, "the one user is ordered once");
            inventory["orders"]?.AsArray().Should().HaveCount(
                sandbox.Requests.Count(r => r.ClientId == ClientB && r.Route == SandboxRoutes.CreateOrder && r.Status is >= 200 and < 300),
                "BT holds exactly the orders B made");
            plan.ExitCode.Should().Be(ExitCodes.Success, $"the estate converged: nothing is left to change\n{plan}");
            pull.ExitCode.Should().Be(ExitCodes.Success, pull.ToString());
            StateRangeStarts(pull.Output).Should().BeEquivalentTo(RangeStarts(company["numberRanges"]), "every range BT holds is in the state (no range only A knew of), so 'No changes' is true");
        }
    }

    private static List<string> RangeStarts(JsonNode? ranges) =>
        ranges?.AsArray().Select(r => r?["startNumber"]?.GetValue<string>() ?? string.Empty).Order(StringComparer.Ordinal).ToList() ?? [];

    private static List<string> StateRangeStarts(string stateJson)
    {
        var node = stateJson.Length == 0 ? null : JsonNode.Parse(stateJson);
        return (node?["numberBlocks"]?.AsArray() ?? [])
            .SelectMany(block => block?["ranges"]?.AsArray() ?? [])
            .Select(r => r?["startNumber"]?.GetValue<string>() ?? string.Empty)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<string> InventoryAsync(SandboxServer sandbox)
    {
        using var admin = new HttpClient { BaseAddress = sandbox.BaseUri };
        return await admin.GetStringAsync("/_sandbox/inventory");
    }

    /// <summary>A's calls to BT for the company: everything but the token fetch (which is not for any company).</summary>
    private static List<RequestLogEntry> RequestsOf(SandboxServer sandbox, string clientId) =>
        sandbox.Requests.Where(r => r.ClientId == clientId && r.Route != SandboxRoutes.Token).ToList();

    private static Dictionary<string, string> Environment(SandboxServer sandbox, string clientId, string? state)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WHC_CLIENT_ID"] = clientId,
            ["WHC_CLIENT_SECRET"] = Secret,
            ["WHC_ENDPOINT"] = sandbox.BaseUri.ToString(),
            ["NO_COLOR"] = "1",
        };
        if (state is not null)
        {
            environment["WHC_STATE"] = state;
        }

        return environment;
    }

    private static Dictionary<string, string?> InProcess(Dictionary<string, string> environment) =>
        environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static string? LocalLockId(TempWorkspace workspace)
    {
        var path = workspace.File($".whc/state/{Company}.lock");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?["id"]?.GetValue<string>() : null;
    }

    private async Task<string?> PostgresLockIdAsync(string schema)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT lock_id FROM \"{schema}\".locks WHERE company = @c", connection);
        command.Parameters.AddWithValue("c", Company);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Ends the session that holds A's advisory lock: the backend the locks table names.</summary>
    private async Task<bool> TerminateLockBackendAsync(string schema)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_terminate_backend(backend_pid) FROM \"{schema}\".locks WHERE company = @c", connection);
        command.Parameters.AddWithValue("c", Company);
        return await command.ExecuteScalarAsync() is true;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var postgres = server.Postgres;
        var connection = new NpgsqlConnection($"Host={postgres.Host};Port={postgres.Port};Username={postgres.User};Database={postgres.Database};Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, ChildWhcctl process)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"waited in vain for: {what}\n{await process.WaitAsync(TimeSpan.FromSeconds(5))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>One throw-away PostgreSQL cluster for this class alone, as the restart must not disturb other tests.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public PostgresServerFixture Postgres { get; } = new(ssl: false);

        public Task InitializeAsync() => PostgresServerFixture.ClusterSkipReason is null ? Postgres.InitializeAsync() : Task.CompletedTask;

        public Task DisposeAsync() => Postgres.DisposeAsync();
    }
}
