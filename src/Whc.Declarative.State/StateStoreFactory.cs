using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>Turns <c>--state</c> / <c>WHC_STATE</c> into a store: a postgres:// URL or a directory (default <c>.whc/state</c>).</summary>
public static class StateStoreFactory
{
    public const string EnvironmentVariable = "WHC_STATE";

    /// <summary>How long a local lock's lease lasts (e.g. <c>45s</c>, <c>2m</c>, <c>1500ms</c>); renewed every third of it.</summary>
    public const string LocalLeaseVariable = "WHC_LOCAL_LOCK_LEASE";

    public static IStateStore Open(
        string? spec,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        Action<Diagnostic>? warning = null,
        PostgresStoreOptions? postgres = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var effective = Resolve(spec, environment);
        if (PostgresStateSpec.IsPostgresUrl(effective))
        {
            return new PostgresStateStore(PostgresStateSpec.Parse(effective), environment, warning, options: postgres);
        }

        // A mistyped URL ("postgress://user:PW@host/db") must not become a directory named after it, password included.
        var scheme = effective.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            throw new StateException(DiagnosticCatalog.StateBackendUnknownKind.With(UrlText.WithoutCredentials(effective), effective[..scheme]));
        }

        return new LocalStateStore(Path.GetFullPath(effective, workingDirectory), warning, lease: LocalLease(environment));
    }

    /// <summary><see cref="LocalLeaseVariable"/> as a lease, or null for the default; a value that is not a duration is refused.</summary>
    public static LocalLockLease? LocalLease(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.TryGetValue(LocalLeaseVariable, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : (value, 1.0);
        if (!double.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount)
            || amount * unit is < 1 or > 3600)
        {
            throw new StateException(DiagnosticCatalog.StateLeaseInvalid.With(LocalLeaseVariable, value));
        }

        var duration = TimeSpan.FromSeconds(amount * unit);
        var check = duration / 10 < TimeSpan.FromSeconds(3) ? duration / 10 : TimeSpan.FromSeconds(3);
        return new LocalLockLease(duration, duration / 3, check);
    }

    /// <summary>The spec in effect: the argument, else WHC_STATE, else the default directory.</summary>
    public static string Resolve(string? spec, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(spec))
        {
            return spec;
        }

        return environment.TryGetValue(EnvironmentVariable, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : LocalStateStore.DefaultDirectory;
    }
}

/// <summary>
/// How a PostgreSQL store uses the server: its pool is sized by the run's parallelism (requests in flight), not by
/// the number of companies; the lock session is one connection more.
/// </summary>
public sealed record PostgresStoreOptions
{
    /// <summary>Connections beyond the parallelism: a listing, a lock holder lookup or a history read alongside the requests.</summary>
    public const int PoolMargin = 2;

    /// <summary>The CLI's default --parallelism.</summary>
    public const int DefaultParallelism = 8;

    /// <summary>Builds options for a run with <paramref name="parallelism"/> requests in flight (null: the default).</summary>
    public static PostgresStoreOptions ForParallelism(int? parallelism) =>
        new() { MaxPoolSize = Math.Max(1, parallelism ?? DefaultParallelism) + PoolMargin };

    /// <summary>The pool's Maximum Pool Size (the lock session is not counted).</summary>
    public int MaxPoolSize { get; init; } = DefaultParallelism + PoolMargin;

    /// <summary>How often the watcher pings the lock session and compares the leases with our fences.</summary>
    public TimeSpan LockWatchInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a dropped lock session is retried (a server restart) before its locks count as lost.</summary>
    public TimeSpan ReconnectGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a read or write after a dropped connection (exponential back-off from 100 ms, at most 2 s apart).</summary>
    public int RetryAttempts { get; init; } = 6;
}
