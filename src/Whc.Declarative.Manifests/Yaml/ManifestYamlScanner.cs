using System.Collections.Concurrent;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Whc.Declarative.Manifests.Yaml;

/// <summary>
/// A fast reader for the plain YAML that manifests are written in, producing exactly the events (types, values, styles,
/// positions) YamlDotNet's <see cref="Parser"/> produces for the same text, at a fraction of its cost: YamlDotNet's
/// scanner was over a third of a native plan's CPU. It writes them as <see cref="YamlEvent"/>s, which
/// <see cref="YamlEvent.ToParsingEvent"/> turns into YamlDotNet's own objects field for field (the tests compare those).
/// <para>
/// The subset: one line per entry; block mappings and sequences by indentation (spaces), <c>- </c> items including
/// <c>- key: value</c>; plain, single- and double-quoted scalars on one line; flow mappings and sequences closed on the
/// line they open (<c>{ a: b, c: [ "d" ] }</c>); comments, blank lines, <c>---</c> between documents, CRLF line ends.
/// </para>
/// <para>
/// Anything else (anchors, aliases, tags, block scalars, multi-line scalars or flow collections, complex keys,
/// directives, tabs, control or unusual characters, empty documents, any syntax error) makes <see cref="Scan"/> return
/// null: the file is then read by YamlDotNet, which reports what is wrong as it always did. Declining is always safe, so
/// whenever this reader is not certain it matches YamlDotNet, it declines (the differential tests hold it to that).
/// </para>
/// </summary>
internal sealed class ManifestYamlScanner
{
    /// <summary>YamlDotNet refuses longer implicit keys; a manifest's are a few words.</summary>
    private const int MaxKeyLength = 1000;

    /// <summary>Flow collections nest a level or two in a manifest; deeper ones are left to YamlDotNet.</summary>
    private const int MaxFlowDepth = 32;

    private readonly string text;
    private readonly List<YamlEvent> events;

    /// <summary>The open block collections, innermost last: their indentation and kind.</summary>
    private readonly List<(int Indent, bool IsMapping)> blocks = [];

    private int lineStart;
    private int lineEnd;
    private int lineNumber;

    /// <summary>After <c>key:</c> with nothing more on its line, the value is on the next lines, or empty.</summary>
    private bool valuePending;
    private int pendingIndent;
    private Mark? pendingEmpty;

    private ManifestYamlScanner(string text, List<YamlEvent> events)
    {
        this.text = text;
        this.events = events;
    }

    /// <summary>The parsing events of <paramref name="text"/> as YamlDotNet's objects, or null when it is not in the subset.</summary>
    public static List<ParsingEvent>? Scan(string text)
    {
        var events = new List<YamlEvent>();
        return TryScan(text, events) ? events.ConvertAll(e => e.ToParsingEvent()) : null;
    }

    /// <summary>
    /// Puts the parsing events of <paramref name="text"/> in <paramref name="events"/> (emptied first); false when the
    /// text is not in the subset (and the list holds nothing meaningful).
    /// </summary>
    public static bool TryScan(string text, List<YamlEvent> events)
    {
        events.Clear();
        return CharactersAreInSubset(text) && new ManifestYamlScanner(text, events).ScanStream();
    }

    /// <summary>
    /// Printable characters and line ends only: no tab (YAML's indentation rules for it are a trap, and the reader
    /// reports tab indentation itself), BOM, control character, YAML 1.1 line break (NEL, LS, PS) or surrogate (whose
    /// positions YamlDotNet might count differently).
    /// </summary>
    private static bool CharactersAreInSubset(string text)
    {
        var span = text.AsSpan();
        int at;
        while ((at = span.IndexOfAnyExceptInRange(' ', '~')) >= 0)
        {
            var c = span[at];
            var allowed = c == '\n'
                || (c == '\r' && at + 1 < span.Length && span[at + 1] == '\n')
                || (c >= '\u00A0' && c < '\uD800' && c is not '\u2028' and not '\u2029')
                || (c >= '\uE000' && c <= '\uFFFD' && c != '\uFEFF');
            if (!allowed)
            {
                return false;
            }

            span = span[(at + 1)..];
        }

        return true;
    }

    private Mark MarkAt(int index) => new(index, lineNumber, index - lineStart + 1);

