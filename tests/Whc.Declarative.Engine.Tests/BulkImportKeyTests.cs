using Whc.Declarative.Engine.Operations;
using Whc.Declarative.Manifests;

namespace Whc.Declarative.Engine.Tests;

/// <summary>The company keys <c>import --all</c> makes from the names companies have at BT.</summary>
public sealed class BulkImportKeyTests
{
    [Theory]
    [InlineData("TheFunNetwork", "thefunnetwork")]
    [InlineData("Fun Network Ltd.", "fun-network-ltd")]
    [InlineData("  Acme -- 123 & Sons ", "acme-123-sons")]
    [InlineData("Café Zoë", "cafe-zoe")]
    [InlineData("Ωmega Ltd", "omega-ltd")]
    [InlineData("---", "company")]
    [InlineData("Line\nBreak\u202EEvil", "line-breakevil")]
    public void A_key_is_lowercase_letters_digits_and_single_dashes(string name, string key) =>
        BulkImportOperation.KeyFor(name).Should().Be(key);

    [Theory]
    [InlineData("株式会社テスト")]
    [InlineData("An extremely long company name that goes on and on well past the sixty three characters a key may have")]
    [InlineData("😀")]
    public void Every_name_gives_a_valid_company_key(string name) =>
        ManifestFormats.CompanyKey().IsMatch(BulkImportOperation.KeyFor(name)).Should().BeTrue(BulkImportOperation.KeyFor(name));
}
