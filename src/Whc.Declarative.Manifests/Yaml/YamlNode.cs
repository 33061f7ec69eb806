using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Manifests.Yaml;

/// <summary>What a scalar is once typed by YAML 1.2's core schema.</summary>
internal enum YamlScalarKind
{
    Null,
    Boolean,
    Integer,
    Float,
    String,
}

/// <summary>
/// One node of a manifest document as the checks and the model builder need it: a mapping, a list or a scalar, with
/// where it is written. Immutable, so a node an alias or merge key repeats is shared, not copied; it has no parent, so a
/// node's path is the walk's to keep (<see cref="YamlPath"/>).
/// </summary>
internal abstract class YamlNode(SourceSpan span)
{
    /// <summary>Where the node is written (for a copy made by an alias, where its anchored node is).</summary>
    public SourceSpan Span { get; } = span;
}

/// <summary>One entry of a mapping: its key, where the key is written, and its value.</summary>
internal sealed record YamlEntry(string Key, SourceSpan KeySpan, YamlNode Value);

/// <summary>A mapping whose entries keep their written order (merged entries where the merge key is).</summary>
internal sealed class YamlMapping(SourceSpan span, ImmutableArray<YamlEntry> entries) : YamlNode(span)
{
    public ImmutableArray<YamlEntry> Entries { get; } = entries;

    public int Count => Entries.Length;

    /// <summary>The value under <paramref name="key"/>, or null. Linear: a manifest mapping has a handful of entries.</summary>
    public YamlNode? this[string key] => Entry(key)?.Value;

    public YamlEntry? Entry(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        return null;
    }
}

/// <summary>A list.</summary>
internal sealed class YamlSequence(SourceSpan span, ImmutableArray<YamlNode> items) : YamlNode(span)
{
    public ImmutableArray<YamlNode> Items { get; } = items;

    public int Count => Items.Length;
}

/// <summary>
/// A scalar: its kind, the text as YAML read it (after escapes and folding), its style, and its typed value for a
/// number or boolean.
/// </summary>
internal sealed class YamlScalar : YamlNode
{
    private readonly long integer;
    private readonly double real;

    private YamlScalar(SourceSpan span, YamlScalarKind kind, string text, bool typedPlain, long integer = 0, double real = 0)
        : base(span)
    {
        Kind = kind;
        Text = text;
        TypedPlain = typedPlain;
        this.integer = integer;
        this.real = real;
    }

    public YamlScalarKind Kind { get; }

    /// <summary>The scalar's text; for a string, its value.</summary>
    public string Text { get; }

    /// <summary>A plain scalar YAML typed as other than text (10, true, ~): it reads as text once quoted.</summary>
    public bool TypedPlain { get; }

    public bool Boolean => Kind == YamlScalarKind.Boolean && integer != 0;

    public long Integer => integer;

    /// <summary>The value as a number (integers converted), for range checks.</summary>
    public double Number => Kind == YamlScalarKind.Integer ? integer : real;

    public bool IsNumber => Kind is YamlScalarKind.Integer or YamlScalarKind.Float;

    /// <summary>The value as text: a string's own, a number's invariant form, <c>True</c>/<c>False</c>, nothing for null.</summary>
    public string ValueText => Kind switch
    {
        YamlScalarKind.String => Text,
        YamlScalarKind.Integer => integer.ToString(CultureInfo.InvariantCulture),
        YamlScalarKind.Float => real.ToString(CultureInfo.InvariantCulture),
        YamlScalarKind.Boolean => integer != 0 ? bool.TrueString : bool.FalseString,
        _ => string.Empty,
    };

    public static YamlScalar String(SourceSpan span, string text) => new(span, YamlScalarKind.String, text, typedPlain: false);

    public static YamlScalar Null(SourceSpan span, string text = "", bool typedPlain = false) => new(span, YamlScalarKind.Null, text, typedPlain);

    public static YamlScalar Bool(SourceSpan span, string text, bool value, bool typedPlain = false) =>
        new(span, YamlScalarKind.Boolean, text, typedPlain, value ? 1 : 0);

    public static YamlScalar Int(SourceSpan span, string text, long value, bool typedPlain = false) =>
        new(span, YamlScalarKind.Integer, text, typedPlain, value);

    public static YamlScalar Float(SourceSpan span, string text, double value, bool typedPlain = false) =>
        new(span, YamlScalarKind.Float, text, typedPlain, real: value);
}

/// <summary>
/// Where a node is: the keys and list indexes from the document's root (indexes as text, as a JSON pointer has them).
/// A persistent list, so a walk extends it without copying and a finding keeps the one it was made at.
/// </summary>
internal sealed class YamlPath
{
    private YamlPath(YamlPath? parent, string segment, int depth)
    {
        Parent = parent;
        Segment = segment;
        Depth = depth;
    }

    /// <summary>The document itself (no segments).</summary>
    public static YamlPath Root { get; } = new(null, string.Empty, 0);

    public YamlPath? Parent { get; }

    public string Segment { get; }

    public int Depth { get; }

    public bool IsRoot => Depth == 0;

    public YamlPath Key(string key) => new(this, key, Depth + 1);

    public YamlPath Index(int index) => new(this, index.ToString(CultureInfo.InvariantCulture), Depth + 1);

    public IReadOnlyList<string> Segments
    {
        get
        {
            var segments = new string[Depth];
            for (var current = this; current.Parent is { } parent; current = parent)
            {
                segments[current.Depth - 1] = current.Segment;
            }

            return segments;
        }
    }
}