    private bool ScanStream()
    {
        var streamStart = new Mark(0, 1, 1);
        events.Add(new YamlEvent(YamlEventKind.StreamStart, streamStart, streamStart));
        var inDocument = false;
        (Mark Start, Mark End)? explicitStart = null;
        var next = 0;
        lineNumber = 0;
        while (next < text.Length)
        {
            lineStart = next;
            lineNumber++;
            var newline = text.IndexOf('\n', lineStart);
            next = newline < 0 ? text.Length : newline + 1;
            lineEnd = newline < 0 ? text.Length : newline > lineStart && text[newline - 1] == '\r' ? newline - 1 : newline;
            var indent = SkipSpaces(lineStart) - lineStart;
            var first = lineStart + indent;
            if (first == lineEnd || text[first] == '#')
            {
                if (newline < 0 && inDocument)
                {
                    // YamlDotNet ends some collections at this line's end and others on a line after it: left to it.
                    return false;
                }

                continue;
            }

            if (indent == 0 && IsDocumentMarker(first, '-'))
            {
                // "--- # comment" is a separator; "--- value" (content on the marker's line) is left to YamlDotNet.
                var after = SkipSpaces(first + 3);
                if (after < lineEnd && (after == first + 3 || text[after] != '#'))
                {
                    return false;
                }

                var start = MarkAt(first);
                if (inDocument)
                {
                    EndDocument(start);
                    inDocument = false;
                }
                else if (explicitStart is not null)
                {
                    return false; // an empty document: YamlDotNet places its empty scalar oddly
                }

                explicitStart = (start, MarkAt(first + 3));
                continue;
            }

            if (indent == 0 && (IsDocumentMarker(first, '.') || text[first] == '%'))
            {
                return false;
            }

            if (!inDocument)
            {
                var mark = MarkAt(first);
                events.Add(explicitStart is { } marker
                    ? new YamlEvent(YamlEventKind.DocumentStart, marker.Start, marker.End) { IsExplicit = true }
                    : new YamlEvent(YamlEventKind.DocumentStart, mark, mark));
                explicitStart = null;
                inDocument = true;
                valuePending = true;
                pendingIndent = -1;
                pendingEmpty = null;
            }

            if (!ScanLine(indent, first))
            {
                return false;
            }
        }

        if (explicitStart is not null)
        {
            return false; // an empty last document
        }

        // YamlDotNet ends the stream on a line of its own, as if the text ended with a line break.
        var end = new Mark(text.Length, lineNumber + 1, 1);
        if (inDocument)
        {
            EndDocument(end);
        }

        events.Add(new YamlEvent(YamlEventKind.StreamEnd, end, end));
        return true;
    }

    private bool IsDocumentMarker(int at, char c) =>
        at + 3 <= lineEnd && text[at] == c && text[at + 1] == c && text[at + 2] == c && (at + 3 == lineEnd || text[at + 3] == ' ');

    private void EndDocument(Mark at)
    {
        CloseBlocks(-1, at);
        events.Add(new YamlEvent(YamlEventKind.DocumentEnd, at, at));
    }

    /// <summary>Ends the block collections indented deeper than <paramref name="indent"/> (an empty pending value first).</summary>
    private void CloseBlocks(int indent, Mark at)
    {
        if (valuePending && pendingEmpty is { } empty)
        {
            events.Add(new YamlEvent(YamlEventKind.Scalar, empty, empty) { Style = ScalarStyle.Plain });
        }

        valuePending = false;
        pendingEmpty = null;
        while (blocks.Count > 0 && blocks[^1].Indent > indent)
        {
            events.Add(new YamlEvent(blocks[^1].IsMapping ? YamlEventKind.MappingEnd : YamlEventKind.SequenceEnd, at, at));
            blocks.RemoveAt(blocks.Count - 1);
        }
    }

