using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Whc.Declarative.Manifests.Yaml;

/// <summary>
/// Reads YAML text into one <see cref="YamlDocumentTree"/> per document, from the parser's event stream so that nothing
/// is expanded behind our back: aliases and merge keys are expanded here within a budget (an alias bomb stops the file),
/// duplicate keys and tab indentation are reported, nesting is capped. Scalars are typed as in YAML 1.2's core schema
/// (plain true/false, integers, floats, null).
/// </summary>
internal static partial class YamlTreeReader
{
    /// <summary>The deepest nesting accepted; a real manifest needs fewer than ten levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The most nodes aliases and merge keys may add to one file (each adds a copy of what it names); sharing defaults
    /// across thousands of users needs tens of thousands, a "billion laughs" bomb billions.
    /// </summary>
    public const int MaxAliasNodes = 100_000;

    /// <summary>
    /// The fewest characters aliases and merge keys may add to one file (all its documents together); a larger file may
    /// add as many characters as it holds, so a file never reads as more than about twice what it could have written out.
    /// </summary>
    public const long MinAliasCharactersPerFile = 1024 * 1024;

    /// <summary>
    /// The most characters aliases and merge keys may add over one run (every file of a <c>validate</c> or <c>plan</c>):
    /// what is read is printed again by the plan, so this bounds its output and memory.
    /// </summary>
    public const long MaxAliasCharactersPerRun = 16 * 1024 * 1024;

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>The largest event list kept for the next file (a manifest of hundreds of users needs a few thousand).</summary>
    private const int MaxKeptEvents = 1 << 16;

    /// <summary>The fast path's events, one list per thread reused file after file (files are read in parallel).</summary>
    [ThreadStatic]
    private static List<YamlEvent>? scannedEvents;

    public static IReadOnlyList<YamlDocumentTree> Read(string file, string text, List<Diagnostic> diagnostics) =>
        Read(file, text, diagnostics, MaxAliasCharactersPerRun, out _);

    /// <summary>
    /// Reads one file whose aliases may add at most <paramref name="runCharactersLeft"/> characters (what the run's
    /// budget has left) besides the file's own budget; <paramref name="aliasCharacters"/> is how many they added.
    /// </summary>
    public static IReadOnlyList<YamlDocumentTree> Read(string file, string text, List<Diagnostic> diagnostics, long runCharactersLeft, out long aliasCharacters)
    {
        aliasCharacters = 0;
        var documents = new List<YamlDocumentTree>();
        var builder = new DocumentBuilder(file, text, diagnostics, runCharactersLeft);
        var scanned = scannedEvents ??= [];
        try
        {
            if (ManifestYamlScanner.TryScan(text, scanned))
            {
                // The plain YAML manifests are written in: the same events YamlDotNet would give, read far faster (and
                // with no tab in the text, so no tab indentation to report).
                foreach (ref readonly var parsingEvent in CollectionsMarshal.AsSpan(scanned))
                {
                    if (builder.Accept(parsingEvent) is { } document)
                    {
                        documents.Add(document);
                    }

                    if (builder.GaveUp)
                    {
                        break;
                    }
                }

                aliasCharacters = builder.CopiedCharacters;
                return documents;
            }
        }
        finally
        {
            scanned.Clear();
            if (scanned.Capacity > MaxKeptEvents)
            {
                scannedEvents = null; // a huge file's list is not kept for the rest of the run
            }
        }

        if (ReportTabIndentation(file, text, diagnostics))
        {
            return [];
        }

        var parser = new Parser(new StringReader(text));
        // Where the last good event ended, made into a position only if the file turns out malformed (most are not).
        Mark? lastGood = null;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is not { } current)
                {
                    continue;
                }

                lastGood = current.End;
                if (builder.Accept(YamlEvent.From(current)) is { } document)
                {
                    documents.Add(document);
                }

