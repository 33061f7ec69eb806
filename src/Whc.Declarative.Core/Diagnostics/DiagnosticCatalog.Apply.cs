namespace Whc.Declarative.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StalePlan { get; } = Error("WHC4050", "the saved plan no longer matches state or BT");

    public static DiagnosticDescriptor StepFailed { get; } = Error("WHC4051", "an apply step failed");

    public static DiagnosticDescriptor SettleFailed { get; } = Warning("WHC4052", "the final read of BT after apply failed");

    public static DiagnosticDescriptor DestroyNotAllowed { get; } = Error("WHC4053", "the plan ceases resources and --allow-destroy was not given");

    public static DiagnosticDescriptor ApprovalRequired { get; } = Error("WHC4054", "apply needs approval: --auto-approve outside a terminal");

    public static DiagnosticDescriptor ApplyCancelled { get; } = Error("WHC4055", "apply was cancelled by the user");

    public static DiagnosticDescriptor LocalFileFailed { get; } = Error("WHC4056", "a local file could not be read or written");

    public static DiagnosticDescriptor PlanFileInvalid { get; } = Error("WHC4057", "the file is not a usable saved plan");

    public static DiagnosticDescriptor PlanFileOtherVersion { get; } = Error("WHC4058", "the saved plan was made by another whcctl version");
}
