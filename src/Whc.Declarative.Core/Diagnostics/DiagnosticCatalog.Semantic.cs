using System.Globalization;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC2xxx: semantic checks on the manifest model (formats, uniqueness, references between parts).</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor DuplicateCompanyKey { get; } = Error("WHC2001", "company key defined twice");

    public static DiagnosticTemplate<string, string> DuplicateCompanyKeyAcrossManifests { get; } =
        DuplicateCompanyKey.Template((string key, string alsoAt) => $"company key '{key}' is defined twice (also at {alsoAt}); metadata.name must be unique across all manifests");

    public static DiagnosticDescriptor DuplicateSiteName { get; } = Error("WHC2002", "site name used twice in a company");

    public static DiagnosticTemplate<string, string, string?, bool> DuplicateSiteNameUsedTwice { get; } =
        DuplicateSiteName.Template((string value, string alsoAt, string? sameAs, bool ignoreCase) => $"site name {value} is used twice (also at {alsoAt}){LookAlike(sameAs, ignoreCase)}");

    public static DiagnosticDescriptor DuplicateExtension { get; } = Error("WHC2003", "extension used twice in a company");

    public static DiagnosticTemplate<string, string, string?, bool> DuplicateExtensionUsedTwice { get; } =
        DuplicateExtension.Template((string value, string alsoAt, string? sameAs, bool ignoreCase) => $"extension {value} is used twice (also at {alsoAt}){LookAlike(sameAs, ignoreCase)}");

    public static DiagnosticDescriptor DuplicateUsername { get; } = Error("WHC2004", "username used twice in a company");

    public static DiagnosticTemplate<string, string, string?, bool> DuplicateUsernameUsedTwice { get; } =
        DuplicateUsername.Template((string value, string alsoAt, string? sameAs, bool ignoreCase) => $"username {value} is used twice (also at {alsoAt}){LookAlike(sameAs, ignoreCase)}");

    public static DiagnosticDescriptor DuplicateLocationCode { get; } = Error("WHC2005", "location code used twice in a company");

    public static DiagnosticTemplate<string, string, string?, bool> DuplicateLocationCodeUsedTwice { get; } =
        DuplicateLocationCode.Template((string value, string alsoAt, string? sameAs, bool ignoreCase) => $"location code {value} is used twice (also at {alsoAt}){LookAlike(sameAs, ignoreCase)}");

    public static DiagnosticDescriptor DuplicateMacAddress { get; } = Error("WHC2006", "MAC address used twice in a company");

    public static DiagnosticTemplate<string, string, string?, bool> DuplicateMacAddressUsedTwice { get; } =
        DuplicateMacAddress.Template((string value, string alsoAt, string? sameAs, bool ignoreCase) => $"MAC address {value} is used twice (also at {alsoAt}){LookAlike(sameAs, ignoreCase)}");

    public static DiagnosticDescriptor DuplicateNumberBlock { get; } = Error("WHC2007", "number block name used twice in a company");

    public static DiagnosticTemplate<string, string, string?, bool> DuplicateNumberBlockUsedTwice { get; } =
        DuplicateNumberBlock.Template((string value, string alsoAt, string? sameAs, bool ignoreCase) => $"number block name {value} is used twice (also at {alsoAt}){LookAlike(sameAs, ignoreCase)}");

    public static DiagnosticDescriptor UndefinedNumberBlock { get; } = Error("WHC2008", "number drawn from an undefined number block");

    public static DiagnosticTemplate<string, string> UndefinedNumberBlockNoBlocks { get; } =
        UndefinedNumberBlock.Template((string user, string block) => $"user '{user}' draws a number from '{block}', which is not a number block of this company; this company defines no number blocks");

    /// <summary><c>closest</c> is the company's block name nearest to the one written, or null when none is near.</summary>
    public static DiagnosticTemplate<string, string, string?> UndefinedNumberBlockName { get; } =
        UndefinedNumberBlock.Template((string user, string block, string? closest) =>
            $"user '{user}' draws a number from '{block}', which is not a number block of this company{(closest is null ? string.Empty : $"; did you mean '{closest}'?")}");

    public static DiagnosticDescriptor NumberBlockOversubscribed { get; } = Error("WHC2009", "more users draw on a number block than it holds");

    public static DiagnosticTemplate<string, int, int> NumberBlockOversubscribedUsers { get; } =
        NumberBlockOversubscribed.Template((string block, int quantity, int users) => string.Create(CultureInfo.InvariantCulture, $"number block '{block}' holds {quantity} number{(quantity == 1 ? string.Empty : "s")} but {users} users draw on it; raise its quantity or move users to another block"));

    public static DiagnosticDescriptor AddressIncomplete { get; } = Error("WHC2010", "address needs a postcode or a NAD key");

    public static DiagnosticTemplate<string> AddressIncompleteSite { get; } =
        AddressIncomplete.Template((string site) => $"the address of site '{site}' needs a postcode (with premises) or a nadKey");

    public static DiagnosticDescriptor AddressAmbiguous { get; } = Error("WHC2011", "address has both premises and a NAD key");

    public static DiagnosticTemplate<string> AddressAmbiguousSite { get; } =
        AddressAmbiguous.Template((string site) => $"the address of site '{site}' has both premises and a NAD key; give one: nadKey (with its postcode, so plan checks BT lists it there), or postcode with premises");

    public static DiagnosticDescriptor AddressWithoutPremises { get; } = Warning("WHC2012", "address has a postcode but no premises");

    public static DiagnosticTemplate<string> AddressWithoutPremisesSite { get; } =
        AddressWithoutPremises.Template((string site) => $"the address of site '{site}' has a postcode but no premises; whcctl can pick the address only when BT lists exactly one at that postcode");

    public static DiagnosticDescriptor InvalidCompanyKey { get; } = Error("WHC2020", "metadata.name has the wrong format");

    public static DiagnosticTemplate<string> InvalidCompanyKeyValue { get; } = InvalidCompanyKey.Template((string value) => $"metadata.name '{value}' is not a valid company key: use lowercase letters, digits and dashes (e.g. fun-network)");

    public static DiagnosticDescriptor InvalidCugId { get; } = Error("WHC2021", "CUG id has the wrong format");

    public static DiagnosticTemplate<string> InvalidCugIdValue { get; } = InvalidCugId.Template((string value) => $"CUG id '{value}' is not valid: expected CUG followed by 10 digits (e.g. CUG5019851064)");

    public static DiagnosticDescriptor InvalidBillingAccount { get; } = Error("WHC2022", "billing account has the wrong format");

    public static DiagnosticTemplate<string> InvalidBillingAccountValue { get; } = InvalidBillingAccount.Template((string value) => $"billing account '{value}' is not valid: expected GB followed by 8 digits (e.g. GB12345678)");

    public static DiagnosticDescriptor InvalidDomain { get; } = Error("WHC2023", "domain has the wrong format");

    public static DiagnosticTemplate<string> InvalidDomainValue { get; } = InvalidDomain.Template((string value) => $"domain '{value}' is not a valid DNS domain (e.g. thefunnetwork.com)");

    public static DiagnosticDescriptor InvalidPostcode { get; } = Error("WHC2024", "not a UK postcode");

    public static DiagnosticTemplate<string> InvalidPostcodeValue { get; } = InvalidPostcode.Template((string value) => $"postcode '{value}' is not a UK postcode (e.g. IP5 3RE)");

    public static DiagnosticDescriptor InvalidAreaCode { get; } = Error("WHC2025", "not a UK geographic area code");

    public static DiagnosticTemplate<string> InvalidAreaCodeValue { get; } = InvalidAreaCode.Template((string value) => $"area code '{value}' is not a UK geographic area code: expected an 01 or 02 code such as 0121, 020 or 01632");

    public static DiagnosticDescriptor InvalidExtension { get; } = Error("WHC2026", "extension has the wrong format");

    public static DiagnosticTemplate<string> InvalidExtensionValue { get; } = InvalidExtension.Template((string value) => $"extension '{value}' is not valid: expected 2 to 6 digits");

    public static DiagnosticDescriptor InvalidMacAddress { get; } = Error("WHC2027", "not a MAC address");

    public static DiagnosticTemplate<string> InvalidMacAddressValue { get; } = InvalidMacAddress.Template((string value) => $"MAC address '{value}' is not valid: expected 12 hex digits, e.g. 00:11:22:AA:BB:CC");

    public static DiagnosticDescriptor InvalidEmail { get; } = Error("WHC2028", "not an e-mail address");

    public static DiagnosticTemplate<string> InvalidEmailValue { get; } = InvalidEmail.Template((string value) => $"e-mail address '{value}' is not valid");

    public static DiagnosticDescriptor InvalidNadKey { get; } = Error("WHC2029", "NAD key has the wrong format");

    public static DiagnosticTemplate<string> InvalidNadKeyValue { get; } = InvalidNadKey.Template((string value) => $"NAD key '{value}' is not valid: expected an upper-case letter and 5 to 19 letters or digits (e.g. X05000455530)");

    public static DiagnosticDescriptor UnsafeCharacter { get; } = Error("WHC2030", "text holds a control, bidi or invisible character");

    public static DiagnosticTemplate<string, string, int> UnsafeCharacterInValue { get; } =
        UnsafeCharacter.Template((string field, string character, int position) => string.Create(CultureInfo.InvariantCulture, $"{field} contains {character} as character {position}; text that reaches BT may hold no control, bidi or invisible characters: remove it"));

    public static DiagnosticTemplate<string, string, int> UnsafeCharacterLineBreak { get; } =
        UnsafeCharacter.Template((string field, string character, int position) => string.Create(CultureInfo.InvariantCulture, $"{field} contains {character} as character {position}; text that reaches BT may hold no control, bidi or invisible characters: remove it; every field is one line: write the value on one line, without | or >"));

    /// <summary>Past the first ten, the rest are counted, not listed.</summary>
    public static DiagnosticTemplate<int> UnsafeCharacterMore { get; } =
        UnsafeCharacter.Template((int more) => string.Create(CultureInfo.InvariantCulture, $"{more} more values hold control, bidi or invisible characters; fix the ones above first"));

    public static DiagnosticDescriptor InvalidCharacteristic { get; } = Error("WHC2031", "an extra characteristic with an invalid name, or one whcctl sets itself");

    public static DiagnosticTemplate<string> InvalidCharacteristicName { get; } =
        InvalidCharacteristic.Template((string name) => $"characteristic name '{name}' is not valid: a letter, then letters, digits, '_', '.' or '-', at most 64 characters");

    /// <summary><c>product</c> is the manifest's word for the order item: company, numberBlock, site, user.</summary>
    public static DiagnosticTemplate<string, string> InvalidCharacteristicSetByWhcctl { get; } =
        InvalidCharacteristic.Template((string name, string product) => $"characteristic '{name}' is one whcctl sets from this {product}'s own fields; set the field instead");

    public static DiagnosticTemplate<string, string, string> InvalidCharacteristicWireName { get; } =
        InvalidCharacteristic.Template((string name, string product, string field) => $"characteristic '{name}' is the name the wire contract in effect sends this {product}'s {field} as, which whcctl sets; BT would receive it twice: set {field} instead, or choose another name");

    public static DiagnosticDescriptor InvalidDirectoryNumber { get; } = Error("WHC2032", "not a UK directory number");

    public static DiagnosticTemplate<string> InvalidDirectoryNumberPorted { get; } = InvalidDirectoryNumber.Template((string value) => $"ported number '{value}' is not a UK directory number: expected 0 and 9 or 10 more digits without spaces, quoted (e.g. \"01214960500\")");

    public static DiagnosticDescriptor PortedRangeReversed { get; } = Error("WHC2033", "a ported range ends before it starts, or its ends differ in length");

    public static DiagnosticTemplate<string, string, string> PortedRangeReversedLengths { get; } =
        PortedRangeReversed.Template((string from, string to, string block) => $"ported range {from} to {to} of block '{block}': its ends have different lengths; a range runs within one number length");

    public static DiagnosticTemplate<string, string, string> PortedRangeReversedOrder { get; } =
        PortedRangeReversed.Template((string from, string to, string block) => $"ported range {from} to {to} of block '{block}' ends before it starts; write the lower number in 'from'");

    public static DiagnosticDescriptor PortedRangeTooLarge { get; } = Error("WHC2034", "a ported number block holds more numbers than whcctl allows");

    public static DiagnosticTemplate<string, long, int> PortedRangeTooLargeBlock { get; } =
        PortedRangeTooLarge.Template((string block, long total, int maximum) => string.Create(CultureInfo.InvariantCulture, $"ported number block '{block}' holds {total} numbers; a block holds at most {maximum} (split the ranges over several blocks)"));

    public static DiagnosticDescriptor PortedRangesOverlap { get; } = Error("WHC2035", "ported ranges overlap");

    /// <summary>Two ported ranges that overlap: the later one (<c>From</c>..<c>To</c> of <c>Block</c>) and the earlier one, of another company when <c>EarlierCompany</c> is set.</summary>
    public sealed record PortedOverlap(string From, string To, string Block, string EarlierFrom, string EarlierTo, string EarlierBlock, string? EarlierCompany, string EarlierAt);

    public static DiagnosticTemplate<PortedOverlap> PortedRangesOverlapRanges { get; } =
        PortedRangesOverlap.Template((PortedOverlap o) =>
            $"ported range {o.From} to {o.To} of block '{o.Block}' overlaps {o.EarlierFrom} to {o.EarlierTo} of block '{o.EarlierBlock}'{(o.EarlierCompany is null ? string.Empty : $" of company '{o.EarlierCompany}'")} (at {o.EarlierAt}); a number can be ported into one block only");

    public static DiagnosticDescriptor NumberBlockKindUnclear { get; } = Error("WHC2036", "a number block needs areaCode and quantity, or ported ranges, not both");

    public static DiagnosticTemplate<string> NumberBlockKindUnclearBoth { get; } =
        NumberBlockKindUnclear.Template((string block) => $"number block '{block}' has ported ranges and also areaCode or quantity; a ported block's numbers are its ranges: remove areaCode and quantity (or put new numbers in a block of their own)");

    public static DiagnosticTemplate<string> NumberBlockKindUnclearNeither { get; } =
        NumberBlockKindUnclear.Template((string block) => $"number block '{block}' needs areaCode and quantity (new numbers), or ported: {{ from, to }} (numbers the customer brings from another provider)");

    /// <summary>A non-ASCII identifier must be compared in NFKC, and the platform has no ICU library to do it.</summary>
    public static DiagnosticDescriptor NormaliserUnavailable { get; } = Error("WHC2037", "cannot compare non-ASCII identifiers: the platform's Unicode library (ICU) was not found");

    /// <summary><c>what</c> names the identifier in words ("site name", "username").</summary>
    public static DiagnosticTemplate<string, string> NormaliserUnavailableFor { get; } =
        NormaliserUnavailable.Template((string what, string value) => $"{what} {value} is not ASCII, so whcctl must compare it in Unicode NFKC, which needs the platform's ICU library (on Linux the libicu package, as for .NET itself); none was found");

    public static DiagnosticDescriptor MovedAddressInvalid { get; } = Error("WHC2040", "a moved entry's address is not site/NAME, number-block/NAME or company/NAME, or from and to differ in kind");

    public static DiagnosticTemplate<string, string> MovedAddressInvalidKindChange { get; } =
        MovedAddressInvalid.Template((string from, string to) => $"moved: {from} → {to} changes the kind of resource; a site can only become another site, a number block another number block");

    public static DiagnosticTemplate<string, string, string> MovedAddressInvalidCompanyKindChange { get; } =
        MovedAddressInvalid.Template((string from, string to, string key) => $"moved: {from} → {to} changes the kind of resource; a company key can only become another company key (company/OLD → company/{key})");

    public static DiagnosticTemplate<string> MovedAddressInvalidCompanyKey { get; } =
        MovedAddressInvalid.Template((string from) => $"moved: '{from}' is not a valid company key: lowercase letters, digits and dashes");

    /// <summary><c>problem</c> is what <c>ResourceNames.Problem</c> finds wrong with the name.</summary>
    public static DiagnosticTemplate<string, string> MovedAddressInvalidName { get; } =
        MovedAddressInvalid.Template((string address, string problem) => $"moved: '{address}': {problem}");

    public static DiagnosticTemplate<string> MovedAddressInvalidAddress { get; } =
        MovedAddressInvalid.Template((string address) => $"moved: '{address}' is not an address a moved entry can name: use site/NAME or number-block/NAME, as the plan names them (or company/OLD → company/KEY for a company key change)");

    public static DiagnosticDescriptor MovedKindNotRenamable { get; } = Error("WHC2041", "a moved entry names a user, which cannot be renamed");

    public static DiagnosticTemplate<string> MovedKindNotRenamableUser { get; } =
        MovedKindNotRenamable.Template((string address) => $"moved: {address}: a user cannot be renamed, because its username is how BT knows it (BT has no rename); change the username and the plan replaces the user (ceases it, then adds it again)");

    public static DiagnosticDescriptor MovedTargetMissing { get; } = Error("WHC2042", "a moved entry leads to a site or number block the manifest does not have");

    public static DiagnosticTemplate<string, string, bool, string> MovedTargetMissingResource { get; } =
        MovedTargetMissing.Template((string from, string to, bool site, string name) =>
            $"moved: {from} → {to}, but the manifest has no {(site ? "site" : "number block")} '{name}'; a moved entry must lead to a resource the manifest declares");

    public static DiagnosticTemplate<string, string, string> MovedTargetMissingCompany { get; } =
        MovedTargetMissing.Template((string from, string to, string key) => $"moved: {from} → {to}, but this manifest is company '{key}': a company move goes in the manifest of the key it leads to (to: company/{key})");

    public static DiagnosticDescriptor MovedSourceStillDeclared { get; } = Error("WHC2043", "a moved entry's from is still in the manifest");

    public static DiagnosticTemplate<string> MovedSourceStillDeclaredResource { get; } =
        MovedSourceStillDeclared.Template((string from) => $"moved: {from} is still in the manifest; a moved entry renames a resource, so its old name must be gone (remove the entry, or the resource of that name)");

    public static DiagnosticTemplate<string, string> MovedSourceStillDeclaredCompany { get; } =
        MovedSourceStillDeclared.Template((string from, string alsoAt) => $"moved: {from} is still declared (metadata.name at {alsoAt}); a company move's old key must be gone from every manifest");

    public static DiagnosticDescriptor MovedAmbiguous { get; } = Error("WHC2044", "two moved entries move from the same address, or to the same address");

    public static DiagnosticTemplate<string, string, string> MovedAmbiguousFrom { get; } =
        MovedAmbiguous.Template((string from, string alsoAt, string firstTo) => $"moved: {from} is moved twice (also at {alsoAt}, to {firstTo}); keep one entry");

    public static DiagnosticTemplate<string, string, string> MovedAmbiguousTo { get; } =
        MovedAmbiguous.Template((string to, string alsoAt, string firstFrom) => $"moved: two entries move to {to} (also at {alsoAt}, from {firstFrom}); one resource cannot take the place of two: chain them (a → b, b → c) or keep one");

    public static DiagnosticTemplate<string, string> MovedAmbiguousSecondCompanyMove { get; } =
        MovedAmbiguous.Template((string from, string alsoAt) => $"moved: a manifest takes one company's state, but {from} is a second company move (also at {alsoAt}); keep the one whose state holds the company (chains of company moves are not followed)");

    public static DiagnosticTemplate<string, string, string> MovedAmbiguousCompanySource { get; } =
        MovedAmbiguous.Template((string firstCompany, string company, string from) => $"moved: companies '{firstCompany}' and '{company}' both move from {from}; one company's state can become only one of them");

    public static DiagnosticDescriptor MovedCycle { get; } = Error("WHC2045", "moved entries form a cycle");

    public static DiagnosticTemplate<string> MovedCycleSelf { get; } = MovedCycle.Template((string from) => $"moved: {from} moves to itself; remove the entry");

    /// <summary>The addresses in the cycle's order (the first again at the end) and where each entry is.</summary>
    public static DiagnosticTemplate<IEnumerable<string>, IEnumerable<string>> MovedCycleChain { get; } =
        MovedCycle.Template((IEnumerable<string> addresses, IEnumerable<string> entries) =>
            $"moved entries form a cycle: {string.Join(" → ", addresses)} (entries at {string.Join(", ", entries)}); a resource cannot end where it started: remove one of them");

    /// <summary>The clause a used-twice message ends with when the two values differ only in Unicode form (or case).</summary>
    private static string LookAlike(string? sameAs, bool ignoreCase) => sameAs is null
        ? string.Empty
        : $": it is the same as '{sameAs}' once Unicode compatibility forms{(ignoreCase ? " and case" : string.Empty)} are normalised (NFKC)";
}
