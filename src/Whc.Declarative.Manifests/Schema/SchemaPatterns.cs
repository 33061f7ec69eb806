using System.Text;
using System.Text.RegularExpressions;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>
/// The schema's <c>pattern</c>s, source-generated: a regex built at run time from the schema's text is interpreted
/// under native AOT (parsed at every start and slower to match), and every value of every manifest meets one. Each
/// is the schema's pattern character for character but for its ends (<see cref="EcmaAnchored"/>), with the options the
/// checker gives a pattern it builds (SchemaPatternsTests holds them to the schema); a pattern not listed here is still
/// built from the text.
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
        Generated.TryGetValue(pattern, out var generated) ? generated() : new Regex(EcmaAnchored(pattern), Options);

    /// <summary>
    /// A JSON Schema pattern (ECMA-262) for .NET: its <c>$</c> is the end of the text, where .NET's also matches before
    /// a final line feed, so each <c>$</c> that is an anchor (not escaped, not in a character class) becomes <c>\z</c>.
    /// </summary>
    public static string EcmaAnchored(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 4);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
                continue;
            }

            inClass = c switch { '[' => true, ']' => false, _ => inClass };
            if (c == '$' && !inClass)
            {
                result.Append(@"\z");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"^(?=.{1,253}\z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\z", Options)]
    private static partial Regex Domain();

    [GeneratedRegex(@"^0(1[0-9]{2,4}|2[0-9])\z", Options)]
    private static partial Regex AreaCode();

    [GeneratedRegex(@"^CUG[0-9]{10}\z", Options)]
    private static partial Regex CugId();

    [GeneratedRegex(@"^GB[0-9]{8}\z", Options)]
    private static partial Regex BillingAccount();

    [GeneratedRegex(@"^[0-9]{2,6}\z", Options)]
    private static partial Regex Extension();

    [GeneratedRegex(@"^[A-Z][0-9A-Z]{5,19}\z", Options)]
    private static partial Regex NadKey();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+\z", Options)]
    private static partial Regex Email();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\z", Options)]
    private static partial Regex CompanyKey();

    [GeneratedRegex(@"^\s*(([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\s*\z", Options)]
    private static partial Regex MacAddress();

    [GeneratedRegex(@"^\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2}\s*\z", Options)]
    private static partial Regex Postcode();
}
