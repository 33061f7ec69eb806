using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>Whether a company BT knows is the one this state describes (and so not a name collision).</summary>
public static class Ownership
{
    public static bool IsOurs(CompanyState? state, CompanyInventory? inventory)
    {
        if (inventory is null || inventory.IsRegisteredElsewhere)
        {
            return false;
        }

        // A qualification whose answer was lost is recorded, service id and all, when its intent is answered from BT
        // before planning (IntentResolver); so the service id alone decides.
        return state?.Record?.ServiceId is { } serviceId && inventory.ServiceId == serviceId;
    }
}
