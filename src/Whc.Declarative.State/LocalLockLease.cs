namespace Whc.Declarative.State;

/// <summary>
/// How long a local lock's lease lasts, how often its holder renews it and how often the holder looks at its lock file
/// to notice a loss (force-unlock, a takeover). Short values are for tests.
/// </summary>
public sealed record LocalLockLease(TimeSpan Duration, TimeSpan RenewEvery, TimeSpan CheckEvery)
{
    /// <summary>45 s, renewed every 15 s, looked at every 3 s.</summary>
    public static LocalLockLease Default { get; } = new(TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(3));
}