    private bool ScanLine(int indent, int first)
    {
        var isItem = text[first] == '-' && (first + 1 == lineEnd || text[first + 1] == ' ');
        if (valuePending && indent > pendingIndent)
        {
            // The value of the key above (or the document's root) is a collection starting here.
            valuePending = false;
            pendingEmpty = null;
            OpenBlock(indent, isMapping: !isItem, MarkAt(first));
        }
        else if (valuePending && isItem && indent == pendingIndent)
        {
            // "key:" then "- item" as indented as the key: a sequence YAML lets start at its mapping's indentation.
            valuePending = false;
            pendingEmpty = null;
            blocks.Add((indent, false));
            events.Add(new YamlEvent(YamlEventKind.SequenceStart, MarkAt(first), MarkAt(first + 1)));
        }
        else
        {
            var mark = MarkAt(first);
            CloseBlocks(indent, mark);
            if (!isItem && blocks.Count > 1 && !blocks[^1].IsMapping && blocks[^2].Indent == indent)
            {
                // The next key of the mapping that holds such a sequence ends it.
                events.Add(new YamlEvent(YamlEventKind.SequenceEnd, mark, mark));
                blocks.RemoveAt(blocks.Count - 1);
            }

            if (blocks.Count == 0 || blocks[^1].Indent != indent)
            {
                return false;
            }
        }

        if (!blocks[^1].IsMapping)
        {
            return isItem && ScanItem(first);
        }

        return !isItem && ScanEntry(first, indent);
    }

    private void OpenBlock(int indent, bool isMapping, Mark at)
    {
        blocks.Add((indent, isMapping));
        events.Add(new YamlEvent(isMapping ? YamlEventKind.MappingStart : YamlEventKind.SequenceStart, at, at));
    }

    /// <summary>A sequence item: <c>- value</c>, <c>- { ... }</c> or <c>- key: value</c> (a mapping starting there).</summary>
    private bool ScanItem(int dash)
    {
        var at = SkipSpaces(dash + 1);
        if (at == lineEnd || at == dash + 1 || text[at] == '#')
        {
            return false; // "-" alone on its line: its value is on the next lines (not in the subset)
        }

        if (text[at] is '[' or '{')
        {
            return ScanFlow(at, 0) is { } after && RestIsComment(after);
        }

        if (ScanScalar(at, flow: false) is not { } scalar)
        {
            return false;
        }

        if (scalar.KeyColon < 0)
        {
            events.Add(scalar.Event);
            return RestIsComment(scalar.After);
        }

        var column = at - lineStart;
        OpenBlock(column, isMapping: true, MarkAt(at));
        return ScanValue(scalar, column);
    }

    private bool ScanEntry(int at, int indent)
    {
        if (text[at] is '[' or '{' || ScanScalar(at, flow: false) is not { } key || key.KeyColon < 0)
        {
            return false;
        }

        return ScanValue(key, indent);
    }

    /// <summary>After a key (already scanned): its value on the same line, or a value pending for the next lines.</summary>
    private bool ScanValue(ScannedScalar key, int mapIndent)
    {
        if (key.KeyColon - key.Start > MaxKeyLength)
        {
            return false;
        }

        events.Add(key.Event);
        var at = SkipSpaces(key.KeyColon + 1);
        if (at == lineEnd || text[at] == '#')
        {
            valuePending = true;
            pendingIndent = mapIndent;
            pendingEmpty = MarkAt(key.KeyColon + 1);
            return true;
        }

        if (text[at] is '[' or '{')
        {
            return ScanFlow(at, 0) is { } after && RestIsComment(after);
        }

        if (ScanScalar(at, flow: false) is not { KeyColon: < 0 } value)
        {
            return false;
        }

        events.Add(value.Event);
        return RestIsComment(value.After);
    }

    /// <summary>Only spaces, then a comment or the line's end.</summary>
    private bool RestIsComment(int at)
    {
        var after = SkipSpaces(at);
        return after == lineEnd || (text[after] == '#' && after > at);
    }

    private int SkipSpaces(int at)
    {
        while (at < lineEnd && text[at] == ' ')
        {
            at++;
        }

        return at;
    }

