namespace Whc.Declarative.Core.Diagnostics;

/// <summary>
/// WHC306x: values a new resource hands to BT, checked at plan time against what refresh read from BT, so that BT does
/// not refuse them at apply after the company is qualified (a half-made customer).
/// </summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor NadKeyUnconfirmed { get; } = Error("WHC3060", "a new site's NAD key is not among the addresses BT's address search lists at its postcode");

    public static DiagnosticTemplate<string, string, string, IReadOnlyList<string>> NadKeyNotListedAtPostcode { get; } =
        NadKeyUnconfirmed.Template((string site, string nadKey, string postcode, IReadOnlyList<string> listed) => listed.Count == 0
            ? $"site '{site}': BT lists no address at {postcode} (read with route searchAddress), so NAD key {nadKey} is not there; check the postcode, or give postcode and premises without nadKey so apply creates the address"
            : $"site '{site}': NAD key {nadKey} is not among the {listed.Count} addresses BT lists at {postcode} (read with route searchAddress): {string.Join(", ", listed)}; use one of them, or give postcode and premises without nadKey");

    public static DiagnosticTemplate<string, string, string> NadKeyUnanswered { get; } =
        NadKeyUnconfirmed.Template((string site, string nadKey, string postcode) =>
            $"site '{site}': NAD key {nadKey} could not be checked: BT's address search (route searchAddress) gave no answer for {postcode}; plan again");
}
