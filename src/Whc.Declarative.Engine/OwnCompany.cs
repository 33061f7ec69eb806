using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;

namespace Whc.Declarative.Engine;

/// <summary>Reading back a company this apply works on, to record what BT did.</summary>
internal static class OwnCompany
{
    /// <summary>
    /// The company as BT holds it. An answer that shows it as another reseller's (no service id, another CUG) is
    /// refused rather than recorded: reconciled into state, it would read as a company with no sites and no users.
    /// </summary>
    public static async Task<CompanyInventory?> ReadOwnCompanyAsync(this IWhcApi api, CompanySession session, CancellationToken cancellationToken)
    {
        // How BT knows the company: as state recorded it, or as the manifest names it before its first record.
        var record = session.State.Record;
        var cugId = record?.CugId ?? session.Desired?.Reseller.CugId ?? string.Empty;
        var companyName = record?.Name ?? session.Desired?.Company.Name ?? string.Empty;
        var company = await api.ReadCompanyAsync(cugId, companyName, cancellationToken);
        return company is { IsRegisteredElsewhere: true }
            ? throw new WhcApiException(WhcFailureKind.Rejected, 200, null, $"reading company '{companyName}' back: BT shows it as another reseller's (without its service id, or under another CUG than {cugId}), so nothing is recorded from that answer", null)
            : company;
    }
}
