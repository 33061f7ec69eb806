using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Files;

namespace Whc.Declarative.Manifests;

/// <summary>A manifest file found on disk: where it is, and the path to show (built from what the user typed).</summary>
internal sealed record ManifestFile(string FullPath, string DisplayPath);

/// <summary>
/// Expands the paths the user gave into manifest files: files as given, directories searched recursively. Only regular
/// files are read, their kind told before anything is opened. The walk follows no directory link (no loop can trap it,
/// nothing outside the tree is listed) and follows a file link only to a file inside the directory it was given: a
/// manifest directory from a pull request cannot make whcctl read, and quote in diagnostics, any file on the machine.
/// Paths the user typed are theirs: their links are followed.
/// </summary>
internal static class ManifestFileFinder
{
    private const int MaxLinkHops = 40; // as Linux's ELOOP

    private static readonly EnumerationOptions ListOptions = new() { IgnoreInaccessible = false, AttributesToSkip = 0, MatchCasing = MatchCasing.CaseSensitive };

    /// <param name="list">Lists a directory; a test stands in for a directory that cannot be read.</param>
    public static IReadOnlyList<ManifestFile> Find(
        IReadOnlyList<string> paths,
        string workingDirectory,
        List<Diagnostic> diagnostics,
        Func<DirectoryInfo, IEnumerable<FileSystemInfo>>? list = null)
    {
        list ??= static directory => directory.EnumerateFileSystemInfos("*", ListOptions);
        var files = new List<ManifestFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var given = paths.Count == 0 ? ["."] : paths;
        foreach (var path in given)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            var display = paths.Count == 0 ? string.Empty : path;
            var (kind, error) = FileKinds.Of(full, followLinks: true);
            switch (kind)
            {
                case FileKind.Regular:
                    Add(new ManifestFile(full, path), RealPath(full) ?? full);
                    break;
                case FileKind.Directory:
                    var reported = diagnostics.Count;
                    var found = FindInDirectory(full, display, diagnostics, list);
                    if (found.Count == 0 && diagnostics.Count == reported)
                    {
                        diagnostics.Add(DiagnosticCatalog.NoManifestsFoundInDirectory.At(SourceSpan.FileOnly(display.Length == 0 ? "." : display)));
                    }

                    found.ForEach(f => Add(f.File, f.Key));
                    break;
                case FileKind.Missing:
                    diagnostics.Add(DiagnosticCatalog.PathNotFoundOnDisk.At(SourceSpan.FileOnly(path)));
                    break;
                case FileKind.Unreadable:
                    diagnostics.Add(DiagnosticCatalog.FileUnreadablePath.At(SourceSpan.FileOnly(path), error));
                    break;
                default:
                    diagnostics.Add(NotRegular(path, kind));
                    break;
            }
        }

        return files;

