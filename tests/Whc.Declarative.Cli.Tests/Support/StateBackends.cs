using Whc.Declarative.State.Tests;

namespace Whc.Declarative.Cli.Tests.Support;

/// <summary>
/// The state stores a story runs on: the local directory, and a real PostgreSQL server (one per test run, started on
/// first use, each session in a schema of its own). Without a server the PostgreSQL rows are left out, unless
/// <c>WHC_TEST_REQUIRE_POSTGRES=1</c> (as in CI), when a server that cannot start fails them.
/// </summary>
public static class StateBackends
{
    public const string Local = "local";
    public const string Postgres = "postgres";

    private static readonly Lazy<Task<PostgresServerFixture>> Server = new(StartAsync);

    public static TheoryData<string> All => PostgresServerFixture.SkipReason is null ? new(Local, Postgres) : new(Local);

    /// <summary>The WHC_STATE value for a new session on <paramref name="backend"/> (null: the local default).</summary>
    public static async Task<string?> NewStateSpecAsync(string backend) =>
        backend == Postgres ? (await Server.Value).UrlFor(PostgresServerFixture.NewSchemaName()) : null;

    private static async Task<PostgresServerFixture> StartAsync()
    {
        var server = new PostgresServerFixture();
        await server.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    }
}
