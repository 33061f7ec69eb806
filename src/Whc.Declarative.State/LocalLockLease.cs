namespace Whc.Declarative.State;

/// <summary>
/// How long a local lock's lease lasts, how often its holder renews it and how often the holder looks at its lock file
/// to notice a loss (force-unlock, a takeover). Short values are for tests.
/// </summary>
/// <param name="WriteGuardWait">
/// How long a write waits for the company's write guard (an OS file lock a write holds for milliseconds) before it
/// stops with WHC5000: by default the lease's length, and never less than 30 s, so a slow disk is not taken for a
/// frozen writer.
/// </param>
public sealed record LocalLockLease(TimeSpan Duration, TimeSpan RenewEvery, TimeSpan CheckEvery, TimeSpan? WriteGuardWait = null)
{
    private static readonly TimeSpan LeastWriteGuardWait = TimeSpan.FromSeconds(30);

    /// <summary>45 s, renewed every 15 s, looked at every 3 s.</summary>
    public static LocalLockLease Default { get; } = new(TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(3));

    /// <summary>What <see cref="WriteGuardWait"/> comes to.</summary>
    public TimeSpan WriteGuardWaitOrDefault => WriteGuardWait ?? (Duration > LeastWriteGuardWait ? Duration : LeastWriteGuardWait);
}
