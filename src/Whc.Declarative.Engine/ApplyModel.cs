using Whc.Declarative.Core.Api;
using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Engine;

public sealed record ApplyOptions
{
    /// <summary>How many API requests may be in flight at once across all companies (steps themselves are not limited).</summary>
    public int Parallelism { get; init; } = 8;

    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>How long to wait for one order to finish before the await step fails (the order is left to a later run).</summary>
    public TimeSpan OrderTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>When an await first reads its order, until the apply has seen an order finish (<see cref="OrderPollSchedule"/>); also the shortest wait between reads.</summary>
    public TimeSpan FirstPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two reads of an unfinished order.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a call whose outcome was unknown is reconciled and tried again within one run.</summary>
    public int MaxAttemptsPerStep { get; init; } = 5;

    /// <summary>A qualification closer than this to its expiry is renewed before it is used.</summary>
    public TimeSpan QualificationMargin { get; init; } = TimeSpan.FromMinutes(5);

    public required LockInfo Holder { get; init; }

    /// <summary>The endpoint applied against (preset name or base URL), recorded in every state this apply writes.</summary>
    public EndpointName? Endpoint { get; init; }

    /// <summary>Where a state the store would not take is kept, so that a result BT already produced is never lost.</summary>
    public IUnwrittenStateKeeper? UnwrittenStateKeeper { get; init; }

    public string WrittenBy => $"{Holder.Who}@{Holder.Host}";
}

/// <summary>
/// Keeps a company's state that the store failed to write (a database down, a full disk, a conflict), somewhere local,
/// after BT already did what it records: the caller tells the user where, and how to store it later.
/// </summary>
public interface IUnwrittenStateKeeper
{
    /// <summary>Keeps <paramref name="state"/> and returns where (a path to give to <c>whcctl state push</c>).</summary>
    string Keep(CompanyState state);
}

public enum StepOutcome
{
    Done,
    Failed,
    Skipped,
}

public sealed record StepResult(PlanStep Step, StepOutcome Outcome, string? Message, TimeSpan Duration);

public sealed record ApplyResult(ImmutableArray<StepResult> Steps, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Steps.All(s => s.Outcome == StepOutcome.Done) && !Diagnostics.Any(d => d.IsError);

    public int Count(StepOutcome outcome) => Steps.Count(s => s.Outcome == outcome);
}

/// <summary>Told about progress as it happens, for the live display, CI lines or JSON events.</summary>
public interface IApplyObserver
{
    void StepStarted(PlanStep planStep);

    void StepFinished(StepResult result);

    void Notice(string company, string message);
}

public sealed class NullApplyObserver : IApplyObserver
{
    public static NullApplyObserver Instance { get; } = new();

    public void StepStarted(PlanStep planStep)
    {
    }

    public void StepFinished(StepResult result)
    {
    }

    public void Notice(string company, string message)
    {
    }
}
