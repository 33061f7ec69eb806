using Whc.Declarative.Core.State;
using Whc.Declarative.Sandbox;

namespace Whc.Declarative.Engine.Tests;

/// <summary>
/// Issue 26, item 2: the exactly-once matrix. For every non-idempotent BT call (qualify, ringfence of new numbers,
/// ringfence of a ported range, create address, create order) × how its answer was lost (a timeout after BT committed,
/// a dropped connection, both in the run; a run killed with the intent left in state) × what BT then answers (found,
/// not found, unknown) × the manifest (unchanged, or changed before the next run), black-box over HTTP against the
/// sandbox: BT holds exactly one effect of the call, state records it once with BT's ids, an unknown answer leaves the
/// intent and refuses the plan, and one apply converges.
/// </summary>
/// <remarks>
/// Rows share one sandbox (each its own company). A fault in the run answered found or not found is settled within
/// that run, so no manifest can change in between: those rows have only "unchanged". A new operation adds its name to
/// <see cref="MatrixOperations"/> (route, question, kill point, intent name) and gets every row.
/// </remarks>
public sealed class ExactlyOnceMatrixTests(ExactlyOnceMatrixFixture fixture) : IClassFixture<ExactlyOnceMatrixFixture>
{
    public const string Timeout = "timeout-after-commit";
    public const string Dropped = "dropped-connection";
    public const string Killed = "killed-run";

    public const string Found = "found";
    public const string NotFound = "not-found";
    public const string Unknown = "unknown";

    public const string Unchanged = "unchanged";
    public const string Changed = "changed";

    public static TheoryData<string, string, string, string> Rows()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var operation in MatrixOperations.All)
        {
            foreach (var fault in new[] { Timeout, Dropped, Killed })
            {
                foreach (var answer in new[] { Found, NotFound, Unknown })
                {
                    foreach (var manifest in new[] { Unchanged, Changed })
                    {
                        if (fault != Killed && answer != Unknown && manifest == Changed)
                        {
                            continue;
                        }

                        rows.Add(operation, fault, answer, manifest);
                    }
                }
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task A_call_whose_answer_is_lost_has_exactly_one_effect_at_BT_recorded_once(string operation, string fault, string answer, string manifest)
    {
        var harness = fixture.Harness;
        harness.Sandbox.ReplaceFaults(FaultConfig.None);
        var company = fixture.NextCompany();
        var ported = operation == MatrixOperations.PortedRingFence;
        var first = company.Manifests(ported, changed: false);
        var next = company.Manifests(ported, changed: manifest == Changed);
        var route = MatrixOperations.Route(operation);
        var logged = harness.Sandbox.Requests.Count;

        // The call is made once, and once more only when BT never saw the first attempt (not found in the run); a
        // changed manifest adds one order (the new user's) where the first one was made
        var calls = (fault != Killed && answer == NotFound ? 2 : 1) + (operation == MatrixOperations.CreateOrder && manifest == Changed && answer != NotFound ? 1 : 0);
        void CalledAsExpected() => harness.Sandbox.Requests.Skip(logged).Count(r => r.Route == route)
            .Should().Be(calls, "a call whose answer was lost is asked again only when BT never saw it");
        var questionFails = new FaultConfig { Script = [new ScriptedFault(MatrixOperations.Question(operation), ScriptedFaultKinds.Unavailable, 10_000)] };

        try
        {
            if (fault == Killed)
            {
                // Given a run that died at the call: after BT acted on it, or before the request left
                var api = new KillAtApi(harness.Client, MatrixOperations.KillAt(operation), reachesBt: answer != NotFound);
                var killed = await harness.PlanAsync(first, api);
                await ((Func<Task>)(() => MatrixBars.ApplyAsync(harness, killed, api))).Should().ThrowAsync<ProcessKilledException>();
                (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!.Intents
                    .Should().ContainSingle(i => i.Operation == MatrixOperations.Intent(operation), "the killed run left its intent");
            }
            else
            {
                // Given the call's answer is lost in the run: after BT committed it (found, unknown) or before (not found);
                // for "unknown", BT stops answering the question whcctl asks about it as soon as the call was made
                var lost = (fault, answer) switch
                {
                    (Timeout, NotFound) => ScriptedFaultKinds.GatewayTimeout,
                    (Dropped, NotFound) => ScriptedFaultKinds.Abort,
                    (Timeout, _) => ScriptedFaultKinds.TimeoutAfterCommit,
                    _ => ScriptedFaultKinds.AbortAfterCommit,
                };
                var plan = await harness.PlanAsync(first);
                harness.Sandbox.ReplaceFaults(new FaultConfig { Script = [new ScriptedFault(route, lost, 1)] });
                var api = answer == Unknown
                    ? new AfterCallApi(harness.Client, operation, () => harness.Sandbox.ReplaceFaults(questionFails))
                    : (Core.Api.IWhcApi)harness.Client;
                var result = await MatrixBars.ApplyAsync(harness, plan, api);
                harness.Sandbox.ReplaceFaults(FaultConfig.None);

                if (answer != Unknown)
                {
                    // Then the run settles it itself, by asking BT, and never makes the call twice
                    result.Succeeded.Should().BeTrue(MatrixBars.Messages(result));
                    var recorded = (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!;
                    await MatrixBars.ConvergedAsync(harness, first, company, ported);
                    CalledAsExpected();
                    MatrixBars.RecordedProtected(recorded, operation);
                    return;
                }

                result.Succeeded.Should().BeFalse("BT could not say what became of the call");
                (await harness.Store.ReadAsync(company.Key, CancellationToken.None))!.Intents
                    .Should().ContainSingle(i => i.Operation == MatrixOperations.Intent(operation), "the run keeps the intent it could not settle");
            }

            if (answer == Unknown)
            {
                // When BT cannot answer the next plan's question either, that plan is refused and the intent kept
                harness.Sandbox.ReplaceFaults(questionFails);
                await MatrixBars.PlanIsRefusedAsync(harness, next, company, operation);
                harness.Sandbox.ReplaceFaults(FaultConfig.None);
            }

            // When BT answers the next plan (made from the manifest as it now is)
            var answered = await harness.PlanAsync(next);
            answered.HasErrors.Should().BeFalse(string.Join("; ", answered.AllDiagnostics));
            MatrixBars.Resolution(answered, operation).Outcome.Should().Be(answer == NotFound ? IntentOutcome.NotFound : IntentOutcome.Found);

            // Then one apply converges, with exactly one effect of the call at BT; what the plan recorded from BT's answer
            // carries the protection the manifest asks for, as a run that saw the answer itself records it
            var applied = await MatrixBars.ApplyAsync(harness, answered, harness.Client);
            applied.Succeeded.Should().BeTrue(MatrixBars.Messages(applied));
            await MatrixBars.ConvergedAsync(harness, next, company, ported);
            CalledAsExpected();
            if (answer != NotFound)
            {
                MatrixBars.RecordedProtected(answered.Companies.Single().Reconciliation!.State, operation);
            }
        }
        finally
        {
            harness.Sandbox.ReplaceFaults(FaultConfig.None);
        }
    }
}
