using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// Issue 24: every attempt of a call made for a company (a retry after a 429 included) first asks that company's gate
/// (is its lock still held?); a refusal sends nothing and is not an unknown outcome. The token fetch is for no company.
/// </summary>
public sealed class CallGateTests : ClientTestBase
{
    private static readonly QualificationRequest Qualification = new(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom");

    [Fact]
    public async Task A_closed_gate_sends_nothing()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();
        var gate = new TestGate(openChecks: 0);

        var act = () => WithGate(gate, () => client.QualifyAsync(Qualification, default));

        (await act.Should().ThrowAsync<StateLockLostException>()).Which.Company.Should().Be("acme");
        Server.ApiRequests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_gate_that_closes_during_the_Retry_After_wait_stops_the_retry_and_is_not_an_unknown_outcome()
    {
        // A non-idempotent call: BT's 429 says it was not processed, and the gate refused the retry: nothing happened.
        Server.On(
            "POST",
            Contract.QualifyPath,
            new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "7" }),
            StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();
        var gate = new TestGate(openChecks: 1);

        var act = () => WithGate(gate, () => client.QualifyAsync(Qualification, default));

        await act.Should().ThrowAsync<StateLockLostException>();
        Server.ApiRequests.Should().HaveCount(1, "the retry after the 429 was not sent");
        gate.Checks.Should().Be(2);
    }

    [Fact]
    public async Task A_gate_closed_while_waiting_ends_the_wait_at_once()
    {
        // Real time: a Retry-After of 5 s that the wait must not sit out.
        Server.On("POST", Contract.QualifyPath, new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "5" }));
        var client = CreateClient(o => o with { TimeProvider = TimeProvider.System, MaxDelay = TimeSpan.FromSeconds(30) });
        var gate = new TestGate(openChecks: int.MaxValue);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _ = Task.Run(async () =>
        {
            while (Server.ApiRequests.Count == 0)
            {
                await Task.Delay(5);
            }

            await Task.Delay(50);
            gate.Close();
        });

        var act = () => WithGate(gate, () => client.QualifyAsync(Qualification, default));

        await act.Should().ThrowAsync<StateLockLostException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        Server.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Every_attempt_is_gated_but_the_token_fetch_is_not()
    {
        Server.On(
            "POST",
            Contract.QualifyPath,
            new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }),
            new StubResponse(429, """{"code":"80","message":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }),
            StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();
        var gate = new TestGate(openChecks: int.MaxValue);

        var result = await WithGate(gate, () => client.QualifyAsync(Qualification, default));

        result.Qualified.Should().BeTrue();
        Server.TokenRequests.Should().HaveCount(1);
        Server.ApiRequests.Should().HaveCount(3);
        gate.Checks.Should().Be(3, "one check per attempt, none for the token");
    }

    /// <summary>Runs <paramref name="call"/> in a flow that carries <paramref name="gate"/>, as the engine's per-company task does.</summary>
    private static async Task<T> WithGate<T>(IBtCallGate gate, Func<Task<T>> call)
    {
        BtCallGate.Enter(gate);
        return await call();
    }

    /// <summary>Open for the first <c>openChecks</c> checks (or until closed), then lost for good.</summary>
    private sealed class TestGate(int openChecks) : IBtCallGate
    {
        private readonly CancellationTokenSource closed = new();
        private int checks;

        public int Checks => Volatile.Read(ref checks);

        public CancellationToken Closed => closed.Token;

        public void Close() => closed.Cancel();

        public Task EnsureOpenAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref checks) > openChecks)
            {
                closed.Cancel();
            }

            return closed.IsCancellationRequested
                ? Task.FromException(new StateLockLostException("acme", "test: the lock on 'acme' was lost"))
                : Task.CompletedTask;
        }
    }
}