                if (builder.GaveUp)
                {
                    // Hostile input: stop reading the file rather than scan the rest of it.
                    break;
                }
            }
        }
        catch (YamlException exception)
        {
            diagnostics.Add(DescribeSyntaxError(SpanOf(file, exception.Start), exception));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (e.g. an unclosed flow sequence); it has no position.
            diagnostics.Add(DiagnosticCatalog.YamlSyntaxAfterHere.At(lastGood is { } end ? SpanOf(file, end) : new SourceSpan(file, 1, 1)));
        }

        aliasCharacters = builder.CopiedCharacters;
        return documents;
    }

    private static bool ReportTabIndentation(string file, string text, List<Diagnostic> diagnostics)
    {
        var found = 0;
        var lineNumber = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var indentation = line.Length - line.TrimStart(" \t").Length;
            var tab = line[..indentation].IndexOf('\t');
            if (tab < 0)
            {
                continue;
            }

            diagnostics.Add(DiagnosticCatalog.TabIndentationUsed.At(new SourceSpan(file, lineNumber, tab + 1)));
            if (++found == 10)
            {
                break;
            }
        }

        return found > 0;
    }

    private static Diagnostic DescribeSyntaxError(SourceSpan span, YamlException exception)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: ..) - (...): "; the position is in our span already.
        var message = PositionPrefix().Replace(exception.Message, string.Empty).Trim();
        return message.Length == 0 ? DiagnosticCatalog.YamlSyntaxUnparsable.At(span) : DiagnosticCatalog.YamlSyntaxFinding.At(span, message);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();

    [GeneratedRegex("^[-+]?[0-9]+\\z")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatPattern();

    internal static SourceSpan SpanOf(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    /// <summary>
    /// The core schema tag a node carries (<c>str</c>, <c>int</c>, ...), empty when it has none or the non-specific
    /// <c>!</c>; null when the tag is outside the core schema.
    /// </summary>
    private static string? CoreTagOf(TagName tag)
    {
        if (tag.IsEmpty || tag.Value == "!")
        {
            return string.Empty;
        }

        var name = tag.Value.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? tag.Value[CoreTagPrefix.Length..] : null;
        return name is "str" or "int" or "float" or "bool" or "null" or "map" or "seq" ? name : null;
    }

    /// <summary>A tag as it is usually written: <c>!!binary</c>, <c>!custom</c>, <c>!&lt;tag:example.com,2000:x&gt;</c>.</summary>
    private static string Describe(TagName tag)
    {
        var text = tag.Value.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? $"!!{tag.Value[CoreTagPrefix.Length..]}"
            : tag.Value.StartsWith('!') ? tag.Value
            : $"!<{tag.Value}>";
        return text.Length <= 64 ? text : $"{text[..61]}...";
    }

    /// <summary>
    /// Types a scalar as YAML 1.2's core schema does: by its tag when it has one (<c>!!int "10"</c> is 10), else a plain
    /// scalar by its text. Null when the tag does not fit the text (<c>!!int ten</c>).
    /// </summary>
    private static YamlScalar? ConvertScalar(in YamlEvent scalar, string tag, SourceSpan span)
    {
        var value = scalar.Value;
        switch (tag)
        {
            case "str":
                return YamlScalar.String(span, value);
            case "null":
                return value is "" or "~" or "null" or "Null" or "NULL" ? YamlScalar.Null(span, value) : null;
            case "bool":
                return value is "true" or "True" or "TRUE" ? YamlScalar.Bool(span, value, true) : value is "false" or "False" or "FALSE" ? YamlScalar.Bool(span, value, false) : null;
            case "int":
                return IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var tagged) ? YamlScalar.Int(span, value, tagged) : null;
            case "float":
                return FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? YamlScalar.Float(span, value, real) : null;
            case "map" or "seq":
                return null;
        }

        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return YamlScalar.String(span, value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return YamlScalar.Null(span, value, typedPlain: true);
            case "true" or "True" or "TRUE":
                return YamlScalar.Bool(span, value, true, typedPlain: true);
            case "false" or "False" or "FALSE":
                return YamlScalar.Bool(span, value, false, typedPlain: true);
        }

        // Only text that starts like a number can be one; most plain scalars are names.
        if (value[0] is not (>= '0' and <= '9') and not '-' and not '+' and not '.')
        {
            return YamlScalar.String(span, value);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return YamlScalar.Int(span, value, integer, typedPlain: true);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return YamlScalar.Float(span, value, number, typedPlain: true);
        }

        return YamlScalar.String(span, value);
    }

    /// <summary>
    /// Turns the event stream of one file into trees, straight from the parser's events; keeps its own explicit stack
    /// (no recursion). A node is made when it ends, and never changes after: an alias stands for its anchored node itself
    /// (shared, not copied) and a merge key (<c>&lt;&lt;</c>) adds the merged mappings' entries, so what came through an
    /// alias keeps the positions of the text it names. What aliases and merge keys add is budgeted per file, in nodes
    /// (<see cref="MaxAliasNodes"/>) and in the characters of their keys and scalars (the larger of the file's size and
    /// <see cref="MinAliasCharactersPerFile"/>, and what the run has left), as if copied, so an alias bomb, or one huge
    /// scalar aliased many times, stops the file.
    /// </summary>
    private sealed class DocumentBuilder(string file, string text, List<Diagnostic> diagnostics, long runCharactersLeft)
    {
        private const string MergeKey = "<<";

        private readonly Stack<Frame> stack = new();
        private Dictionary<YamlScalar, UnsafeText> unsafeByValue = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<YamlNode, Size> sizes = new(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// A merge key was read in this document. Only then, or once it has an anchor, can a mapping ending now be merged
        /// later (merged nodes come after their merge key or inside an anchored node), so only then is its size kept.
        /// </summary>
        private bool mergeKeySeen;

        /// <summary>Entry and item lists of ended collections, for the next ones (a node keeps a copy, not the list).</summary>
        private readonly Stack<List<YamlEntry>> freeEntryLists = new();
        private readonly Stack<List<YamlNode>> freeItemLists = new();
        private readonly Stack<Frame> freeFrames = new();
        private readonly Dictionary<string, Anchored?> anchors = new(StringComparer.Ordinal);
        private YamlNode? root;
        private SourceSpan documentStart = SourceSpan.FileOnly(file);
        private bool failed;
        private int skipping;
        private long produced;
        private long producedCharacters;
        private long copied;

        /// <summary>How many characters aliases and merge keys added to the file (its documents together).</summary>
        public long CopiedCharacters { get; private set; }

        private long FileCharacterBudget => Math.Max(MinAliasCharactersPerFile, text.Length);

        /// <summary>The file is hostile (nested too deep, an alias bomb): the rest of it is not read.</summary>
        public bool GaveUp { get; private set; }

        public YamlDocumentTree? Accept(in YamlEvent parsingEvent)
        {
            if (skipping > 0)
            {
                Skip(parsingEvent.Kind);
                return null;
            }

            switch (parsingEvent.Kind)
            {
                case YamlEventKind.DocumentStart:
                    // Anchors belong to their document (YAML 1.2, 3.2.2.2): an alias cannot reach into another one.
                    stack.Clear();
                    if (unsafeByValue.Count > 0)
                    {
                        unsafeByValue = new(ReferenceEqualityComparer.Instance);
                    }

                    sizes.Clear();
                    mergeKeySeen = false;
                    anchors.Clear();
                    root = null;
                    failed = false;
                    documentStart = SpanOf(file, parsingEvent.Start);
                    return null;
                case YamlEventKind.DocumentEnd:
                    return Finish();
                case YamlEventKind.Scalar:
                    OnScalar(parsingEvent);
                    return null;
                case YamlEventKind.Alias:
                    OnAlias(parsingEvent);
                    return null;
                case YamlEventKind.MappingStart:
                    OnContainerStart(parsingEvent.Start, parsingEvent.Tag, parsingEvent.Anchor, "map");
                    return null;
                case YamlEventKind.SequenceStart:
                    OnContainerStart(parsingEvent.Start, parsingEvent.Tag, parsingEvent.Anchor, "seq");
                    return null;
                case YamlEventKind.MappingEnd or YamlEventKind.SequenceEnd:
                    OnContainerEnd();
                    return null;
                default:
                    return null;
            }
        }

        private void Skip(YamlEventKind kind)
        {
            switch (kind)
            {
                case YamlEventKind.MappingStart or YamlEventKind.SequenceStart:
                    skipping++;
                    break;
                case YamlEventKind.MappingEnd or YamlEventKind.SequenceEnd:
                    skipping--;
                    break;
            }
        }

        private void Fail(Diagnostic diagnostic)
        {
            failed = true;
            diagnostics.Add(diagnostic);
        }

        private YamlDocumentTree? Finish()
        {
            if (root is null || failed)
            {
                return null;
            }

            if (root is not YamlMapping mapping)
            {
                diagnostics.Add(DiagnosticCatalog.DocumentNotMappingManifest.At(root.Span));
                return null;
            }

            // Text only in an anchored merge source, or overridden by an explicit key, is not in the document: the
            // places are found in the finished tree (rarely: only when some value holds such a character).
            var unsafeText = new List<UnsafeTextValue>();
            if (unsafeByValue.Count > 0)
            {
                CollectUnsafe(mapping, YamlPath.Root, isEntryValue: false, unsafeText);
            }

            return new YamlDocumentTree(file, mapping, documentStart, unsafeText);
        }

        private void CollectUnsafe(YamlNode node, YamlPath path, bool isEntryValue, List<UnsafeTextValue> found)
        {
            switch (node)
            {
                case YamlMapping mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        CollectUnsafe(entry.Value, path.Key(entry.Key), isEntryValue: true, found);
                    }

                    break;
                case YamlSequence list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        CollectUnsafe(list.Items[i], path.Index(i), isEntryValue: false, found);
                    }

                    break;
                case YamlScalar scalar when unsafeByValue.TryGetValue(scalar, out var unsafeText):
                    found.Add(new UnsafeTextValue(path, isEntryValue, unsafeText));
                    break;
            }
        }

        private void OnScalar(in YamlEvent scalar)
        {
            var span = SpanOf(file, scalar.Start);
            if (stack.Count == 0 && IsNothing(scalar))
            {
                // An empty document (a trailing "---", as generators write) holds nothing to check: it is skipped.
                return;
            }

            var tag = CoreTagOf(scalar.Tag);
            if (stack.TryPeek(out var frame) && frame.IsMapping && frame.Key is null)
            {
                OnKey(frame, scalar.Value, span, isMerge: scalar is { Style: ScalarStyle.Plain, Value: MergeKey } && scalar.Tag.IsEmpty);
                producedCharacters += scalar.Value.Length;
                if (tag is not ("" or "str"))
                {
                    RefuseTag(scalar.Tag, tag, span, "a key");
                    frame.DropValue = true;
                }

                if (!scalar.Anchor.IsEmpty)
                {
                    anchors[scalar.Anchor.Value] = new Anchored(YamlScalar.String(span, scalar.Value), new Size(1, scalar.Value.Length), 0);
                }

                return;
            }

            if ((tag is null ? null : ConvertScalar(scalar, tag, span)) is not { } value)
            {
                RefuseTag(scalar.Tag, tag, span, "this value"); // not echoed: it may be a credential
                Attach(YamlScalar.Null(span), span);
                return;
            }

            // Most text is printable ASCII, which a vectorised search passes over before the character-by-character check.
            if (value.Kind == YamlScalarKind.String && value.Text.AsSpan().IndexOfAnyExceptInRange(' ', '~') >= 0 && UnsafeCharacters.Find(value.Text) is { } found)
            {
                unsafeByValue[value] = new UnsafeText(found.Index, found.CodePoint, LiteralSpan(scalar, found.CodePoint) ?? span);
            }

            produced++;
            producedCharacters += scalar.Value.Length;
            if (!scalar.Anchor.IsEmpty)
            {
                anchors[scalar.Anchor.Value] = new Anchored(value, new Size(1, scalar.Value.Length), 0);
            }

            Attach(value, span);
        }

        /// <summary>
        /// An alias stands for its anchored node, with the anchored node's positions: a diagnostic about a value that
        /// came through an alias points where that value is written (the message's path says where it was used). As a
        /// merge key's value, the anchored mapping is merged when its mapping ends.
        /// </summary>
        private void OnAlias(in YamlEvent alias)
        {
            var span = SpanOf(file, alias.Start);
            var name = alias.Anchor.Value;
            if (anchors.TryGetValue(name, out var anchored) && anchored is null)
            {
                Fail(DiagnosticCatalog.AliasExpansionRecursive.At(span, Shorten(name)));
                Attach(YamlScalar.Null(span), span);
                return;
            }

            if (anchored is null)
            {
                Fail(DiagnosticCatalog.UndefinedAliasInDocument.At(span, Shorten(name)));
                Attach(YamlScalar.Null(span), span);
                return;
            }

            if (stack.TryPeek(out var frame) && frame.IsMapping && frame.Key is null)
            {
                if (anchored.Node is YamlScalar { Kind: not YamlScalarKind.Null } scalarKey)
                {
                    var keyText = scalarKey.TypedPlain ? scalarKey.Text : scalarKey.ValueText;
                    if (!Budget(new Size(0, keyText.Length), span))
                    {
                        frame.Key = string.Empty;
                        frame.DropValue = true;
                        return;
                    }

                    producedCharacters += keyText.Length;
                    OnKey(frame, keyText, span, isMerge: false);
                    return;
                }

                Fail(DiagnosticCatalog.UnsupportedYamlAliasKey.At(span));
                frame.Key = string.Empty;
                frame.DropValue = true;
                return;
            }

            var level = stack.Count + anchored.Height - (frame is { IsMergeValue: true } ? 1 : 0);
            if (anchored.Height > 0 && level > MaxDepth)
            {
                Fail(DiagnosticCatalog.NestingTooDeepAlias.At(span, Shorten(name), MaxDepth));
                Attach(YamlScalar.Null(span), span);
                return;
            }

            if (frame is { IsMergeValue: true })
            {
                // Merged when the mapping ends, where it is known which of its keys are given explicitly.
                AddMergeSource(frame, anchored.Node, span);
                frame.Height = Math.Max(frame.Height, anchored.Height - 1);
                frame.Key = null;
                return;
            }

            if (!Budget(anchored.Size, span))
            {
                return;
            }

            produced += anchored.Size.Nodes;
            producedCharacters += anchored.Size.Characters;
            Attach(anchored.Node, anchored.Node.Span, anchored.Height);
        }

        /// <summary>
        /// Counts nodes and characters about to be added against the file's and the run's budgets; false (and the file
        /// given up) past one, reported at the alias or merge key that passes it.
        /// </summary>
        private bool Budget(Size size, SourceSpan span)
        {
            var characters = CopiedCharacters + size.Characters;
            Diagnostic? refusal = null;
            if (copied + size.Nodes > MaxAliasNodes)
            {
                refusal = DiagnosticCatalog.AliasExpansionTooManyNodes.At(span, MaxAliasNodes);
            }
            else if (characters > FileCharacterBudget)
            {
                refusal = DiagnosticCatalog.AliasExpansionFileCharacters.At(span, characters, FileCharacterBudget, MinAliasCharactersPerFile);
            }
            else if (characters > runCharactersLeft)
            {
                refusal = DiagnosticCatalog.AliasExpansionRunCharacters.At(span, MaxAliasCharactersPerRun);
            }

            if (refusal is null)
            {
                copied += size.Nodes;
                CopiedCharacters = characters;
                return true;
            }

            Fail(refusal);
            GaveUp = true;
            return false;
        }

        private void AddMergeSource(Frame frame, YamlNode source, SourceSpan span)
        {
            switch (source)
            {
                case YamlMapping mapping:
                    (frame.MergeSources ??= []).Add(mapping);
                    break;
                case YamlSequence list:
                    foreach (var item in list.Items)
                    {
                        if (item is YamlMapping mapping)
                        {
                            (frame.MergeSources ??= []).Add(mapping);
                        }
                        else
                        {
                            Fail(DiagnosticCatalog.MergeValueNotMappingListEntry.At(item.Span));
                        }
                    }

                    break;
                default:
                    RefuseMergeValue(span);
                    break;
            }
        }

        private void RefuseMergeValue(SourceSpan span) => Fail(DiagnosticCatalog.MergeValueNotMappingValue.At(span));

        /// <summary>
        /// YAML 1.1 merge (as Kubernetes and GitHub Actions read it): the merged mappings' entries are added where the
        /// merge key is written, except those the mapping gives explicitly, wherever written; in a list of merged
        /// mappings, an earlier one wins. Entries that come by merge are never duplicate keys.
        /// </summary>
        private void ApplyMerges(Frame frame)
        {
            if (frame.MergeSources is not { Count: > 0 } sources || !frame.IsMapping)
            {
                return;
            }

            var cost = sources.Aggregate(
                new Size(0, 0),
                (sum, source) => sizes.TryGetValue(source, out var size) ? new Size(sum.Nodes + size.Nodes, sum.Characters + size.Characters) : new Size(sum.Nodes + 1, sum.Characters));
            if (!Budget(cost, frame.MergeSpan))
            {
                return;
            }

            var entries = frame.Entries ??= RentEntries();
            var names = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            var merged = new List<YamlEntry>();
            foreach (var source in sources)
            {
                foreach (var entry in source.Entries)
                {
                    if (names.Add(entry.Key))
                    {
                        merged.Add(entry);
                    }
                }
            }

            produced += cost.Nodes;
            producedCharacters += cost.Characters;
            entries.InsertRange(frame.MergeIndex, merged);
        }

        /// <summary>
        /// Where a code point is written literally inside a scalar (an invisible character is hard to find otherwise);
        /// null when it was written as an escape, or is a tab or line break (YAML's own whitespace).
        /// </summary>
        private SourceSpan? LiteralSpan(in YamlEvent scalar, int codePoint)
        {
            var start = (int)Math.Min(scalar.Start.Index, text.Length);
            var end = (int)Math.Min(scalar.End.Index, text.Length);
            if (codePoint is '\t' or '\n' or '\r' or (>= 0xD800 and <= 0xDFFF) || start >= end)
            {
                return null;
            }

            var at = text.AsSpan(start, end - start).IndexOf(char.ConvertFromUtf32(codePoint), StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            var before = text.AsSpan(start, at);
            var lines = before.Count('\n');
            var column = lines == 0 ? scalar.Start.Column + at : at - before.LastIndexOf('\n');
            return new SourceSpan(file, (int)scalar.Start.Line + lines, (int)column);
        }

        /// <summary>
        /// Manifests are plain data: a tag outside the core schema (<c>!!binary</c>, <c>!!python/...</c>, a custom
        /// <c>!tag</c>) would mean something to some other reader and nothing to whcctl, so it is refused, not ignored.
        /// </summary>
        private void RefuseTag(TagName tag, string? coreTag, SourceSpan span, string what) =>
            Fail(coreTag is null
                ? DiagnosticCatalog.UnsupportedTagOutsideCore.At(span, Describe(tag))
                : DiagnosticCatalog.UnsupportedTagMisfit.At(span, Describe(tag), what));

        private static bool IsNothing(in YamlEvent scalar) =>
            scalar is { Style: ScalarStyle.Plain, Value.Length: 0 } && scalar.Tag.IsEmpty && scalar.Anchor.IsEmpty;

        private static string Shorten(string name) => name.Length <= 64 ? name : $"{name[..61]}...";

        private void OnKey(Frame frame, string key, SourceSpan span, bool isMerge)
        {
            frame.Key = key;
            frame.KeySpan = span;
            frame.DropValue = false;
            frame.IsMergeValue = false;
            if (frame.TryGetKey(key, out var first))
            {
                frame.DropValue = true;
                Fail(isMerge ? DiagnosticCatalog.DuplicateKeyMerge.At(span, key, first.Line) : DiagnosticCatalog.DuplicateKeyInMapping.At(span, key, first.Line));
                return;
            }

            frame.AddKey(key, span);
            if (isMerge)
            {
                mergeKeySeen = true;
                frame.IsMergeValue = true;
                frame.MergeIndex = frame.Entries?.Count ?? 0;
                frame.MergeSpan = span;
            }
        }

        private void OnContainerStart(Mark start, TagName tag, AnchorName anchor, string kind)
        {
            var span = SpanOf(file, start);
            var isMapping = kind == "map";
            if (stack.TryPeek(out var frame) && frame.IsMapping && frame.Key is null)
            {
                Fail(DiagnosticCatalog.UnsupportedYamlComplexKey.At(span));
                frame.Key = string.Empty;
                frame.DropValue = true;
                skipping = 1;
                return;
            }

            if (CoreTagOf(tag) is var coreTag && coreTag != string.Empty && coreTag != kind)
            {
                RefuseTag(tag, coreTag, span, isMapping ? "a mapping" : "a list");
                skipping = 1;
                Attach(YamlScalar.Null(span), span);
                return;
            }

            if (stack.Count >= MaxDepth)
            {
                Fail(DiagnosticCatalog.NestingTooDeepDocument.At(span, MaxDepth));
                skipping = 1;
                GaveUp = true;
                Attach(YamlScalar.Null(span), span);
                return;
            }

            produced++;
            var mergeValue = frame is { IsMergeValue: true };
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = null; // open: an alias to it before it ends would be a cycle
            }

            // The node is made when it ends; its parent takes it then (nothing reads the parent's state before).
            var started = freeFrames.TryPop(out var free) ? free : new Frame();
            started.Start(isMapping, span, anchor.IsEmpty ? null : anchor.Value, produced - 1, producedCharacters, mergeValue ? frame : null);
            stack.Push(started);
        }

        private void OnContainerEnd()
        {
            var frame = stack.Pop();
            ApplyMerges(frame);
            YamlNode node = frame.IsMapping
                ? new YamlMapping(frame.Span, frame.Entries is { } entries ? [.. entries] : [])
                : new YamlSequence(frame.Span, frame.Items is { } items ? [.. items] : []);
            Release(frame);
            var size = new Size(produced - frame.StartProduced, producedCharacters - frame.StartCharacters);
            var height = frame.Height + 1;
            if (mergeKeySeen || anchors.Count > 0)
            {
                sizes[node] = size;
            }

            if (frame.Anchor is { } anchor)
            {
                anchors[anchor] = new Anchored(node, size, height);
            }

            Attach(node, frame.Span);
            if (frame.MergeValueOf is { } owner)
            {
                AddMergeSource(owner, node, frame.Span);
            }

            if (stack.TryPeek(out var parent))
            {
                parent.Height = Math.Max(parent.Height, height);
            }

            // Only the frames of collections inside this one (ended already) referred to it.
            freeFrames.Push(frame);
        }

        private List<YamlEntry> RentEntries() => freeEntryLists.TryPop(out var entries) ? entries : [];

        private void Release(Frame frame)
        {
            if (frame.Entries is { } entries)
            {
                entries.Clear();
                freeEntryLists.Push(entries);
                frame.Entries = null;
            }

            if (frame.Items is { } items)
            {
                items.Clear();
                freeItemLists.Push(items);
                frame.Items = null;
            }
        }

        private void Attach(YamlNode value, SourceSpan span, int height = 0)
        {
            if (!stack.TryPeek(out var frame))
            {
                root ??= value;
                return;
            }

            frame.Height = Math.Max(frame.Height, height);
            if (!frame.IsMapping)
            {
                (frame.Items ??= freeItemLists.TryPop(out var items) ? items : []).Add(value);
                return;
            }

            var key = frame.Key ?? string.Empty;
            if (frame.IsMergeValue)
            {
                // A merge key's value is not an entry: a mapping or list is merged when it ends (OnContainerEnd), anything
                // else is refused here.
                if (value is not (YamlMapping or YamlSequence) && !frame.DropValue)
                {
                    RefuseMergeValue(span);
                }

                frame.IsMergeValue = false;
            }
            else if (!frame.DropValue)
            {
                (frame.Entries ??= RentEntries()).Add(new YamlEntry(key, frame.KeySpan, value));
            }

            frame.Key = null;
        }
    }

    /// <summary>An anchored node, with what a copy of it makes and how deep it nests (0 for a scalar).</summary>
    private sealed record Anchored(YamlNode Node, Size Size, int Height);

    /// <summary>What a node holds: its nodes, and the characters of its keys and scalars.</summary>
    private readonly record struct Size(long Nodes, long Characters);

    /// <summary>A collection being read; reused for the next one once it ends (<see cref="Start"/> sets every field).</summary>
    private sealed class Frame
    {
        public bool IsMapping { get; private set; }

        public SourceSpan Span { get; private set; } = SourceSpan.None;

        public void Start(bool isMapping, SourceSpan span, string? anchor, long startProduced, long startCharacters, Frame? mergeValueOf)
        {
            IsMapping = isMapping;
            Span = span;
            Anchor = anchor;
            StartProduced = startProduced;
            StartCharacters = startCharacters;
            MergeValueOf = mergeValueOf;
            Entries = null;
            Items = null;
            fewKeys?.Clear();
            manyKeys = null;
            Key = null;
            KeySpan = SourceSpan.None;
            DropValue = false;
            Height = 0;
            IsMergeValue = false;
            MergeSources = null;
            MergeIndex = 0;
            MergeSpan = SourceSpan.None;
        }

        /// <summary>A mapping's entries so far (the list is made for the first).</summary>
        public List<YamlEntry>? Entries { get; set; }

        public List<YamlNode>? Items { get; set; }

        /// <summary>The keys read so far, for duplicates: a short list (most mappings), a dictionary once long (a hostile file's).</summary>
        private List<KeyValuePair<string, SourceSpan>>? fewKeys;

        private Dictionary<string, SourceSpan>? manyKeys;

        public bool TryGetKey(string key, out SourceSpan span)
        {
            if (manyKeys is not null)
            {
                var known = manyKeys.TryGetValue(key, out var found);
                span = found ?? SourceSpan.None;
                return known;
            }

            foreach (var (known, where) in fewKeys ?? [])
            {
                if (string.Equals(known, key, StringComparison.Ordinal))
                {
                    span = where;
                    return true;
                }
            }

            span = SourceSpan.None;
            return false;
        }

        public void AddKey(string key, SourceSpan span)
        {
            if (manyKeys is not null)
            {
                manyKeys.Add(key, span);
                return;
            }

            (fewKeys ??= []).Add(new(key, span));
            if (fewKeys.Count > 16)
            {
                manyKeys = new(fewKeys, StringComparer.Ordinal);
                fewKeys = null;
            }
        }

        public string? Key { get; set; }

        public SourceSpan KeySpan { get; set; } = SourceSpan.None;

        public bool DropValue { get; set; }

        /// <summary>The anchor this node defines (registered when the node ends).</summary>
        public string? Anchor { get; private set; }

        /// <summary>How many nodes the document had before this one; the difference at its end is its size.</summary>
        public long StartProduced { get; private set; }

        /// <summary>How many characters the document had before this node.</summary>
        public long StartCharacters { get; private set; }

        /// <summary>How deep the nodes inside go below this one (0 when it holds only scalars).</summary>
        public int Height { get; set; }

        /// <summary>The key being read is a merge key (<c>&lt;&lt;</c>), so the next value is merged, not added.</summary>
        public bool IsMergeValue { get; set; }

        /// <summary>The mapping this node (a merge key's value) is merged into when it ends.</summary>
        public Frame? MergeValueOf { get; private set; }

        public List<YamlMapping>? MergeSources { get; set; }

        /// <summary>How many entries were written before the merge key: merged entries go there.</summary>
        public int MergeIndex { get; set; }

        public SourceSpan MergeSpan { get; set; } = SourceSpan.None;
    }
}
