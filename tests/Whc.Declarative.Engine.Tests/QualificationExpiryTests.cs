using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>BT's rule: a qualification lapses at 23:59 UK time on its day. An apply that resumes after that qualifies again.</summary>
public sealed class QualificationExpiryTests
{
    [Fact]
    public async Task A_qualification_that_expired_before_its_order_is_renewed_automatically()
    {
        // Given a company whose qualification and ringfence went through at 22:00 UK time, but whose order kept failing.
        await using var harness = await EngineHarness.StartAsync(new FaultConfig
        {
            Script = [new ScriptedFault(SandboxRoutes.CreateOrder, ScriptedFaultKinds.InternalError, 10)],
        });
        var clock = harness.Sandbox.Clock;
        clock.Set(new DateTimeOffset(2026, 11, 26, 22, 0, 0, TimeSpan.Zero));
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 2));
        var first = await harness.ApplyAsync(await harness.PlanAsync(manifests, clock: clock), clock: clock);
        first.Succeeded.Should().BeFalse("every create-order call failed");
        var qualified = (await harness.Store.ReadAsync("acme", CancellationToken.None))!.Record!.Qualification!;
        qualified.Used.Should().BeFalse();
        qualified.ExpiresAt.Should().Be(new DateTimeOffset(2026, 11, 26, 23, 59, 0, TimeSpan.Zero));

        // When BT's clock passes 23:59 and the faults are gone, the next plan and apply run.
        harness.Sandbox.ReplaceFaults(FaultConfig.None);
        clock.Advance(TimeSpan.FromHours(3));
        var plan = await harness.PlanAsync(manifests, clock: clock);
        var second = await harness.ApplyAsync(plan, clock: clock);

        // Then the plan qualifies again, the order uses the new qualification, and the company is active.
        plan.Companies.Single().Steps.Select(s => s.Kind).Should().Contain(StepKind.Qualify);
        second.Succeeded.Should().BeTrue(string.Join("; ", second.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        var company = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!;
        company["status"]!.GetValue<string>().Should().Be("active");
        var qualifications = company["qualifications"]!.AsArray();
        qualifications.Should().HaveCount(2, "the lapsed qualification was renewed once");
        qualifications.Last()!["usedByOrderId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var state = await harness.Store.ReadAsync("acme", CancellationToken.None);
        state!.Record!.Qualification!.Id.Should().Be(qualifications.Last()!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plan_warns_when_the_qualification_it_relies_on_expires_within_the_hour()
    {
        await using var harness = await EngineHarness.StartAsync(new FaultConfig
        {
            Script = [new ScriptedFault(SandboxRoutes.CreateOrder, ScriptedFaultKinds.InternalError, 10)],
        });
        var clock = harness.Sandbox.Clock;
        clock.Set(new DateTimeOffset(2026, 11, 26, 23, 20, 0, TimeSpan.Zero));
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1));
        await harness.ApplyAsync(await harness.PlanAsync(manifests, clock: clock), clock: clock);

        var plan = await harness.PlanAsync(manifests, clock: clock);

        plan.AllDiagnostics.Should().ContainSingle(d => d.Code == DiagnosticCatalog.QualificationExpiring.Code)
            .Which.Message.Should().Contain("2026-11-26 23:59:00Z");
        plan.Companies.Single().Steps.Select(s => s.Kind).Should().NotContain(StepKind.Qualify, "the qualification is still live");
    }

    [Fact]
    public async Task An_apply_a_moment_before_23_59_UK_time_waits_for_the_new_day_to_qualify_once()
    {
        // Given BT's clock two seconds before midnight (GMT in November): a qualification made now would already be lapsed
        await using var harness = await EngineHarness.StartAsync();
        var clock = harness.Sandbox.Clock;
        clock.Set(new DateTimeOffset(2026, 11, 26, 23, 59, 58, TimeSpan.Zero));
        var manifests = EngineHarness.Manifests(TestManifests.Company("acme", "AcmeWidgets", users: 1));
        var plan = await harness.PlanAsync(manifests, clock: clock);
        var notices = new List<string>();

        // When it is applied
        var result = await new ApplyExecutor(harness.Client, harness.Store, clock, EngineHarness.Options(), new NoticeList(notices)).ApplyAsync(plan, CancellationToken.None);

        // Then it waited for 00:00 UK time, qualified once, and the company is active
        result.Succeeded.Should().BeTrue(string.Join("; ", result.Steps.Where(s => s.Message is not null).Select(s => s.Message)));
        notices.Should().ContainSingle(n => n.StartsWith("waiting until 2026-11-27 00:00:00Z", StringComparison.Ordinal));
        var company = (await harness.InventoryAsync())["companies"]!.AsArray().Single()!;
        company["qualifications"]!.AsArray().Should().ContainSingle();
        company["status"]!.GetValue<string>().Should().Be("active");
    }

    private sealed class NoticeList(List<string> notices) : IApplyObserver
    {
        public void StepStarted(PlanStep planStep)
        {
        }

        public void StepFinished(StepResult result)
        {
        }

        public void Notice(string company, string message)
        {
            lock (notices)
            {
                notices.Add(message);
            }
        }
    }
}
