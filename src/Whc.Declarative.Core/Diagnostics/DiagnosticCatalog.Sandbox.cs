namespace Whc.Declarative.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor SandboxDataDirectoryLocked { get; } = Error("WHC4090", "the sandbox's data directory is in use by another process");

    public static DiagnosticDescriptor SandboxStartFailed { get; } = Error("WHC4091", "the sandbox could not start");
}
