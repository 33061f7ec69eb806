using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Yaml;

/// <summary>
/// A text value holding a code point <see cref="Core.Text.UnsafeCharacters"/> refuses: the first such code point, its
/// index in the value, and where it is written (the character itself when it is there literally, else the value).
/// </summary>
internal sealed record UnsafeText(int Index, int CodePoint, SourceSpan Span);

/// <summary>One place an unsafe text value is used (an aliased value may be used in several): its path and the finding.</summary>
/// <param name="IsEntryValue">The value is a mapping entry's own (not a list item): a credential entry's value is not echoed.</param>
internal sealed record UnsafeTextValue(YamlPath Path, bool IsEntryValue, UnsafeText Text)
{
    public int Index => Text.Index;

    public int CodePoint => Text.CodePoint;

    public SourceSpan Span => Text.Span;
}

/// <summary>One YAML document read into a <see cref="YamlMapping"/>, every node knowing where it is written.</summary>
internal sealed class YamlDocumentTree(string file, YamlMapping root, SourceSpan start, IReadOnlyList<UnsafeTextValue> unsafeText)
{
    public string File { get; } = file;

    public YamlMapping Root { get; } = root;

    public SourceSpan Start { get; } = start;

    /// <summary>The text values holding a control, bidi or invisible character, in document order.</summary>
    public IReadOnlyList<UnsafeTextValue> UnsafeText { get; } = unsafeText;

    /// <summary>Resolves a JSON pointer such as <c>/spec/sites/0/name</c>; null when it leads nowhere.</summary>
    public YamlNode? Resolve(string pointer)
    {
        YamlNode? current = Root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                YamlMapping mapping => mapping[name],
                YamlSequence list when int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < list.Count => list.Items[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
