using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

public sealed class PostgresStateSpecTests
{
    [Fact]
    public void Should_parse_host_port_database_schema_and_workspace()
    {
        var spec = PostgresStateSpec.Parse("postgres://ops@db.internal:6543/whcstate?schema=tenant_a&workspace=prod");

        spec.Should().Be(new PostgresStateSpec("db.internal", 6543, "whcstate", "ops", "tenant_a", "prod"));
    }

    [Fact]
    public void Should_default_port_schema_and_workspace()
    {
        var spec = PostgresStateSpec.Parse("postgresql://db/whc");

        spec.Should().Be(new PostgresStateSpec("db", 5432, "whc", null, "whc", "default"));
    }

    [Fact]
    public void Should_refuse_a_password_in_the_url_without_echoing_it()
    {
        var parse = () => PostgresStateSpec.Parse("postgres://ops:hunter2@db/whc");

        parse.Should().Throw<StateException>().Where(e => e.Code == "WHC5006" && e.Message.Contains("PGPASSWORD") && !e.Message.Contains("hunter2"));
    }

    [Fact]
    public void Should_refuse_a_schema_that_is_not_a_plain_identifier()
    {
        var parse = () => PostgresStateSpec.Parse("postgres://db/whc?schema=x;drop");

        parse.Should().Throw<StateException>().Where(e => e.Code == "WHC5006");
    }

    [Fact]
    public void Should_take_the_password_from_WHC_STATE_PASSWORD_before_PGPASSWORD()
    {
        var spec = PostgresStateSpec.Parse("postgres://ops@db/whc");

        var connectionString = spec.ConnectionString(new Dictionary<string, string?> { ["WHC_STATE_PASSWORD"] = "a", ["PGPASSWORD"] = "b" });

        new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password.Should().Be("a");
    }

    private static Npgsql.NpgsqlConnectionStringBuilder Built(string url, Dictionary<string, string?>? environment = null) =>
        new(PostgresStateSpec.Parse(url).ConnectionString(environment ?? new Dictionary<string, string?>()));

    [Fact]
    public void A_non_loopback_host_without_sslmode_defaults_to_verify_full()
    {
        Built("postgres://ops@db.example.com/whc").SslMode.Should().Be(Npgsql.SslMode.VerifyFull);
    }

    [Theory]
    [InlineData("postgres://ops@127.0.0.1/whc")]
    [InlineData("postgres://ops@127.0.0.2:5433/whc")]
    [InlineData("postgres://ops@localhost/whc")]
    [InlineData("postgres://ops@[::1]/whc")]
    public void A_loopback_host_without_sslmode_does_not_use_TLS(string url)
    {
        Built(url).SslMode.Should().Be(Npgsql.SslMode.Disable);
    }

    [Theory]
    [InlineData("disable", Npgsql.SslMode.Disable)]
    [InlineData("require", Npgsql.SslMode.Require)]
    [InlineData("verify-ca", Npgsql.SslMode.VerifyCA)]
    [InlineData("verify-full", Npgsql.SslMode.VerifyFull)]
    public void Sslmode_in_the_URL_maps_to_Npgsql(string mode, Npgsql.SslMode expected)
    {
        Built($"postgres://ops@db.example.com/whc?sslmode={mode}").SslMode.Should().Be(expected);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("prefer")]
    [InlineData("verify_full")]
    public void Sslmode_allow_prefer_and_unknown_values_are_refused(string mode)
    {
        var parse = () => PostgresStateSpec.Parse($"postgres://ops@db/whc?sslmode={mode}");

        parse.Should().Throw<StateException>().Where(e => e.Code == "WHC5006" && e.Message.Contains("sslmode") && !e.Message.Contains('\n'));
    }

    [Fact]
    public void PGSSLMODE_prefer_is_refused_too()
    {
        var build = () => Built("postgres://ops@db/whc", new Dictionary<string, string?> { ["PGSSLMODE"] = "prefer" });

        build.Should().Throw<StateException>().Where(e => e.Code == "WHC5006" && e.Message.Contains("PGSSLMODE"));
    }

