using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class PersistenceAndAdminTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "whc-sandbox-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task The_inventory_and_counters_survive_a_restart_with_a_data_directory()
    {
        var options = new SandboxOptions { DataDirectory = _dataDirectory };
        await using (var first = await SandboxHarness.StartAsync(options))
        {
            await first.ActiveCompanyAsync();
        }

        await using var second = await SandboxHarness.StartAsync(options);
        var company = await second.GetAsync(Paths.Company("TheFunNetwork"));
        var next = await second.QualifiedAsync("Second", "second.example");

        company.Json!["status"]!.GetValue<string>().Should().Be("active");
        company.Json["users"]!.AsArray().Should().ContainSingle();
        (await second.InventoryAsync())["orders"]![0]!["state"]!.GetValue<string>().Should().Be("completed");
        next.ServiceId.Should().Be("WHHCBTWKN1489", "the counter continues where it stopped");
    }

    [Fact]
    public async Task Without_a_data_directory_a_restart_starts_empty()
    {
        await using (var first = await SandboxHarness.StartAsync())
        {
            await first.QualifiedAsync();
        }

        await using var second = await SandboxHarness.StartAsync();
        (await second.GetAsync(Paths.Company("TheFunNetwork"))).Code.Should().Be(404);
    }

    [Fact]
    public async Task Each_change_leaves_one_complete_JSON_file_and_no_temporary_file()
    {
        await using var sandbox = await SandboxHarness.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory });
        await sandbox.QualifiedAsync();

        var files = Directory.GetFiles(_dataDirectory).Select(Path.GetFileName).ToList();
        files.Should().BeEquivalentTo("sandbox-inventory.json", "sandbox.lock");
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "sandbox-inventory.json")))!;
        saved["companies"]![0]!["companyName"]!.GetValue<string>().Should().Be("TheFunNetwork");
    }

    [Fact]
    public async Task A_second_sandbox_on_the_same_data_directory_is_refused_with_a_clear_error()
    {
        await using var first = await SandboxHarness.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory });

        var act = () => SandboxServer.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory }, CancellationToken.None);

        (await act.Should().ThrowAsync<SandboxDataDirectoryLockedException>()).Which.Message.Should().Contain(_dataDirectory).And.Contain("in use");
    }

    [Fact]
    public async Task The_data_directory_is_released_when_the_sandbox_stops()
    {
        await using (await SandboxHarness.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory }))
        {
        }

        await using var again = await SandboxHarness.StartAsync(new SandboxOptions { DataDirectory = _dataDirectory });
        (await again.GetAsync(Paths.Company("x"))).Code.Should().Be(404, "the second sandbox serves from the released directory");
    }

    [Fact]
    public async Task Reset_clears_the_inventory_and_the_request_log()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.QualifiedAsync();

        (await sandbox.AdminAsync(HttpMethod.Post, "/_sandbox/reset")).Code.Should().Be(200);

        (await sandbox.InventoryAsync())["companies"]!.AsArray().Should().BeEmpty();
        (await sandbox.AdminAsync(HttpMethod.Get, "/_sandbox/requests")).Json!.AsArray().Should().BeEmpty();
        (await sandbox.QualifiedAsync()).ServiceId.Should().Be("WHHCBTWKN1484", "counters restart too");
    }

    [Fact]
    public async Task The_inventory_shows_qualifications_ranges_and_orders_with_states_and_external_ids()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ActiveCompanyAsync();

        var inventory = await sandbox.InventoryAsync();

        var company = inventory["companies"]![0]!;
        company["qualifications"]![0]!["id"]!.GetValue<string>().Should().Be("QFW103255");
        company["qualifications"]![0]!["usedByOrderId"]!.GetValue<string>().Should().Be("BTWKN1485");
        company["numberRanges"]![0]!["status"]!.GetValue<string>().Should().Be("ACTIVE");
        inventory["orders"]![0]!["externalId"]!.GetValue<string>().Should().Be("whcctl-test-1");
        inventory["orders"]![0]!["state"]!.GetValue<string>().Should().Be("completed");
    }

    [Fact]
    public async Task The_admin_clock_can_be_set_and_advanced()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        (await sandbox.SetClockAsync("2026-11-26T23:58:00Z")).Json!["now"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 11, 26, 23, 58, 0, TimeSpan.Zero));
        (await sandbox.AdvanceClockAsync("PT2H")).Json!["now"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 11, 27, 1, 58, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_bad_clock_request_is_refused_with_400_29()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.AdminAsync(HttpMethod.Post, "/_sandbox/clock", """{"advance":"two hours"}""");
        (reply.Code, reply.ErrorCode).Should().Be((400, "29"));
    }

    [Fact]
    public async Task The_base_uri_is_on_loopback_with_the_port_chosen()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.BaseUri.Host.Should().Be("127.0.0.1");
        sandbox.Server.BaseUri.Port.Should().BeGreaterThan(0);
    }
}
