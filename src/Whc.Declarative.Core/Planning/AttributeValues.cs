using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// The value of one attribute: text, a whole number, a flag, a list of text, or a value known only after apply. The
/// type is the value's own, never guessed from the attribute's name; no value (null) is the absence of one. How a value
/// is shown (quoted, "(known after ringfence)", a JSON array) is each renderer's business.
/// </summary>
public abstract record AttributeValue
{
    private protected AttributeValue()
    {
    }

    /// <summary>False for a value known only after apply.</summary>
    public bool IsKnown => this is not UnknownValue;

    /// <summary>No value, or a list with no items: what a plan leaves out of a new resource's attributes.</summary>
    public static bool IsEmpty(AttributeValue? value) => value is null or ListValue { Items.IsEmpty: true };

    /// <summary>Text, or no value for null.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static TextValue? Text(string? value) => value is null ? null : new TextValue(value);

    public static NumberValue Number(long value) => new(value);

    public static FlagValue Flag(bool value) => value ? True : False;

    // A flag is one of two values, immutable: every resource's "protect" shares them.
    private static readonly FlagValue True = new(true);
    private static readonly FlagValue False = new(false);

    public static ListValue List(IEnumerable<string> items) => new([.. items]);

    /// <summary>A list of the items as they are (an immutable array needs no copy).</summary>
    public static ListValue List(ImmutableArray<string> items) => new(items);

    /// <summary>A value known only once <paramref name="step"/> has run ("ringfence", "address step", "apply").</summary>
    /// <param name="step">What makes the value known.</param>
    /// <param name="known">The part known already (the ranges a growing block holds), if any; an empty one is none.</param>
    public static UnknownValue KnownAfter(string step, AttributeValue? known = null) => new(step) { Known = IsEmpty(known) ? null : known };
}

public sealed record TextValue(string Value) : AttributeValue
{
    public override string ToString() => Value;
}

public sealed record NumberValue(long Value) : AttributeValue
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record FlagValue(bool Value) : AttributeValue
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A list of text: its items as they are, never joined into one text (an item may hold any character).</summary>
public sealed record ListValue(ImmutableArray<string> Items) : AttributeValue
{
    public ImmutableArray<string> Items { get; init; } = Items.IsDefault ? [] : Items;

    /// <summary>Equal when the items are, in order (an immutable array alone compares by reference).</summary>
    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in Items)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The items for a message or a log line; a renderer encodes <see cref="Items"/> itself.</summary>
    public override string ToString() => string.Join(", ", Items);
}

/// <summary>
/// A value known only after apply (Terraform's unknown): a state of the value, not a text standing for it, so no text
/// from a manifest or BT can be taken for one.
/// </summary>
/// <param name="Until">What makes it known: "ringfence", "address step", "apply".</param>
public sealed record UnknownValue(string Until) : AttributeValue
{
    /// <summary>The part known already, shown beside the unknown rest (the ranges a block holds before it grows); null when none.</summary>
    public AttributeValue? Known { get; init; }

    public override string ToString() => Known is null ? $"(known after {Until})" : $"{Known} + (known after {Until})";
}

/// <summary>One named attribute of a resource; null <see cref="Value"/> when it has none.</summary>
public sealed record NamedValue(string Name, AttributeValue? Value);

/// <summary>One attribute a change sets: its value before and after (null when it has none; <see cref="UnknownValue"/> after when known only after apply).</summary>
public sealed record AttributeChange(string Name, AttributeValue? Before, AttributeValue? After);
