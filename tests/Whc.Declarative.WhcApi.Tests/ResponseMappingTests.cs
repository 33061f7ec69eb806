using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>Each answer of the contract maps onto the domain records.</summary>
public sealed class ResponseMappingTests : ClientTestBase
{
    [Fact]
    public async Task ReadCompany_maps_the_company_record_with_numbers_sites_and_users()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, Contract.Company));
        var client = CreateClient();

        var company = await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        company.Should().NotBeNull();
        company!.ServiceId.Should().Be("WHHCBTWKN1484");
        company.Name.Should().Be("TheFunNetwork");
        company.Domain.Should().Be("thefunnetwork.com");
        company.CustomerGroup.Should().Be("SWAINsTelecom");
        company.Status.Should().Be(CompanyStatus.Active);
        company.QualificationId.Should().Be("QFW103255");
        company.NumberRanges.Should().Equal(
            new NumberRangeRecord("0121", "01214960000", "01214960009", NumberRangeStatus.Active, "WHHNBTWKN1490"),
            new NumberRangeRecord("0113", "01134960000", "01134960004", NumberRangeStatus.Ringfenced, null));
        company.Sites.Should().Equal(new SiteRecord("WHHSBTWKN1491", "ipswich-hq", "IPS01", "X05000455530"));
        var user = company.Users.Should().ContainSingle().Subject;
        user.Should().BeEquivalentTo(new
        {
            ServiceId = "WHHUBTWKN1492",
            SiteServiceId = "WHHSBTWKN1491",
            Username = "jane.smith",
            FirstName = "Jane",
            LastName = "Smith",
            Extension = "2001",
            DirectoryNumber = "01214960000",
            Licence = "standard",
        });
        user.DeviceMacAddresses.Should().Equal("001122AABBCC", "001122AABBCD");
        Server.ApiRequests.Single().Query.Should().Contain("companyName", "TheFunNetwork");
    }

    [Fact]
    public async Task ReadCompany_returns_null_when_BT_answers_404()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(404, Contract.NotFound));
        var client = CreateClient();

        var company = await client.ReadCompanyAsync(Contract.Cug, "Nobody", default);

        company.Should().BeNull();
    }

    [Fact]
    public async Task ReadCompany_answers_that_another_reseller_holds_the_name()
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(200, """{"companyName":"TheFunNetwork","status":"active"}"""));
        var client = CreateClient();

        var company = await client.ReadCompanyAsync(Contract.Cug, "TheFunNetwork", default);

        company.Should().NotBeNull();
        company!.IsRegisteredElsewhere.Should().BeTrue();
        company.Name.Should().Be("TheFunNetwork");
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(404, false)]
    public async Task IsTaken_is_true_on_200_and_false_on_404(int status, bool expected)
    {
        Server.On("GET", Contract.CompanyPath, StubResponse.Json(status, status == 200 ? Contract.Company : Contract.NotFound));
        var client = CreateClient();

        var taken = await client.IsTakenAsync(Contract.Cug, new VerifyCheck.CompanyName("TheFunNetwork"), default);

        taken.Should().Be(expected);
    }

    [Fact]
    public async Task Qualify_maps_a_qualified_answer()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Contract.Qualified));
        var client = CreateClient();

        var result = await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);

        result.Should().Be(new QualificationResult("QFW103255", true, "WHHCBTWKN1484", new DateTimeOffset(2026, 11, 26, 23, 59, 0, TimeSpan.Zero), null));
    }

    [Fact]
    public async Task Qualify_maps_an_unqualified_answer_with_its_reason_code()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Contract.Unqualified));
        var client = CreateClient();

        var result = await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "Taken", "taken.com", "G"), default);

        result.Should().Be(new QualificationResult("QFW103256", false, null, new DateTimeOffset(2026, 11, 26, 23, 59, 0, TimeSpan.Zero), "nameTaken"));
    }

    [Fact]
    public async Task Qualify_accepts_the_guide_spelling_servicelid()
    {
        Server.On("POST", Contract.QualifyPath, StubResponse.Json(201, Contract.Qualified.Replace("\"serviceId\"", "\"servicelid\"")));
        var client = CreateClient();

        var result = await client.QualifyAsync(new QualificationRequest(Contract.Cug, "GB12345678", "TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom"), default);

        result.CompanyServiceId.Should().Be("WHHCBTWKN1484");
    }

    [Fact]
    public async Task RingFence_maps_the_number_range()
    {
        Server.On("POST", Contract.RingFencePath, StubResponse.Json(201, Contract.RingFenced));
        var client = CreateClient();

        var result = await client.RingFenceAsync(new RingFenceRequest(Contract.Cug, "0121", 10, "WHHCBTWKN1484", "QFW103255"), default);

        result.Should().Be(new RingFenceResult("01214960000", "01214960009", "WHHCBTWKN1484", "RINGFENCED"));
    }

    [Fact]
    public async Task SearchAddresses_maps_each_address_with_its_nad_key()
    {
        Server.On("GET", Contract.AddressPath, StubResponse.Json(200, Contract.Addresses));
        var client = CreateClient();

        var addresses = await client.SearchAddressesAsync("IP5 3RE", default);

        addresses.Should().Equal(new AddressRecord("X05000455530", "IP5 3RE", "Adastral Park", null, null, "Main Road", "Ipswich", false));
    }

    [Fact]
    public async Task CreateAddress_maps_the_temporary_address()
    {
        Server.On("POST", Contract.AddressPath, StubResponse.Json(201, Contract.TemporaryAddress));
        var client = CreateClient();

        var address = await client.CreateAddressAsync(new NewAddress("IP5 3RE", "Unit 7", "New Road", "Ipswich"), default);

        address.Should().Be(new AddressRecord("T00000000042", "IP5 3RE", "Unit 7", null, null, "New Road", "Ipswich", true));
    }

    [Fact]
    public async Task CreateOrder_returns_BTs_order_id()
    {
        Server.On("POST", Contract.OrderPath, StubResponse.Json(201, Contract.OrderCreated));
        var client = CreateClient();
        var root = new OrderItem(WhcProducts.Company, OrderItemAction.NoChange, "WHHCBTWKN1484", ImmutableSortedDictionary<string, string>.Empty, null, null, []);

        var id = await client.CreateOrderAsync(new OrderRequest("whcctl-1", Contract.Cug, "GB12345678", root), default);

        id.Should().Be("BTWKN1485");
    }

    [Fact]
    public async Task ReadOrder_maps_the_state_and_external_id()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(200, Contract.OrderCompleted));
        var client = CreateClient();

        var order = await client.ReadOrderAsync("BTWKN1485", default);

        order.Should().Be(new OrderStatus("BTWKN1485", "whcctl-6f0c", OrderState.InProgress, null));
    }

    [Fact]
    public async Task ReadOrder_maps_a_failed_order_with_its_error_message()
    {
        Server.On("GET", Contract.OrderPath + "/BTWKN1485", StubResponse.Json(200, """{"id":"BTWKN1485","externalId":"x","state":"failed","errorMessage":"duplicate extension 2001"}"""));
        var client = CreateClient();

        var order = await client.ReadOrderAsync("BTWKN1485", default);

        order.Should().Be(new OrderStatus("BTWKN1485", "x", OrderState.Failed, "duplicate extension 2001"));
    }

    [Fact]
    public async Task FindOrderByExternalId_returns_the_order_with_that_external_id()
    {
        Server.On("GET", Contract.OrderPath, StubResponse.Json(200, "[" + Contract.OrderCompleted + "]"));
        var client = CreateClient();

        var order = await client.FindOrderByExternalIdAsync("whcctl-6f0c", default);

        order.Should().Be(new OrderStatus("BTWKN1485", "whcctl-6f0c", OrderState.InProgress, null));
        Server.ApiRequests.Single().Query.Should().Contain("externalId", "whcctl-6f0c");
    }

    [Fact]
    public async Task FindOrderByExternalId_returns_null_for_an_empty_list()
    {
        Server.On("GET", Contract.OrderPath, StubResponse.Json(200, "[]"));
        var client = CreateClient();

        var order = await client.FindOrderByExternalIdAsync("whcctl-none", default);

        order.Should().BeNull();
    }

    [Fact]
    public async Task A_success_answer_that_breaks_the_contract_is_an_outcome_unknown_server_error()
    {
        Server.On("POST", Contract.OrderPath, StubResponse.Json(201, """{"ref":"BTWKN1485"}"""));
        var client = CreateClient();
        var root = new OrderItem(WhcProducts.Company, OrderItemAction.NoChange, "WHHCBTWKN1484", ImmutableSortedDictionary<string, string>.Empty, null, null, []);

        var act = () => client.CreateOrderAsync(new OrderRequest("whcctl-1", Contract.Cug, "GB12345678", root), default);

        var failure = (await act.Should().ThrowAsync<WhcApiException>()).Which;
        failure.OutcomeUnknown.Should().BeTrue();
        failure.Status.Should().Be(201);
        failure.ToDiagnostic().Code.Should().Be("WHC4016");
    }
}
