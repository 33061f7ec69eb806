using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>
/// A test class whose theories run each case against the real PostgreSQL the fixture starts ("postgres") and against
/// local files ("local"), from the same first versions.
/// </summary>
public abstract class BothStoresTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private PostgresStateStore? postgres;

    protected BothStoresTests(PostgresServerFixture server) => Server = server;

    protected PostgresServerFixture Server { get; }

    protected string LocalDirectory => directory.Path;

    protected PostgresStateStore Postgres => postgres ?? throw new InvalidOperationException(PostgresServerFixture.SkipReason ?? "no PostgreSQL store");

    public Task InitializeAsync()
    {
        if (PostgresServerFixture.SkipReason is null)
        {
            postgres = Server.NewStore();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        directory.Dispose();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    protected LocalStateStore Local() => new(directory.Path);

    /// <summary>The store of <paramref name="kind"/> holding versions 1 to <paramref name="upToSerial"/> of <paramref name="version"/>.</summary>
    protected async Task<IStateStore> StoreAsync(string kind, long upToSerial, Func<long, CompanyState> version)
    {
        ArgumentNullException.ThrowIfNull(version);
        for (var serial = 1; serial <= upToSerial; serial++)
        {
            // A local store keeps the version a run replaces as its backup: each write here is a run of its own.
            IStateStore writer = kind == "postgres" ? Postgres : Local();
            await writer.WriteAsync(version(serial), SampleStates.Context, default);
        }

        return kind == "postgres" ? Postgres : Local();
    }
}