    [Fact]
    public void The_libpq_variables_apply_and_the_URL_wins()
    {
        var environment = new Dictionary<string, string?> { ["PGSSLMODE"] = "verify-ca", ["PGSSLROOTCERT"] = "/env/root.crt", ["PGSSLCERT"] = "/env/client.crt", ["PGSSLKEY"] = "/env/client.key" };

        var fromEnvironment = Built("postgres://ops@127.0.0.1/whc", environment);
        var fromUrl = Built("postgres://ops@127.0.0.1/whc?sslmode=verify-full&sslrootcert=%2Furl%2Froot.crt&sslcert=/url/c.crt&sslkey=/url/c.key", environment);

        (fromEnvironment.SslMode, fromEnvironment.RootCertificate, fromEnvironment.SslCertificate, fromEnvironment.SslKey)
            .Should().Be((Npgsql.SslMode.VerifyCA, "/env/root.crt", "/env/client.crt", "/env/client.key"));
        (fromUrl.SslMode, fromUrl.RootCertificate, fromUrl.SslCertificate, fromUrl.SslKey)
            .Should().Be((Npgsql.SslMode.VerifyFull, "/url/root.crt", "/url/c.crt", "/url/c.key"));
    }

    [Fact]
    public void Require_with_a_root_certificate_checks_the_chain_as_libpq_does()
    {
        Built("postgres://ops@db.example.com/whc?sslmode=require&sslrootcert=/etc/ca.pem").SslMode.Should().Be(Npgsql.SslMode.VerifyCA);
        Built("postgres://ops@db.example.com/whc?sslmode=require").SslMode.Should().Be(Npgsql.SslMode.Require);
    }

    [Fact]
    public void Sslrootcert_system_with_PGSSLROOTCERT_set_is_refused_because_Npgsql_would_read_the_variable()
    {
        var build = () => Built("postgres://ops@db.example.com/whc?sslrootcert=system", new Dictionary<string, string?> { ["PGSSLROOTCERT"] = "/env/root.crt" });

        build.Should().Throw<StateException>().Where(e => e.Code == "WHC5006" && e.Message.Contains("PGSSLROOTCERT"));
        Built("postgres://ops@db.example.com/whc?sslrootcert=system").RootCertificate.Should().BeNull();
    }

    [Fact]
    public void Factory_opens_a_local_store_relative_to_the_working_directory_by_default()
    {
        var store = StateStoreFactory.Open(null, "/work/project", new Dictionary<string, string?>());

        store.Should().BeOfType<LocalStateStore>().Which.Directory.Should().Be("/work/project/.whc/state");
    }

    [Fact]
    public void Factory_prefers_the_argument_over_WHC_STATE()
    {
        var env = new Dictionary<string, string?> { ["WHC_STATE"] = "from-env" };

        ((LocalStateStore)StateStoreFactory.Open("from-arg", "/w", env)).Directory.Should().Be("/w/from-arg");
        ((LocalStateStore)StateStoreFactory.Open(null, "/w", env)).Directory.Should().Be("/w/from-env");
    }

    [Fact]
    public async Task Factory_opens_a_postgres_store_for_a_postgres_url()
    {
        var store = StateStoreFactory.Open("postgres://ops@db:5433/whc", "/w", new Dictionary<string, string?>());

        store.Should().BeOfType<PostgresStateStore>().Which.Description.Should().Contain("db:5433/whc");
        await ((PostgresStateStore)store).DisposeAsync();
    }

    [Theory]
    [InlineData("postgress://user:PW-secret@db.example/whc")]
    [InlineData("s3://bucket/state?X-Amz-Signature=PW-secret")]
    [InlineData("https://user:PW-secret@state.example/whc")]
    public void A_state_spec_of_an_unknown_kind_is_WHC5006_never_a_directory_and_never_echoes_credentials(string spec)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("whc-spec-").FullName;
        try
        {
            var open = () => StateStoreFactory.Open(spec, workingDirectory, new Dictionary<string, string?>());

            open.Should().Throw<StateException>().Where(e => e.Code == "WHC5006" && e.Message.Contains("unknown kind of store") && !e.Message.Contains("PW-secret"));
            Directory.EnumerateFileSystemEntries(workingDirectory).Should().BeEmpty("no directory named after the URL");
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }
}
