using System.Globalization;
using Npgsql;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>
/// A parsed <c>postgres://user@host:port/db?schema=whc&amp;workspace=default</c> state URL. A password is never taken
/// from the URL: it comes from <c>WHC_STATE_PASSWORD</c>, <c>PGPASSWORD</c> or <c>~/.pgpass</c>.
/// </summary>
public sealed record PostgresStateSpec(string Host, int Port, string Database, string? Username, string Schema, string Workspace)
{
    public const string DefaultSchema = "whc";
    public const string DefaultWorkspace = "default";

    public static bool IsPostgresUrl(string spec) =>
        spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"PostgreSQL {Host}:{Port}/{Database} (schema {Schema}, workspace {Workspace})");

    public static PostgresStateSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsPostgresUrl(spec) || !Uri.TryCreate(spec, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid("expected postgres://[user@]host[:port]/database[?schema=S&workspace=W]");
        }

        string? username = null;
        if (uri.UserInfo.Length > 0)
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                throw Invalid("a password in the URL is not accepted (URLs end up in logs); set WHC_STATE_PASSWORD or PGPASSWORD, or use ~/.pgpass");
            }

            username = Uri.UnescapeDataString(uri.UserInfo);
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid("the URL must name one database: postgres://host/DATABASE");
        }

        var schema = DefaultSchema;
        var workspace = DefaultWorkspace;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (key)
            {
                case "schema":
                    schema = value;
                    break;
                case "workspace":
                    workspace = value;
                    break;
                default:
                    throw Invalid($"unknown URL parameter '{key}' (known: schema, workspace)");
            }
        }

        if (schema.Length is 0 or > 63 || !(char.IsAsciiLetterLower(schema[0]) || schema[0] == '_')
            || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw Invalid($"schema '{schema}' must be a lower-case identifier (a-z, 0-9, _)");
        }

        if (workspace.Length is 0 or > 128)
        {
            throw Invalid("workspace must be 1 to 128 characters");
        }

        var port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port;
        return new PostgresStateSpec(uri.Host, port, database, username, schema, workspace);
    }

    /// <summary>The Npgsql connection string; the password comes from <paramref name="environment"/> or ~/.pgpass.</summary>
    public string ConnectionString(IReadOnlyDictionary<string, string?> environment, string applicationName = "whcctl")
    {
        ArgumentNullException.ThrowIfNull(environment);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            ApplicationName = applicationName,
            Timeout = 15,
        };
        var username = Username ?? Get(environment, "PGUSER") ?? Get(environment, "USER");
        if (username is not null)
        {
            builder.Username = username;
        }

        var password = Get(environment, "WHC_STATE_PASSWORD") ?? Get(environment, "PGPASSWORD");
        if (password is not null)
        {
            builder.Password = password;
        }

        var passfile = Get(environment, "PGPASSFILE");
        if (passfile is not null)
        {
            builder.Passfile = passfile;
        }

        return builder.ConnectionString;
    }

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static StateException Invalid(string reason) => new(DiagnosticCatalog.StateBackendInvalid.Code, $"invalid PostgreSQL state URL: {reason}");
}
