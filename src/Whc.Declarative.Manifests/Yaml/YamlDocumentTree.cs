using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Yaml;

/// <summary>
/// A text value holding a code point <see cref="Core.Text.UnsafeCharacters"/> refuses: the first such code point, its
/// index in the value, and where it is written (the character itself when it is there literally, else the value).
/// </summary>
internal sealed record UnsafeTextValue(JValue Value, int Index, int CodePoint, SourceSpan Span);

/// <summary>
/// One YAML document converted to a JSON tree, remembering where every node came from: the position of each value
/// and of each key (a <see cref="JProperty"/> maps to its key), and the original text of plain scalars that YAML typed
/// as numbers or booleans (for "quote it" hints).
/// </summary>
internal sealed class YamlDocumentTree
{
    private readonly Dictionary<JToken, SourceSpan> positions;
    private readonly Dictionary<JToken, string> plainScalarText;

    public YamlDocumentTree(
        string file,
        JToken root,
        SourceSpan start,
        Dictionary<JToken, SourceSpan> positions,
        Dictionary<JToken, string> plainScalarText,
        IReadOnlyList<UnsafeTextValue> unsafeText)
    {
        File = file;
        Root = root;
        Start = start;
        this.positions = positions;
        this.plainScalarText = plainScalarText;
        UnsafeText = unsafeText;
    }

    public string File { get; }

    public JToken Root { get; }

    public SourceSpan Start { get; }

    /// <summary>The text values holding a control, bidi or invisible character, in document order.</summary>
    public IReadOnlyList<UnsafeTextValue> UnsafeText { get; }

    /// <summary>Where a node starts; for a property, where its key is. Falls back to the nearest ancestor.</summary>
    public SourceSpan SpanOf(JToken? token)
    {
        for (var current = token; current is not null; current = current.Parent)
        {
            if (positions.TryGetValue(current, out var span))
            {
                return span;
            }
        }

        return Start;
    }

    /// <summary>Where the value of a property is (or the property's key when the value has no position).</summary>
    public SourceSpan ValueSpanOf(JToken? token) => token is JProperty property ? SpanOf(property.Value) : SpanOf(token);

    public string? PlainTextOf(JToken token) => plainScalarText.TryGetValue(token, out var text) ? text : null;

    /// <summary>Resolves a JSON pointer such as <c>/spec/sites/0/name</c>; null when it leads nowhere.</summary>
    public JToken? Resolve(string pointer)
    {
        JToken? current = Root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JObject obj => obj.Property(name, StringComparison.Ordinal)?.Value,
                JArray array when int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static ImmutableArray<string> PathSegments(JToken token)
    {
        var segments = new List<string>();
        for (var current = token; current.Parent is not null; current = current.Parent)
        {
            switch (current)
            {
                case JProperty property:
                    segments.Add(property.Name);
                    break;
                case var child when current.Parent is JArray array:
                    segments.Add(array.IndexOf(child).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        segments.Reverse();
        return [.. segments];
    }
}
