namespace Whc.Declarative.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor SandboxDataDirectoryLocked { get; } = Error("WHC4090", "the sandbox's data directory is in use by another process");

    /// <summary>
    /// The embedded sandbox of a command, held by another whcctl command in the same folder: the directory, how long
    /// this one waited, as the user wrote it (null: it did not), and whether the command has <c>--lock-timeout</c> to wait with.
    /// </summary>
    public static DiagnosticTemplate<string, string?, bool> EmbeddedSandboxInUse { get; } =
        SandboxDataDirectoryLocked.Template((string directory, string? waited, bool canWait) =>
            (waited is not null
                ? $"the embedded sandbox ({directory}) is still in use by another whcctl command in this folder after waiting --lock-timeout {waited}"
                : $"the embedded sandbox ({directory}) is in use by another whcctl command in this folder")
            + (!canWait ? "; run again when that command ends"
                : waited is null ? "; wait for it with --lock-timeout (e.g. --lock-timeout 10m), or run again when that command ends"
                : "; wait longer with a larger --lock-timeout, or run again when that command ends"));

    public static DiagnosticDescriptor SandboxStartFailed { get; } = Error("WHC4091", "the sandbox could not start");
}
