using Whc.Declarative.Core.Api;

namespace Whc.Declarative.Core.Tests;

public class EndpointNameTests
{
    [Theory]
    [InlineData("https://gateway.example.test/whc/", "https://gateway.example.test/whc")]
    [InlineData("HTTPS://Gateway.Example.Test:443/whc", "https://gateway.example.test/whc")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000")]
    [InlineData(" sandbox ", "sandbox")]
    public void One_endpoint_spelled_several_ways_has_one_name(string text, string name)
    {
        // Given an endpoint as typed or recorded, when named, then the name is its normal form and compares equal
        EndpointName.Of(text).Value.Should().Be(name);
        EndpointName.Of(text).Should().Be(EndpointName.Of(name));
    }

    [Fact]
    public void Different_endpoints_have_different_names_and_nothing_recorded_is_no_name()
    {
        EndpointName.Of("http://127.0.0.1:5000").Should().NotBe(EndpointName.Of("http://127.0.0.1:5001"));
        EndpointName.Of("sandbox").Should().NotBe(EndpointName.Of("testa"));
        EndpointName.OfRecorded(null).Should().BeNull();
        EndpointName.OfRecorded(" ").Should().BeNull();
    }
}
