using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>Decides whether an address BT lists at a postcode is the one a manifest means by its premises.</summary>
public static class AddressMatcher
{
    public static bool Matches(AddressRecord candidate, AddressSpec wanted)
    {
        if (!string.Equals(Squash(candidate.Postcode), Squash(wanted.Postcode), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(wanted.Premises))
        {
            return true;
        }

        // An address inside a building (a sub-building) is named by that sub-building, alone or with its building;
        // the building's own name then means the address without a sub-building.
        var premises = Squash(wanted.Premises);
        var names = string.IsNullOrWhiteSpace(candidate.SubBuilding)
            ? new[] { candidate.BuildingName, $"{candidate.StreetNumber} {candidate.StreetName}", candidate.StreetName }
            : [candidate.SubBuilding, $"{candidate.SubBuilding}, {candidate.BuildingName}"];
        return names.Any(n => !string.IsNullOrWhiteSpace(n) && string.Equals(Squash(n), premises, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether a manifest's address is still the one a site's NAD key was found by (spacing and case aside).</summary>
    public static bool SameAddress(SiteAddressState foundBy, AddressSpec wanted) =>
        string.Equals(WithoutSpaces(foundBy.Postcode), WithoutSpaces(wanted.Postcode), StringComparison.OrdinalIgnoreCase)
        && string.Equals(Squash(foundBy.Premises), Squash(wanted.Premises), StringComparison.OrdinalIgnoreCase);

    private static string WithoutSpaces(string? text) => (text ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);

    private static string Squash(string? text) => string.Join(' ', (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
