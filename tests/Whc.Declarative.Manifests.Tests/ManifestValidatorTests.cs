using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Manifests.Validation;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>The validator is pure: it works on models built in code, without YAML or a locator.</summary>
public sealed class ManifestValidatorTests
{
    private static readonly SourceSpan UserOne = new("c.yaml", 9, 7);
    private static readonly SourceSpan UserTwo = new("c.yaml", 12, 7);

    private static UserSpec User(string username, string extension, SourceSpan span, string? block = "brum") =>
        new(username, "First", "Last", extension, block is null ? null : new NumberRef(block), "standard", [new DeviceSpec("001122AABBCC", null)], false, span);

    private static CompanyManifest Company(params UserSpec[] users) => new(
        CompanyManifest.CurrentApiVersion,
        "fun-network",
        new ResellerSpec("CUG5019851064", "GB12345678"),
        new CompanyDetails("TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom", null, null),
        [new NumberBlockSpec("brum", "0121", 10, false, new SourceSpan("c.yaml", 5, 7))],
        [new SiteSpec("hq", "IPS01", new AddressSpec("IP5 3RE", "Adastral Park", null, null, null), [.. users], false, new SourceSpan("c.yaml", 7, 7))],
        false,
        new SourceSpan("c.yaml", 3, 9));

    [Fact]
    public void A_valid_model_has_no_diagnostics()
    {
        ManifestValidator.Validate([Company(User("jane", "2001", UserOne))]).Should().BeEmpty();
    }

    [Fact]
    public void Positions_are_looked_up_only_for_problems()
    {
        // Finding a position may mean parsing the file again, so a valid estate must not ask for any.
        var asked = new List<string>();
        SourceSpan? Locate(CompanyManifest company, string pointer)
        {
            asked.Add(pointer);
            return null;
        }

        var john = User("john", "2002", UserTwo) with { Devices = [new DeviceSpec("001122AABBCD", null)] };
        ManifestValidator.Validate([Company(User("jane", "2001", UserOne), john)], Locate).Should().BeEmpty();
        asked.Should().BeEmpty();

        ManifestValidator.Validate([Company(User("jane", "2001", UserOne), john with { Extension = "2001" })], Locate).Should().ContainSingle();
        asked.Should().NotBeEmpty("the duplicate extension is reported at its position");
    }

    [Fact]
    public void Without_a_locator_a_duplicate_points_at_the_elements_spans()
    {
        var company = Company(User("jane", "2001", UserOne), User("john", "2001", UserTwo) with { Devices = [] });

        var diagnostic = ManifestValidator.Validate([company]).Should().ContainSingle().Subject;

        diagnostic.ToString().Should().Be("c.yaml(12,7): error WHC2003: extension 2001 is used twice (also at line 9)");
    }

    [Fact]
    public void The_locator_decides_where_a_diagnostic_points()
    {
        var company = Company(User("jane", "2001", UserOne, block: "nope"));

        var diagnostic = ManifestValidator.Validate([company], (_, pointer) => pointer == "/spec/sites/0/users/0/number/from" ? new SourceSpan("c.yaml", 10, 27) : null)
            .Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC2008");
        diagnostic.Span.Should().Be(new SourceSpan("c.yaml", 10, 27));
    }

    [Theory]
    [InlineData("0121", true)]
    [InlineData("020", true)]
    [InlineData("01632", true)]
    [InlineData("013873", true)]
    [InlineData("0113", true)]
    [InlineData("0800", false)]
    [InlineData("07700", false)]
    [InlineData("121", false)]
    [InlineData("0121x", false)]
    public void Geographic_area_codes_are_01_and_02_codes(string areaCode, bool valid)
    {
        ManifestFormats.AreaCode().IsMatch(areaCode).Should().Be(valid);
    }

    [Theory]
    [InlineData("company key", "fun-network")]
    [InlineData("CUG id", "CUG5019851064")]
    [InlineData("billing account", "GB12345678")]
    [InlineData("domain", "thefunnetwork.com")]
    [InlineData("postcode", "IP5 3RE")]
    [InlineData("area code", "0121")]
    [InlineData("extension", "2001")]
    [InlineData("MAC address", "001122AABBCC")]
    [InlineData("email", "jane@thefunnetwork.com")]
    [InlineData("NAD key", "X05000455530")]
    public void Every_format_check_matches_the_whole_value_so_a_trailing_newline_is_refused(string format, string valid)
    {
        // .NET's '$' also matches before a final newline: "CUG5019851064\n" passed and reached BT (issue 14).
        var check = format switch
        {
            "company key" => ManifestFormats.CompanyKey(),
            "CUG id" => ManifestFormats.CugId(),
            "billing account" => ManifestFormats.BillingAccount(),
            "domain" => ManifestFormats.Domain(),
            "postcode" => ManifestFormats.Postcode(),
            "area code" => ManifestFormats.AreaCode(),
            "extension" => ManifestFormats.Extension(),
            "MAC address" => ManifestFormats.MacAddress(),
            "email" => ManifestFormats.Email(),
            _ => ManifestFormats.NadKey(),
        };

        check.IsMatch(valid).Should().BeTrue();
        check.IsMatch(valid + "\n").Should().BeFalse($"a {format} with a trailing newline is not a {format}");
    }

    [Theory]
    [InlineData("fun-network", true)]
    [InlineData("a", true)]
    [InlineData("site-42", true)]
    [InlineData("-fun", false)]
    [InlineData("fun-", false)]
    [InlineData("Fun", false)]
    [InlineData("fun_network", false)]
    public void Company_keys_are_lowercase_letters_digits_and_dashes(string key, bool valid)
    {
        ManifestFormats.CompanyKey().IsMatch(key).Should().Be(valid);
    }

