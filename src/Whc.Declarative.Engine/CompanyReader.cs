using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Engine;

/// <summary>Reads a company from BT the way every stage needs it: null when BT does not know the name.</summary>
public static class CompanyReader
{
    /// <summary>
    /// BT's record of the company, null when the name is free, or <see cref="CompanyInventory.RegisteredElsewhere"/>
    /// when another reseller holds it (the client's way of saying so is a rejection with status 200).
    /// </summary>
    public static async Task<CompanyInventory?> ReadAsync(IWhcApi api, string cugId, string companyName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            return await api.ReadCompanyAsync(cugId, companyName, cancellationToken);
        }
        catch (WhcApiException e) when (e.Kind == WhcFailureKind.Rejected && e.Status == 200)
        {
            return CompanyInventory.RegisteredElsewhere(companyName);
        }
    }
}
