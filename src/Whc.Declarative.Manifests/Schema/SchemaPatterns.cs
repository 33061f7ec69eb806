using System.Text.RegularExpressions;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>
/// The schema's <c>pattern</c>s, source-generated: a regex built at run time from the schema's text is interpreted
/// under native AOT (parsed at every start and slower to match), and every value of every manifest meets one. Each
/// is the schema's pattern character for character, with the options the checker gives a pattern it builds
/// (SchemaPatternsTests holds them to the schema); a pattern not listed here is still built from the text.
/// </summary>
internal static partial class SchemaPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private static readonly Dictionary<string, Func<Regex>> Generated = new(StringComparer.Ordinal)
    {
        [@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"] = Domain,
        [@"^0(1[0-9]{2,4}|2[0-9])$"] = AreaCode,
        [@"^CUG[0-9]{10}$"] = CugId,
        [@"^GB[0-9]{8}$"] = BillingAccount,
        [@"^[0-9]{2,6}$"] = Extension,
        [@"^[A-Z][0-9A-Z]{5,19}$"] = NadKey,
        [@"^[^@\s]+@[^@\s]+\.[^@\s]+$"] = Email,
        [@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"] = CompanyKey,
        [@"^\s*(([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\s*$"] = MacAddress,
        [@"^\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2}\s*$"] = Postcode,
    };

    /// <summary>The patterns that have a generated regex.</summary>
    public static IEnumerable<string> Known => Generated.Keys;

    /// <summary>The regex for a schema pattern: the generated one when there is one, else one built from the text.</summary>
    public static Regex For(string pattern) =>
        Generated.TryGetValue(pattern, out var generated) ? generated() : new Regex(pattern, Options);

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", Options)]
    private static partial Regex Domain();

    [GeneratedRegex(@"^0(1[0-9]{2,4}|2[0-9])$", Options)]
    private static partial Regex AreaCode();

    [GeneratedRegex(@"^CUG[0-9]{10}$", Options)]
    private static partial Regex CugId();

    [GeneratedRegex(@"^GB[0-9]{8}$", Options)]
    private static partial Regex BillingAccount();

    [GeneratedRegex(@"^[0-9]{2,6}$", Options)]
    private static partial Regex Extension();

    [GeneratedRegex(@"^[A-Z][0-9A-Z]{5,19}$", Options)]
    private static partial Regex NadKey();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", Options)]
    private static partial Regex Email();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", Options)]
    private static partial Regex CompanyKey();

    [GeneratedRegex(@"^\s*(([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\s*$", Options)]
    private static partial Regex MacAddress();

    [GeneratedRegex(@"^\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2}\s*$", Options)]
    private static partial Regex Postcode();
}
