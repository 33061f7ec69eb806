namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC4030-WHC4039: recordings of the HTTP exchanges with BT (<c>--record</c>) and their replay.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor RecordingNotWritable { get; } =
        Error("WHC4030", "the --record file cannot be written");

    /// <summary>The path as given, and why it is no path.</summary>
    public static DiagnosticTemplate<string, string> RecordingNotAPath { get; } =
        RecordingNotWritable.Template((string path, string why) => $"--record '{path}' is not a file path: {why}");

    /// <summary>The recorder's finding, naming the path as given.</summary>
    public static DiagnosticTemplate<string> RecordingCannotWrite { get; } = RecordingNotWritable.Template((string problem) => $"--record: {problem}");

    public static DiagnosticTemplate<string, string> RecordingWriteFailed { get; } =
        RecordingNotWritable.Template((string path, string why) => $"--record '{path}' could not be written: {why}");

    public static DiagnosticDescriptor RecordingInvalid { get; } =
        Error("WHC4031", "the recording cannot be read, is not a HAR 1.2 file, or asks for a request a replay refuses");

    public static DiagnosticTemplate<string, string> RecordingUnreadable { get; } =
        RecordingInvalid.Template((string file, string why) => $"'{file}' cannot be read: {why}");

    /// <summary>The file and the JSON reader's finding.</summary>
    public static DiagnosticTemplate<string, string> RecordingNotHar { get; } =
        RecordingInvalid.Template((string file, string finding) => $"'{file}' is not a HAR 1.2 recording: {finding}");

    /// <summary>One problem of a replay; on one line, as the problem may quote the recording.</summary>
    public static DiagnosticTemplate<string, string> RecordingNotReplayable { get; } =
        RecordingInvalid.Template((string file, string problem) => Diagnostic.OneLine($"'{file}' cannot be replayed: {problem}"));
}
