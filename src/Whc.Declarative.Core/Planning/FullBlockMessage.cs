using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// WHC3008 (worded by <see cref="DiagnosticCatalog.NumberBlockFull"/>): a user wants a number from a block whose
/// numbers are all ringfenced and held. Numbers of users the same plan ceases are not missing from the count: they are given out again after the cease (see
/// <see cref="NumberAssignment"/>), so when the block is still short the message says they already went to other users.
/// </summary>
internal static class FullBlockMessage
{
    public static Diagnostic At(UserSpec user, string block, int quantity, CompanyManifest desired, IEnumerable<UserState> recorded)
    {
        var staying = desired.AllUsers().Select(p => p.User.Username).ToHashSet(StringComparer.Ordinal);
        var leaving = recorded
            .Where(u => u.NumberBlock == block && u.DirectoryNumber is not null && !staying.Contains(u.Username))
            .Select(u => (u.Username, u.DirectoryNumber ?? string.Empty))
            .ToList();
        return DiagnosticCatalog.NumberBlockFull.At(user.Span, user.Username, block, quantity, leaving);
    }
}
