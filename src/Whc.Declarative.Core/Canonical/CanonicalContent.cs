using System.Text.Json;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Canonical;

/// <summary>
/// Core's records in canonical form (<see cref="CanonicalJson"/>), for what is compared or fingerprinted rather than
/// stored: files have formats of their own (the state and plan documents). Collections are put in canonical order by
/// the callers first, so equal content gives equal bytes.
/// </summary>
public static class CanonicalContent
{
    /// <summary>A state's content in canonical form, serial aside: how two states are told to record the same things.</summary>
    public static byte[] Of(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return CanonicalJson.Of(JsonSerializer.SerializeToNode(state.Normalized() with { Serial = 0 }, CanonicalContentJson.Default.CompanyState));
    }

    /// <summary>What refresh read in canonical form, BT's lists in canonical order: what a saved plan's inventory fingerprint is over.</summary>
    public static string Sha256(RefreshSnapshot read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var sorted = read with
        {
            Inventory = read.Inventory is not { } inventory ? null : inventory with
            {
                NumberRanges = [.. inventory.NumberRanges.OrderBy(r => r.StartNumber, StringComparer.Ordinal)],
                Sites = [.. inventory.Sites.OrderBy(s => s.ServiceId, StringComparer.Ordinal)],
                Users = [.. inventory.Users.OrderBy(u => u.ServiceId, StringComparer.Ordinal)],
            },
        };
        return CanonicalJson.Sha256(JsonSerializer.SerializeToNode(sorted, CanonicalContentJson.Default.RefreshSnapshot));
    }
}

/// <summary>Source-generated (no reflection over our own types): the native executable computes the same bytes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General)]
[JsonSerializable(typeof(CompanyState))]
[JsonSerializable(typeof(RefreshSnapshot))]
internal sealed partial class CanonicalContentJson : JsonSerializerContext;
