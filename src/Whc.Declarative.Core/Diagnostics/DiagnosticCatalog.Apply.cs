using System.Globalization;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StalePlan { get; } = Error("WHC4050", "the saved plan no longer matches state or BT");

    /// <summary>
    /// What moved since the plan was made, as the precondition check words it (without "stale" or what to do: this
    /// message says each once, as terraform's "Saved plan is stale" does).
    /// </summary>
    public static DiagnosticTemplate<string> StalePlanMoved { get; } =
        StalePlan.Template((string moved) => $"the saved plan is stale: {moved}. Run plan again and review the new plan.");

    public static DiagnosticDescriptor StepFailed { get; } = Error("WHC4051", "an apply step failed");

    public static DiagnosticDescriptor SettleFailed { get; } = Warning("WHC4052", "the final read of BT after apply failed");

    /// <summary>The company and BT's failure, as the client words it.</summary>
    public static DiagnosticTemplate<string, string> SettleFailedRead { get; } =
        SettleFailed.Template((string company, string failure) => $"{company}: the final read of BT failed ({failure}); state is correct but may lack ids a later plan will read");

    public static DiagnosticDescriptor DestroyNotAllowed { get; } = Error("WHC4053", "the plan ceases resources and --allow-destroy was not given");

    /// <summary>The addresses of the resources the plan ceases: the count and the first five are named.</summary>
    public static DiagnosticTemplate<IReadOnlyList<string>> DestroyNotAllowedCeases { get; } =
        DestroyNotAllowed.Template((IReadOnlyList<string> ceased) => string.Create(CultureInfo.InvariantCulture, $"the plan ceases {Counted.Of(ceased.Count, "resource")} ({string.Join(", ", ceased.Take(5))}{(ceased.Count > 5 ? ", …" : string.Empty)}); re-run with --allow-destroy if that is intended"));

    public static DiagnosticDescriptor ApprovalRequired { get; } = Error("WHC4054", "apply needs approval: --auto-approve outside a terminal");

    /// <summary>The command (apply or destroy) that would have asked.</summary>
    public static DiagnosticTemplate<string> ApprovalRequiredNoTerminal { get; } =
        ApprovalRequired.Template((string command) => $"not on a terminal: pass --auto-approve to {command} without a prompt");

    public static DiagnosticDescriptor ApplyCancelled { get; } = Error("WHC4055", "apply was cancelled by the user");

    public static DiagnosticTemplate ApplyCancelledByUser { get; } =
        ApplyCancelled.Template("cancelled; state holds every result recorded so far, and the next run continues from there");

    public static DiagnosticDescriptor LocalFileFailed { get; } = Error("WHC4056", "a local file could not be read or written");

    /// <summary>The manifest file that appeared while the company was imported (its full path).</summary>
    public static DiagnosticTemplate<string> LocalFileManifestAppeared { get; } =
        LocalFileFailed.Template((string path) => $"--write-manifest: {path} already exists (it appeared during the import) and was kept, not overwritten; the company is imported into state all the same");

    public static DiagnosticDescriptor PlanFileInvalid { get; } = Error("WHC4057", "the file is not a usable saved plan");

    /// <summary>The companies whose plan differs, as the check words them.</summary>
    public static DiagnosticTemplate<string> PlanFileAltered { get; } =
        PlanFileInvalid.Template((string differs) => $"the saved plan is not the plan that the manifests, state and BT give for {differs}: it was altered after it was made, or the manifests here are not those it was made from. Run plan again and review the new plan.");

    /// <summary>A file that is not JSON, or JSON that names no plan format (a manifest, most likely).</summary>
    public static DiagnosticTemplate<string> PlanFileNotPlan { get; } = PlanFileInvalid.Template((string path) =>
        $"{path} is not a whcctl plan file: show and apply take a plan saved with 'whcctl plan --out plan.json'; a manifest is checked with 'whcctl validate {path}' and planned with 'whcctl plan {path}'");

    /// <summary>
    /// The file, the plan format this whcctl reads, and where the JSON reader stopped: its JSON path and line (from 0,
    /// as the reader counts). The reader's own text is .NET's, not the user's, so only the place is passed on.
    /// </summary>
    public static DiagnosticTemplate<string, int, string, long> PlanFileNotOfFormat { get; } =
        PlanFileInvalid.Template((string path, int format, string at, long line) => string.Create(CultureInfo.InvariantCulture,
            $"{path} is not a whcctl plan file of format {format}: the value at {at} (line {line + 1}) is not what such a plan holds there; plan again with 'whcctl plan --out' rather than editing a saved plan"));

    /// <summary>What whcctl's own reading of the plan refused (a field or kind it does not know), at a JSON path.</summary>
    public static DiagnosticTemplate<string, int, string, string> PlanFileContentRefused { get; } =
        PlanFileInvalid.Template((string path, int format, string at, string finding) =>
            string.Create(CultureInfo.InvariantCulture, $"{path} is not a whcctl plan file of format {format}: at {at}, {finding}; plan again with 'whcctl plan --out' rather than editing a saved plan"));

    public static DiagnosticTemplate<string> PlanFileHashMismatch { get; } =
        PlanFileInvalid.Template((string path) => $"{path} has been altered since it was saved (its plan hash does not match)");

    public static DiagnosticDescriptor PlanFileOtherVersion { get; } = Error("WHC4058", "the saved plan was made by another whcctl version");

    /// <summary>The file; the version and plan format of the whcctl that made it (its format null when the file does not say); this whcctl's.</summary>
    public static DiagnosticTemplate<string, string, int?, string, int> PlanFileOtherVersionMadeBy { get; } =
        PlanFileOtherVersion.Template((string path, string madeBy, int? format, string version, int thisFormat) => string.Create(CultureInfo.InvariantCulture, $"{path} was made by whcctl {madeBy} (plan format {(format is { } f ? f.ToString(CultureInfo.InvariantCulture) : "unknown")}); this is whcctl {version} (plan format {thisFormat}). A saved plan is applied by the whcctl version that made it: plan again with this version, or apply it with whcctl {madeBy}"));

    /// <summary>Another build of the same version: the file, its format, its whcctl version (null when not said), this whcctl's format.</summary>
    public static DiagnosticTemplate<string, int, string?, int> PlanFileOtherBuild { get; } =
        PlanFileOtherVersion.Template((string path, int format, string? madeBy, int thisFormat) => string.Create(CultureInfo.InvariantCulture, $"{path} is a plan of format {format}, made by another build of whcctl {madeBy ?? "(unknown)"}; this whcctl reads plan format {thisFormat}: plan again with this version"));
}
