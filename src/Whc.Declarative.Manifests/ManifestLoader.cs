using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Files;
using Whc.Declarative.Manifests.Schema;
using Whc.Declarative.Manifests.Validation;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests;

/// <summary>One manifest file's text and the path to show in diagnostics (as the user gave it).</summary>
public sealed record ManifestSource(string DisplayPath, string Text);

/// <summary>What <see cref="ManifestLoader.LoadDetailed"/> found: the manifests and the files they were read from.</summary>
public sealed record ManifestLoadResult(ManifestSet Manifests, ImmutableArray<string> Files);

/// <summary>
/// Loads manifests: finds the files, reads them (size, encoding), parses YAML with positions, checks each document
/// against the schema, builds the model and runs the semantic checks. Every problem becomes a diagnostic; nothing throws.
/// </summary>
public static class ManifestLoader
{
    /// <summary>The largest manifest file read (5 MiB); a real manifest is a few kilobytes.</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Loads the manifests at <paramref name="paths"/> (files, or directories searched recursively for *.yaml and *.yml,
    /// in sorted order), as typed by the user and resolved against <paramref name="workingDirectory"/>; no paths means
    /// the working directory. Diagnostics name files by the path the user typed, so they are clickable.
    /// </summary>
    /// <param name="wireNames">The names the contract in effect sends whcctl's characteristics as (none: the built-in contract's).</param>
    public static ManifestSet Load(IReadOnlyList<string> paths, string workingDirectory, WireCharacteristicNames? wireNames = null) =>
        LoadDetailed(paths, workingDirectory, wireNames).Manifests;

