using System.Globalization;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// WHC3008's message: a user wants a number from a block whose numbers are all ringfenced and held. Numbers of users
/// the same plan ceases are not missing from the count: they are given out again after the cease (see
/// <see cref="NumberAssignment"/>), so when the block is still short the message says they already went to other users.
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
            : leaving.Count == 1
            ? $"{full}. The number of {leaving[0]}, whom this plan ceases, is given again once that cease completes, but to another new user listed earlier: "
              + "raise the block's quantity, or remove another user of it"
            : $"{full}. The numbers of {string.Join(", ", leaving)}, whom this plan ceases, are given again once those ceases complete, but to other new users listed earlier: "
              + "raise the block's quantity, or remove another user of it";
    }
}