    [Theory]
    [InlineData("IP5 3RE", true)]
    [InlineData("SW1A 1AA", true)]
    [InlineData("M1 3BB", true)]
    [InlineData("IP53RE", false)]
    [InlineData("12345", false)]
    public void Canonical_postcodes_have_one_space_before_the_inward_code(string postcode, bool valid)
    {
        ManifestFormats.Postcode().IsMatch(postcode).Should().Be(valid);
    }

    [Theory]
    [InlineData("extenson", "extension")]
    [InlineData("custmerGroup", "customerGroup")]
    [InlineData("zzz", null)]
    public void Did_you_mean_suggests_close_names_only(string typed, string? suggestion)
    {
        EditDistance.Closest(typed, ["extension", "customerGroup", "name"]).Should().Be(suggestion);
    }
}

/// <summary>Look-alike identifiers cannot pass as different: uniqueness is decided after Unicode normalisation (NFKC).</summary>
public sealed class LookAlikeIdentifierTests
{
    private static readonly SourceSpan At = new("c.yaml", 1, 1);

    private static UserSpec User(string username, string extension) =>
        new(username, "First", "Last", extension, null, "standard", [], false, At);

    private static SiteSpec Site(string name, string locationCode, params UserSpec[] users) =>
        new(name, locationCode, new AddressSpec("IP5 3RE", "Adastral Park", null, null, null), [.. users], false, At);

    private static CompanyManifest Company(ImmutableArray<SiteSpec> sites, params string[] blocks) => new(
        CompanyManifest.CurrentApiVersion,
        "fun-network",
        new ResellerSpec("CUG5019851064", "GB12345678"),
        new CompanyDetails("TheFunNetwork", "thefunnetwork.com", "SWAINsTelecom", null, null),
        [.. blocks.Select(b => new NumberBlockSpec(b, "0121", 10, false, At))],
        sites,
        false,
        At);

    [Theory]
    [InlineData("jane.smith", "ｊａｎｅ.ｓｍｉｔｈ")] // fullwidth
    [InlineData("jane.smith", "JANE.SMITH")] // case, as before
    [InlineData("ﬁnance", "finance")] // ligature
    [InlineData("admin", "ａｄｍｉｎ")]
    [InlineData("user\u00B2", "user2")] // superscript two
    [InlineData("café", "cafe\u0301")] // composed and decomposed
    [InlineData("ℌenry", "Henry")] // black-letter capital H
    public void Usernames_that_normalise_to_the_same_text_are_duplicates(string first, string second)
    {
        var company = Company([Site("hq", "IPS01", User(first, "2001"), User(second, "2002"))]);

        var diagnostic = ManifestValidator.Validate([company]).Should().ContainSingle().Subject;

        diagnostic.Code.Should().Be("WHC2004");
    }

    [Fact]
    public void A_look_alike_duplicate_says_what_it_looks_like()
    {
        var company = Company([Site("hq", "IPS01", User("jane", "2001"), User("ｊａｎｅ", "2002"))]);

        ManifestValidator.Validate([company]).Should().ContainSingle().Which.Message.Should().Be(
            "username ｊａｎｅ is used twice (also at line 1, column 1): it is the same as 'jane' once Unicode compatibility forms and case are normalised (NFKC)");
    }

    [Fact]
    public void Site_names_location_codes_and_number_block_names_are_compared_after_normalisation()
    {
        var company = Company([Site("hq", "ＩＰＳ01"), Site("ｈｑ", "IPS01")], "brum", "ｂｒｕｍ");

        ManifestValidator.Validate([company]).Select(d => d.Code).Should().BeEquivalentTo(["WHC2002", "WHC2005", "WHC2007"]);
    }

    [Theory]
    [InlineData("jane", "jána")]
    [InlineData("straße", "strasse")] // NFKC keeps ß; only case folding for a case-insensitive key would merge them
    [InlineData("東京", "京都")]
    public void Different_names_stay_different(string first, string second)
    {
        var company = Company([Site("hq", "IPS01", User(first, "2001"), User(second, "2002"))]);

        ManifestValidator.Validate([company]).Should().BeEmpty();
    }
}

/// <summary>NFKC comes from the platform's ICU (libicu here), loaded on demand, not from a prerelease package.</summary>
public sealed class PlatformIcuNormalisationTests
{
    [Theory]
    [InlineData("ｊａｎｅ", "jane")]
    [InlineData("\uFB03ce", "ffice")] // one letter becomes three
    [InlineData("cafe\u0301", "café")]
    [InlineData("user\u00B2", "user2")]
    public void The_platform_icu_normalises_to_nfkc(string value, string expected)
    {
        var icu = IcuNfkc.TryLoad(IcuNfkc.DefaultCandidates());

        icu.Should().NotBeNull("libicu is installed wherever the .NET SDK runs on Linux");
        icu!.Normalize(value).Should().Be(expected);
        IdentifierNormalisation.Nfkc(value).Should().Be(expected);
    }

    [Fact]
    public void Long_text_that_grows_past_the_first_buffer_is_normalised_whole()
    {
        var value = string.Concat(Enumerable.Repeat("\uFDFA", 40)); // each is 18 letters in NFKC

        IdentifierNormalisation.Nfkc(value).Should().HaveLength(18 * 40);
    }

    [Fact]
    public void No_icu_library_means_no_normaliser_rather_than_a_crash()
    {
        IcuNfkc.TryLoad([("libwhcctl-no-such-icu.so.1", "_1")]).Should().BeNull();
        IdentifierNormalisation.Nfkc("plain-ascii").Should().Be("plain-ascii");
    }
}
