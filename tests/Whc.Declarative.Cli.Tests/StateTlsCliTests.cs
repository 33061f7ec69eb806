using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.State.Tests;

namespace Whc.Declarative.Cli.Tests;

/// <summary>TLS to PostgreSQL state through the command line: the URL's sslmode and the libpq variables reach the store.</summary>
public sealed class StateTlsCliTests : IAsyncLifetime, IDisposable
{
    private const string Password = "s3cret-not-shown";
    private readonly PostgresServerFixture tls = new(ssl: true);
    private readonly PostgresServerFixture plain = new(ssl: false);
    private readonly TempWorkspace workspace = new();

    public async Task InitializeAsync()
    {
        await tls.InitializeAsync();
        await plain.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await tls.DisposeAsync();
        await plain.DisposeAsync();
    }

    public void Dispose() => workspace.Dispose();

    private Task<CliResult> StateListAsync(string url, params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["PGPASSWORD"] = Password };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return Whcctl.RunAsync(workspace.Path, environment, "state", "list", "--state", url);
    }

    private string TlsUrl(string query) => tls.UrlFor(PostgresServerFixture.NewSchemaName()) + "&" + query;

    [PostgresClusterFact]
    public async Task Verify_full_with_the_right_CA_lists_and_with_a_wrong_CA_fails_on_one_line()
    {
        var certificates = tls.Certificates ?? throw new InvalidOperationException("no certificates");

        var right = await StateListAsync(TlsUrl($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(certificates.CaPath)}"));
        var wrong = await StateListAsync(TlsUrl("workspace=default"), ("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", certificates.WrongCaPath));

        right.ExitCode.Should().Be(0, right.ToString());
        wrong.ExitCode.Should().NotBe(0);
        wrong.Error.Should().Contain("WHC5006").And.Contain("certificate").And.NotContain(Password).And.NotContain("   at ");
        wrong.Error.Trim().Split('\n').Where(line => line.Contains("WHC5006", StringComparison.Ordinal)).Should().ContainSingle();
    }

    [PostgresClusterFact]
    public async Task Require_against_a_server_without_TLS_fails_and_prefer_is_refused()
    {
        var require = await StateListAsync(plain.UrlFor(PostgresServerFixture.NewSchemaName()) + "&sslmode=require");
        var prefer = await StateListAsync(plain.UrlFor(PostgresServerFixture.NewSchemaName()), ("PGSSLMODE", "prefer"));

        require.ExitCode.Should().NotBe(0);
        require.Error.Should().Contain("WHC5006").And.NotContain(Password).And.NotContain("   at ");
        prefer.ExitCode.Should().NotBe(0);
        prefer.Error.Should().Contain("WHC5006").And.Contain("PGSSLMODE=prefer");
    }
}
