using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Views;

/// <summary>
/// What <c>whcctl apply</c> and <c>destroy</c> show, one implementation per <c>--format</c> (as Terraform's
/// <c>views.Apply</c>). What is the same for every format (diagnostics, approval, the heartbeat, the closing line on
/// stderr) stays the handler's.
/// </summary>
public interface IApplyView
{
    /// <summary>The plan about to be carried out, before approval is asked for.</summary>
    void Plan(Plan plan);

    /// <summary>What reports each step of a plan of <paramref name="steps"/> steps as it runs.</summary>
    IApplyObserver Progress(int steps);

    /// <summary>How the run ended. Once: later calls, and <see cref="Stopped"/>, add nothing.</summary>
    void Ended(ApplyOutcome outcome);

    /// <summary>The command stopped without an outcome (an early refusal, or an error the guard reports on stderr).</summary>
    void Stopped();
}

/// <summary>Chooses the apply view for a format: the one place <c>apply</c> and <c>destroy</c> look at <c>--format</c>.</summary>
public static class ApplyView
{
    public static IApplyView For(OutputFormat format, IOContext io, bool color)
    {
        ArgumentNullException.ThrowIfNull(io);
        return format == OutputFormat.Json ? new ApplyJsonView(io.Output, io.Error, color) : new ApplyTextView(io.Output, io.Error, io.IsTerminal, color);
    }
}

/// <summary>For people: the plan on stdout, a line per step on stderr (a line per start too on a terminal).</summary>
public sealed class ApplyTextView(TextWriter output, TextWriter error, bool terminal, bool color) : IApplyView
{
    public void Plan(Plan plan) => output.Write(PlanTextRenderer.Render(plan, color));

    public IApplyObserver Progress(int steps) => new LineProgressObserver(error, terminal, steps);

    public void Ended(ApplyOutcome outcome)
    {
    }

    public void Stopped()
    {
    }
}

/// <summary>
/// For pipelines: stdout carries only the JSON events (<see cref="JsonEventObserver"/>), ending with exactly one
/// summary however the run ends; the plan, for whoever watches the log, goes to stderr as text.
/// </summary>
public sealed class ApplyJsonView(TextWriter output, TextWriter error, bool color) : IApplyView
{
    private readonly JsonEventObserver events = new(output);

    public void Plan(Plan plan) => error.Write(PlanTextRenderer.Render(plan, color));

    public IApplyObserver Progress(int steps) => events;

    public void Ended(ApplyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        events.Summary(
            outcome.PlanFailed ? "planning_failed"
                : outcome.Declined ? "declined"
                : outcome.Result is { } applied ? (applied.Succeeded && outcome.Succeeded ? "applied" : "failed")
                : outcome.Succeeded ? "no_changes" : "refused",
            outcome.Succeeded && !outcome.PlanFailed,
            outcome.Result);
    }

    public void Stopped() => events.Summary("error", succeeded: false, result: null);
}
