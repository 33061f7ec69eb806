using System.Globalization;
using Whc.Declarative.Core.Planning;

namespace Whc.Declarative.Cli.Rendering;

/// <summary>How the text and Markdown plans show an attribute's value to people.</summary>
internal static class ValueText
{
    /// <summary>
    /// The value as one line of text: a list's items joined with ", ", a value known only after apply as a note
    /// ("(known after ringfence)", after what is known of it already); null for no value or a list with no items.
    /// </summary>
    public static string? Of(AttributeValue? value) => value switch
    {
        null => null,
        TextValue text => text.Value,
        NumberValue number => number.Value.ToString(CultureInfo.InvariantCulture),
        FlagValue flag => flag.Value ? "true" : "false",
        ListValue list => list.Items.IsEmpty ? null : string.Join(", ", list.Items),
        UnknownValue unknown => Of(unknown.Known) is { } known ? $"{known} + {Note(unknown)}" : Note(unknown),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "an attribute value of a kind this renderer does not know"),
    };

    /// <summary>True for a value that is only a note for people: known only after apply, nothing of it known yet.</summary>
    public static bool IsNote(AttributeValue? value) => value is UnknownValue unknown && Of(unknown.Known) is null;

    private static string Note(UnknownValue unknown) => $"(known after {unknown.Until})";
}
