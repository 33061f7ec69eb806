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

        if (state?.Record?.ServiceId is { } serviceId)
        {
            return inventory.ServiceId == serviceId;
        }

        // A qualification whose answer was lost leaves only its intent: the company BT now holds under our CUG,
        // still merely qualified, is that qualification's result (the qualify step reconciles it).
        return inventory.Status == CompanyStatus.Qualified
            && state?.Intents.Any(i => i.Operation == IntentOperations.Qualify) == true;
    }
}
