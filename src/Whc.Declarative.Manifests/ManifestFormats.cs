using System.Text.RegularExpressions;

namespace Whc.Declarative.Manifests;

/// <summary>
/// The formats of manifest values and how values are normalised into their canonical forms in the model.
/// The regexes here check canonical (normalised) values; the schema's patterns accept the spellings users write.
/// Each ends in <c>\z</c>, not <c>$</c>: in .NET, <c>$</c> also matches before a final newline, and such a value
/// ("CUG5019851064\n") passed and reached BT.
/// </summary>
public static partial class ManifestFormats
{
    /// <summary>The licences a user may have; the first is the default.</summary>
    public static IReadOnlyList<string> Licences { get; } = ["standard", "professional", "basic"];

    public const string DefaultLicence = "standard";

    /// <summary>metadata.name: lowercase letters, digits and dashes, not starting or ending with a dash, at most 63 characters.</summary>
    public static Regex CompanyKey() => Core.Manifests.ResourceNames.CompanyKey();

    /// <summary>The name of an extra BT product characteristic (<c>characteristics:</c>): a letter, then letters, digits, '_', '.', '-'.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,63}\\z")]
    public static partial Regex CharacteristicName();

    /// <summary>A reseller's CUG id: CUG and 10 digits.</summary>
    [GeneratedRegex("^CUG[0-9]{10}\\z")]
    public static partial Regex CugId();

    /// <summary>A billing account: GB and 8 digits (the form BT's examples use).</summary>
    [GeneratedRegex("^GB[0-9]{8}\\z")]
    public static partial Regex BillingAccount();

    /// <summary>A DNS domain in lower case with at least two labels and an alphabetic top-level label.</summary>
    [GeneratedRegex("^(?=.{1,253}\\z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}\\z")]
    public static partial Regex Domain();

    /// <summary>A UK postcode in canonical form: outward code, one space, inward code (e.g. IP5 3RE, SW1A 1AA).</summary>
    [GeneratedRegex("^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}\\z")]
    public static partial Regex Postcode();

    /// <summary>A UK geographic area code: 01 followed by 2 to 4 digits (0121, 01632, 013873) or 02 and one digit (020).</summary>
    [GeneratedRegex("^0(1[0-9]{2,4}|2[0-9])\\z")]
    public static partial Regex AreaCode();

    /// <summary>
    /// A UK directory number a customer can port in: 0, then 1 or 2 (geographic), 3 or 8 (non-geographic), then 8 or 9
    /// more digits (10 or 11 digits in all: 01214960500, 0169773xxxx), written without spaces.
    /// </summary>
    [GeneratedRegex("^0[1238][0-9]{8,9}\\z")]
    public static partial Regex DirectoryNumber();

    /// <summary>The most numbers one ported block may hold, as a block of new numbers (quantity 1 to 1000).</summary>
    public const int MaxPortedNumbersPerBlock = 1000;

    /// <summary>An extension: 2 to 6 digits.</summary>
    [GeneratedRegex("^[0-9]{2,6}\\z")]
    public static partial Regex Extension();

    /// <summary>A MAC address in canonical form: 12 upper-case hex digits.</summary>
    [GeneratedRegex("^[0-9A-F]{12}\\z")]
    public static partial Regex MacAddress();

    /// <summary>An e-mail address, loosely: something@domain.tld without spaces.</summary>
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    public static partial Regex Email();

    /// <summary>A NAD key: an upper-case letter then 5 to 19 upper-case letters or digits (e.g. X05000455530; T... when temporary).</summary>
    [GeneratedRegex("^[A-Z][0-9A-Z]{5,19}\\z")]
    public static partial Regex NadKey();

    /// <summary>
    /// 00:11:22:aa:bb:cc, 00-11-22-AA-BB-CC, 0011.22aa.bbcc and 001122aabbcc all become 001122AABBCC.
    /// A value that is not a MAC address is returned trimmed and upper-cased, for the validator to report.
    /// </summary>
    public static string NormaliseMacAddress(string value)
    {
        var trimmed = value.Trim().ToUpperInvariant();
        var digits = new string([.. trimmed.Where(c => c is not (':' or '-' or '.'))]);
        return MacAddress().IsMatch(digits) ? digits : trimmed;
    }

    /// <summary>
    /// " ip5  3re " and "IP53RE" become "IP5 3RE": upper case, one space before the inward code (the last three
    /// characters). A value that is not a postcode is returned trimmed and upper-cased, for the validator to report.
    /// </summary>
    public static string NormalisePostcode(string value)
    {
        var compact = new string([.. value.Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
        var canonical = compact.Length >= 5 ? $"{compact[..^3]} {compact[^3..]}" : compact;
        return Postcode().IsMatch(canonical) ? canonical : value.Trim().ToUpperInvariant();
    }

    /// <summary>Domains are case-insensitive; the canonical form is lower case.</summary>
    public static string NormaliseDomain(string value) => value.Trim().ToLowerInvariant();
}
