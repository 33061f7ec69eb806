using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.Text;
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
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] … {Diagnostic.OneLine(planStep.Id.ToString())}: {Diagnostic.OneLine(planStep.Description)}"));
            }
        }
    }

    public void StepFinished(StepResult result)
    {
        lock (gate)
        {
            finished++;
            var seconds = result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            Write(result.Outcome == StepOutcome.Failed ? LogLevel.Error : LogLevel.Information, result.Outcome switch
            {
                StepOutcome.Done => string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] done    {Diagnostic.OneLine(result.Step.Id.ToString())} ({seconds}s)"),
                StepOutcome.Failed => string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] FAILED  {Diagnostic.OneLine(result.Step.Id.ToString())}: {Diagnostic.OneLine(result.Message ?? string.Empty)}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"  [{finished}/{total}] skipped {Diagnostic.OneLine(result.Step.Id.ToString())} ({Diagnostic.OneLine(result.Message ?? string.Empty)})"),
            });
        }
    }

    /// <summary>A failed step is an error: it is the line -q keeps, and its level under --log-format json.</summary>
    private void Write(LogLevel level, string line)
    {
        if (writer is StderrWriter stderr)
        {
            stderr.Talk(line, level);
        }
        else
        {
            writer.WriteLine(line);
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

/// <summary>
/// With <c>--format json</c>: one JSON event per line on stdout, for pipelines to consume (step_started,
/// step_finished, notice), and always exactly one <c>summary</c> last, whatever the run's end (<see cref="Summary"/>).
/// </summary>
public sealed class JsonEventObserver : IApplyObserver
{
    /// <summary>Only what JSON needs escaped, and control characters: <c>+</c>, <c>-&gt;</c> and accents stay readable.</summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter writer;
    private readonly Lock gate = new();
    private bool summarised;

    public JsonEventObserver(TextWriter writer) => this.writer = writer;

    public void StepStarted(PlanStep planStep) => Emit("step_started", json =>
    {
        json.WriteString("step", planStep.Id.ToString());
        json.WriteString("company", planStep.Company);
        json.WriteString("kind", PlanJsonRenderer.KindWord(planStep.Kind));
    });

    public void StepFinished(StepResult result) => Emit("step_finished", json =>
    {
        json.WriteString("step", result.Step.Id.ToString());
        json.WriteString("company", result.Step.Company);
        json.WriteString("outcome", result.Outcome.ToString().ToLowerInvariant());
        json.WriteString("message", result.Message);
        json.WriteNumber("duration_ms", (long)result.Duration.TotalMilliseconds);
    });

    public void Notice(string company, string message) => Emit("notice", json =>
    {
        json.WriteString("company", company);
        json.WriteString("message", message);
    });

    /// <summary>
    /// The last event: <c>outcome</c> is <c>applied</c>, <c>no_changes</c>, <c>failed</c> (a step failed),
    /// <c>planning_failed</c>, <c>declined</c>, <c>refused</c> (a check before any change refused the run) or <c>error</c>
    /// (the run stopped on an error; its diagnostic is on stderr). Written once; later calls do nothing.
    /// </summary>
    public void Summary(string outcome, bool succeeded, ApplyResult? result)
    {
        lock (gate)
        {
            if (summarised)
            {
                return;
            }

            summarised = true;
        }

        Emit("summary", json =>
        {
            json.WriteString("outcome", outcome);
            json.WriteBoolean("succeeded", succeeded);
            json.WriteNumber("done", result?.Count(StepOutcome.Done) ?? 0);
            json.WriteNumber("failed", result?.Count(StepOutcome.Failed) ?? 0);
            json.WriteNumber("skipped", result?.Count(StepOutcome.Skipped) ?? 0);
        });
    }

    private void Emit(string type, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            fields(json);
            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
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
            running[planStep.Id.ToString()] = clock.GetTimestamp();
        }
    }

    public void StepFinished(StepResult result)
    {
        lock (gate)
        {
            running.Remove(result.Step.Id.ToString());
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
                $"  still running: {Counted.Of(running.Count, "step")}, {Diagnostic.OneLine(longest.Key)} for {(int)waited.TotalMinutes}m{waited.Seconds:00}s"));
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
}
