namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC4030-WHC4039: recordings of the HTTP exchanges with BT (<c>--record</c>) and their replay.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor RecordingNotWritable { get; } =
        Error("WHC4030", "the --record file cannot be written");

    public static DiagnosticDescriptor RecordingInvalid { get; } =
        Error("WHC4031", "the recording cannot be read, is not a HAR 1.2 file, or asks for a request a replay refuses");
}
