using System.Collections.Immutable;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Values a new resource hands to BT that only BT can say are good. An order BT refuses after the company was qualified
/// leaves a half-made customer, so where a read made at refresh can tell (a NAD key given with its postcode: BT's
/// address search lists the keys there), plan checks the value and fails closed; where none can (an area code: no BT
/// read tells which area codes have numbers), the change's reason says BT checks it at apply. Pure: it only looks at
/// what the refresher read.
/// </summary>
public static class BtCheckedValues
{
    /// <summary>Appended to the reason of a new number block: its ringfence is the first BT hears of the area code.</summary>
    public const string AreaCodeNote = "area code checked by BT at apply";

    /// <summary>Appended to the reason of a new site given by NAD key alone: no read finds an address by its key.</summary>
    public const string NadKeyWithoutPostcodeNote = "NAD key checked by BT at apply: give the site's postcode too to check it at plan time";

    /// <summary>Appended to the reason of a new site given by NAD key when the plan read nothing from BT (--refresh=false).</summary>
    public const string NadKeyNotReadNote = "NAD key checked by BT at apply: this plan read nothing from BT";

    /// <summary>
    /// Whether BT's address search at the site's postcode (read at refresh) lists the NAD key the manifest gives. A key
    /// given without a postcode, or a plan made without reading BT, cannot be checked; an answer missing for the
    /// postcode is <see cref="NadKeyOutcome.Unanswered"/>, never taken as a pass.
    /// </summary>
    public static NadKeyFinding CheckNadKey(AddressSpec address, RefreshSnapshot? refresh)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.NadKey is not { Length: > 0 } nadKey)
        {
            return new(NadKeyOutcome.NotGiven, []);
        }

        if (address.Postcode is not { Length: > 0 } postcode)
        {
            return new(NadKeyOutcome.NoPostcode, []);
        }

        if (refresh is null)
        {
            return new(NadKeyOutcome.NotRefreshed, []);
        }

        if (!refresh.AddressesByPostcode.TryGetValue(postcode, out var found) || found.IsDefault)
        {
            return new(NadKeyOutcome.Unanswered, []);
        }

        ImmutableArray<string> listed = [.. found.Select(a => a.NadKey).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new(listed.Contains(nadKey, StringComparer.Ordinal) ? NadKeyOutcome.Listed : NadKeyOutcome.NotListed, listed);
    }
}

public enum NadKeyOutcome
{
    /// <summary>The manifest gives no NAD key (the address is found or created by postcode and premises).</summary>
    NotGiven,

    /// <summary>BT lists the key at the site's postcode.</summary>
    Listed,

    /// <summary>BT's search at the postcode answered and does not list the key.</summary>
    NotListed,

    /// <summary>The refresh holds no answer for the postcode: nothing confirms the key.</summary>
    Unanswered,

    /// <summary>A key given alone: no BT read finds an address by its key, so BT checks it at apply.</summary>
    NoPostcode,

    /// <summary>The plan read nothing from BT (--refresh=false), so BT checks it at apply.</summary>
    NotRefreshed,
}

/// <param name="Outcome">What the check found.</param>
/// <param name="ListedKeys">The NAD keys BT lists at the postcode, sorted (empty unless BT answered).</param>
public sealed record NadKeyFinding(NadKeyOutcome Outcome, ImmutableArray<string> ListedKeys);
