namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC2xxx: semantic checks on the manifest model (formats, uniqueness, references between parts).</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor DuplicateCompanyKey { get; } = Error("WHC2001", "company key defined twice");

    public static DiagnosticDescriptor DuplicateSiteName { get; } = Error("WHC2002", "site name used twice in a company");

    public static DiagnosticDescriptor DuplicateExtension { get; } = Error("WHC2003", "extension used twice in a company");

    public static DiagnosticDescriptor DuplicateUsername { get; } = Error("WHC2004", "username used twice in a company");

    public static DiagnosticDescriptor DuplicateLocationCode { get; } = Error("WHC2005", "location code used twice in a company");

    public static DiagnosticDescriptor DuplicateMacAddress { get; } = Error("WHC2006", "MAC address used twice in a company");

    public static DiagnosticDescriptor DuplicateNumberBlock { get; } = Error("WHC2007", "number block name used twice in a company");

    public static DiagnosticDescriptor UndefinedNumberBlock { get; } = Error("WHC2008", "number drawn from an undefined number block");

    public static DiagnosticDescriptor NumberBlockOversubscribed { get; } = Error("WHC2009", "more users draw on a number block than it holds");

    public static DiagnosticDescriptor AddressIncomplete { get; } = Error("WHC2010", "address needs a postcode or a NAD key");

    public static DiagnosticDescriptor AddressAmbiguous { get; } = Error("WHC2011", "address has both a postcode and a NAD key");

    public static DiagnosticDescriptor AddressWithoutPremises { get; } = Warning("WHC2012", "address has a postcode but no premises");

    public static DiagnosticDescriptor InvalidCompanyKey { get; } = Error("WHC2020", "metadata.name has the wrong format");

    public static DiagnosticDescriptor InvalidCugId { get; } = Error("WHC2021", "CUG id has the wrong format");

    public static DiagnosticDescriptor InvalidBillingAccount { get; } = Error("WHC2022", "billing account has the wrong format");

    public static DiagnosticDescriptor InvalidDomain { get; } = Error("WHC2023", "domain has the wrong format");

    public static DiagnosticDescriptor InvalidPostcode { get; } = Error("WHC2024", "not a UK postcode");

    public static DiagnosticDescriptor InvalidAreaCode { get; } = Error("WHC2025", "not a UK geographic area code");

    public static DiagnosticDescriptor InvalidExtension { get; } = Error("WHC2026", "extension has the wrong format");

    public static DiagnosticDescriptor InvalidMacAddress { get; } = Error("WHC2027", "not a MAC address");

    public static DiagnosticDescriptor InvalidEmail { get; } = Error("WHC2028", "not an e-mail address");

    public static DiagnosticDescriptor InvalidNadKey { get; } = Error("WHC2029", "NAD key has the wrong format");

    public static DiagnosticDescriptor UnsafeCharacter { get; } = Error("WHC2030", "text holds a control, bidi or invisible character");

    public static DiagnosticDescriptor InvalidCharacteristic { get; } = Error("WHC2031", "an extra characteristic with an invalid name, or one whcctl sets itself");

    public static DiagnosticDescriptor InvalidDirectoryNumber { get; } = Error("WHC2032", "not a UK directory number");

    public static DiagnosticDescriptor PortedRangeReversed { get; } = Error("WHC2033", "a ported range ends before it starts, or its ends differ in length");

    public static DiagnosticDescriptor PortedRangeTooLarge { get; } = Error("WHC2034", "a ported number block holds more numbers than whcctl allows");

    public static DiagnosticDescriptor PortedRangesOverlap { get; } = Error("WHC2035", "ported ranges overlap");

    public static DiagnosticDescriptor NumberBlockKindUnclear { get; } = Error("WHC2036", "a number block needs areaCode and quantity, or ported ranges, not both");

    /// <summary>A non-ASCII identifier must be compared in NFKC, and the platform has no ICU library to do it.</summary>
    public static DiagnosticDescriptor NormaliserUnavailable { get; } = Error("WHC2037", "cannot compare non-ASCII identifiers: the platform's Unicode library (ICU) was not found");

    public static DiagnosticDescriptor MovedAddressInvalid { get; } = Error("WHC2040", "a moved entry's address is not site/NAME, number-block/NAME or company/NAME, or from and to differ in kind");

    public static DiagnosticDescriptor MovedKindNotRenamable { get; } = Error("WHC2041", "a moved entry names a user, which cannot be renamed");

    public static DiagnosticDescriptor MovedTargetMissing { get; } = Error("WHC2042", "a moved entry leads to a site or number block the manifest does not have");

    public static DiagnosticDescriptor MovedSourceStillDeclared { get; } = Error("WHC2043", "a moved entry's from is still in the manifest");

    public static DiagnosticDescriptor MovedAmbiguous { get; } = Error("WHC2044", "two moved entries move from the same address, or to the same address");

    public static DiagnosticDescriptor MovedCycle { get; } = Error("WHC2045", "moved entries form a cycle");
}
