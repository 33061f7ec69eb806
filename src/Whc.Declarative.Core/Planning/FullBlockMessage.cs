using System.Globalization;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// WHC3008's message: a user wants a number from a block whose numbers are all ringfenced and held. When the same plan
/// ceases users holding numbers of that block (a user swapped for another), their numbers are not free yet: they free
/// only once BT has applied the cease, so the message says so and what to do instead of only "no free number".
/// </summary>
internal static class FullBlockMessage
{
    public static string For(UserSpec user, string block, int quantity, CompanyManifest desired, IEnumerable<UserState> recorded)
    {
        var staying = desired.AllUsers().Select(p => p.User.Username).ToHashSet(StringComparer.Ordinal);
        var leaving = recorded
            .Where(u => u.NumberBlock == block && u.DirectoryNumber is not null && !staying.Contains(u.Username))
            .Select(u => $"'{u.Username}' ({u.DirectoryNumber})")
            .Order(StringComparer.Ordinal)
            .ToList();
        var full = string.Create(CultureInfo.InvariantCulture, $"user '{user.Username}': no free number left in block '{block}' (all {quantity} ringfenced and held)");
        return leaving.Count == 0
            ? $"{full}; raise the block's quantity, or free a number by removing a user of it"
            : $"{full}. The number of {string.Join(", ", leaving)}, whom this plan ceases, frees only once that cease is applied at BT, so it cannot go to '{user.Username}' in the same apply: "
              + $"apply the removal first (without '{user.Username}' in the manifest; with --allow-destroy), then add '{user.Username}' in a later apply; or raise the block's quantity";
    }
}
