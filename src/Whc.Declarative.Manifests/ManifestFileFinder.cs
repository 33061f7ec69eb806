using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests;

/// <summary>A manifest file found on disk: where it is, and the path to show (built from what the user typed).</summary>
internal sealed record ManifestFile(string FullPath, string DisplayPath);

/// <summary>Expands the paths the user gave into manifest files: files as given, directories searched recursively.</summary>
internal static class ManifestFileFinder
{
    public static IReadOnlyList<ManifestFile> Find(IReadOnlyList<string> paths, string workingDirectory, List<Diagnostic> diagnostics)
    {
        var files = new List<ManifestFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var given = paths.Count == 0 ? ["."] : paths;
        foreach (var path in given)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            var display = paths.Count == 0 ? string.Empty : path;
            if (File.Exists(full))
            {
                Add(new ManifestFile(full, path));
            }
            else if (Directory.Exists(full))
            {
                var found = FindInDirectory(full, display);
                if (found.Count == 0)
                {
                    diagnostics.Add(DiagnosticCatalog.NoManifestsFound.At(
                        SourceSpan.FileOnly(display.Length == 0 ? "." : display),
                        "no manifest files (*.yaml, *.yml) in this directory or below it"));
                }

                found.ForEach(Add);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.PathNotFound.At(SourceSpan.FileOnly(path), "no such file or directory"));
            }
        }

        return files;

        void Add(ManifestFile file)
        {
            if (seen.Add(file.FullPath))
            {
                files.Add(file);
            }
        }
    }

    private static List<ManifestFile> FindInDirectory(string directory, string display)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        return [.. Directory.EnumerateFiles(directory, "*", options)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .Select(relative => new ManifestFile(Path.Combine(directory, relative), display.Length == 0 ? relative : Path.Join(display, relative)))];
    }
}
