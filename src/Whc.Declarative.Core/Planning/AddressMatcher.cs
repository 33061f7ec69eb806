using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;

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

        var premises = Squash(wanted.Premises);
        string?[] names =
        [
            candidate.BuildingName,
            candidate.SubBuilding,
            $"{candidate.StreetNumber} {candidate.StreetName}",
        ];
        return names.Any(n => n is not null && string.Equals(Squash(n), premises, StringComparison.OrdinalIgnoreCase));
    }

    private static string Squash(string? text) => string.Join(' ', (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
