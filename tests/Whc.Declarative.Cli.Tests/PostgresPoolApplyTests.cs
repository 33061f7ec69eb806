using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Abstractions;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.State;
using Whc.Declarative.State.Tests;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// A throw-away cluster with <c>max_connections=20</c> that logs every connection and disconnection, so a test can
/// replay the log and know the most connections a run ever had open (sampling pg_stat_activity can miss a peak).
/// </summary>
public sealed class LoggedSmallPostgresFixture : IAsyncLifetime
{
    public PostgresServerFixture Server { get; } = new(maxConnections: 20);

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        if (PostgresServerFixture.ClusterSkipReason is not null)
        {
            return;
        }

        // Pooling off: log_connections applies to sessions started after the reload, so each check needs a new one.
        var connectionString = PostgresStateSpec.Parse(Server.UrlFor("public")).ConnectionString(PostgresServerFixture.Environment, "whc-test-admin") + ";Pooling=false";
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync();
            foreach (var sql in new[] { "ALTER SYSTEM SET log_connections = on", "ALTER SYSTEM SET log_disconnections = on", "ALTER SYSTEM SET log_line_prefix = '%m [%p] '", "SELECT pg_reload_conf()" })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var check = new NpgsqlConnection(connectionString);
            await check.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW log_disconnections", check);
            if ((string?)await command.ExecuteScalarAsync() == "on")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("the test server did not turn on log_connections after pg_reload_conf()");
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>
/// Issue 24, bounded connections, through the real CLI: the built whcctl, as a child process, applies an estate of
/// many more companies than the server allows connections (max_connections=20), the plan after it is clean, and the
/// run never had more than --parallelism + 3 connections open (the pool, --parallelism + 2, and the lock session).
/// The code before the pool held one connection per company and failed this apply ("too many clients").
/// </summary>
public sealed partial class PostgresPoolApplyTests : IClassFixture<LoggedSmallPostgresFixture>
{
    private const string Estate = "estate";

    /// <summary>Three times the server's max_connections, small enough to apply in seconds.</summary>
    private const int Companies = 60;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static readonly string[] AreaCodes = ["0113", "0114", "0115", "0116", "0117", "0118", "0121", "0131", "0141", "0151", "0161", "020", "01632"];

    private readonly PostgresServerFixture server;
    private readonly ITestOutputHelper output;

    public PostgresPoolApplyTests(LoggedSmallPostgresFixture fixture, ITestOutputHelper output) => (server, this.output) = (fixture.Server, output);

    [PostgresClusterFact]
    public Task Sixty_companies_are_applied_under_max_connections_20_with_the_default_parallelism_within_its_bound() =>
        ApplyWithinBoundAsync(parallelism: null);

    [PostgresClusterFact]
    public Task Sixty_companies_are_applied_under_max_connections_20_with_parallelism_2_within_its_bound() =>
        ApplyWithinBoundAsync(parallelism: 2);

    private async Task ApplyWithinBoundAsync(int? parallelism)
    {
        // Given an estate of 60 companies, and WHC_STATE on a server that takes at most 20 connections
        await using var session = await SandboxSession.StartAsync();
        WriteEstate(session, Companies);
        var environment = session.Environment
            .Where(e => e.Value is not null && e.Key != "WHC_STATE")
            .ToDictionary(e => e.Key, e => e.Value ?? string.Empty, StringComparer.Ordinal);
        environment["WHC_STATE"] = server.UrlFor(PostgresServerFixture.NewSchemaName());
        string[] extra = parallelism is { } p ? ["--parallelism", p.ToString(CultureInfo.InvariantCulture)] : [];
        var log = server.LogPath ?? throw new InvalidOperationException("the connection log needs a throw-away cluster");
        var logFrom = new FileInfo(log).Length;

        // When the built whcctl applies the whole directory in one run
        var started = DateTimeOffset.UtcNow;
        var apply = await ChildWhcctl.RunAsync(session.Workspace.Path, environment, Timeout, ["apply", Estate, "--auto-approve", .. extra]);
        output.WriteLine($"apply: exit {apply.ExitCode} after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");

        // Then it succeeds with at most --parallelism + 3 connections open at any moment, and nothing is left to change
        apply.ExitCode.Should().Be(ExitCodes.Success, apply.ToString());
        var peak = PeakConnections(log, logFrom);
        output.WriteLine($"peak whcctl connections: {peak}");
        var bound = (parallelism ?? PostgresStoreOptions.DefaultParallelism) + 3;
        peak.Should().BeInRange(2, bound, "the pool (--parallelism + 2) and the lock session are all a run may open; at least both were used");
        var plan = await ChildWhcctl.RunAsync(session.Workspace.Path, environment, Timeout, ["plan", Estate, "--detailed-exitcode", .. extra]);
        plan.ExitCode.Should().Be(ExitCodes.Success, plan.ToString());
    }

    /// <summary>
    /// The most whcctl sessions (application_name whcctl or whcctl-lock) open at once, replaying the server log from
    /// <paramref name="from"/>: a session counts from its "connection authorized" line to its "disconnection" line.
    /// </summary>
    private static int PeakConnections(string log, long from)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var open = new HashSet<string>(StringComparer.Ordinal);
        var peak = 0;
        while (reader.ReadLine() is { } line)
        {
            if (Authorized().Match(line) is { Success: true } authorized)
            {
                open.Add(authorized.Groups["pid"].Value);
                peak = Math.Max(peak, open.Count);
            }
            else if (Disconnected().Match(line) is { Success: true } disconnected)
            {
                open.Remove(disconnected.Groups["pid"].Value);
            }
        }

        return peak;
    }

    [GeneratedRegex(@"\[(?<pid>\d+)\] LOG:  connection authorized: .*application_name=whcctl")]
    private static partial Regex Authorized();

    [GeneratedRegex(@"\[(?<pid>\d+)\] LOG:  disconnection: ")]
    private static partial Regex Disconnected();

    /// <summary>The quickstart company, <paramref name="count"/> times under other names, domains, usernames, devices and area codes.</summary>
    private static void WriteEstate(SandboxSession session, int count)
    {
        var quickstart = session.Read("examples/quickstart/company.yaml").Replace("../../schemas", "../schemas", StringComparison.Ordinal);
        for (var i = 1; i <= count; i++)
        {
            var company = string.Create(CultureInfo.InvariantCulture, $"co-{i:000}");
            session.Write(
                $"{Estate}/{company}.yaml",
                quickstart
                    .Replace("name: fun-network", $"name: {company}", StringComparison.Ordinal)
                    .Replace("TheFunNetwork", string.Create(CultureInfo.InvariantCulture, $"Company{i:000}"), StringComparison.Ordinal)
                    .Replace("username: jane.smith", $"username: jane.{company}", StringComparison.Ordinal)
                    .Replace("thefunnetwork.com", $"{company}.example.com", StringComparison.Ordinal)
                    .Replace("areaCode: \"0121\"", $"areaCode: \"{AreaCodes[i % AreaCodes.Length]}\"", StringComparison.Ordinal)
                    .Replace("00:11:22:AA:BB:CC", string.Create(CultureInfo.InvariantCulture, $"00:11:22:AA:{i / 256:X2}:{i % 256:X2}"), StringComparison.Ordinal));
        }
    }
}
