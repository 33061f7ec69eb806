namespace Whc.Declarative.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor CompanyAlreadyRegistered { get; } = Error("WHC3001", "company name already registered at BT but not in state");

    public static DiagnosticDescriptor DomainAlreadyRegistered { get; } = Error("WHC3002", "company domain already registered at BT");

    public static DiagnosticDescriptor ImmutableFieldChanged { get; } = Error("WHC3003", "a field BT cannot change was changed");

    public static DiagnosticDescriptor ProtectedResourceDelete { get; } = Error("WHC3004", "a protected resource would be ceased");

    public static DiagnosticDescriptor UsernameTaken { get; } = Error("WHC3005", "username already registered at BT");

    public static DiagnosticDescriptor SiteAddressAmbiguous { get; } = Error("WHC3006", "several addresses at the postcode match the premises");

    public static DiagnosticDescriptor NumberBlockShrunk { get; } = Error("WHC3007", "a number block's quantity cannot shrink");

    public static DiagnosticDescriptor NumberBlockTooSmall { get; } = Error("WHC3008", "not enough numbers in the block for its users");

    public static DiagnosticDescriptor QualificationExpiring { get; } = Warning("WHC3010", "the qualification the plan depends on expires soon");

    public static DiagnosticDescriptor OrderFailedReplanned { get; } = Warning("WHC3011", "an earlier order failed; its changes are planned again");

    public static DiagnosticDescriptor UnknownTarget { get; } = Error("WHC3012", "--target names no resource of the manifests or state");

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

    /// <summary>Apply's check of a plan against --max-destroy: how many it ceases, and the limit.</summary>
    public static DiagnosticTemplate<int, int> MaxDestroyExceededAtApply { get; } =
        MaxDestroyExceeded.Template((int ceases, int limit) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the plan ceases {ceases} resource(s), more than --max-destroy {limit} allows"));

    public static DiagnosticDescriptor IntentsNeedRefresh { get; } = Error("WHC3015", "state holds interrupted calls that BT has not answered");

    public static DiagnosticDescriptor EndpointMismatch { get; } = Error("WHC3016", "the company's state was applied against another endpoint");

    public static DiagnosticDescriptor NotInManifests { get; } = Warning("WHC3013", "a company in state is not in the manifests and is left alone");

    public static DiagnosticDescriptor PortedNumbersHeldElsewhere { get; } = Error("WHC3030", "ported numbers are held by another company at BT");

    public static DiagnosticDescriptor PortedNumbersAlreadyHeld { get; } = Error("WHC3031", "ported numbers overlap numbers the company already holds in another block");

    public static DiagnosticDescriptor PortedNumbersGivenUp { get; } = Warning("WHC3032", "ported numbers ceased may be lost to the customer for good");

    /// <summary>WHC3032 in its one wording, whether the block is removed or ceased with its company.</summary>
    /// <param name="ranges">The block's ranges, each in its compact form (01214960500-0519).</param>
    public static Diagnostic PortedNumbersGivenUpAt(SourceSpan span, string block, IEnumerable<string> ranges) =>
        PortedNumbersGivenUp.At(span, $"number block '{block}' holds ported numbers ({string.Join(", ", ranges)}); once ceased they may return to the provider they came from and be lost to the customer for good");

    public static DiagnosticDescriptor MoveConflict { get; } = Error("WHC3040", "a moved entry cannot be applied: state holds both its from and its to, or two of its sources");

    /// <summary>A company's moved entry whose from and to both have state, of different lineages.</summary>
    public static DiagnosticTemplate<string, string> MoveConflictCompanyBothInState { get; } =
        MoveConflict.Template((string from, string to) => $"moved: company/{from} → company/{to} cannot be applied: state holds both (of different histories); see 'whcctl state list', and 'whcctl state rm' the one BT no longer holds, or remove the entry");

    public static DiagnosticDescriptor SiteRenameNeedsMoved { get; } = Error("WHC3041", "a removed and an added site share a location code: a rename, which needs a moved entry");

    public static DiagnosticDescriptor NumberBlockRenameNeedsMoved { get; } = Warning("WHC3042", "a removed and an added number block look alike: a rename would keep the users' numbers with a moved entry");

    public static DiagnosticDescriptor SiteAtRemovedSiteAddress { get; } = Warning("WHC3043", "an added site is at the address of a removed site under another location code: likely a rename, which needs a moved entry");

    public static DiagnosticDescriptor CompanyKeyChangeNeedsMoved { get; } = Error("WHC3044", "a new company key whose company BT holds under a key in state: a key change, which needs a moved entry");

    public static DiagnosticDescriptor UniqueValueHeld { get; } = Error("WHC3050", "a create or change takes a value BT keeps unique that a resource staying at BT holds");

    public static DiagnosticDescriptor UniqueValuesSwapped { get; } = Error("WHC3051", "resources swap values BT keeps unique: BT refuses the changes in any order");
}
