namespace Whc.Declarative.Core.Diagnostics;

/// <summary>
/// WHC6xxx: the command line itself, apart from any plan, apply or state. These codes sat in the plan range until
/// issue 26 (WHC3017, WHC3018); the old codes stay as aliases, so <see cref="DiagnosticCatalog.Find"/> and the README
/// still know them.
/// </summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor UsageInvalid { get; } = Error("WHC6001", "invalid command line: unknown option or command, bad option value, missing argument", formerly: "WHC3017");

    public static DiagnosticTemplate<string> UsageInvalidCug { get; } = UsageInvalid.Template((string cug) => $"--cug '{cug}' is not a CUG id (CUG and 10 digits)");

    public static DiagnosticDescriptor InternalError { get; } = Error("WHC6002", "internal error (a bug in whcctl): WHC_DEBUG=1 shows where", formerly: "WHC3018");

    /// <summary>An exception no handler expected: its type's name and its message (the stack only with WHC_DEBUG=1).</summary>
    public static DiagnosticTemplate<string, string> InternalErrorUnexpected { get; } = InternalError.Template((string type, string message) => $"{type}: {message}");
}
