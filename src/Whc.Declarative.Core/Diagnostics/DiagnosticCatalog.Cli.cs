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

    /// <summary>A word where a command was expected (the token, the command it follows, the closest commands or none).</summary>
    public static DiagnosticTemplate<string, string, IReadOnlyList<string>> UsageUnknownCommand { get; } =
        UsageInvalid.Template((string token, string command, IReadOnlyList<string> closest) => closest.Count > 0
            ? $"unknown command '{token}' for '{command}'; did you mean {Alternatives(closest)}?"
            : $"unknown command '{token}' for '{command}'; '{command} --help' lists its commands");

    /// <summary>A token that looks like an option and names none of the command's (and the closest, or none).</summary>
    public static DiagnosticTemplate<string, string, IReadOnlyList<string>> UsageUnknownOption { get; } =
        UsageInvalid.Template((string token, string command, IReadOnlyList<string> closest) => closest.Count > 0
            ? $"unknown option '{token}' for '{command}'; did you mean {Alternatives(closest)}?"
            : $"unknown option '{token}' for '{command}' (a path that starts with '-' is written ./{token})");

    /// <summary>A command that only groups others (<c>whcctl state</c>) given alone: its path and its commands.</summary>
    public static DiagnosticTemplate<string, IReadOnlyList<string>> UsageMissingCommand { get; } =
        UsageInvalid.Template((string command, IReadOnlyList<string> commands) => $"'{command}' needs a command: {string.Join(", ", commands)}");

    /// <summary>A word given to a command that takes no arguments.</summary>
    public static DiagnosticTemplate<string, string> UsageUnexpectedArgument { get; } =
        UsageInvalid.Template((string token, string command) => $"'{command}' takes no argument '{token}'");

    /// <summary>A switch given a value (<c>--refresh=maybe</c>) that is not a boolean.</summary>
    public static DiagnosticTemplate<string, string> UsageBoolValue { get; } =
        UsageInvalid.Template((string option, string value) => $"{option} takes true or false (or nothing), not '{value}'");

    private static string Alternatives(IReadOnlyList<string> names) => string.Join(" or ", names.Select(n => $"'{n}'"));

    public static DiagnosticDescriptor InternalError { get; } = Error("WHC6002", "internal error (a bug in whcctl): WHC_DEBUG=1 shows where", formerly: "WHC3018");

    /// <summary>An exception no handler expected: its type's name and its message (the stack only with WHC_DEBUG=1).</summary>
    public static DiagnosticTemplate<string, string> InternalErrorUnexpected { get; } = InternalError.Template((string type, string message) => $"{type}: {message}");
}
