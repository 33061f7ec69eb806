namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC2xxx: semantic checks on the manifest model (formats, uniqueness, references between parts).</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor DuplicateCompanyKey { get; } = Error("WHC2001", "Company key defined twice");

    public static DiagnosticDescriptor DuplicateSiteName { get; } = Error("WHC2002", "Site name used twice in a company");

    public static DiagnosticDescriptor DuplicateExtension { get; } = Error("WHC2003", "Extension used twice in a company");

    public static DiagnosticDescriptor DuplicateUsername { get; } = Error("WHC2004", "Username used twice in a company");

    public static DiagnosticDescriptor DuplicateLocationCode { get; } = Error("WHC2005", "Location code used twice in a company");

    public static DiagnosticDescriptor DuplicateMacAddress { get; } = Error("WHC2006", "MAC address used twice in a company");

    public static DiagnosticDescriptor DuplicateNumberBlock { get; } = Error("WHC2007", "Number block name used twice in a company");

    public static DiagnosticDescriptor UndefinedNumberBlock { get; } = Error("WHC2008", "Number drawn from an undefined number block");

    public static DiagnosticDescriptor NumberBlockOversubscribed { get; } = Error("WHC2009", "More users draw on a number block than it holds");

    public static DiagnosticDescriptor AddressIncomplete { get; } = Error("WHC2010", "Address needs a postcode or a NAD key");

    public static DiagnosticDescriptor AddressAmbiguous { get; } = Error("WHC2011", "Address has both a postcode and a NAD key");

    public static DiagnosticDescriptor AddressWithoutPremises { get; } = Warning("WHC2012", "Address has a postcode but no premises");

    public static DiagnosticDescriptor InvalidCompanyKey { get; } = Error("WHC2020", "metadata.name has the wrong format");

    public static DiagnosticDescriptor InvalidCugId { get; } = Error("WHC2021", "CUG id has the wrong format");

    public static DiagnosticDescriptor InvalidBillingAccount { get; } = Error("WHC2022", "Billing account has the wrong format");

    public static DiagnosticDescriptor InvalidDomain { get; } = Error("WHC2023", "Domain has the wrong format");

    public static DiagnosticDescriptor InvalidPostcode { get; } = Error("WHC2024", "Not a UK postcode");

    public static DiagnosticDescriptor InvalidAreaCode { get; } = Error("WHC2025", "Not a UK geographic area code");

    public static DiagnosticDescriptor InvalidExtension { get; } = Error("WHC2026", "Extension has the wrong format");

    public static DiagnosticDescriptor InvalidMacAddress { get; } = Error("WHC2027", "Not a MAC address");

    public static DiagnosticDescriptor InvalidEmail { get; } = Error("WHC2028", "Not an e-mail address");

    public static DiagnosticDescriptor InvalidNadKey { get; } = Error("WHC2029", "NAD key has the wrong format");
}
