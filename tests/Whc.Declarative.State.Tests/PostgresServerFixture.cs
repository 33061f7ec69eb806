using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// One real PostgreSQL server per test run. With <c>WHC_TEST_POSTGRES</c> (a postgres:// URL) that server is used.
/// Otherwise a throw-away cluster is made with <c>initdb</c> in a temporary directory (found via <c>pg_config --bindir</c>)
/// and started on 127.0.0.1 with a free port; as root, the server runs as the <c>postgres</c> system user because
/// initdb and postgres refuse to run as root. It is stopped and deleted at the end.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private readonly bool ssl;
    private readonly bool ownCluster;
    private readonly int maxConnections = 200;

    public PostgresServerFixture()
    {
    }

    /// <summary>Always a throw-away cluster (never WHC_TEST_POSTGRES); with <paramref name="ssl"/>, <c>ssl=on</c> and a test CA (see <see cref="TestCertificates"/>).</summary>
    internal PostgresServerFixture(bool ssl) => (this.ssl, ownCluster) = (ssl, true);

    /// <summary>Always a throw-away cluster, started with this <c>max_connections</c> (the bounded-pool tests).</summary>
    internal PostgresServerFixture(int maxConnections) => (this.maxConnections, ownCluster) = (maxConnections, true);

    /// <summary>The CA, server certificate and an unrelated CA of an <c>ssl=on</c> server.</summary>
    public TestCertificates? Certificates { get; private set; }

    public const string UrlVariable = "WHC_TEST_POSTGRES";
    public const string RequireVariable = "WHC_TEST_REQUIRE_POSTGRES";

    private string? tempDirectory;
    private string? binDirectory;
    private string? runAsUser;
    private string? startFailure;

    /// <summary>postgres://... of the server, once started.</summary>
    public string? Url { get; private set; }

    public string? PsqlPath => binDirectory is null ? FindOnPath("psql") : Path.Combine(binDirectory, "psql");

    public int Port { get; private set; }

    /// <summary>The server's log (<c>pg_ctl -l</c>) of a throw-away cluster started here; null for a WHC_TEST_POSTGRES server.</summary>
    public string? LogPath => binDirectory is null || tempDirectory is null ? null : Path.Combine(tempDirectory, "server.log");

    public string Host { get; private set; } = "127.0.0.1";

    public string User { get; private set; } = "whc";

    public string Database { get; private set; } = "postgres";

    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["PGPASSWORD"] = System.Environment.GetEnvironmentVariable("PGPASSWORD"),
    };

    /// <summary>Why tests are skipped, decided without starting anything (xunit 2 decides skips at discovery).</summary>
    public static string? SkipReason { get; } = DecideSkipReason();

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        var external = System.Environment.GetEnvironmentVariable(UrlVariable);
        if (!string.IsNullOrEmpty(external) && !ownCluster)
        {
            Url = external;
            var spec = PostgresStateSpec.Parse(external);
            (Host, Port, Database, User) = (spec.Host, spec.Port, spec.Database, spec.Username ?? "postgres");
            return;
        }

        try
        {
            await StartClusterAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            var required = System.Environment.GetEnvironmentVariable(RequireVariable) == "1" ? $" ({RequireVariable}=1, so this fails instead of skipping)" : string.Empty;
            startFailure = $"could not start a throw-away PostgreSQL server{required}: {e.Message}. Install PostgreSQL (initdb, pg_ctl, pg_config) or point the tests at a server with {UrlVariable}=postgres://user@host:port/db";
        }
    }

    public async Task DisposeAsync()
    {
        if (tempDirectory is null)
        {
            return;
        }

        if (binDirectory is not null && Directory.Exists(Path.Combine(tempDirectory, "data")))
        {
            await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", Path.Combine(tempDirectory, "data"), "-m", "immediate", "-w", "stop"], allowFailure: true);
        }

        try
        {
            Directory.Delete(tempDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A store in a schema of its own, so tests never see each other's rows.</summary>
    public PostgresStateStore NewStore(string? schema = null, string workspace = "default", Action<Whc.Declarative.Core.Diagnostics.Diagnostic>? warning = null) =>
        new(PostgresStateSpec.Parse(UrlFor(schema ?? NewSchemaName(), workspace)), Environment, warning);

    public string UrlFor(string schema, string workspace = "default")
    {
        var url = RequireUrl();
        var separator = url.Contains('?') ? '&' : '?';
        return $"{url}{separator}schema={schema}&workspace={workspace}";
    }

    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public string RequireUrl() =>
        Url ?? throw new InvalidOperationException(startFailure ?? "the PostgreSQL test server is not available");

    /// <summary>
    /// Restarts a server started here, same options and port: every session ends. <c>-m fast</c> by default, as in an
    /// operator's restart; with <paramref name="crash"/> <c>-m immediate</c>, as in a crash (a blip for the clients).
    /// Only for a throw-away cluster (never a WHC_TEST_POSTGRES server, which others may share).
    /// </summary>
    public async Task RestartAsync(bool crash = false)
    {
        if (binDirectory is null || tempDirectory is null)
        {
            throw new InvalidOperationException("only a throw-away server started by these tests can be restarted");
        }

        // -l again: without it the new server would write to this process's pipe and RunAsync would never return.
        await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", Path.Combine(tempDirectory, "data"), "-l", Path.Combine(tempDirectory, "server.log"), "-m", crash ? "immediate" : "fast", "-w", "-t", "60", "restart"]);
    }

    private async Task StartClusterAsync()
    {
        binDirectory = (await RunAsync("pg_config", ["--bindir"])).Trim();
        if (!File.Exists(Path.Combine(binDirectory, "initdb")) && Directory.Exists("/usr/lib/postgresql"))
        {
            // pg_config may come from the client library of another version; Debian keeps servers per version.
            binDirectory = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .Order(StringComparer.Ordinal)
                .LastOrDefault() ?? binDirectory;
        }

        runAsUser = IsRoot() ? "postgres" : null;
        tempDirectory = Path.Combine(Path.GetTempPath(), "whc-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(tempDirectory);
        if (runAsUser is not null)
        {
            await RunAsync("chown", [runAsUser, tempDirectory]);
        }

        var data = Path.Combine(tempDirectory, "data");
        await RunAsync(Path.Combine(binDirectory, "initdb"), ["-D", data, "-A", "trust", "-U", "whc", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        Port = FreePort();
        var options = $"-k {tempDirectory} -h 127.0.0.1 -p {Port} -F -c max_connections={maxConnections}";
        if (ssl)
        {
            Certificates = TestCertificates.Write(tempDirectory);
            if (runAsUser is not null)
            {
                await RunAsync("chown", [runAsUser, Certificates.ServerCertificatePath, Certificates.ServerKeyPath]);
            }

            // Also on 127.0.0.2, an address the certificate does not name, to show that verify-full checks the name.
            options = options.Replace("-h 127.0.0.1", "-h 127.0.0.1,127.0.0.2", StringComparison.Ordinal);
            options += $" -c ssl=on -c ssl_cert_file={Certificates.ServerCertificatePath} -c ssl_key_file={Certificates.ServerKeyPath}";
        }

        await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", data, "-l", Path.Combine(tempDirectory, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        Url = $"postgres://whc@127.0.0.1:{Port}/postgres";
    }

    private async Task<string> RunAsync(string program, string[] arguments, bool allowFailure = false)
    {
        var start = new ProcessStartInfo
        {
            FileName = runAsUser is null || program is "pg_config" or "chown" ? program : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = tempDirectory ?? Path.GetTempPath(),
        };
        if (start.FileName == "runuser")
        {
            foreach (var argument in new[] { "-u", runAsUser!, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            var log = tempDirectory is null ? string.Empty : TryRead(Path.Combine(tempDirectory, "server.log"));
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}{log}");
        }

        return await output;
    }

    private static string TryRead(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal);

    private static string? FindOnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Why tests that need a throw-away cluster of their own (the TLS ones) are skipped; a WHC_TEST_POSTGRES server does not help them.</summary>
    public static string? ClusterSkipReason { get; } = DecideSkipReason(ownCluster: true);

    private static string? DecideSkipReason(bool ownCluster = false)
    {
        if (!ownCluster && !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(UrlVariable)))
        {
            return null;
        }

        if (System.Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            return null; // Required: never skip; a missing server fails the tests with the reason.
        }

        var howTo = $"set {UrlVariable}=postgres://user@host:port/db to run them against a server, or install PostgreSQL (initdb, pg_ctl, pg_config)";
        if (FindOnPath("pg_config") is null)
        {
            return $"PostgreSQL tests skipped: pg_config not found; {howTo}";
        }

        if (IsRoot() && (FindOnPath("runuser") is null || !File.ReadAllText("/etc/passwd").Contains("\npostgres:", StringComparison.Ordinal)))
        {
            return $"PostgreSQL tests skipped: running as root needs the 'postgres' user and runuser to start a server; {howTo}";
        }

        return null;
    }
}

/// <summary>A test that needs the PostgreSQL server; skipped (with how to enable it) when none can be found.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServerFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that needs a throw-away cluster started here (initdb), such as one with <c>ssl=on</c>.</summary>
public sealed class PostgresClusterFactAttribute : FactAttribute
{
    public PostgresClusterFactAttribute()
    {
        if (PostgresServerFixture.ClusterSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostgreSQL server";
}
