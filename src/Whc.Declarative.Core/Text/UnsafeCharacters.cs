using System.Globalization;
using System.Text;

namespace Whc.Declarative.Core.Text;

/// <summary>
/// The code points no manifest text may hold, because they hide or rearrange what a reviewer sees (bidi controls,
/// zero-width and other invisible characters), break a line or a terminal (C0 and C1 controls, DEL, line and paragraph
/// separators), or are not characters at all (lone surrogates, noncharacters). Every manifest field is one line, so
/// tab and line feed are among them. Ordinary letters, marks, symbols and spaces of any script are not.
/// </summary>
public static class UnsafeCharacters
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [0x0000] = "null", [0x0009] = "tab", [0x000A] = "line feed", [0x000D] = "carriage return", [0x001B] = "escape",
        [0x007F] = "delete", [0x0085] = "next line", [0x00AD] = "soft hyphen", [0x061C] = "Arabic letter mark",
        [0x180E] = "Mongolian vowel separator", [0x200B] = "zero width space", [0x200C] = "zero width non-joiner",
        [0x200D] = "zero width joiner", [0x200E] = "left-to-right mark", [0x200F] = "right-to-left mark",
        [0x2028] = "line separator", [0x2029] = "paragraph separator", [0x202A] = "left-to-right embedding",
        [0x202B] = "right-to-left embedding", [0x202C] = "pop directional formatting", [0x202D] = "left-to-right override",
        [0x202E] = "right-to-left override", [0x2060] = "word joiner", [0x2066] = "left-to-right isolate",
        [0x2067] = "right-to-left isolate", [0x2068] = "first strong isolate", [0x2069] = "pop directional isolate",
        [0xFEFF] = "zero width no-break space",
    };

    /// <summary>The first unsafe code point in <paramref name="text"/> and its UTF-16 index, or null when there is none.</summary>
    public static (int Index, int CodePoint)? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c is >= ' ' and < '\u007F')
            {
                i++; // the common case: printable ASCII
                continue;
            }

            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return (i, c); // a lone surrogate
            }

            if (IsUnsafe(rune.Value))
            {
                return (i, rune.Value);
            }

            i += consumed;
        }

        return null;
    }

    public static bool IsUnsafe(int codePoint) => Classify(codePoint) is not null;

    /// <summary>"U+202E (right-to-left override, a bidi control)": the code point, never the character itself.</summary>
    public static string Describe(int codePoint)
    {
        var what = Classify(codePoint) ?? "a character";
        var code = string.Create(CultureInfo.InvariantCulture, $"U+{codePoint:X4}");
        return Names.TryGetValue(codePoint, out var name) ? $"{code} ({name}, {what})" : $"{code} ({what})";
    }

    private static string? Classify(int codePoint)
    {
        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            return "a lone surrogate, not a character";
        }

        if (codePoint is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
        {
            return "a bidi control";
        }

        if (codePoint is (>= 0x200B and <= 0x200D) or 0x2060 or 0xFEFF or 0x180E or 0x115F or 0x1160 or 0x3164 or 0xFFA0)
        {
            return "an invisible character";
        }

        if ((codePoint is >= 0xFDD0 and <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE)
        {
            return "a noncharacter";
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control => "a control character",
            UnicodeCategory.Format => "an invisible format character",
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line break",
            _ => null,
        };
    }
}