    /// <summary>A flow collection closed on this line; the index after it, or null.</summary>
    private int? ScanFlow(int at, int depth)
    {
        if (depth >= MaxFlowDepth)
        {
            return null;
        }

        var isMapping = text[at] == '{';
        var close = isMapping ? '}' : ']';
        var mark = MarkAt(at);
        events.Add(new YamlEvent(isMapping ? YamlEventKind.MappingStart : YamlEventKind.SequenceStart, mark, mark) { IsFlow = true });
        var i = SkipSpaces(at + 1);
        if (i < lineEnd && text[i] == close)
        {
            return EndFlow(i, isMapping);
        }

        while (true)
        {
            if (i == lineEnd)
            {
                return null;
            }

            if (isMapping)
            {
                if (text[i] is '[' or '{' || ScanScalar(i, flow: true) is not { KeyColon: >= 0 } key || key.KeyColon - key.Start > MaxKeyLength)
                {
                    return null;
                }

                events.Add(key.Event);
                i = SkipSpaces(key.KeyColon + 1);
                if (i == lineEnd || text[i] is ',' or '}')
                {
                    return null; // "{ a: }": an empty value, left to YamlDotNet
                }
            }

            if (text[i] is '[' or '{')
            {
                if (ScanFlow(i, depth + 1) is not { } after)
                {
                    return null;
                }

                i = after;
            }
            else
            {
                if (ScanScalar(i, flow: true) is not { KeyColon: < 0 } value)
                {
                    return null; // "[ a: b ]" (a single-pair mapping) is not in the subset
                }

                events.Add(value.Event);
                i = value.After;
            }

            i = SkipSpaces(i);
            if (i == lineEnd)
            {
                return null;
            }

            if (text[i] == close)
            {
                return EndFlow(i, isMapping);
            }

            if (text[i] != ',')
            {
                return null;
            }

            i = SkipSpaces(i + 1);
            if (i == lineEnd || text[i] == close)
            {
                return null; // a trailing comma
            }
        }
    }

    private int EndFlow(int at, bool isMapping)
    {
        var mark = MarkAt(at);
        events.Add(new YamlEvent(isMapping ? YamlEventKind.MappingEnd : YamlEventKind.SequenceEnd, mark, mark));
        return at + 1;
    }

    /// <summary>
    /// A scalar on this line, and whether it is a key (followed by <c>:</c> and a space or the line's end). Null when it
    /// is not one the subset has.
    /// </summary>
    private ScannedScalar? ScanScalar(int at, bool flow)
    {
        var c = text[at];
        int end;
        string? value;
        ScalarStyle style;
        if (c is '"' or '\'')
        {
            if ((c == '"' ? ScanDoubleQuoted(at) : ScanSingleQuoted(at)) is not { } quoted)
            {
                return null;
            }

            (value, end) = quoted;
            style = c == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
        }
        else
        {
            if (ScanPlain(at, flow) is not { } plain)
            {
                return null;
            }

            end = plain;
            value = null; // made once it is known whether it is a key
            style = ScalarStyle.Plain;
        }

        var after = SkipSpaces(end);
        var keyColon = -1;
        if (after < lineEnd && text[after] == ':')
        {
            if (after + 1 < lineEnd && text[after + 1] != ' ')
            {
                return null; // "a:b" after a quoted key, or in a flow collection: not in the subset
            }

            keyColon = after;
        }
        else if (style != ScalarStyle.Plain && after < lineEnd && after == end && !(flow && text[after] is ',' or ']' or '}'))
        {
            return null; // "'a'b": text right after a closing quote
        }

        value ??= keyColon >= 0 ? KeyNames.Get(text.AsSpan(at, end - at)) : text.Substring(at, end - at);
        var scalar = new YamlEvent(YamlEventKind.Scalar, MarkAt(at), MarkAt(end)) { Value = value, Style = style, IsKey = keyColon >= 0 };
        return new ScannedScalar(scalar, at, end, keyColon);
    }

    /// <summary>The end of a plain scalar starting at <paramref name="at"/> (trailing spaces not included), or null.</summary>
    private int? ScanPlain(int at, bool flow)
    {
        var c = text[at];
        var next = at + 1 < lineEnd ? text[at + 1] : ' ';
        // Indicators cannot start a plain scalar, except "-" before a non-space ("-5"); "?x" and ":x" are left to YamlDotNet.
        if (c is '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`'
            || (c == '-' && next == ' '))
        {
            return null;
        }

        var end = at;
        for (var i = at; i < lineEnd; i++)
        {
            c = text[i];
            if (c == ' ')
            {
                continue;
            }

            if (c == ':' && (i + 1 == lineEnd || text[i + 1] == ' '))
            {
                break;
            }

            if (c == '#' && text[i - 1] == ' ')
            {
                if (flow)
                {
                    return null; // a comment inside a flow collection: it continues on the next line
                }

                break;
            }

            if (flow && c is ',' or ']' or '}')
            {
                break;
            }

            // ":" before a flow indicator is left to YamlDotNet (a key in some YAML readers, text in others).
            if (c is '[' or ']' or '{' or '}' || (flow && c == ':' && text[i + 1] is ',' or '[' or ']' or '{' or '}'))
            {
                return null;
            }

            end = i + 1;
        }

        return end;
    }

