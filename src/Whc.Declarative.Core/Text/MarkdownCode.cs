namespace Whc.Declarative.Core.Text;

/// <summary>
/// Text whcctl did not write, put in Markdown as an inline code span: inside one GitHub renders no HTML, image, link
/// or @-mention, and a delimiter longer than any run of backticks in the text cannot be closed early.
/// </summary>
public static class MarkdownCode
{
    /// <summary>The one-line <paramref name="line"/> as a code span; the padding spaces are stripped by CommonMark.</summary>
    public static string Span(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var delimiter = new string('`', LongestBacktickRun(line) + 1);
        return $"{delimiter} {line} {delimiter}";
    }

    /// <summary>The longest run of backticks in <paramref name="text"/> (a fence must be longer).</summary>
    public static int LongestBacktickRun(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
