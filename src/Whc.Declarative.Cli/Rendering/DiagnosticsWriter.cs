using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>Diagnostics on stderr, one editor- and CI-friendly line each: <c>path(line,col): error WHC2003: message</c>.</summary>
public static class DiagnosticsWriter
{
    public static void Write(TextWriter error, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }
    }
}
