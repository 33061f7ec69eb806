using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox.Tests;

public sealed class AddressTests
{
    [Fact]
    public async Task Searching_IP5_3RE_lists_Adastral_Park_with_BT_address_fields()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Address + "?postcode=IP5%203RE&addressSource=ROBT");

        reply.Code.Should().Be(200);
        var first = reply.Json![0]!.AsObject();
        first.Select(p => p.Key).Should().BeEquivalentTo("id", "uprn", "addressSource", "streetNr", "streetName", "locality", "city", "postcode", "country", "qualifier", "geographicSubAddress");
        first["id"]!.GetValue<string>().Should().Be("X05000455530");
        first["qualifier"]!.GetValue<string>().Should().Be("Gold");
        reply.Json.AsArray().Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public async Task An_unknown_postcode_returns_an_empty_list()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Address + "?postcode=ZZ9%209ZZ");
        reply.Code.Should().Be(200);
        reply.Json!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_search_without_a_postcode_gets_400_27()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var reply = await sandbox.GetAsync(Paths.Address);
        (reply.Code, reply.ErrorCode).Should().Be((400, "27"));
    }

    [Fact]
    public async Task A_created_address_gets_a_temporary_NAD_key_and_is_then_found_by_its_postcode()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var created = await sandbox.PostAsync(Paths.Address, JsonNode.Parse("""{"postcode":"zz9 9zz","buildingName":"New Build","streetName":"High Street","city":"Leeds"}""")!);

        created.Code.Should().Be(201);
        var id = created.Json!["id"]!.GetValue<string>();
        id.Should().StartWith("T");
        created.Json["qualifier"]!.GetValue<string>().Should().Be("Temporary");
        var search = await sandbox.GetAsync(Paths.Address + "?postcode=ZZ9%209ZZ");
        search.Json!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Should().Equal(id);
    }
}
