using System.Globalization;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

/// <summary>The compare-and-swap rule every store applies before a write.</summary>
public static class StateConflicts
{
    /// <summary>Throws <see cref="StateConflictException"/> unless <paramref name="offered"/> may replace <paramref name="stored"/>.</summary>
    public static void Check(CompanyState offered, CompanyState? stored, string storeDescription)
    {
        ArgumentNullException.ThrowIfNull(offered);
        Check(offered.Company, offered.Serial, offered.Lineage, stored is null ? null : (stored.Serial, stored.Lineage), storeDescription);
    }

    public static void Check(string company, long offeredSerial, string offeredLineage, (long Serial, string Lineage)? stored, string storeDescription)
    {
        var offered = string.Create(CultureInfo.InvariantCulture, $"serial {offeredSerial}, lineage {offeredLineage}");
        if (stored is null)
        {
            if (offeredSerial != 1)
            {
                throw new StateConflictException(
                    $"state of company '{company}' in {storeDescription}: no state is stored, but the write offers {offered} (a new state must start at serial 1); was the state deleted or moved?");
            }

            return;
        }

        var (serial, lineage) = stored.Value;
        var have = string.Create(CultureInfo.InvariantCulture, $"serial {serial}, lineage {lineage}");
        if (!string.Equals(lineage, offeredLineage, StringComparison.Ordinal))
        {
            throw new StateConflictException(
                $"state of company '{company}' in {storeDescription} belongs to another history: stored {have}, offered {offered}");
        }

        if (offeredSerial != serial + 1)
        {
            throw new StateConflictException(
                string.Create(CultureInfo.InvariantCulture, $"state of company '{company}' in {storeDescription} was changed by another writer: stored {have}, offered {offered} (expected serial {serial + 1}); re-run to plan against the current state"));
        }
    }
}
