using System.Text;
using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 27: the docs quote messages in prose too, a fragment with "…" for what varies (docs/gitops.md §5a's "You see"
/// column, docs/cli.md's <c>`Apply failed: ...`</c>, docs/first-contact.md's doctor diagnosis). A generated sample cannot hold a fragment, so each is checked
/// against the program's own text, its source:
/// <list type="bullet">
/// <item>A fragment is cut into pieces at its wildcards: "…" or "...", a placeholder in capitals (<c>COMPANY</c>,
/// <c>N</c>, <c>USER</c>: <see cref="Placeholders"/>) and digits (an example value).</item>
/// <item>A fragment that starts with a code (<c>error WHC3050 ...</c>, <c>WHC4053 ...</c>) names a catalogue entry of
/// that code and severity, and each piece after it must be in the text of one of that code's templates or its title
/// (<c>src/Whc.Declarative.Core/Diagnostics/DiagnosticCatalog*.cs</c>), the template's holes (<c>{name}</c>) standing
/// for anything.</item>
/// <item>Any other fragment's pieces must each be in one string literal of the product (<c>src/**/*.cs</c>), holes
/// standing for anything: the words a user reads are written there once.</item>
/// </list>
/// A piece is matched as a glob against a glob (piece's ends open, a hole matches any text), so <c>takes extension</c>
/// matches <c>'{name}' takes {field} {value}</c>. Reworded or removed text makes the fragment's test fail here.
/// </summary>
public sealed partial class DocsSampleFragmentTests
{
    /// <summary>Words in capitals the docs use for what varies in a message.</summary>
    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal)
    {
        "A", "B", "C", "M", "N", "NEW", "OLD", "USER", "COMPANY", "ENDPOINT", "SERIAL", "LOCK_ID", "NAME", "STATUS", "BLOCK", "WHCnnnn",
    };

    public static TheoryData<string, string> Fragments()
    {
        var data = new TheoryData<string, string>();
        foreach (var (where, fragment) in QuotedFragments())
        {
            data.Add(where, fragment);
        }

        return data;
    }

    [Fact]
    public void The_troubleshooting_tables_and_the_cli_prose_quote_fragments()
    {
        // A rewrite of the tables that lost the quotes would leave nothing checked.
        QuotedFragments().Count(f => f.Where.StartsWith("docs/gitops.md", StringComparison.Ordinal)).Should().BeGreaterThan(15);
        QuotedFragments().Count(f => f.Where.StartsWith("docs/cli.md", StringComparison.Ordinal)).Should().BeGreaterThan(4);
    }

    [Theory]
    [MemberData(nameof(Fragments))]
    public void A_message_the_docs_quote_is_one_whcctl_can_print(string where, string fragment)
    {
        var problem = Check(fragment);

        problem.Should().BeNull($"{where} quotes `{fragment}`, which must be whcctl's words (fix the doc, or the quote)");
    }

    [Theory]
    [InlineData("error WHC3060 site 'hq': NAD key X1 is not among the 3 addresses BT lists at IP5 3RE", true)]
    [InlineData("error WHC3060 site 'hq': NAD key X1 is missing from the addresses BT lists at IP5 3RE", false)]
    [InlineData("warning WHC3060 site 'hq'", false)]
    [InlineData("error WHC3001 … suggesting import", false)]
    [InlineData("Apply failed: …", true)]
    [InlineData("Apply went wrong: …", false)]
    [InlineData("company … (ceased at BT outside whcctl: made again, with a new qualification)", true)]
    public void A_stale_fragment_is_caught(string fragment, bool ok)
    {
        (Check(fragment) is null).Should().Be(ok, Check(fragment) ?? "it matched");
    }

    [Theory]
    [InlineData("takes * *, which", "*takes extension*", true)]
    [InlineData("a*c", "*abc*", true)]
    [InlineData("abd", "*abc*", false)]
    [InlineData("x*", "*y", true)]
    [InlineData("ab", "b*", false)]
    [InlineData("*went very wrong*", "failed: *", false)]
    [InlineData("*imported 'Acme Ltd' as*", "imported * as *", true)]
    public void Globs_meet_when_one_string_matches_both(string a, string b, bool meet)
    {
        Meet(a, b).Should().Be(meet);
    }

    /// <summary>Null when the fragment is whcctl's text, else why not.</summary>
    private static string? Check(string fragment)
    {
        var coded = Coded().Match(fragment);
        IReadOnlyList<string> candidates;
        var rest = fragment;
        if (coded.Success)
        {
            var code = coded.Groups["code"].Value;
            var entry = DiagnosticCatalog.All.FirstOrDefault(d => d.Code == code);
            if (entry is null)
            {
                return $"{code} is not in the catalogue";
            }

            if (coded.Groups["severity"].Success && !string.Equals(coded.Groups["severity"].Value, entry.Severity.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return $"{code} is {entry.Severity.ToString().ToLowerInvariant()}, not {coded.Groups["severity"].Value}";
            }

            candidates = Catalogue.Value.TryGetValue(code, out var texts) ? texts : [];
            rest = fragment[coded.Length..];
        }
        else
        {
            candidates = ProductText.Value;
        }

        var pieces = Pieces(rest);
        if (!coded.Success && pieces.Count == 0)
        {
            return "nothing in it to check: quote more of the message";
        }

        // Each piece must fit some text of the program, and most of the fragment's letters must be that text's own,
        // not a hole's (a hole at a template's end would take any words).
        var letters = 0;
        var own = 0;
        foreach (var piece in pieces)
        {
            var best = candidates.Select(c => Score("*" + piece + "*", c)).DefaultIfEmpty(-1).Max();
            if (best < 0)
            {
                return $"'{piece}' is in no {(coded.Success ? $"template of {coded.Groups["code"].Value}" : "string of src/")}";
            }

            letters += piece.Count(char.IsLetter);
            own += best;
        }

        if (own * 3 < letters)
        {
            return $"only {own} of its {letters} letters are whcctl's own text: the rest would be what fills the holes of {(coded.Success ? $"{coded.Groups["code"].Value}'s templates" : "a string of src/")}";
        }

        return null;
    }

    /// <summary>The fragment's fixed text between its wildcards, trimmed of the punctuation around it; pieces without a word of three letters say too little to check.</summary>
    private static List<string> Pieces(string fragment)
    {
        var pieces = new List<string>();
        var placeholder = new Regex(@"\b(?:" + string.Join('|', Placeholders) + @")\b", RegexOptions.CultureInvariant);
        foreach (var part in Wildcard().Split(fragment).SelectMany(p => placeholder.Split(p)))
        {
            Add(part);
        }

        return pieces;

        void Add(string piece)
        {
            var trimmed = piece.Trim(' ', '(', ')', '[', ']', ':', ';', ',', '.', '\'', '"', '`');
            if (Regex.IsMatch(trimmed, "[A-Za-z]{3}"))
            {
                pieces.Add(trimmed);
            }
        }
    }

    /// <summary>Whether one string matches both globs (<c>*</c>: any text).</summary>
    internal static bool Meet(string a, string b) => Score(a, b) >= 0;

    /// <summary>
    /// -1 when no string matches both globs (<c>*</c>: any text), else the most letters of <paramref name="a"/> such a
    /// string can take from <paramref name="b"/>'s own text (not from its stars). The two are walked together, a star on
    /// either side taking the other side's next character or ending. A star of <paramref name="b"/> (a template's hole)
    /// takes a value, not a sentence: at most <see cref="HoleSpaces"/> spaces of <paramref name="a"/>, so a hole cannot
    /// swallow a reworded phrase.
    /// </summary>
    internal static int Score(string a, string b)
    {
        // best[i, j, k]: a[..i] and b[..j] walked, k spaces of a taken by b's current star.
        var best = new int[a.Length + 1, b.Length + 1, HoleSpaces + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            for (var j = 0; j <= b.Length; j++)
            {
                for (var k = 0; k <= HoleSpaces; k++)
                {
                    best[i, j, k] = -1;
                }
            }
        }

        best[0, 0, 0] = 0;
        for (var i = 0; i <= a.Length; i++)
        {
            for (var j = 0; j <= b.Length; j++)
            {
                for (var k = 0; k <= HoleSpaces; k++)
                {
                    var here = best[i, j, k];
                    if (here < 0)
                    {
                        continue;
                    }

                    var starA = i < a.Length && a[i] == '*';
                    var starB = j < b.Length && b[j] == '*';
                    if (starA)
                    {
                        Reach(i + 1, j, 0, here);
                        if (j < b.Length)
                        {
                            Reach(i, j + 1, 0, here);
                        }
                    }

                    if (starB)
                    {
                        Reach(i, j + 1, 0, here);
                        if (i < a.Length && a[i] != '*')
                        {
                            var spaces = k + (a[i] == ' ' ? 1 : 0);
                            if (spaces <= HoleSpaces)
                            {
                                Reach(i + 1, j, spaces, here);
                            }
                        }
                    }

                    if (!starA && !starB && i < a.Length && j < b.Length && a[i] == b[j])
                    {
                        Reach(i + 1, j + 1, 0, here + (char.IsLetter(a[i]) ? 1 : 0));
                    }
                }
            }
        }

        var result = -1;
        for (var k = 0; k <= HoleSpaces; k++)
        {
            result = Math.Max(result, best[a.Length, b.Length, k]);
        }

        return result;

        void Reach(int i, int j, int k, int score) => best[i, j, k] = Math.Max(best[i, j, k], score);
    }

    /// <summary>The spaces a template's hole may take from a quoted fragment: a value such as <c>'Acme Ltd'</c>.</summary>
    private const int HoleSpaces = 1;

    /// <summary>Where the docs quote messages: §5a's "You see" column, and docs/cli.md's quotes with an ellipsis (not command synopses).</summary>
    private static List<(string Where, string Fragment)> QuotedFragments()
    {
        var fragments = new List<(string, string)>();
        var gitops = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "gitops.md"));
        var section = Array.FindIndex(gitops, l => l.StartsWith("## 5a.", StringComparison.Ordinal));
        section.Should().BePositive("docs/gitops.md has §5a");
        var rows = gitops.Skip(section).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        var line = section + 1 + gitops.Skip(section + 1).TakeWhile(l => !l.StartsWith('|')).Count() + 2;
        foreach (var row in rows)
        {
            line++;
            var seen = row.Split('|')[1];
            foreach (Match span in Backticked().Matches(seen))
            {
                if (!span.Groups[1].Value.StartsWith('-'))
                {
                    fragments.Add(($"docs/gitops.md({line})", span.Groups[1].Value));
                }
            }
        }

        // docs/first-contact.md's doctor diagnosis (WHC4021): the messages its bullets quote (multi-line quotes joined).
        var contact = File.ReadAllText(Path.Combine(Repository.Root, "docs", "first-contact.md")).ReplaceLineEndings("\n");
        var diagnosis = contact.IndexOf("### One cause, named once (WHC4021)", StringComparison.Ordinal);
        diagnosis.Should().BePositive("docs/first-contact.md documents doctor's diagnosis");
        var bullets = contact[diagnosis..contact.IndexOf("<!-- sample:", diagnosis, StringComparison.Ordinal)];
        foreach (Match span in Backticked().Matches(bullets))
        {
            var text = Regex.Replace(span.Groups[1].Value, @"\s*\n\s*", " ");
            if (text.Length > 30)
            {
                fragments.Add(("docs/first-contact.md (One cause, named once)", text));
            }
        }

        var cli = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "cli.md"));
        var fenced = false;
        for (var i = 0; i < cli.Length; i++)
        {
            if (cli[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            foreach (Match span in fenced ? Enumerable.Empty<Match>() : Backticked().Matches(cli[i]))
            {
                var text = span.Groups[1].Value;
                if ((text.Contains('…', StringComparison.Ordinal) || text.Contains("...", StringComparison.Ordinal)) && !Synopsis().IsMatch(text))
                {
                    fragments.Add(($"docs/cli.md({i + 1})", text));
                }
            }
        }

        return fragments;
    }

    /// <summary>Per code, the text of its title and of each template (holes as <c>*</c>), read from the catalogue's source.</summary>
    private static readonly Lazy<Dictionary<string, List<string>>> Catalogue = new(() =>
    {
        var texts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var sources = Directory.GetFiles(Path.Combine(Repository.Root, "src", "Whc.Declarative.Core", "Diagnostics"), "DiagnosticCatalog*.cs").Select(File.ReadAllText).ToList();
        // A descriptor's templates may sit in another part of the partial class.
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match descriptor in sources.SelectMany(s => Descriptor().Matches(s)))
        {
            codes[descriptor.Groups["name"].Value] = descriptor.Groups["code"].Value;
            Add(descriptor.Groups["code"].Value, Literals(descriptor.Value));
        }

        foreach (var source in sources)
        {
            var members = Member().Matches(source).Cast<Match>().Select(m => m.Index).Append(source.Length).ToList();
            for (var m = 0; m < members.Count - 1; m++)
            {
                var member = source[members[m]..members[m + 1]];
                var template = TemplateOf().Match(member);
                if (template.Success && codes.TryGetValue(template.Groups["descriptor"].Value, out var code))
                {
                    Add(code, Literals(member));
                }
            }
        }

        return texts;

        void Add(string code, IEnumerable<string> literals)
        {
            if (!texts.TryGetValue(code, out var list))
            {
                texts[code] = list = [];
            }

            list.AddRange(literals);
        }
    });

    /// <summary>
    /// Every string literal of the product with at least a few letters of its own, and the real output the docs show
    /// (their samples, which <see cref="DocsSampleTests"/> makes and checks), for text a renderer builds piece by piece.
    /// </summary>
    private static readonly Lazy<List<string>> ProductText = new(() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Literals(File.ReadAllText(f)))
            .Where(l => l.Count(char.IsLetter) >= 6)
            .Concat(DocSamples.Files.SelectMany(DocSamples.RegionsIn).SelectMany(r => r.Actual.Replace('*', '\u2217').Split('\n')))
            .Distinct(StringComparer.Ordinal)
            .ToList());

    /// <summary>The string literals in C# source (regular, verbatim and interpolated; raw ones are skipped), each interpolation hole as <c>*</c>.</summary>
    internal static List<string> Literals(string source)
    {
        var literals = new List<string>();
        var i = 0;
        while (i < source.Length)
        {
            if (source[i] == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                i = source.IndexOf('\n', i) is var end and >= 0 ? end : source.Length;
            }
            else if (source[i] == '\'' && i + 2 < source.Length)
            {
                // A char literal ('"', '\'', 'x'): skipped, so its quote starts no string.
                var close = source.IndexOf('\'', i + (source[i + 1] == '\\' ? 3 : 2));
                i = close < 0 ? source.Length : close + 1;
            }
            else if (source[i] == '"' && source.AsSpan(i).StartsWith("\"\"\""))
            {
                var close = source.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                i = close < 0 ? source.Length : close + 3;
            }
            else if (source[i] == '"' || (source[i] is '$' or '@' && i + 1 < source.Length && (source[i + 1] == '"' || (source[i + 1] is '$' or '@' && i + 2 < source.Length && source[i + 2] == '"'))))
            {
                var text = new StringBuilder();
                i = ReadString(source, i, text);
                literals.Add(text.ToString());
            }
            else
            {
                i++;
            }
        }

        return literals;
    }

    /// <summary>Reads the string literal at <paramref name="start"/> into <paramref name="text"/>; returns the index after it.</summary>
    private static int ReadString(string source, int start, StringBuilder text)
    {
        var i = start;
        var interpolated = false;
        var verbatim = false;
        while (source[i] != '"')
        {
            interpolated |= source[i] == '$';
            verbatim |= source[i] == '@';
            i++;
        }

        i++;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '"' && verbatim && i + 1 < source.Length && source[i + 1] == '"')
            {
                text.Append('"');
                i += 2;
            }
            else if (c == '"')
            {
                return i + 1;
            }
            else if (c == '\\' && !verbatim && i + 1 < source.Length)
            {
                text.Append(source[i + 1] switch { 'n' => '\n', 't' => '\t', var other => other });
                i += 2;
            }
            else if (interpolated && c == '{' && i + 1 < source.Length && source[i + 1] == '{')
            {
                text.Append('{');
                i += 2;
            }
            else if (interpolated && c == '}' && i + 1 < source.Length && source[i + 1] == '}')
            {
                text.Append('}');
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                // A hole: skip to its closing brace, past any string inside it.
                var depth = 1;
                i++;
                while (i < source.Length && depth > 0)
                {
                    if (source[i] == '"' || (source[i] is '$' or '@' && i + 1 < source.Length && source[i + 1] == '"'))
                    {
                        i = ReadString(source, i, new StringBuilder());
                        continue;
                    }

                    depth += source[i] switch { '{' => 1, '}' => -1, _ => 0 };
                    i++;
                }

                if (text.Length == 0 || text[^1] != '*')
                {
                    text.Append('*');
                }
            }
            else
            {
                text.Append(c == '*' ? '\u2217' : c); // a literal star is not a wildcard
                i++;
            }
        }

        return i;
    }

    [GeneratedRegex(@"^(?:(?<severity>error|warning) )?(?<code>WHC\d{4})\b:?")]
    private static partial Regex Coded();

    [GeneratedRegex(@"…|\.\.\.|\d+")]
    private static partial Regex Wildcard();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    /// <summary>A command's synopsis (<c>whcctl import COMPANY [PATH...]</c>, <c>destroy COMPANY...</c>) is not a message.</summary>
    [GeneratedRegex(@"^(whcctl |destroy |import |plan |apply )")]
    private static partial Regex Synopsis();

    [GeneratedRegex(@"DiagnosticDescriptor (?<name>\w+) \{ get; \} =\s*(?:Error|Warning|Info)\(""(?<code>WHC\d{4})"",[^;]*;")]
    private static partial Regex Descriptor();

    [GeneratedRegex(@"^    (?:public|private|internal) static ", RegexOptions.Multiline)]
    private static partial Regex Member();

    [GeneratedRegex(@"=\s*(?<descriptor>\w+)\.Template\(")]
    private static partial Regex TemplateOf();
}
