using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Sandbox;
using Xunit.Abstractions;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// The chaos test of issue 5: a multi-company estate applied under injected 5xx, 429, timeout-after-commit and early token
/// expiry, with the "process" killed at many points (right after a call took effect, or between steps), re-run until
/// converged. Afterwards BT must equal the manifests, nothing may be duplicated, and state must hold BT's ids.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private static ImmutableArray<CompanyManifest> Estate() =>
    [
        .. EngineHarness.Manifests(TestManifests.Company("alpha", "AlphaLogistics", users: 7, sites: 2, areaCode: "0121")),
        .. EngineHarness.Manifests(TestManifests.Company("bravo", "BravoDental", users: 5, sites: 1, areaCode: "0161")),
        .. EngineHarness.Manifests(TestManifests.Company("charlie", "CharlieCafes", users: 4, sites: 2, areaCode: "0113")),
    ];

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(37)]
    public async Task An_estate_converges_under_faults_and_kills_with_nothing_duplicated_or_lost(int seed)
    {
        await using var harness = await EngineHarness.StartAsync(new FaultConfig
        {
            ErrorRates = new Dictionary<string, double> { [SandboxRoutes.Any] = 0.05 },
            TimeoutAfterCommitRates = new Dictionary<string, double>
            {
                [SandboxRoutes.Qualify] = 0.15,
                [SandboxRoutes.RingFence] = 0.15,
                [SandboxRoutes.CreateOrder] = 0.15,
                [SandboxRoutes.SubmitOrder] = 0.15,
            },
            RateLimit = new RateLimitFault(300, 20),
            TokenLifetimeSeconds = 1,
        });
        var estate = Estate();
        var random = new Random(seed);
        var kills = 0;
        var runs = 0;

        for (; runs < 40; runs++)
        {
            var api = new KillableApi(harness.Client, killAfterCalls: random.Next(1, 30), loseResult: random.Next(2) == 0);
            try
            {
                var plan = await harness.PlanAsync(estate, api);
                if (!plan.HasChanges)
                {
                    break;
                }

                await harness.ApplyAsync(plan, api);
            }
            catch (ProcessKilledException)
            {
                kills++;
            }
            catch (WhcApiException)
            {
                // A refresh that met a fault fails the whole run; the pipeline simply runs again.
            }
        }

        output.WriteLine($"seed {seed}: {runs} runs, {kills} kills");
        kills.Should().BeGreaterThan(0, "the test must actually kill runs");
        harness.Sandbox.ReplaceFaults(FaultConfig.None);
        for (var settle = 0; settle < 3 && (await harness.PlanAsync(estate)).HasChanges; settle++)
        {
            await harness.ApplyAsync(await harness.PlanAsync(estate));
        }

        (await harness.PlanAsync(estate)).HasChanges.Should().BeFalse("the estate converged");
        await Assertions.NoDuplicatesAsync(harness, expectedOrders: 3 + 2 + 1 + 1);
        foreach (var (key, name) in new[] { ("alpha", "AlphaLogistics"), ("bravo", "BravoDental"), ("charlie", "CharlieCafes") })
        {
            await Assertions.StateMatchesBtAsync(harness, key, name);
        }
    }
}

/// <summary>Thrown where a killed process would simply stop; nothing in whcctl catches it.</summary>
public sealed class ProcessKilledException : Exception
{
    public ProcessKilledException()
        : base("killed")
    {
    }

    public ProcessKilledException(string message)
        : base(message)
    {
    }

    public ProcessKilledException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Stands in for a process that dies after its Nth API call: with <c>loseResult</c> the call takes effect at BT but its
/// answer is never seen (the worst moment to die); otherwise the answer arrives and the next call is never made.
/// </summary>
public sealed class KillableApi(IWhcApi inner, int killAfterCalls, bool loseResult) : IWhcApi
{
    private int calls;
    private volatile bool dead;

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        if (dead)
        {
            throw new ProcessKilledException();
        }

        var result = await call();
        if (Interlocked.Increment(ref calls) >= killAfterCalls || dead)
        {
            dead = true;
            if (loseResult || calls > killAfterCalls)
            {
                throw new ProcessKilledException();
            }
        }

        return result;
    }

    public Task<CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken) =>
        Call(() => inner.ReadCompanyAsync(cugId, companyName, cancellationToken));

    public Task<bool> IsTakenAsync(string cugId, VerifyCheck check, CancellationToken cancellationToken) =>
        Call(() => inner.IsTakenAsync(cugId, check, cancellationToken));

    public Task<QualificationResult> QualifyAsync(QualificationRequest request, CancellationToken cancellationToken) =>
        Call(() => inner.QualifyAsync(request, cancellationToken));

    public Task<RingFenceResult> RingFenceAsync(RingFenceRequest request, CancellationToken cancellationToken) =>
        Call(() => inner.RingFenceAsync(request, cancellationToken));

    public Task<ImmutableArray<AddressRecord>> SearchAddressesAsync(string postcode, CancellationToken cancellationToken) =>
        Call(() => inner.SearchAddressesAsync(postcode, cancellationToken));

    public Task<AddressRecord> CreateAddressAsync(NewAddress address, CancellationToken cancellationToken) =>
        Call(() => inner.CreateAddressAsync(address, cancellationToken));

    public Task<string> CreateOrderAsync(OrderRequest order, CancellationToken cancellationToken) =>
        Call(() => inner.CreateOrderAsync(order, cancellationToken));

    public Task SubmitOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            await inner.SubmitOrderAsync(orderId, cancellationToken);
            return true;
        });

    public Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Call(() => inner.ReadOrderAsync(orderId, cancellationToken));

    public Task<OrderStatus?> FindOrderByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        Call(() => inner.FindOrderByExternalIdAsync(externalId, cancellationToken));
}
