using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Whc.Declarative.Manifests.Yaml;

/// <summary>
/// Reads YAML text into one <see cref="YamlDocumentTree"/> per document, from the parser's event stream so that nothing
/// is expanded behind our back: aliases are refused (no alias bombs), duplicate keys and tab indentation are reported,
/// nesting is capped. Scalars are typed as in YAML 1.2's core schema (plain true/false, integers, floats, null).
/// </summary>
internal static partial class YamlTreeReader
{
    /// <summary>The deepest nesting accepted; a real manifest needs fewer than ten levels.</summary>
    public const int MaxDepth = 64;

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    public static IReadOnlyList<YamlDocumentTree> Read(string file, string text, List<Diagnostic> diagnostics)
    {
        if (ReportTabIndentation(file, text, diagnostics))
        {
            return [];
        }

        var documents = new List<YamlDocumentTree>();
        var builder = new DocumentBuilder(file, text, diagnostics);
        var parser = new Parser(new StringReader(text));
        var lastGood = new SourceSpan(file, 1, 1);
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is not { } current)
                {
                    continue;
                }

                lastGood = SpanOf(file, current.End);
                if (builder.Accept(current) is { } document)
                {
                    documents.Add(document);
                }

                if (builder.TooDeep)
                {
                    // Hostile input: stop reading the file rather than scan the rest of it.
                    break;
                }
            }
        }
        catch (YamlException exception)
        {
            diagnostics.Add(DiagnosticCatalog.YamlSyntax.At(SpanOf(file, exception.Start), DescribeSyntaxError(exception)));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (e.g. an unclosed flow sequence); it has no position.
            diagnostics.Add(DiagnosticCatalog.YamlSyntax.At(
                lastGood,
                "the YAML cannot be parsed after this point; look for an unclosed [ or {, a missing quote or a misplaced ':'"));
        }

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

            diagnostics.Add(DiagnosticCatalog.TabIndentation.At(
                new SourceSpan(file, lineNumber, tab + 1),
                "a tab is used for indentation; YAML allows only spaces there"));
            if (++found == 10)
            {
                break;
            }
        }

        return found > 0;
    }

    private static string DescribeSyntaxError(YamlException exception)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: ..) - (...): "; the position is in our span already.
        var message = PositionPrefix().Replace(exception.Message, string.Empty).Trim();
        return message.Length == 0 ? "the YAML cannot be parsed" : $"the YAML cannot be parsed: {message}";
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
    private static JValue? ConvertScalar(Scalar scalar, string tag, out bool typedPlain)
    {
        typedPlain = false;
        var value = scalar.Value;
        switch (tag)
        {
            case "str":
                return new JValue(value);
            case "null":
                return value is "" or "~" or "null" or "Null" or "NULL" ? JValue.CreateNull() : null;
            case "bool":
                return value is "true" or "True" or "TRUE" ? new JValue(true) : value is "false" or "False" or "FALSE" ? new JValue(false) : null;
            case "int":
                return IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var tagged) ? new JValue(tagged) : null;
            case "float":
                return FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? new JValue(real) : null;
            case "map" or "seq":
                return null;
        }

        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return new JValue(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                typedPlain = true;
                return JValue.CreateNull();
            case "true" or "True" or "TRUE":
                typedPlain = true;
                return new JValue(true);
            case "false" or "False" or "FALSE":
                typedPlain = true;
                return new JValue(false);
        }

        // Only text that starts like a number can be one; most plain scalars are names.
        if (value[0] is not (>= '0' and <= '9') and not '-' and not '+' and not '.')
        {
            return new JValue(value);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            typedPlain = true;
            return new JValue(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            typedPlain = true;
            return new JValue(number);
        }

        return new JValue(value);
    }

    /// <summary>Turns the event stream of one file into trees; keeps its own explicit stack (no recursion).</summary>
    private sealed class DocumentBuilder(string file, string text, List<Diagnostic> diagnostics)
    {
        private readonly Stack<Frame> stack = new();
        private Dictionary<JToken, SourceSpan> positions = new(ReferenceEqualityComparer.Instance);
        private Dictionary<JToken, string> plainText = new(ReferenceEqualityComparer.Instance);
        private List<UnsafeTextValue> unsafeText = [];
        private JToken? root;
        private SourceSpan documentStart = SourceSpan.FileOnly(file);
        private bool failed;
        private int skipping;

        public bool TooDeep { get; private set; }

        public YamlDocumentTree? Accept(ParsingEvent parsingEvent)
        {
            if (skipping > 0)
            {
                Skip(parsingEvent);
                return null;
            }

            switch (parsingEvent)
            {
                case DocumentStart start:
                    stack.Clear();
                    positions = new(ReferenceEqualityComparer.Instance);
                    plainText = new(ReferenceEqualityComparer.Instance);
                    unsafeText = [];
                    root = null;
                    failed = false;
                    documentStart = SpanOf(file, start.Start);
                    return null;
                case DocumentEnd:
                    return Finish();
                case Scalar scalar:
                    OnScalar(scalar);
                    return null;
                case AnchorAlias alias:
                    Fail(DiagnosticCatalog.AliasNotAllowed.At(
                        SpanOf(file, alias.Start),
                        $"YAML aliases (*{alias.Value}) are not supported in manifests; write the value out in full"));
                    Attach(JValue.CreateNull(), SpanOf(file, alias.Start));
                    return null;
                case MappingStart mapping:
                    OnContainerStart(new JObject(), mapping.Start, mapping.Tag, "map");
                    return null;
                case SequenceStart sequence:
                    OnContainerStart(new JArray(), sequence.Start, sequence.Tag, "seq");
                    return null;
                case MappingEnd or SequenceEnd:
                    stack.Pop();
                    return null;
                default:
                    return null;
            }
        }

        private void Skip(ParsingEvent parsingEvent)
        {
            switch (parsingEvent)
            {
                case MappingStart or SequenceStart:
                    skipping++;
                    break;
                case MappingEnd or SequenceEnd:
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

            if (root is not JObject)
            {
                diagnostics.Add(DiagnosticCatalog.DocumentNotMapping.At(
                    positions.TryGetValue(root, out var where) ? where : documentStart,
                    "a manifest document must be a mapping (apiVersion:, kind:, metadata:, spec:)"));
                return null;
            }

            return new YamlDocumentTree(file, root, documentStart, positions, plainText, unsafeText);
        }

        private void OnScalar(Scalar scalar)
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
                OnKey(frame, scalar.Value, span);
                if (tag is not ("" or "str"))
                {
                    RefuseTag(scalar.Tag, tag, span, "a key");
                    frame.DropValue = true;
                }

                return;
            }

            var typedPlain = false;
            if ((tag is null ? null : ConvertScalar(scalar, tag, out typedPlain)) is not { } value)
            {
                RefuseTag(scalar.Tag, tag, span, "this value"); // not echoed: it may be a credential
                Attach(JValue.CreateNull(), span);
                return;
            }

            if (typedPlain)
            {
                plainText[value] = scalar.Value;
            }

            if (value is { Type: JTokenType.String, Value: string content } && UnsafeCharacters.Find(content) is { } found)
            {
                unsafeText.Add(new UnsafeTextValue(value, found.Index, found.CodePoint, LiteralSpan(scalar, found.CodePoint) ?? span));
            }

            Attach(value, span);
        }

        /// <summary>
        /// Where a code point is written literally inside a scalar (an invisible character is hard to find otherwise);
        /// null when it was written as an escape, or is a tab or line break (YAML's own whitespace).
        /// </summary>
        private SourceSpan? LiteralSpan(Scalar scalar, int codePoint)
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
            Fail(DiagnosticCatalog.UnsupportedTag.At(span, coreTag is null
                ? $"the YAML tag {Describe(tag)} is not supported: manifests are plain data; remove the tag (only the core schema's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read)"
                : $"the YAML tag {Describe(tag)} does not fit {what}; remove the tag"));

        private static bool IsNothing(Scalar scalar) =>
            scalar is { Style: ScalarStyle.Plain, Value.Length: 0 } && scalar.Tag.IsEmpty && scalar.Anchor.IsEmpty;

        private void OnKey(Frame frame, string key, SourceSpan span)
        {
            frame.Key = key;
            frame.KeySpan = span;
            frame.DropValue = false;
            if (frame.Keys.TryGetValue(key, out var first))
            {
                frame.DropValue = true;
                Fail(DiagnosticCatalog.DuplicateKey.At(
                    span,
                    string.Create(CultureInfo.InvariantCulture, $"key '{key}' appears twice in this mapping (first at line {first.Line})")));
            }
            else
            {
                frame.Keys.Add(key, span);
            }
        }

        private void OnContainerStart(JContainer container, Mark start, TagName tag, string kind)
        {
            var span = SpanOf(file, start);
            var isMapping = kind == "map";
            if (stack.TryPeek(out var frame) && frame.IsMapping && frame.Key is null)
            {
                Fail(DiagnosticCatalog.UnsupportedYamlFeature.At(span, "a mapping key must be a plain value, not a mapping or a list"));
                frame.Key = string.Empty;
                frame.DropValue = true;
                skipping = 1;
                return;
            }

            if (CoreTagOf(tag) is var coreTag && coreTag != string.Empty && coreTag != kind)
            {
                RefuseTag(tag, coreTag, span, isMapping ? "a mapping" : "a list");
                skipping = 1;
                Attach(JValue.CreateNull(), span);
                return;
            }

            if (stack.Count >= MaxDepth)
            {
                Fail(DiagnosticCatalog.NestingTooDeep.At(
                    span,
                    string.Create(CultureInfo.InvariantCulture, $"the document is nested more than {MaxDepth} levels deep; a manifest needs far fewer")));
                skipping = 1;
                TooDeep = true;
                Attach(JValue.CreateNull(), span);
                return;
            }

            Attach(container, span);
            stack.Push(new Frame(container, isMapping));
        }

        private void Attach(JToken value, SourceSpan span)
        {
            positions[value] = span;
            if (!stack.TryPeek(out var frame))
            {
                root ??= value;
                return;
            }

            if (frame.Container is JArray array)
            {
                array.Add(value);
                return;
            }

            var key = frame.Key ?? string.Empty;
            if (!frame.DropValue)
            {
                var property = new JProperty(key, value);
                positions[property] = frame.KeySpan;
                ((JObject)frame.Container).Add(property);
            }

            frame.Key = null;
        }
    }

    private sealed class Frame(JContainer container, bool isMapping)
    {
        public JContainer Container { get; } = container;

        public bool IsMapping { get; } = isMapping;

        public Dictionary<string, SourceSpan> Keys { get; } = new(StringComparer.Ordinal);

        public string? Key { get; set; }

        public SourceSpan KeySpan { get; set; } = SourceSpan.None;

        public bool DropValue { get; set; }
    }
}
