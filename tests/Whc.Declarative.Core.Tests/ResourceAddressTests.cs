using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Tests;

public class ResourceAddressTests
{
    [Theory]
    [InlineData("acme", ResourceKind.Company, "acme")]
    [InlineData("acme/number-block/main", ResourceKind.NumberBlock, "main")]
    [InlineData("acme/site/hq", ResourceKind.Site, "hq")]
    [InlineData("acme/user/jane.smith", ResourceKind.User, "jane.smith")]
    public void Should_parse_an_address_and_format_it_back_unchanged(string text, ResourceKind kind, string name)
    {
        // When the text is parsed
        ResourceAddress.TryParse(text, out var address).Should().BeTrue();

        // Then it has the right parts and formats back to the same text
        address.Should().Be(new ResourceAddress("acme", kind, name));
        address!.ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme/")]
    [InlineData("/user/jane")]
    [InlineData("acme/user")]
    [InlineData("acme/user/")]
    [InlineData("acme//jane")]
    [InlineData("acme/robot/jane")]
    [InlineData("acme/users/jane")]
    [InlineData("acme/user/jane/extra")]
    public void Should_reject_an_invalid_address(string text)
    {
        ResourceAddress.TryParse(text, out var address).Should().BeFalse();
        address.Should().BeNull();
    }

    [Fact]
    public void Should_let_a_company_contain_its_own_resources_and_itself()
    {
        var company = ResourceAddress.ForCompany("acme");
        company.Contains(new ResourceAddress("acme", ResourceKind.User, "jane")).Should().BeTrue();
        company.Contains(new ResourceAddress("acme", ResourceKind.NumberBlock, "main")).Should().BeTrue();
        company.Contains(company).Should().BeTrue();
    }

    [Fact]
    public void Should_not_let_a_company_contain_another_companys_resources()
    {
        ResourceAddress.ForCompany("acme").Contains(new ResourceAddress("other", ResourceKind.User, "jane")).Should().BeFalse();
    }

    [Fact]
    public void Should_let_a_resource_contain_only_itself()
    {
        var jane = new ResourceAddress("acme", ResourceKind.User, "jane");
        jane.Contains(jane with { }).Should().BeTrue();
        jane.Contains(jane with { Name = "john" }).Should().BeFalse();
        jane.Contains(jane with { Kind = ResourceKind.Site }).Should().BeFalse();
        jane.Contains(ResourceAddress.ForCompany("acme")).Should().BeFalse();
    }
}
