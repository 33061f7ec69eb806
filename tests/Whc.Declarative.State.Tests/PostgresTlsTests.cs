using Npgsql;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

/// <summary>Two throw-away clusters for the TLS tests: one with <c>ssl=on</c> and a test CA, one without TLS.</summary>
public sealed class PostgresTlsServerFixture : IAsyncLifetime
{
    public PostgresServerFixture Server { get; } = new(ssl: true);

    public PostgresServerFixture Plain { get; } = new(ssl: false);

    public TestCertificates Certificates => Server.Certificates ?? throw new InvalidOperationException("the TLS server did not start: " + Server.RequireUrl());

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        await Plain.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Plain.DisposeAsync();
    }
}

/// <summary>TLS to the state database: verify-full checks chain and host name, require never falls back to plain text.</summary>
public sealed class PostgresTlsTests : IClassFixture<PostgresTlsServerFixture>
{
    private const string Password = "s3cret-not-shown";
    private readonly PostgresTlsServerFixture tls;

    public PostgresTlsTests(PostgresTlsServerFixture tls) => this.tls = tls;

    private static Dictionary<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string?> { ["PGPASSWORD"] = Password };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }

    private string TlsUrl(string query) => $"{tls.Server.RequireUrl()}?schema={PostgresServerFixture.NewSchemaName()}&{query}";

    [PostgresClusterFact]
    public async Task Verify_full_with_the_right_CA_connects_encrypted()
    {
        var spec = PostgresStateSpec.Parse(TlsUrl($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(tls.Certificates.CaPath)}"));

        await using (var store = new PostgresStateStore(spec, Env()))
        {
            (await store.ListCompaniesAsync(CancellationToken.None)).Should().BeEmpty();
        }

        (await SessionUsesSsl(spec.ConnectionString(Env()))).Should().BeTrue();
    }

    [PostgresClusterFact]
    public async Task Verify_full_checks_the_host_name_and_verify_ca_does_not()
    {
        var root = Uri.EscapeDataString(tls.Certificates.CaPath);
        var otherName = TlsUrl($"sslmode=verify-full&sslrootcert={root}").Replace("@127.0.0.1:", "@127.0.0.2:", StringComparison.Ordinal);
        await using var store = new PostgresStateStore(PostgresStateSpec.Parse(otherName), Env());

        var list = () => store.ListCompaniesAsync(CancellationToken.None);

        (await list.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5006");
        (await SessionUsesSsl(PostgresStateSpec.Parse(otherName.Replace("verify-full", "verify-ca", StringComparison.Ordinal)).ConnectionString(Env()))).Should().BeTrue();
    }

    [PostgresClusterFact]
    public async Task Verify_full_with_a_wrong_CA_fails_on_one_line_without_the_password()
    {
        var spec = PostgresStateSpec.Parse(TlsUrl($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(tls.Certificates.WrongCaPath)}"));
        await using var store = new PostgresStateStore(spec, Env());

        var list = () => store.ListCompaniesAsync(CancellationToken.None);

        var error = (await list.Should().ThrowAsync<StateException>()).Which;
        error.Code.Should().Be("WHC5006");
        error.Message.Should().NotContain("\n").And.NotContain(Password).And.Contain("certificate");
    }

    [PostgresClusterFact]
    public async Task PGSSLMODE_verify_full_with_a_wrong_PGSSLROOTCERT_fails()
    {
        var spec = PostgresStateSpec.Parse(TlsUrl("workspace=default"));
        await using var store = new PostgresStateStore(spec, Env(("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", tls.Certificates.WrongCaPath)));

        var list = () => store.ListCompaniesAsync(CancellationToken.None);

        (await list.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5006");
    }

    [PostgresClusterFact]
    public async Task The_URL_sslmode_wins_over_PGSSLMODE()
    {
        var spec = PostgresStateSpec.Parse(TlsUrl($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(tls.Certificates.CaPath)}"));

        var connectionString = spec.ConnectionString(Env(("PGSSLMODE", "disable"), ("PGSSLROOTCERT", tls.Certificates.WrongCaPath)));

        (await SessionUsesSsl(connectionString)).Should().BeTrue();
    }

    [PostgresClusterFact]
    public async Task Require_against_a_TLS_server_is_encrypted()
    {
        var spec = PostgresStateSpec.Parse(TlsUrl("sslmode=require"));

        (await SessionUsesSsl(spec.ConnectionString(Env()))).Should().BeTrue();
    }

    [PostgresClusterFact]
    public async Task Require_with_a_wrong_sslrootcert_fails()
    {
        var spec = PostgresStateSpec.Parse(TlsUrl($"sslmode=require&sslrootcert={Uri.EscapeDataString(tls.Certificates.WrongCaPath)}"));
        await using var store = new PostgresStateStore(spec, Env());

        var list = () => store.ListCompaniesAsync(CancellationToken.None);

        (await list.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5006");
    }

    [PostgresClusterFact]
    public async Task Require_against_a_server_without_TLS_fails_instead_of_falling_back()
    {
        var spec = PostgresStateSpec.Parse(tls.Plain.UrlFor(PostgresServerFixture.NewSchemaName()) + "&sslmode=require");
        await using var store = new PostgresStateStore(spec, Env());

        var list = () => store.ListCompaniesAsync(CancellationToken.None);

        var error = (await list.Should().ThrowAsync<StateException>()).Which;
        error.Code.Should().Be("WHC5006");
        error.Message.Should().NotContain("\n").And.NotContain(Password).And.Contain("SSL");
    }

    [PostgresClusterFact]
    public async Task PGSSLMODE_require_against_a_server_without_TLS_fails_too()
    {
        var spec = PostgresStateSpec.Parse(tls.Plain.UrlFor(PostgresServerFixture.NewSchemaName()));
        await using var store = new PostgresStateStore(spec, Env(("PGSSLMODE", "require")));

        var list = () => store.ListCompaniesAsync(CancellationToken.None);

        (await list.Should().ThrowAsync<StateException>()).Which.Code.Should().Be("WHC5006");
    }

    [PostgresClusterFact]
    public async Task A_missing_or_unreadable_sslrootcert_is_a_clean_error()
    {
        var notPem = Path.Combine(Path.GetDirectoryName(tls.Certificates.CaPath) ?? "/", "not-a-cert.pem");
        await File.WriteAllTextAsync(notPem, "not a certificate\n");
        foreach (var path in new[] { "/nonexistent/whc-root.crt", notPem })
        {
            var spec = PostgresStateSpec.Parse(TlsUrl($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(path)}"));
            await using var store = new PostgresStateStore(spec, Env());

            var list = () => store.ListCompaniesAsync(CancellationToken.None);

            var error = (await list.Should().ThrowAsync<StateException>()).Which;
            error.Code.Should().Be("WHC5006");
            error.Message.Should().NotContain("\n").And.NotContain(Password);
        }
    }

    private static async Task<bool> SessionUsesSsl(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        return (bool)(await command.ExecuteScalarAsync() ?? false);
    }
}
