namespace Whc.Declarative.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StalePlan { get; } = Error("WHC4050", "the saved plan no longer matches state or BT");

    public static DiagnosticDescriptor StepFailed { get; } = Error("WHC4051", "an apply step failed");

    public static DiagnosticDescriptor SettleFailed { get; } = Warning("WHC4052", "the final read of BT after apply failed");

    /// <summary>The company and BT's failure, as the client words it.</summary>
    public static DiagnosticTemplate<string, string> SettleFailedRead { get; } =
        SettleFailed.Template((string company, string failure) => $"{company}: the final read of BT failed ({failure}); state is correct but may lack ids a later plan will read");

    public static DiagnosticDescriptor DestroyNotAllowed { get; } = Error("WHC4053", "the plan ceases resources and --allow-destroy was not given");

    public static DiagnosticDescriptor ApprovalRequired { get; } = Error("WHC4054", "apply needs approval: --auto-approve outside a terminal");

    public static DiagnosticDescriptor ApplyCancelled { get; } = Error("WHC4055", "apply was cancelled by the user");

    public static DiagnosticTemplate ApplyCancelledByUser { get; } =
        ApplyCancelled.Template("cancelled; state holds every result recorded so far, and the next run continues from there");

    public static DiagnosticDescriptor LocalFileFailed { get; } = Error("WHC4056", "a local file could not be read or written");

    public static DiagnosticDescriptor PlanFileInvalid { get; } = Error("WHC4057", "the file is not a usable saved plan");

    public static DiagnosticDescriptor PlanFileOtherVersion { get; } = Error("WHC4058", "the saved plan was made by another whcctl version");
}
