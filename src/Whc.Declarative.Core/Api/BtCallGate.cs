namespace Whc.Declarative.Core.Api;

/// <summary>
/// What must hold before a request for one company leaves for BT: the run still holds that company's lock. The client
/// asks it before every attempt (a retry after a 429 or a 5xx included), so a lock lost during a wait stops the retry.
/// </summary>
public interface IBtCallGate
{
    /// <summary>Cancelled once the gate has closed for good (the lock is lost): a wait before a request ends at once.</summary>
    CancellationToken Closed { get; }

    /// <summary>Returns when a request may be sent now; throws (the store's lock-lost exception) when it may not. Nothing was sent then.</summary>
    Task EnsureOpenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The gate of the company whose work the current async flow is doing. Ambient (an <see cref="AsyncLocal{T}"/>) rather
/// than a parameter: the retries happen inside the HTTP sender, below <see cref="IWhcApi"/>, and a parameter would have
/// to be threaded through every method of that interface and each of its implementations (clients, decorators, test
/// fakes); the engine sets it once per company and every call that company's steps make carries it down.
/// </summary>
public static class BtCallGate
{
    private static readonly AsyncLocal<IBtCallGate?> Ambient = new();

    /// <summary>The gate of the company this flow works for, or null (a call for no company, such as the token fetch).</summary>
    public static IBtCallGate? Current => Ambient.Value;

    /// <summary>
    /// Sets the gate for this async flow and what it starts. Set inside an async method, it reverts when that method
    /// returns to its caller (the execution context does not flow back), so a per-company task sets it once.
    /// </summary>
    public static void Enter(IBtCallGate? gate) => Ambient.Value = gate;
}
