using System.Globalization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC30xx: what planning refuses or warns about, each code with the templates that word it.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor CompanyAlreadyRegistered { get; } = Error("WHC3001", "company name already registered at BT but not in state");

    public static DiagnosticTemplate<string> CompanyAlreadyRegisteredElsewhere { get; } =
        CompanyAlreadyRegistered.Template((string name) => $"company name '{name}' is already registered at BT by another reseller; choose another name");

    /// <summary><c>file</c>: the manifest as the user named it, so the import reads that file alone (a folder may hold drafts of the company).</summary>
    public static DiagnosticTemplate<string, string, string> CompanyAlreadyRegisteredNotInState { get; } =
        CompanyAlreadyRegistered.Template((string name, string company, string file) =>
            $"company name '{name}' is already registered at BT but is not in whcctl's state; if it is yours, run 'whcctl import {company} {ShellWord(file)}' to adopt it with this manifest, otherwise choose another name");

    /// <summary>A path as one shell word: as it is when it needs no quoting, else in double quotes (inside the hint's single ones).</summary>
    private static string ShellWord(string path) =>
        path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or '+' or ',' or ':' or '@' or '=')
            ? path
            : "\"" + string.Concat(path.Select(c => c is '"' or '\\' or '$' or '`' ? $"\\{c}" : c.ToString())) + "\"";

    public static DiagnosticDescriptor DomainAlreadyRegistered { get; } = Error("WHC3002", "company domain already registered at BT");

    public static DiagnosticTemplate<string> DomainAlreadyRegisteredAtBt { get; } =
        DomainAlreadyRegistered.Template((string domain) => $"company domain '{domain}' is already registered at BT");

    public static DiagnosticDescriptor ImmutableFieldChanged { get; } = Error("WHC3003", "a field BT cannot change was changed");

    public static DiagnosticTemplate<string, AttributeChange> ImmutableCompanyField { get; } =
        ImmutableFieldChanged.Template((string company, AttributeChange change) =>
            $"company '{company}': {change.Name} cannot be changed at BT ('{change.Before}' → '{change.After}'); a new company needs a new manifest");

    /// <summary><c>ported</c>: what the block holds at BT (the manifest asks for the other kind).</summary>
    public static DiagnosticTemplate<string, bool> ImmutableNumberBlockKind { get; } =
        ImmutableFieldChanged.Template((string block, bool ported) =>
            $"number block '{block}' {(ported ? "holds ported numbers and cannot become a block of new numbers" : "holds new numbers and cannot become a block of ported numbers")}; add a block of the other kind under another name instead");

    public static DiagnosticTemplate<string, string, string> ImmutableAreaCode { get; } =
        ImmutableFieldChanged.Template((string block, string before, string after) =>
            $"number block '{block}': areaCode cannot change ('{before}' → '{after}'); add a new block instead");

    public static DiagnosticTemplate<string, string, string> ImmutableLocationCode { get; } =
        ImmutableFieldChanged.Template((string site, string before, string after) => $"site '{site}': locationCode cannot change ('{before}' → '{after}')");

    public static DiagnosticTemplate<string, string> ImmutableSiteNadKey { get; } =
        ImmutableFieldChanged.Template((string site, string nadKey) => $"site '{site}': its address (NAD key {nadKey}) cannot change; add a new site instead");

    /// <summary><c>before</c>: the address the site was found by; <c>after</c>: the manifest's; <c>nadKey</c>: the one BT holds.</summary>
    public static DiagnosticTemplate<string, SiteAddressState, AddressSpec, string> ImmutableSiteAddress { get; } =
        ImmutableFieldChanged.Template((string site, SiteAddressState before, AddressSpec after, string nadKey) =>
            $"site '{site}': its address cannot change ('{before.Premises}, {before.Postcode}' → '{after.Premises}, {after.Postcode}', NAD key {nadKey}); add a new site instead");

    public static DiagnosticDescriptor ProtectedResourceDelete { get; } = Error("WHC3004", "a protected resource would be ceased");

    public static DiagnosticTemplate<ResourceAddress> ProtectedRemovedFromManifest { get; } =
        ProtectedResourceDelete.Template((ResourceAddress address) => $"{address} is protected and cannot be ceased; put it back in the manifest, or remove its protection first");

    public static DiagnosticTemplate<ResourceAddress, string, string> ProtectedUserMovedBetweenSites { get; } =
        ProtectedResourceDelete.Template((ResourceAddress address, string from, string to) =>
            $"{address} is protected and cannot be ceased, which moving it from site {from} to {to} needs (BT cannot move a user between sites); remove its protection first");

    public static DiagnosticTemplate<ResourceAddress> ProtectedDestroyed { get; } =
        ProtectedResourceDelete.Template((ResourceAddress address) => $"{address} is protected and cannot be ceased; remove 'protect: true' and apply first");

    public static DiagnosticDescriptor UsernameTaken { get; } = Error("WHC3005", "username already registered at BT");

    public static DiagnosticTemplate<string> UsernameTakenAtBt { get; } =
        UsernameTaken.Template((string username) => $"username '{username}' is already registered at BT");

    public static DiagnosticDescriptor SiteAddressAmbiguous { get; } = Error("WHC3006", "several addresses at the postcode match the premises");

    public static DiagnosticTemplate<string, string, string?, IReadOnlyList<string>> SiteAddressMatchesSeveral { get; } =
        SiteAddressAmbiguous.Template((string site, string postcode, string? premises, IReadOnlyList<string> nadKeys) =>
            $"site '{site}': {nadKeys.Count} addresses at {postcode} match '{premises}' ({string.Join(", ", nadKeys)}); set address.nadKey to choose one");

    public static DiagnosticDescriptor NumberBlockShrunk { get; } = Error("WHC3007", "a number block's quantity cannot shrink");

    public static DiagnosticTemplate<string, int, int> NumberBlockQuantityShrunk { get; } =
        NumberBlockShrunk.Template((string block, int have, int quantity) =>
            $"number block '{block}' holds {have} numbers; its quantity cannot shrink to {quantity} (cease the block and add a smaller one)");

    public static DiagnosticTemplate<string, NumberRange> PortedNumberBlockShrunk { get; } =
        NumberBlockShrunk.Template((string block, NumberRange range) =>
            $"ported number block '{block}' holds {range.ToCompactString()}, which the manifest no longer lists; a ported block cannot give up part of its numbers (cease the block, with --allow-destroy, and add another)");

    public static DiagnosticDescriptor NumberBlockTooSmall { get; } = Error("WHC3008", "not enough numbers in the block for its users");

    /// <summary><c>leaving</c>: users of the block this plan ceases, whose numbers went to other new users listed earlier.</summary>
    public static DiagnosticTemplate<string, string, int, IReadOnlyList<(string Username, string Number)>> NumberBlockFull { get; } =
        NumberBlockTooSmall.Template((string user, string block, int quantity, IReadOnlyList<(string Username, string Number)> leaving) =>
        {
            var full = string.Create(CultureInfo.InvariantCulture, $"user '{user}': no free number left in block '{block}' (all {quantity} ringfenced and held)");
            var named = leaving.Select(u => $"'{u.Username}' ({u.Number})").Order(StringComparer.Ordinal).ToList();
            return named.Count == 0
                ? $"{full}; raise the block's quantity, or free a number by removing a user of it"
                : named.Count == 1
                ? $"{full}. The number of {named[0]}, whom this plan ceases, is given again once that cease completes, but to another new user listed earlier: "
                  + "raise the block's quantity, or remove another user of it"
                : $"{full}. The numbers of {string.Join(", ", named)}, whom this plan ceases, are given again once those ceases complete, but to other new users listed earlier: "
                  + "raise the block's quantity, or remove another user of it";
        });

    public static DiagnosticDescriptor QualificationExpiring { get; } = Warning("WHC3010", "the qualification the plan depends on expires soon");

    public static DiagnosticTemplate<string, DateTimeOffset> QualificationExpiresAt { get; } =
        QualificationExpiring.Template((string qualification, DateTimeOffset expires) =>
            $"qualification {qualification} expires at {expires.ToString("u", CultureInfo.InvariantCulture)}; if apply runs after that, whcctl qualifies again");

    public static DiagnosticDescriptor OrderFailedReplanned { get; } = Warning("WHC3011", "an earlier order failed; its changes are planned again");

    /// <summary><c>state</c>: the order's state as BT reported it (failed, partial, ...).</summary>
    public static DiagnosticTemplate<string, string, string?> OrderEndedUndone { get; } =
        OrderFailedReplanned.Template((string order, string state, string? reason) =>
            $"order {order} {state.ToLowerInvariant()}: {reason ?? "no reason given"}; its changes are planned again");

    public static DiagnosticDescriptor UnknownTarget { get; } = Error("WHC3012", "--target names no resource of the manifests or state");

    public static DiagnosticTemplate<ResourceAddress> UnknownTargetCompany { get; } =
        UnknownTarget.Template((ResourceAddress target) => $"--target {target}: no company '{target.Company}' in the manifests or state");

    public static DiagnosticTemplate<ResourceAddress> UnknownTargetResource { get; } =
        UnknownTarget.Template((ResourceAddress target) =>
            $"--target {target}: company '{target.Company}' has no {ResourceAddress.KindSegment(target.Kind)} '{target.Name}' in its manifest or state");

    public static DiagnosticTemplate<string> UnknownTargetNotAddress { get; } =
        UnknownTarget.Template((string target) => $"--target '{target}' is not an address; use COMPANY or COMPANY/KIND/NAME with KIND site, user or number-block");

    /// <summary>destroy COMPANY of a company state does not hold: the company and the store's description.</summary>
    public static DiagnosticTemplate<string, string> UnknownTargetDestroyNotInState { get; } =
        UnknownTarget.Template((string company, string store) => $"company '{company}' is not in state ({store}); nothing to destroy");

    public static DiagnosticDescriptor OptionsConflict { get; } = Error("WHC3014", "command-line options that cannot be combined");

    public static DiagnosticTemplate OptionsConflictRefreshOnly { get; } = OptionsConflict.Template("--refresh-only needs a refresh; drop --refresh=false");

    public static DiagnosticTemplate OptionsConflictWriteManifestsWithoutAll { get; } =
        OptionsConflict.Template("--write-manifests goes with --all; to import one company, use --write-manifest FILE");

    public static DiagnosticTemplate OptionsConflictImportWhat { get; } =
        OptionsConflict.Template("give the COMPANY key to import one company, or --all to import every company of the reseller");

    /// <summary>The company key, and whether manifest paths were given (else the current directory was read).</summary>
    public static DiagnosticTemplate<string, bool> OptionsConflictNoManifestNamed { get; } =
        OptionsConflict.Template((string key, bool pathsGiven) => $"no manifest {(pathsGiven ? "given" : "in the current directory")} has metadata.name '{key}'; give the company's manifest, or all of --cug, --name and --billing-account");

    public static DiagnosticTemplate<string, string> OptionsConflictCugDiffers { get; } =
        OptionsConflict.Template((string given, string manifest) => $"--cug {given} differs from the manifest's {manifest}");

    public static DiagnosticTemplate<string, string> OptionsConflictNameDiffers { get; } =
        OptionsConflict.Template((string given, string manifest) => $"--name '{given}' differs from the manifest's '{manifest}'");

    public static DiagnosticTemplate<string, string> OptionsConflictBillingAccountDiffers { get; } =
        OptionsConflict.Template((string given, string manifest) => $"--billing-account {given} differs from the manifest's {manifest}");

    public static DiagnosticTemplate<string> OptionsConflictNotCompanyKey { get; } =
        OptionsConflict.Template((string key) => $"COMPANY '{key}' is not a company key: lowercase letters, digits and dashes, at most 63 characters");

    public static DiagnosticTemplate<string> OptionsConflictNotCugId { get; } = OptionsConflict.Template((string cug) => $"--cug '{cug}' is not a CUG id (CUG and 10 digits)");

    public static DiagnosticTemplate<string> OptionsConflictNotBillingAccount { get; } =
        OptionsConflict.Template((string account) => $"--billing-account '{account}' is not a billing account (GB and 8 digits)");

    /// <summary>The file --write-manifest names (its full path).</summary>
    public static DiagnosticTemplate<string> OptionsConflictManifestExists { get; } =
        OptionsConflict.Template((string path) => $"--write-manifest: {path} already exists; choose another file or remove it");

    public static DiagnosticTemplate<string> OptionsConflictAllWithCompany { get; } =
        OptionsConflict.Template((string company) => $"--all imports every company of the reseller; give no COMPANY (got '{company}')");

    public static DiagnosticTemplate OptionsConflictAllWithPaths { get; } =
        OptionsConflict.Template("--all takes no manifest PATH: it writes the manifests (--write-manifests DIR)");

    /// <summary>An option of a one-company import given with --all.</summary>
    public static DiagnosticTemplate<string> OptionsConflictNotWithAll { get; } = OptionsConflict.Template((string option) => $"{option} goes with one COMPANY, not with --all");

    public static DiagnosticTemplate OptionsConflictAllNeedsReseller { get; } =
        OptionsConflict.Template("--all needs --cug (the reseller's companies to adopt) and --billing-account (recorded for each; BT's inventory does not show it)");

    public static DiagnosticDescriptor MaxDestroyExceeded { get; } = Error("WHC3023", "the plan ceases more resources than --max-destroy allows");

    /// <summary>Names the first five of <c>ceases</c>, then an ellipsis.</summary>
    public static DiagnosticTemplate<IReadOnlyList<ResourceAddress>, int> MaxDestroyExceededBy { get; } =
        MaxDestroyExceeded.Template((IReadOnlyList<ResourceAddress> ceases, int limit) =>
            string.Create(CultureInfo.InvariantCulture, $"the plan ceases {Counted.Of(ceases.Count, "resource")}, more than --max-destroy {limit} allows ({string.Join(", ", ceases.Take(5).Select(c => c.ToString()))}{(ceases.Count > 5 ? ", …" : string.Empty)})"));

    /// <summary>Apply's check of a plan against --max-destroy: how many it ceases, and the limit.</summary>
    public static DiagnosticTemplate<int, int> MaxDestroyExceededAtApply { get; } =
        MaxDestroyExceeded.Template((int ceases, int limit) => string.Create(CultureInfo.InvariantCulture, $"the plan ceases {Counted.Of(ceases, "resource")}, more than --max-destroy {limit} allows"));

    public static DiagnosticDescriptor IntentsNeedRefresh { get; } = Error("WHC3015", "state holds interrupted calls that BT has not answered");

    /// <summary><c>calls</c>: each interrupted call, or BT's answer about it; <c>asked</c>: whether this plan asked BT (refresh).</summary>
    public static DiagnosticTemplate<string, IReadOnlyList<string>, bool> IntentsUnsettled { get; } =
        IntentsNeedRefresh.Template((string company, IReadOnlyList<string> calls, bool asked) =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"company '{company}': state holds {Counted.Of(calls.Count, "interrupted call")} whose outcome only BT can tell ({string.Join("; ", calls)}); {(asked
                    ? "nothing is repeated until BT's answer settles them (an operation this whcctl does not know needs the whcctl that wrote it)"
                    : "plan with refresh (not --refresh=false), so whcctl asks BT what became of them first")}"));

    public static DiagnosticDescriptor EndpointMismatch { get; } = Error("WHC3016", "the company's state was applied against another endpoint");

    public static DiagnosticTemplate<string, EndpointName, EndpointName> EndpointMismatchBound { get; } =
        EndpointMismatch.Template((string company, EndpointName bound, EndpointName current) =>
            $"company '{company}' was applied against {bound}, but this run talks to {current}; set WHC_ENDPOINT={bound} (or --endpoint {bound}), or, to move the company to {current} on purpose, run 'whcctl state rebind {company} --endpoint {current}'");

    public static DiagnosticDescriptor NotInManifests { get; } = Warning("WHC3013", "a company in state is not in the manifests and is left alone");

    public static DiagnosticTemplate<string> NotInManifestsLeftAlone { get; } =
        NotInManifests.Template((string company) => $"company '{company}' is in state but in none of the manifests given; it is left alone (use 'whcctl destroy {company}' to cease it)");

    public static DiagnosticDescriptor PortedNumbersHeldElsewhere { get; } = Error("WHC3030", "ported numbers are held by another company at BT");

    public static DiagnosticTemplate<NumberRange, string> PortedRangeHeldElsewhere { get; } =
        PortedNumbersHeldElsewhere.Template((NumberRange range, string block) =>
            $"ported range {range.ToCompactString()} of block '{block}': BT's inventory shows some of these numbers held by another company; BT would refuse to ringfence them (check the range, or finish the port out of that company first)");

    public static DiagnosticDescriptor PortedNumbersAlreadyHeld { get; } = Error("WHC3031", "ported numbers overlap numbers the company already holds in another block");

    public static DiagnosticTemplate<NumberRange, string, NumberRange, string> PortedRangeHeldInBlock { get; } =
        PortedNumbersAlreadyHeld.Template((NumberRange range, string block, NumberRange held, string holder) =>
            $"ported range {range.ToCompactString()} of block '{block}' overlaps {held.ToCompactString()}, which the company already holds in block '{holder}'");

    /// <summary>The holder is a block of new numbers this plan ceases: its cease comes after every ringfence.</summary>
    public static DiagnosticTemplate<NumberRange, string, NumberRange, string> PortedRangeHeldInCeasedBlock { get; } =
        PortedNumbersAlreadyHeld.Template((NumberRange range, string block, NumberRange held, string holder) =>
            $"ported range {range.ToCompactString()} of block '{block}' overlaps {held.ToCompactString()}, which the company already holds in block '{holder}', which the manifest no longer has and this plan ceases; its numbers are not free to ringfence before that cease (apply the removal first, then the new block)");

    /// <summary>The holder is a ported block this plan ceases: ceased ported numbers may go back to their provider, so the way through is a rename.</summary>
    public static DiagnosticTemplate<NumberRange, string, NumberRange, string> PortedRangeHeldInCeasedPortedBlock { get; } =
        PortedNumbersAlreadyHeld.Template((NumberRange range, string block, NumberRange held, string holder) =>
            $"ported range {range.ToCompactString()} of block '{block}' overlaps {held.ToCompactString()}, which the company already holds in block '{holder}', which the manifest no longer has and this plan ceases; its numbers are not free to ringfence before that cease, and once ceased they may return to their provider. If '{block}' is '{holder}' renamed, add to spec: moved: [{{ from: number-block/{holder}, to: number-block/{block} }}]");

    public static DiagnosticDescriptor PortedNumbersGivenUp { get; } = Warning("WHC3032", "ported numbers ceased may be lost to the customer for good");

    /// <summary>WHC3032 in its one wording, whether the block is removed or ceased with its company.</summary>
    public static DiagnosticTemplate<string, IEnumerable<NumberRange>> PortedNumbersGivenUpBlock { get; } =
        PortedNumbersGivenUp.Template((string block, IEnumerable<NumberRange> ranges) =>
            $"number block '{block}' holds ported numbers ({string.Join(", ", ranges.Select(r => r.ToCompactString()))}); once ceased they may return to the provider they came from and be lost to the customer for good");

    public static DiagnosticDescriptor MoveConflict { get; } = Error("WHC3040", "a moved entry cannot be applied: state holds both its from and its to, or two of its sources");

    /// <summary>A company move whose two keys hold states of different histories: the old key and the new.</summary>
    public static DiagnosticTemplate<string, string> MoveConflictCompanyHistories { get; } =
        MoveConflict.Template((string from, string to) => $"moved: company/{from} → company/{to}: state holds both, of different histories; run plan again");

    /// <summary><c>segment</c>: the kind as written in a moved entry (site, number-block, ...).</summary>
    public static DiagnosticTemplate<string, string, string, string> MoveBothEndsInState { get; } =
        MoveConflict.Template((string segment, string from, string to, string company) =>
            $"moved: {segment}/{from} → {segment}/{to} cannot be applied: state holds both {segment}/{from} and {segment}/{to}; see 'whcctl state list {company}', and 'whcctl state rm' the one BT no longer holds, or remove the entry");

    public static DiagnosticTemplate<string, IReadOnlyList<string>, string> MoveSourcesMeet { get; } =
        MoveConflict.Template((string segment, IReadOnlyList<string> froms, string to) =>
            $"moved: state holds {string.Join(" and ", froms.Select(f => $"{segment}/{f}"))}, which the moved entries all lead to {segment}/{to}; only one can become it: 'whcctl state rm' the others, or fix the entries");

    public static DiagnosticTemplate<string, string, string, string> MoveOrderUnfinished { get; } =
        MoveConflict.Template((string segment, string from, string to, string order) =>
            $"moved: {segment}/{from} → {segment}/{to} cannot be applied yet: order {order}, not finished, acts on {segment}/{from}; apply (or plan) again once it has completed");

    /// <summary>A company's moved entry whose from and to both have state, of different lineages.</summary>
    public static DiagnosticTemplate<string, string> MoveConflictCompanyBothInState { get; } =
        MoveConflict.Template((string from, string to) => $"moved: company/{from} → company/{to} cannot be applied: state holds both (of different histories); see 'whcctl state list', and 'whcctl state rm' the one BT no longer holds, or remove the entry");

    public static DiagnosticDescriptor SiteRenameNeedsMoved { get; } = Error("WHC3041", "a removed and an added site share a location code: a rename, which needs a moved entry");

    public static DiagnosticTemplate<string, string, string> SiteRenameSameLocationCode { get; } =
        SiteRenameNeedsMoved.Template((string site, string locationCode, string old) =>
            $"site '{site}' has location code {locationCode}, as site '{old}' does, which the manifest no longer has: BT refuses a second site with that code while '{old}' holds it, and ceasing '{old}' first ceases its users. If it is the same site renamed, add to spec: moved: [{{ from: site/{old}, to: site/{site} }}]; if it is another site, give it another location code");

    public static DiagnosticDescriptor NumberBlockRenameNeedsMoved { get; } = Warning("WHC3042", "a removed and an added number block look alike: a rename would keep the users' numbers with a moved entry");

    /// <summary><c>old</c>: the block the manifest no longer has; <c>users</c>: how many users draw on it.</summary>
    public static DiagnosticTemplate<string, NumberBlockState, int> NumberBlockLooksRenamed { get; } =
        NumberBlockRenameNeedsMoved.Template((string block, NumberBlockState old, int users) =>
            string.Create(CultureInfo.InvariantCulture, $"number block '{block}' looks like '{old.Name}' renamed (area code {old.AreaCode}, {old.RingfencedCount} numbers), which the manifest no longer has: as planned, '{old.Name}' is ceased and its numbers given up, and '{block}' ringfences new ones, so {Counted.Of(users, "user")} drawing on it {Counted.Noun(users, "gets", "get")} a new number. If it is a rename, add to spec: moved: [{{ from: number-block/{old.Name}, to: number-block/{block} }}] and they keep their numbers"));

    public static DiagnosticDescriptor SiteAtRemovedSiteAddress { get; } = Warning("WHC3043", "an added site is at the address of a removed site under another location code: likely a rename, which needs a moved entry");

    /// <summary><c>same</c>: the removed site; its address is shown as the manifest gave it when <c>byAddress</c> and it was found by one, else by NAD key.</summary>
    public static DiagnosticTemplate<string, string, SiteState, bool> SiteAtRemovedSiteAddressOtherCode { get; } =
        SiteAtRemovedSiteAddress.Template((string site, string locationCode, SiteState same, bool byAddress) =>
        {
            var where = byAddress && same.FoundBy is { } found
                ? $"'{found.Premises}, {found.Postcode}' (NAD key {same.NadKey})"
                : $"NAD key {same.NadKey}";
            return $"site '{site}' is at the address of site '{same.Name}', {where}, which the manifest no longer has, with another location code ({locationCode}, not {same.LocationCode}): this plan ceases '{same.Name}' and makes its users again at '{site}'. If it is the same site renamed, keep locationCode {same.LocationCode} (BT cannot change it) and add to spec: moved: [{{ from: site/{same.Name}, to: site/{site} }}]; if it is another site at the same address, nothing to do";
        });

    public static DiagnosticDescriptor CompanyKeyChangeNeedsMoved { get; } = Error("WHC3044", "a new company key whose company BT holds under a key in state: a key change, which needs a moved entry");

    public static DiagnosticTemplate<string, string, string> CompanyKeyChangedWithoutMoved { get; } =
        CompanyKeyChangeNeedsMoved.Template((string company, string oldKey, string name) =>
            $"company '{company}' is new, but state holds company '{oldKey}' with the same name at BT ('{name}') and no manifest has it: if metadata.name was changed, add to spec of '{company}': moved: [{{ from: company/{oldKey}, to: company/{company} }}]");

    public static DiagnosticDescriptor UniqueValueHeld { get; } = Error("WHC3050", "a create or change takes a value BT keeps unique that a resource staying at BT holds");

    /// <summary><c>taker</c> and <c>holder</c> as shown (user 'x'); <c>rule</c>: what BT keeps unique (extension, ...); <c>shown</c>: the value as shown.</summary>
    public static DiagnosticTemplate<string, string, string, string> UniqueValueHeldByOther { get; } =
        UniqueValueHeld.Template((string taker, string rule, string shown, string holder) =>
            $"{taker} takes {rule} {shown}, which {holder} holds at BT and keeps in this plan: BT refuses a second one in the company. Give {taker} another {rule}, or change or remove {holder} in the same plan");

    public static DiagnosticDescriptor UniqueValuesSwapped { get; } = Error("WHC3051", "resources swap values BT keeps unique: BT refuses the changes in any order");

    public static DiagnosticTemplate<IEnumerable<string>> UniqueValuesSwappedUsers { get; } =
        UniqueValuesSwapped.Template((IEnumerable<string> users) =>
            $"users {string.Join(", ", users.Select(u => $"'{u}'"))} swap values BT keeps unique (extension, MAC address or number): each change is refused while another of them still holds the value. Apply it in two steps: first give one of them a free value, then the one wanted");
}
