using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Core.Planning;

// Values of new resources only BT can judge (BtCheckedValues): refused here where refresh read enough to tell, named in
// the change's reason where nothing could.
internal sealed partial class CompanyPlanner
{
    /// <summary>The reason of a new number block: its area code reaches BT first in the ringfence, which no read can check ahead.</summary>
    private static string WithAreaCodeNote(string reason) => $"{reason}; {BtCheckedValues.AreaCodeNote}";

    /// <summary>
    /// Checks the NAD key of a site about to be ordered against BT's addresses at its postcode; an error when BT does not
    /// list it or did not answer. Returns the reason with a note when the key can only be checked by BT at apply.
    /// </summary>
    private static string CheckNadKey(PartBuilder part, SiteSpec site, RefreshSnapshot? refresh, string reason)
    {
        var finding = BtCheckedValues.CheckNadKey(site.Address, refresh);
        var nadKey = site.Address.NadKey ?? string.Empty;
        var postcode = site.Address.Postcode ?? string.Empty;
        switch (finding.Outcome)
        {
            case NadKeyOutcome.NotListed:
                part.Diagnostics.Add(DiagnosticCatalog.NadKeyNotListedAtPostcode.At(site.Span, site.Name, nadKey, postcode, finding.ListedKeys));
                return reason;
            case NadKeyOutcome.Unanswered:
                part.Diagnostics.Add(DiagnosticCatalog.NadKeyUnanswered.At(site.Span, site.Name, nadKey, postcode));
                return reason;
            case NadKeyOutcome.NoPostcode:
                return $"{reason}; {BtCheckedValues.NadKeyWithoutPostcodeNote}";
            case NadKeyOutcome.NotRefreshed:
                return $"{reason}; {BtCheckedValues.NadKeyNotReadNote}";
            default:
                return reason;
        }
    }
}
