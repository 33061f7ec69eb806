using System.Globalization;

namespace Whc.Declarative.Core.Text;

/// <summary>
/// A count and its noun, agreeing: "1 resource", "2 resources", "0 companies". Every summary and message that prints a
/// count goes through here, so none says "1 resources" or hedges with "resource(s)". Invariant digits, as in every message.
/// </summary>
public static class Counted
{
    /// <summary>"1 file", "3 files": a noun whose plural adds an s.</summary>
    public static string Of(int count, string noun)
    {
        ArgumentNullException.ThrowIfNull(noun);
        return Of(count, noun, noun + "s");
    }

    /// <summary>"1 company", "2 companies": a noun with its own plural.</summary>
    public static string Of(int count, string singular, string plural)
    {
        ArgumentNullException.ThrowIfNull(singular);
        ArgumentNullException.ThrowIfNull(plural);
        return string.Create(CultureInfo.InvariantCulture, $"{count} {Noun(count, singular, plural)}");
    }

    /// <summary>The noun alone, for a count printed elsewhere in the sentence.</summary>
    public static string Noun(int count, string singular, string plural) => count == 1 ? singular : plural;
}
