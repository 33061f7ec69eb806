using System.Globalization;
using System.Net;
using Npgsql;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>
/// A parsed <c>postgres://user@host:port/db?schema=whc&amp;workspace=default</c> state URL. A password is never taken
/// from the URL: it comes from <c>WHC_STATE_PASSWORD</c>, <c>PGPASSWORD</c> or <c>~/.pgpass</c>. TLS follows libpq:
/// <c>sslmode</c>, <c>sslrootcert</c>, <c>sslcert</c>, <c>sslkey</c> in the URL, else <c>PGSSLMODE</c> and friends,
/// else verify-full for a host that is not loopback and no TLS for loopback.
/// </summary>
public sealed record PostgresStateSpec(string Host, int Port, string Database, string? Username, string Schema, string Workspace)
{
    /// <summary>The URL's <c>sslmode</c>; null when the URL has none (then PGSSLMODE, then the host decides).</summary>
    public PostgresSslMode? SslMode { get; init; }

    /// <summary>The URL's <c>sslrootcert</c>: a PEM file of the CA(s) the server's certificate must chain to.</summary>
    public string? SslRootCert { get; init; }

    /// <summary>The URL's <c>sslcert</c> (client certificate, PEM).</summary>
    public string? SslCert { get; init; }

    /// <summary>The URL's <c>sslkey</c> (client key, PEM).</summary>
    public string? SslKey { get; init; }

    /// <summary>The host is this machine (127.0.0.0/8, ::1, localhost): traffic never leaves it.</summary>
    public bool IsLoopback =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

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
        PostgresSslMode? sslMode = null;
        string? sslRootCert = null, sslCert = null, sslKey = null;
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
                case "sslmode":
                    sslMode = ParseSslMode(value) ?? throw Invalid(SslModeReason(value, "sslmode"));
                    break;
                case "sslrootcert":
                    sslRootCert = NonEmpty(value, key);
                    break;
                case "sslcert":
                    sslCert = NonEmpty(value, key);
                    break;
                case "sslkey":
                    sslKey = NonEmpty(value, key);
                    break;
                default:
                    throw Invalid($"unknown URL parameter '{key}' (known: schema, workspace, sslmode, sslrootcert, sslcert, sslkey)");
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
        return new PostgresStateSpec(uri.Host, port, database, username, schema, workspace)
        {
            SslMode = sslMode,
            SslRootCert = sslRootCert,
            SslCert = sslCert,
            SslKey = sslKey,
        };
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

        ApplyTls(builder, environment);
        return builder.ConnectionString;
    }

    /// <summary>The TLS mode in force: the URL's, else PGSSLMODE, else verify-full off loopback and disable on it.</summary>
    public PostgresSslMode EffectiveSslMode(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (SslMode is { } fromUrl)
        {
            return fromUrl;
        }

        if (Get(environment, "PGSSLMODE") is { } variable)
        {
            return ParseSslMode(variable) ?? throw new StateException(DiagnosticCatalog.StatePostgresTlsInvalid.With(SslModeReason(variable, "PGSSLMODE")));
        }

        return IsLoopback ? PostgresSslMode.Disable : PostgresSslMode.VerifyFull;
    }

    private void ApplyTls(NpgsqlConnectionStringBuilder builder, IReadOnlyDictionary<string, string?> environment)
    {
        var mode = EffectiveSslMode(environment);
        var root = SslRootCert ?? Get(environment, "PGSSLROOTCERT");
        if (root == "system" && SslRootCert is not null && Get(environment, "PGSSLROOTCERT") is not null)
        {
            // Npgsql reads PGSSLROOTCERT itself when no root certificate is set, so the URL could not win here.
            throw new StateException(DiagnosticCatalog.StatePostgresRootCertClash.With());
        }

        if (mode == PostgresSslMode.Require && root is not null && root != "system")
        {
            mode = PostgresSslMode.VerifyCa; // libpq: require with a root certificate checks the chain as verify-ca does.
        }

        builder.SslMode = mode switch
        {
            PostgresSslMode.Disable => Npgsql.SslMode.Disable,
            PostgresSslMode.Require => Npgsql.SslMode.Require,
            PostgresSslMode.VerifyCa => Npgsql.SslMode.VerifyCA,
            _ => Npgsql.SslMode.VerifyFull,
        };
        if (mode == PostgresSslMode.Disable)
        {
            return;
        }

        // Set explicitly (never left to Npgsql's own reading of the process environment), so the URL always wins.
        // Without a root certificate, verify-ca/verify-full check against the system's trusted CAs.
        if (root is not null && root != "system")
        {
            builder.RootCertificate = root;
        }

        if ((SslCert ?? Get(environment, "PGSSLCERT")) is { } certificate)
        {
            builder.SslCertificate = certificate;
        }

        if ((SslKey ?? Get(environment, "PGSSLKEY")) is { } key)
        {
            builder.SslKey = key;
        }
    }

    /// <summary>The libpq spelling of <paramref name="mode"/>.</summary>
    public static string Name(PostgresSslMode mode) => mode switch
    {
        PostgresSslMode.Disable => "disable",
        PostgresSslMode.Require => "require",
        PostgresSslMode.VerifyCa => "verify-ca",
        _ => "verify-full",
    };

    private static PostgresSslMode? ParseSslMode(string value) => value switch
    {
        "disable" => PostgresSslMode.Disable,
        "require" => PostgresSslMode.Require,
        "verify-ca" => PostgresSslMode.VerifyCa,
        "verify-full" => PostgresSslMode.VerifyFull,
        _ => null,
    };

    private static string SslModeReason(string value, string source) => value is "allow" or "prefer"
        ? $"{source}={value} is not supported: it silently falls back to an unencrypted connection; use {source}=require (or verify-full) to insist on TLS, or {source}=disable to say you do not want it"
        : $"{source}='{value}' is not one of disable, require, verify-ca, verify-full";

    private static string NonEmpty(string value, string key) =>
        value.Length > 0 ? value : throw Invalid($"{key} needs a file path");

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static StateException Invalid(string reason) => new(DiagnosticCatalog.StateBackendInvalid.Code, $"invalid PostgreSQL state URL: {reason}");
}

/// <summary>libpq's sslmode values that whcctl accepts (allow and prefer are refused: they fall back to plain text).</summary>
public enum PostgresSslMode
{
    Disable,
    Require,
    VerifyCa,
    VerifyFull,
}