        void Add(ManifestFile file, string key)
        {
            if (seen.Add(key))
            {
                files.Add(file);
            }
        }
    }

    private static List<(ManifestFile File, string Key)> FindInDirectory(
        string root,
        string display,
        List<Diagnostic> diagnostics,
        Func<DirectoryInfo, IEnumerable<FileSystemInfo>> list)
    {
        var rootReal = RealPath(root) ?? root;
        var candidates = new List<(string Relative, string Key, bool Link)>();
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.TryPop(out var relative))
        {
            List<FileSystemInfo> entries;
            try
            {
                entries = [.. list(new DirectoryInfo(Path.Join(root, relative))).OrderBy(e => e.Name, StringComparer.Ordinal)];
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                var reason = exception is UnauthorizedAccessException ? "permission denied" : exception.Message;
                diagnostics.Add(DiagnosticCatalog.DirectoryUnreadableInWalk.At(SourceSpan.FileOnly(Shown(display, relative)), reason));
                continue;
            }

            var subdirectories = new List<string>();
            foreach (var entry in entries)
            {
                if (entry.Name.StartsWith('.') || (entry.Attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0)
                {
                    continue; // .git and the like, as before
                }

                var path = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
                var (kind, error) = FileKinds.Of(entry.FullName, followLinks: false);
                if (kind == FileKind.Directory)
                {
                    subdirectories.Add(path);
                }
                else if (kind == FileKind.SymbolicLink)
                {
                    if (FollowLink(entry, rootReal, Shown(display, string.Empty), Shown(display, path), diagnostics) is { } real)
                    {
                        candidates.Add((path, real, true));
                    }
                }
                else if (IsManifestName(entry.Name))
                {
                    switch (kind)
                    {
                        case FileKind.Regular:
                            candidates.Add((path, Path.Join(rootReal, path), false));
                            break;
                        case FileKind.Missing:
                            break; // removed since the listing
                        case FileKind.Unreadable:
                            diagnostics.Add(DiagnosticCatalog.FileUnreadablePath.At(SourceSpan.FileOnly(Shown(display, path)), error));
                            break;
                        default:
                            diagnostics.Add(NotRegular(Shown(display, path), kind));
                            break;
                    }
                }
            }

            subdirectories.Reverse();
            subdirectories.ForEach(pending.Push);
        }

        // A file reached both as itself and through a link is read once, under its own name.
        return [.. candidates
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(c => c.Link).First())
            .OrderBy(c => c.Relative, StringComparer.Ordinal)
            .Select(c => (new ManifestFile(Path.Join(root, c.Relative), Shown(display, c.Relative)), c.Key))];
    }

    /// <summary>The real path of the manifest a link in the walk leads to, or null (with a diagnostic) when it is not read.</summary>
    private static string? FollowLink(FileSystemInfo link, string rootReal, string rootShown, string shown, List<Diagnostic> diagnostics)
    {
        var (target, error) = FileKinds.Of(link.FullName, followLinks: true);
        if (target == FileKind.Directory)
        {
            diagnostics.Add(DiagnosticCatalog.DirectoryLinkNotFollowedInWalk.At(SourceSpan.FileOnly(shown)));
            return null;
        }

        if (!IsManifestName(link.Name))
        {
            return null;
        }

        if (target is FileKind.Missing or FileKind.Unreadable)
        {
            diagnostics.Add(target == FileKind.Missing
                ? DiagnosticCatalog.FileUnreadableDanglingLink.At(SourceSpan.FileOnly(shown), link.LinkTarget)
                : DiagnosticCatalog.FileUnreadableLink.At(SourceSpan.FileOnly(shown), error));
            return null;
        }

        var real = RealPath(link.FullName);
        if (real is null || !real.StartsWith(Path.EndsInDirectorySeparator(rootReal) ? rootReal : rootReal + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.LinkOutsideDirectoryTarget.At(SourceSpan.FileOnly(shown), real ?? link.LinkTarget, rootShown));
            return null;
        }

        if (target != FileKind.Regular)
        {
            diagnostics.Add(NotRegular(shown, target));
            return null;
        }

        return real;
    }

    /// <summary>
    /// The path with every link resolved, as realpath(3) makes it, or null for a loop or an unreadable link. Checking a
    /// link's target by its text alone would let a link lead out through a directory link inside the tree.
    /// </summary>
    internal static string? RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var remaining = new Stack<string>(Parts(fullPath[root.Length..]).Reverse());
        var current = root;
        var hops = 0;
        while (remaining.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? current;
                target = target[current.Length..];
            }

            foreach (var targetPart in Parts(target).Reverse())
            {
                remaining.Push(targetPart);
            }
        }

        return current;

        static IEnumerable<string> Parts(string path) =>
            path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
    }

    private static Diagnostic NotRegular(string shown, FileKind kind) =>
        DiagnosticCatalog.NotRegularFileKind.At(SourceSpan.FileOnly(shown), FileKinds.Describe(kind));

    private static bool IsManifestName(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static string Shown(string display, string relative) =>
        relative.Length == 0 ? (display.Length == 0 ? "." : display)
        : display.Length == 0 ? relative
        : Path.Join(display, relative);
}
