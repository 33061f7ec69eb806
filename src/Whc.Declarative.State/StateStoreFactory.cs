using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>Turns <c>--state</c> / <c>WHC_STATE</c> into a store: a postgres:// URL or a directory (default <c>.whc/state</c>).</summary>
public static class StateStoreFactory
{
    public const string EnvironmentVariable = "WHC_STATE";

    public static IStateStore Open(string? spec, string workingDirectory, IReadOnlyDictionary<string, string?> environment, Action<Diagnostic>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var effective = Resolve(spec, environment);
        if (PostgresStateSpec.IsPostgresUrl(effective))
        {
            return new PostgresStateStore(PostgresStateSpec.Parse(effective), environment, warning);
        }

        // A mistyped URL ("postgress://user:PW@host/db") must not become a directory named after it, password included.
        var scheme = effective.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            throw new StateException(
                DiagnosticCatalog.StateBackendInvalid.Code,
                $"state '{UrlText.WithoutCredentials(effective)}' names an unknown kind of store '{effective[..scheme]}://'; state lives in a directory or at postgres://user@host:port/database");
        }

        return new LocalStateStore(Path.GetFullPath(effective, workingDirectory), warning);
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
