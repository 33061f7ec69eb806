using System.Runtime.CompilerServices;

namespace Whc.Declarative.Manifests.Tests;

internal static class TestPaths
{
    /// <summary>This test project's source directory (baselines are read from and written to it, not the output).</summary>
    public static string ProjectDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetDirectoryName(thisFile) ?? throw new InvalidOperationException("no caller file path");

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(ProjectDirectory(), "..", ".."));

    public static string CorpusDirectory => Path.Combine(ProjectDirectory(), "Corpus");
}
