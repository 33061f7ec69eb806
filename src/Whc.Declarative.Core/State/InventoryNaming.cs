using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Core.State;

/// <summary>
/// BT's inventory seen through whcctl's names: a site state knows (by its service id) goes by the name state gives it,
/// which may differ from BT's after <c>whcctl state mv</c> (BT cannot rename a site). Everything that compares state
/// with BT reads the inventory this way, so a renamed site is the same site, not a new one.
/// </summary>
public static class InventoryNaming
{
    public static CompanyInventory InStateNames(CompanyInventory inventory, CompanyState? state)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var names = (state?.Sites ?? []).Where(s => s.ServiceId is not null && s.Name.Length > 0)
            .GroupBy(s => s.ServiceId ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        return names.Count == 0 || inventory.Sites.All(s => !names.TryGetValue(s.ServiceId, out var name) || name == s.Name)
            ? inventory
            : inventory with { Sites = [.. inventory.Sites.Select(s => names.TryGetValue(s.ServiceId, out var name) ? s with { Name = name } : s)] };
    }
}
