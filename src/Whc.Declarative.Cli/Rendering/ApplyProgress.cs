using System.Globalization;
using System.Text.Json;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>
/// Apply progress as lines on stderr: in CI one line per finished step; on a terminal also a line when a step starts,
/// with a running count, so a long apply shows it is alive.
/// </summary>
public sealed class LineProgressObserver : IApplyObserver
{
    private readonly TextWriter writer;
    private readonly bool terminal;
    private readonly int total;
    private readonly Lock gate = new();
    private int finished;

    public LineProgressObserver(TextWriter writer, bool terminal, int total)
    {
        this.writer = writer;
        this.terminal = terminal;
        this.total = total;
    }

    public void StepStarted(PlanStep planStep)
    {
        if (terminal)
        {
            lock (gate)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] … {Diagnostic.OneLine(planStep.Id)}: {Diagnostic.OneLine(planStep.Description)}"));
            }
        }
    }

    public void StepFinished(StepResult result)
    {
        lock (gate)
        {
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

/// <summary>
/// Off a terminal, where no line marks a step's start, a line on stderr every interval naming the steps still running
/// (an order wait can last many minutes), so a CI log never looks hung; with <c>--format json</c> too, whose events go
/// to stdout. Nothing is written once disposed.
/// </summary>
public sealed class HeartbeatObserver : IApplyObserver, IDisposable
{
    private readonly TextWriter writer;
    private readonly TimeProvider clock;
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> running = new(StringComparer.Ordinal);
    private readonly ITimer timer;
    private bool disposed;

    public HeartbeatObserver(TextWriter writer, TimeProvider clock, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        this.writer = writer;
        this.clock = clock;
        timer = clock.CreateTimer(_ => Beat(), null, interval, interval);
    }

    public void StepStarted(PlanStep planStep)
    {
        lock (gate)
        {
            running[planStep.Id] = clock.GetTimestamp();
        }
    }

    public void StepFinished(StepResult result)
    {
        lock (gate)
        {
            running.Remove(result.Step.Id);
        }
    }

    public void Notice(string company, string message)
    {
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true; // a beat already under way writes nothing after this
        }

        timer.Dispose();
    }

    private void Beat()
    {
        lock (gate)
        {
            if (disposed || running.Count == 0)
            {
                return;
            }

            var longest = running.MinBy(r => r.Value);
            var waited = clock.GetElapsedTime(longest.Value);
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  still running: {running.Count} step(s), {Diagnostic.OneLine(longest.Key)} for {(int)waited.TotalMinutes}m{waited.Seconds:00}s"));
        }
    }
}

/// <summary>Several observers told the same things, in order; disposes those that need it.</summary>
public sealed class ObserverSet(params IApplyObserver?[] observers) : IApplyObserver, IDisposable
{
    private readonly IApplyObserver[] all = [.. observers.OfType<IApplyObserver>()];

    public void StepStarted(PlanStep planStep) => Array.ForEach(all, o => o.StepStarted(planStep));

    public void StepFinished(StepResult result) => Array.ForEach(all, o => o.StepFinished(result));

    public void Notice(string company, string message) => Array.ForEach(all, o => o.Notice(company, message));

    public void Dispose() => Array.ForEach(all, o => (o as IDisposable)?.Dispose());

    /// <summary>The first observer of type <typeparamref name="T"/>, if any.</summary>
    public T? Find<T>()
        where T : class => all.OfType<T>().FirstOrDefault();
}
