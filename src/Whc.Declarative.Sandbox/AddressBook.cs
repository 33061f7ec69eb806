namespace Whc.Declarative.Sandbox;

/// <summary>The seeded, read-only part of the address book (gold NAD keys). Unknown postcodes have no addresses.</summary>
internal static class AddressBook
{
    public static IReadOnlyList<AddressRecord> Seeded { get; } =
    [
        Address("X05000455530", "100091234567", "", "Main Road", "Martlesham Heath", "Ipswich", "IP5 3RE", "Adastral Park", ""),
        Address("X05000455531", "100091234568", "", "Main Road", "Martlesham Heath", "Ipswich", "IP5 3RE", "Adastral Park", "Orion Building"),
        Address("X05000455532", "100091234569", "", "Main Road", "Martlesham Heath", "Ipswich", "IP5 3RE", "Adastral Park", "Antares Building"),
        Address("X05000455533", "100091234570", "1", "Braham Street", "", "London", "E1 8EE", "", ""),
        Address("X05000455534", "100091234571", "81", "Newgate Street", "", "London", "EC1A 7AJ", "BT Centre", ""),
        Address("X05000455535", "100091234572", "2", "Lakeside Drive", "", "Birmingham", "B1 1AA", "Lakeside House", ""),
        Address("X05000455536", "100091234573", "10", "Canal Street", "", "Manchester", "M1 3HE", "", "Unit 4"),
    ];

    public static string Normalize(string postcode) =>
        string.Join(' ', postcode.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    private static AddressRecord Address(string id, string uprn, string streetNr, string street, string locality, string city, string postcode, string building, string subBuilding) =>
        new()
        {
            Id = id, Uprn = uprn, StreetNr = streetNr, StreetName = street, Locality = locality, City = city,
            Postcode = postcode, BuildingName = building, SubBuilding = subBuilding,
        };
}

/// <summary>Ofcom's drama ranges the sandbox ringfences from: each area code has 1,000 numbers, prefix + 0000-0999.</summary>
internal static class NumberPlan
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["0113"] = "0113496", ["0114"] = "0114496", ["0115"] = "0115496", ["0116"] = "0116496",
        ["0117"] = "0117496", ["0118"] = "0118496", ["0121"] = "0121496", ["0131"] = "0131496",
        ["0141"] = "0141496", ["0151"] = "0151496", ["0161"] = "0161496", ["020"] = "0207946",
        ["01632"] = "0163296",
    };

    public const int RangeSize = 1000;

    public static IEnumerable<string> AreaCodes => Prefixes.Keys;

    public static bool TryGetPrefix(string areaCode, out string prefix)
    {
        if (Prefixes.TryGetValue(areaCode, out var found))
        {
            prefix = found;
            return true;
        }

        prefix = "";
        return false;
    }

    public static string Number(string prefix, int index) => prefix + index.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The index (0-999) of <paramref name="number"/> within its drama range, or -1.</summary>
    public static int IndexOf(string prefix, string number) =>
        number.Length == prefix.Length + 4 && number.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(number.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : -1;

    public static bool Contains(NumberRangeRecord range, string number) =>
        number.Length == range.StartNumber.Length
        && string.CompareOrdinal(number, range.StartNumber) >= 0
        && string.CompareOrdinal(number, range.EndNumber) <= 0
        && number.All(char.IsAsciiDigit);
}
