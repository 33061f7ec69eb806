namespace Whc.Declarative.Contract.Tests;

/// <summary>
/// Issue 26: the contract and routes files' own refusals pinned whole (code, position and words), written against the
/// wording at the call sites before it moved into the catalogue's templates.
/// </summary>
public sealed class ContractFileWordingTests
{
    [Theory]
    [InlineData("[]", "contract.json: error WHC4006: the contract file must be a JSON object (a partial contract document)")]
    [InlineData("{\n  \"routes\": ", "contract.json(2,13): error WHC4006: the contract file is not valid JSON")]
    [InlineData("{\n  \"roles\": {},\n  \"roles\": {}\n}", "contract.json(3,3): error WHC4006: the contract file gives the key 'roles' twice in one object: each key may appear once, or which one counts is a guess")]
    [InlineData("{ \"a\\u0007\": 1, \"a\\u0007\": 2 }", "contract.json(1,17): error WHC4006: the contract file gives the key twice in one object: each key may appear once, or which one counts is a guess")]
    public void A_contract_file_refused_as_a_whole_is_worded_as_before(string json, string expected)
    {
        var (overlay, problem) = ContractLoader.ParseOverlay(json, "contract.json");

        overlay.Should().BeNull();
        problem!.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("[]", "routes.json: error WHC4003: the routes file must be a JSON object of route names to paths")]
    [InlineData("{ \"token\": ", "routes.json(1,12): error WHC4003: the routes file is not valid JSON")]
    [InlineData("{ \"token\": \"/a\", \"token\": \"/b\" }", "routes.json(1,18): error WHC4003: the routes file gives the key 'token' twice in one object: each key may appear once, or which one counts is a guess")]
    [InlineData("{ \"token\": 1 }", "routes.json: error WHC4003: route 'token' must be a string")]
    [InlineData("{ \"tokenMethod\": \"PUT\" }", "routes.json: error WHC4005: route 'tokenMethod' must be GET or POST")]
    [InlineData("{ \"bogus\": \"/x\" }", "routes.json: error WHC4004: unknown route 'bogus'; known routes: *")]
    [InlineData("{ \"token\": \"relative\" }", "routes.json: error WHC4005: route 'token' *")]
    public void A_routes_file_refused_is_worded_as_before(string json, string expected)
    {
        var (overlay, problem) = LegacyRoutesFile.ToOverlay(json, "routes.json");

        overlay.Should().BeNull();
        problem!.ToString().Should().Match(expected);
    }

    [Fact]
    public void An_unknown_route_names_every_known_one_as_before()
    {
        LegacyRoutesFile.ToOverlay("{ \"bogus\": \"/x\" }", "routes.json").Problem!.Message.Should().Be($"unknown route 'bogus'; known routes: {string.Join(", ", LegacyRoutesFile.KeyNames)}");
    }
}
