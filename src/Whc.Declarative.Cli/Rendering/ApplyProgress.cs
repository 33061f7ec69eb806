using System.Globalization;
using System.Text.Json;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>
/// Apply progress as lines on stderr: in CI one line per finished step; on a terminal also a line when a step starts,
/// with a running count, so a long apply shows it is alive. Off a terminal, where there are no start lines, a heartbeat
/// line every <c>heartbeat</c> names the steps still running (an order wait can last many minutes), so a CI log never
/// looks hung.
/// </summary>
public sealed class LineProgressObserver : IApplyObserver, IDisposable
{
    private readonly TextWriter writer;
    private readonly bool terminal;
    private readonly int total;
    private readonly TimeProvider clock;
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> running = new(StringComparer.Ordinal);
    private readonly ITimer? heartbeat;
    private int finished;

    public LineProgressObserver(TextWriter writer, bool terminal, int total, TimeProvider? clock = null, TimeSpan heartbeatInterval = default)
    {
        this.writer = writer;
        this.terminal = terminal;
        this.total = total;
        this.clock = clock ?? TimeProvider.System;
        if (!terminal && heartbeatInterval > TimeSpan.Zero)
        {
            heartbeat = this.clock.CreateTimer(_ => Heartbeat(), null, heartbeatInterval, heartbeatInterval);
        }
    }

    public void StepStarted(PlanStep planStep)
    {
        lock (gate)
        {
            running[planStep.Id] = clock.GetTimestamp();
            if (terminal)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] … {Diagnostic.OneLine(planStep.Id)}: {Diagnostic.OneLine(planStep.Description)}"));
            }
        }
    }

    public void Dispose() => heartbeat?.Dispose();

    private void Heartbeat()
    {
        lock (gate)
        {
            if (running.Count == 0)
            {
                return;
            }

            var longest = running.MinBy(r => r.Value);
            var waited = clock.GetElapsedTime(longest.Value);
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  [{finished}/{total}] still running: {running.Count} step(s), {Diagnostic.OneLine(longest.Key)} for {(int)waited.TotalMinutes}m{waited.Seconds:00}s"));
        }
    }

    public void StepFinished(StepResult result)
    {
        lock (gate)
        {
            running.Remove(result.Step.Id);
            finished++;
            var seconds = result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            writer.WriteLine(result.Outcome switch
            {
                StepOutcome.Done => string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] done    {Diagnostic.OneLine(result.Step.Id)} ({seconds}s)"),
                StepOutcome.Failed => string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] FAILED  {Diagnostic.OneLine(result.Step.Id)}: {Diagnostic.OneLine(result.Message ?? string.Empty)}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] skipped {Diagnostic.OneLine(result.Step.Id)} ({Diagnostic.OneLine(result.Message ?? string.Empty)})"),
            });
        }
    }

    public void Notice(string company, string message)
    {
        lock (gate)
        {
            writer.WriteLine($"  {Diagnostic.OneLine(company)}: {Diagnostic.OneLine(message)}");
        }
    }
}

/// <summary>With <c>--format json</c>: one JSON event per line on stdout, for pipelines to consume.</summary>
public sealed class JsonEventObserver : IApplyObserver
{
    private readonly TextWriter writer;
    private readonly Lock gate = new();

    public JsonEventObserver(TextWriter writer) => this.writer = writer;

    public void StepStarted(PlanStep planStep) =>
        Emit(new Dictionary<string, object?> { ["type"] = "step_started", ["step"] = planStep.Id, ["company"] = planStep.Company, ["kind"] = PlanJsonRenderer.KindWord(planStep.Kind) });

    public void StepFinished(StepResult result) =>
        Emit(new Dictionary<string, object?>
        {
            ["type"] = "step_finished",
            ["step"] = result.Step.Id,
            ["company"] = result.Step.Company,
            ["outcome"] = result.Outcome.ToString().ToLowerInvariant(),
            ["message"] = result.Message,
            ["duration_ms"] = (long)result.Duration.TotalMilliseconds,
        });

    public void Notice(string company, string message) =>
        Emit(new Dictionary<string, object?> { ["type"] = "notice", ["company"] = company, ["message"] = message });

    public void Emit(Dictionary<string, object?> payload)
    {
        var line = JsonSerializer.Serialize(payload);
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }
}
