using Whc.Declarative.Core.Api;

namespace Whc.Declarative.Engine.Tests;

/// <summary>Issue 15 (fail closed): an order state TMF622 does not name is waited through, with one warning, never taken as final.</summary>
public sealed class UnknownOrderStateTests
{
    [Fact]
    public async Task An_order_in_a_state_whcctl_does_not_know_is_awaited_with_one_warning_until_it_completes()
    {
        await using var harness = await EngineHarness.StartAsync();
        var plan = await harness.PlanAsync(EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1)));
        var api = new UnknownStateFirst(harness.Client, reads: 3);
        var observer = new Notices();

        var result = await new ApplyExecutor(api, harness.Store, TimeProvider.System, EngineHarness.Options(), observer).ApplyAsync(plan, CancellationToken.None);

        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Select(s => $"{s.Step.Id}: {s.Message}")));
        api.UnknownAnswers.Should().Be(3);
        observer.Messages.Should().ContainSingle(m => m.Contains("in state 'awaitingEngineer', which TMF622 does not name", StringComparison.Ordinal));
    }

    /// <summary>BT's first few answers to an order read name a state of its own.</summary>
    private sealed class UnknownStateFirst(IWhcApi inner, int reads) : WhcApiDecorator(inner)
    {
        public int UnknownAnswers { get; private set; }

        public override async Task<OrderStatus> ReadOrderAsync(string orderId, CancellationToken cancellationToken)
        {
            var status = await Inner.ReadOrderAsync(orderId, cancellationToken);
            if (UnknownAnswers >= reads)
            {
                return status;
            }

            UnknownAnswers++;
            return status with { State = OrderState.Unknown, ReportedState = "awaitingEngineer" };
        }
    }

    private sealed class Notices : IApplyObserver
    {
        public List<string> Messages { get; } = [];

        public void StepStarted(Core.Planning.PlanStep step)
        {
        }

        public void StepFinished(StepResult result)
        {
        }

        public void Notice(string company, string message)
        {
            lock (Messages)
            {
                Messages.Add(message);
            }
        }
    }
}

/// <summary>Issue 15: "registered by another reseller" is an answer (a value); reading back our own company, it is refused, never recorded.</summary>
public sealed class OwnCompanyReadTests
{
    [Fact]
    public async Task A_read_back_that_shows_our_company_as_another_resellers_is_refused_and_state_keeps_what_it_had()
    {
        await using var harness = await EngineHarness.StartAsync();
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1));
        (await harness.ApplyAsync(await harness.PlanAsync(manifests))).Succeeded.Should().BeTrue();
        var before = await harness.Store.ReadAsync("acme", CancellationToken.None);
        var grown = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));
        var plan = await harness.PlanAsync(grown);

        var result = await harness.ApplyAsync(plan, new ElsewhereAfterFirstRead(harness.Client));

        result.Succeeded.Should().BeFalse();
        string.Join("; ", result.Steps.Select(s => s.Message).Concat(result.Diagnostics.Select(d => d.Message))).Should().Contain("BT shows it as another reseller's");
        var after = await harness.Store.ReadAsync("acme", CancellationToken.None);
        after!.Users.Select(u => u.Username).Should().Contain(before!.Users.Select(u => u.Username), "no answer of that kind empties state");
    }

    /// <summary>BT's read of the company answers as if another reseller held it, once the apply has begun.</summary>
    private sealed class ElsewhereAfterFirstRead(Core.Api.IWhcApi inner) : WhcApiDecorator(inner)
    {
        public override Task<Core.Inventory.CompanyInventory?> ReadCompanyAsync(string cugId, string companyName, CancellationToken cancellationToken) =>
            Task.FromResult<Core.Inventory.CompanyInventory?>(Core.Inventory.CompanyInventory.RegisteredElsewhere(companyName));
    }
}
