using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Planning;
using static Whc.Declarative.Core.Tests.TestData;

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

public class EndpointBindingTests
{
    [Fact]
    public void A_state_bound_to_a_URL_is_planned_against_the_same_URL_spelled_otherwise_and_refused_against_another()
    {
        // Given a state bound to a URL, as its file records it
        var applied = Applied(Simple(users: 1)) with { Endpoint = EndpointName.OfRecorded("https://gateway.example.test/whc") };
        PlannerOptions Against(string endpoint) => new() { Endpoint = EndpointName.Of(endpoint) };

        // When planned against the same URL with a trailing slash and another case of host, then the binding holds
        PlanOne(Existing(Simple(users: 1), applied), Against("https://GATEWAY.example.test/whc/")).AllDiagnostics.Should().NotContain(d => d.Code == "WHC3016");

        // And against another URL it is refused
        PlanOne(Existing(Simple(users: 1), applied), Against("https://gateway.example.test/other")).AllDiagnostics.Should().Contain(d => d.Code == "WHC3016");
    }
}