    private (string Value, int End)? ScanSingleQuoted(int at)
    {
        StringBuilder? unescaped = null;
        var from = at + 1;
        for (var i = at + 1; i < lineEnd; i++)
        {
            if (text[i] != '\'')
            {
                continue;
            }

            if (i + 1 < lineEnd && text[i + 1] == '\'')
            {
                (unescaped ??= new StringBuilder()).Append(text, from, i + 1 - from);
                from = i + 2;
                i++;
                continue;
            }

            return (unescaped is null ? text.Substring(from, i - from) : unescaped.Append(text, from, i - from).ToString(), i + 1);
        }

        return null; // closed on a later line, or never
    }

    private (string Value, int End)? ScanDoubleQuoted(int at)
    {
        StringBuilder? unescaped = null;
        var from = at + 1;
        for (var i = at + 1; i < lineEnd; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                return (unescaped is null ? text.Substring(from, i - from) : unescaped.Append(text, from, i - from).ToString(), i + 1);
            }

            if (c != '\\')
            {
                continue;
            }

            if (i + 1 == lineEnd)
            {
                return null; // an escaped line break
            }

            unescaped ??= new StringBuilder();
            unescaped.Append(text, from, i - from);
            var escape = text[i + 1];
            var length = escape switch { 'x' => 2, 'u' => 4, _ => 0 };
            if (length > 0)
            {
                if (i + 2 + length > lineEnd || !TryParseHex(text.AsSpan(i + 2, length), out var code) || code is >= 0xD800 and <= 0xDFFF)
                {
                    return null;
                }

                unescaped.Append((char)code);
            }
            else if (Unescape(escape) is { } plain)
            {
                unescaped.Append(plain);
            }
            else
            {
                return null; // \U, or not an escape YAML has
            }

            i += 1 + length;
            from = i + 1;
        }

        return null;
    }

    private static char? Unescape(char escape) => escape switch
    {
        '0' => '\0',
        'a' => '\a',
        'b' => '\b',
        't' => '\t',
        'n' => '\n',
        'v' => '\v',
        'f' => '\f',
        'r' => '\r',
        'e' => '\u001B',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u0085',
        '_' => '\u00A0',
        'L' => '\u2028',
        'P' => '\u2029',
        _ => null,
    };

    private static bool TryParseHex(ReadOnlySpan<char> digits, out int code)
    {
        code = 0;
        foreach (var d in digits)
        {
            var v = d is >= '0' and <= '9' ? d - '0' : d is >= 'a' and <= 'f' ? d - 'a' + 10 : d is >= 'A' and <= 'F' ? d - 'A' + 10 : -1;
            if (v < 0)
            {
                return false;
            }

            code = (code * 16) + v;
        }

        return true;
    }

    /// <summary>
    /// One string per key name for all files (a manifest's keys come from a small vocabulary, repeated for every user and
    /// site): the trees built from them keep far fewer objects alive for the garbage collector to move.
    /// </summary>
    private static class KeyNames
    {
        private const int MaxNames = 4096;
        private const int MaxLength = 64;
        private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> BySpan = Names.GetAlternateLookup<ReadOnlySpan<char>>();
        private static int count;

        public static string Get(ReadOnlySpan<char> name)
        {
            if (BySpan.TryGetValue(name, out var known))
            {
                return known;
            }

            var made = name.ToString();
            if (name.Length > MaxLength || Volatile.Read(ref count) >= MaxNames)
            {
                return made; // a hostile file's keys do not fill the memory
            }

            if (Names.TryAdd(made, made))
            {
                Interlocked.Increment(ref count);
                return made;
            }

            return Names.TryGetValue(made, out var other) ? other : made;
        }
    }

    /// <summary>A scanned scalar: its event, where it starts and ends, and the key colon after it (-1 when none).</summary>
    private readonly record struct ScannedScalar(YamlEvent Event, int Start, int After, int KeyColon);
}