    /// <inheritdoc cref="Load"/>
    public static ManifestLoadResult LoadDetailed(IReadOnlyList<string> paths, string workingDirectory, WireCharacteristicNames? wireNames = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var diagnostics = new List<Diagnostic>();
        var files = ManifestFileFinder.Find(paths, workingDirectory, diagnostics);

        // Files are read, parsed and checked in parallel (a large estate has hundreds), each into its own slot, so
        // diagnostics come out exactly as a sequential run would produce them. Parallel.For hands out files as threads
        // free up; PLINQ split a list into fixed ranges, and one thread was left parsing alone at the end.
        var checkedFiles = new CheckedFile[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            var readDiagnostics = new List<Diagnostic>();
            var text = ReadText(files[i], readDiagnostics);
            checkedFiles[i] = CheckFile(files[i].DisplayPath, text, readDiagnostics, wireNames);
        });
        return new ManifestLoadResult(Finish([.. checkedFiles], diagnostics, wireNames), [.. files.Select(f => f.DisplayPath)]);
    }

    /// <summary>Parses one file's text (no file system); for tests and tools.</summary>
    public static ManifestSet Parse(string displayPath, string text) => Parse([new ManifestSource(displayPath, text)]);

    /// <summary>Parses several files' texts together, so cross-file checks (duplicate company keys) apply.</summary>
    public static ManifestSet Parse(IReadOnlyList<ManifestSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return Finish([.. sources.Select(source => CheckFile(source.DisplayPath, source.Text, [], wireNames: null))], []);
    }

    /// <summary>Parses one file's raw bytes: checks size and encoding first, as <see cref="Load"/> does.</summary>
    public static ManifestSet ParseBytes(string displayPath, ReadOnlySpan<byte> content)
    {
        var diagnostics = new List<Diagnostic>();
        string? text = null;
        if (content.Length > MaxFileBytes)
        {
            diagnostics.Add(TooLarge(displayPath, content.Length));
        }
        else
        {
            text = Decode(displayPath, content, diagnostics);
        }

        return Finish([CheckFile(displayPath, text, diagnostics, wireNames: null)], []);
    }

    /// <summary>
    /// One file after parsing, the schema check and each company's own semantic checks: its companies (with the index
    /// of the YAML document each came from, and what <see cref="ManifestValidator.CheckCompany"/> found) and its
    /// diagnostics. The document trees are not kept: they are large, and only a check across companies needs one again,
    /// to point at a field; then the file's text is parsed again.
    /// </summary>
    private sealed record CheckedFile(
        string DisplayPath,
        string? Text,
        List<Diagnostic> ReadDiagnostics,
        List<Diagnostic> SchemaDiagnostics,
        List<CheckedCompany> Companies,
        long AliasCharacters);

    private sealed record CheckedCompany(CompanyManifest Company, int Document, IReadOnlyList<Diagnostic> OwnFindings);

    private static CheckedFile CheckFile(string displayPath, string? text, List<Diagnostic> readDiagnostics, WireCharacteristicNames? wireNames, long runCharactersLeft = YamlTreeReader.MaxAliasCharactersPerRun)
    {
        long aliasCharacters = 0;
        var documents = text is null ? [] : ReadDocuments(displayPath, text, readDiagnostics, runCharactersLeft, out aliasCharacters);
        var schemaDiagnostics = new List<Diagnostic>();
        var companies = new List<CheckedCompany>();
        for (var i = 0; i < documents.Count; i++)
        {
            if (SchemaChecker.Check(documents[i], schemaDiagnostics))
            {
                // A company's own checks run here, on the file's thread, while its tree is at hand to point into.
                var document = documents[i];
                var company = CompanyManifestBuilder.Build(document);
                var findings = ManifestValidator.CheckCompany(company, (_, pointer) => document.Resolve(pointer)?.Span, wireNames);
                companies.Add(new CheckedCompany(company, i, findings));
            }
        }

        return new CheckedFile(displayPath, text, readDiagnostics, schemaDiagnostics, companies, aliasCharacters);
    }

    /// <summary>
    /// Files are read in parallel, each within its own alias budget; the run's budget is then spent in file order, and
    /// the file that passes it is read again with what was left, so the refusal points at the alias that passed it.
    /// </summary>
    private static void SpendRunAliasBudget(List<CheckedFile> files, WireCharacteristicNames? wireNames)
    {
        long spent = 0;
        for (var i = 0; i < files.Count; i++)
        {
            if (spent + files[i].AliasCharacters > YamlTreeReader.MaxAliasCharactersPerRun)
            {
                files[i] = CheckFile(files[i].DisplayPath, files[i].Text, [], wireNames, YamlTreeReader.MaxAliasCharactersPerRun - spent);
                return; // one refusal is enough: the run is refused as a whole
            }

            spent += files[i].AliasCharacters;
        }
    }

    private static ManifestSet Finish(List<CheckedFile> files, List<Diagnostic> diagnostics, WireCharacteristicNames? wireNames = null)
    {
        SpendRunAliasBudget(files, wireNames);

        // Read and syntax problems of every file first, then schema problems, in file and document order.
        diagnostics.AddRange(files.SelectMany(f => f.ReadDiagnostics));
        diagnostics.AddRange(files.SelectMany(f => f.SchemaDiagnostics));

        var companies = files.SelectMany(f => f.Companies.Select(c => c.Company)).ToList();
        var ownFindings = files.SelectMany(f => f.Companies.Select(c => c.OwnFindings)).ToList();
        var origin = new Dictionary<CompanyManifest, (CheckedFile File, int Document)>(ReferenceEqualityComparer.Instance);
        foreach (var file in files)
        {
            foreach (var checkedCompany in file.Companies)
            {
                origin[checkedCompany.Company] = (file, checkedCompany.Document);
            }
        }

        var reparsed = new Dictionary<string, IReadOnlyList<YamlDocumentTree>>(StringComparer.Ordinal);
        YamlDocumentTree? TreeOf(CompanyManifest company)
        {
            if (!origin.TryGetValue(company, out var at) || at.File.Text is null)
            {
                return null;
            }

            if (!reparsed.TryGetValue(at.File.DisplayPath, out var documents))
            {
                documents = YamlTreeReader.Read(at.File.DisplayPath, at.File.Text, []);
                reparsed[at.File.DisplayPath] = documents;
            }

            return at.Document < documents.Count ? documents[at.Document] : null;
        }

        var semantic = ManifestValidator.Validate(companies, (company, pointer) =>
            TreeOf(company) is { } tree && tree.Resolve(pointer) is { } token ? token.Span : null, wireNames, ownFindings);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            order.TryAdd(file.DisplayPath, order.Count);
        }

        diagnostics.AddRange(semantic
            .OrderBy(d => order.TryGetValue(d.Span.File, out var index) ? index : int.MaxValue)
            .ThenBy(d => d.Span.Line)
            .ThenBy(d => d.Span.Column));

        if (companies.Count == 0 && !diagnostics.Any(d => d.IsError))
        {
            // As kubectl's "no objects passed": an empty or truncated manifest must not pass as "valid, nothing to do".
            diagnostics.Add(DiagnosticCatalog.NoCompanyFoundInManifests.At(
                files.Count == 1 ? SourceSpan.FileOnly(files[0].DisplayPath) : SourceSpan.None));
        }

        // Only companies without errors of their own go on to plan/apply; a set with errors is refused as a whole anyway.
        return new ManifestSet([.. companies], [.. diagnostics]);
    }

    /// <summary>
    /// One file's text, or null with the reason among <paramref name="diagnostics"/>. The bytes go through a pooled
    /// buffer sized to the file (a plan reads hundreds of small files: a fixed chunk each was most of what reading cost);
    /// a file that holds more than it reported is read on as before, bounded by <see cref="MaxFileBytes"/>.
    /// </summary>
    internal static string? ReadText(ManifestFile file, List<Diagnostic> diagnostics)
    {
        try
        {
            // The finder has told this is a regular file, so opening it cannot block as a FIFO's would.
            using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            if (FileKinds.Of(stream.SafeFileHandle) is var opened and not FileKind.Regular)
            {
                // Swapped for a device since the finder looked: what was opened is what counts.
                diagnostics.Add(DiagnosticCatalog.NotRegularFileKind.At(SourceSpan.FileOnly(file.DisplayPath), FileKinds.Describe(opened)));
                return null;
            }

            var length = stream.Length;
            if (length > MaxFileBytes)
            {
                diagnostics.Add(TooLarge(file.DisplayPath, length));
                return null;
            }

            if (length <= 0)
            {
                // Nothing reported (as /proc files do, some of which refuse reads of odd sizes): whole chunks, as always.
                return ReadBounded(stream, file.DisplayPath, diagnostics) is { } all ? Decode(file.DisplayPath, all, diagnostics) : null;
            }

            // One byte more than reported: a read that fills it means the file grew.
            var limit = (int)length + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(limit);
            try
            {
                var total = 0;
                while (total < limit && stream.Read(buffer, total, limit - total) is var count and > 0)
                {
                    total += count;
                }

                if (total < limit)
                {
                    return Decode(file.DisplayPath, buffer.AsSpan(0, total), diagnostics);
                }

                if (ReadBounded(stream, file.DisplayPath, diagnostics, MaxFileBytes - total) is not { } rest)
                {
                    return null;
                }

                var whole = new byte[total + rest.Length];
                buffer.AsSpan(0, total).CopyTo(whole);
                rest.CopyTo(whole.AsSpan(total));
                return Decode(file.DisplayPath, whole, diagnostics);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadableWhileReading.At(SourceSpan.FileOnly(file.DisplayPath), exception.Message));
            return null;
        }
    }

    /// <summary>
    /// Reads at most one chunk past <see cref="MaxFileBytes"/>, whatever size the file system reported (/proc reports 0,
    /// a file may grow while it is read), so memory stays bounded.
    /// </summary>
    internal static byte[]? ReadBounded(Stream stream, string displayPath, List<Diagnostic> diagnostics, long maxBytes = MaxFileBytes)
    {
        if (GuardedFile.ReadBounded(stream, maxBytes) is { } bytes)
        {
            return bytes;
        }

        diagnostics.Add(DiagnosticCatalog.FileTooLargeWhileReading.At(SourceSpan.FileOnly(displayPath), MaxFileBytes / (1024 * 1024)));
        return null;
    }

    private static Diagnostic TooLarge(string displayPath, long length) =>
        DiagnosticCatalog.FileTooLargeBySize.At(SourceSpan.FileOnly(displayPath), length / (1024.0 * 1024.0), MaxFileBytes / (1024 * 1024));

    private static IReadOnlyList<YamlDocumentTree> ReadDocuments(string displayPath, string text, List<Diagnostic> diagnostics, long runCharactersLeft, out long aliasCharacters)
    {
        aliasCharacters = 0;
        if (text.Length > MaxFileBytes)
        {
            diagnostics.Add(TooLarge(displayPath, text.Length));
            return [];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            diagnostics.Add(DiagnosticCatalog.EmptyFileNoText.At(SourceSpan.FileOnly(displayPath)));
            return [];
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.NotUtf8TextNulCharacters.At(SourceSpan.FileOnly(displayPath)));
            return [];
        }

        var found = diagnostics.Count;
        var documents = YamlTreeReader.Read(displayPath, text, diagnostics, runCharactersLeft, out aliasCharacters);
        if (documents.Count == 0 && diagnostics.Count == found)
        {
            diagnostics.Add(DiagnosticCatalog.EmptyFileOnlyComments.At(SourceSpan.FileOnly(displayPath)));
        }

        return documents;
    }

    private static string? Decode(string displayPath, ReadOnlySpan<byte> bytes, List<Diagnostic> diagnostics)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            diagnostics.Add(DiagnosticCatalog.NotUtf8TextUtf16.At(SourceSpan.FileOnly(displayPath)));
            return null;
        }

        if (bytes.IndexOf((byte)0) is var nul and >= 0)
        {
            diagnostics.Add(DiagnosticCatalog.NotUtf8TextNulBytes.At(At(displayPath, bytes, nul)));
            return null;
        }

        var utf8Bom = (ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(utf8Bom))
        {
            bytes = bytes[utf8Bom.Length..];
        }

        // The vectorised check passes valid text in one sweep; only invalid text is walked to find where it breaks.
        var offset = System.Text.Unicode.Utf8.IsValid(bytes) ? bytes.Length : 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                diagnostics.Add(DiagnosticCatalog.NotUtf8TextInvalid.At(At(displayPath, bytes, offset)));
                return null;
            }

            offset += consumed;
        }

        return StrictUtf8.GetString(bytes);
    }

    /// <summary>The 1-based line and column (in bytes) of a byte offset.</summary>
    private static SourceSpan At(string displayPath, ReadOnlySpan<byte> bytes, int offset)
    {
        var before = bytes[..offset];
        var line = before.Count((byte)'\n') + 1;
        var column = offset - before.LastIndexOf((byte)'\n');
        return new SourceSpan(displayPath, line, column);
    }
}
