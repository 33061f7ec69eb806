using System.Text;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// YAML texts for the differential tests of the manifest scanner: edits of real manifests (every one-character deletion,
/// insertion and replacement) and random documents mixing the scanner's subset with what lies just outside it, from a
/// seeded generator (the same texts on every run).
/// </summary>
internal static class ManifestYamlVariants
{
    /// <summary>Characters that matter to YAML's syntax, and a few that do not.</summary>
    private const string EditCharacters = " \n-:#'\"{}[],&*!|>?%@`\t\r\\~.ax0é\u00A0";

    public static IEnumerable<string> SingleEdits(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            yield return text.Remove(i, 1);
            foreach (var c in EditCharacters)
            {
                yield return text.Insert(i, c.ToString());
                if (text[i] != c)
                {
                    yield return string.Concat(text.AsSpan(0, i), c.ToString(), text.AsSpan(i + 1));
                }
            }
        }
    }

    /// <summary>A company as the benchmark estate's generator writes it.</summary>
    public static string EstateStyle(int n) =>
        $$"""
        # yaml-language-server: $schema=../../schemas/v1/manifest.schema.json
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: bench-company-{{n:D4}}
        spec:
          reseller:
            cugId: CUG5019851064
            billingAccount: GB12345678
          company:
            name: BenchCompany{{n:D4}}
            domain: bench{{n:D4}}.example.co.uk
            customerGroup: SWAINsTelecom
            admin: { name: Priya Shah, email: admin@bench{{n:D4}}.example.co.uk, phone: "01134960100" }
          numberBlocks:
            - name: main
              areaCode: "0113"
              quantity: 20
          sites:
            - name: branch
              locationCode: B{{n:D4}}S1
              address: { nadKey: A00004321789 }
              users:
                - username: user01.bench{{n:D4}}
                  firstName: User
                  lastName: Number1
                  extension: "2002"
                  number: { from: main }
                  devices: [ { macAddress: "80:5E:C0:00:01:01", model: Yealink T54W } ]

        """;

    /// <summary>
    /// A company as a script dumping YAML with PyYAML's defaults would write it: sequences as indented as their key,
    /// single quotes, keys sorted, no flow collections.
    /// </summary>
    public static string ScriptStyle(int n) =>
        $"""
        apiVersion: whc.declarative/v1
        kind: Company
        metadata:
          name: script-company-{n:D4}
        spec:
          company:
            admin:
              email: admin@script{n:D4}.example.co.uk
              name: Priya Shah
              phone: '01134960100'
            customerGroup: SWAINsTelecom
            domain: script{n:D4}.example.co.uk
            name: ScriptCompany{n:D4}
          numberBlocks:
          - areaCode: '0113'
            name: main
            quantity: 20
          reseller:
            billingAccount: GB12345678
            cugId: CUG5019851064
          sites:
          - address:
              nadKey: A00004321789
            locationCode: S{n:D4}S1
            name: branch
            users:
            - devices:
              - macAddress: 80:5E:C0:00:01:01
                model: Yealink T54W
              extension: '2002'
              firstName: User
              lastName: O'Number
              licence: null
              number:
                from: main
              username: user01.script{n:D4}

        """;

    private static readonly string[] PlainScalars =
    [
        "a", "name", "Yealink T54W", "true", "False", "null", "~", "10", "-5", "0x1F", "1e3", ".5", "09:00", "a:b", "x,y",
        "a#b", "http://example.com/x", "-x", "é", "a b  c", "---x", "a'b", "a\"b", "a!b", "a&b", "a*b", "a|b", "a>b", "a%b",
        "a@b", "a-", "a?", "x\u00A0y", "a  ", "\u200Bz",
    ];

    private static readonly string[] QuotedScalars =
    [
        "\"\"", "''", "\"a\"", "'a'", "\"0113\"", "'it''s'", "\"a\\\"b\"", "\"\\u00e9\\x41\\t\\\\\"", "\"\\n\\r\\0\"",
        "\"a: b\"", "'a # b'", "\"80:5E:C0:00:01:01\"", "'#'", "\"\\e\\_\\N\\L\\P\\/\\ \"", "\"[{,}]\"", "'\\'",
    ];

    private static readonly string[] Keys = ["a", "name", "b c", "\"q\"", "'s'", "x-y", "<<", "k1", "true", "1"];

    private static readonly string[] Oddities =
    [
        "&a ", "*a", "!!str ", "|", ">", "? ", "%YAML 1.2", "...", "- ", "\t", "[", "{", ",", "#x", "?a", ":a", "a]b", "a}b",
        "\"\\U0001F600\"", "\"\\q\"", "\"\\ud800\"", "'a''", "\"a", "\"a\\\"", "\"a\"b", "'a' b", "a: b",
    ];

    /// <summary>Random documents, mostly in the subset, some just outside it.</summary>
    public static IEnumerable<string> Random(int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var text = new StringBuilder();
            var newline = random.Next(8) == 0 ? "\r\n" : "\n";
            if (random.Next(3) == 0)
            {
                text.Append("# yaml-language-server: $schema=x.json").Append(newline);
            }

            var documents = random.Next(4) == 0 ? 2 : 1;
            for (var d = 0; d < documents; d++)
            {
                if (d > 0 || random.Next(3) == 0)
                {
                    text.Append(random.Next(4) == 0 ? "--- # doc" : "---").Append(newline);
                }

                Mapping(random, text, indent: random.Next(5) == 0 ? 1 : 0, depth: 0, newline);
            }

            if (random.Next(4) == 0)
            {
                text.Length -= newline.Length; // no line break at the end
            }

            yield return text.ToString();
        }
    }

    private static void Mapping(Random random, StringBuilder text, int indent, int depth, string newline, bool firstInline = false)
    {
        var entries = 1 + random.Next(4);
        for (var i = 0; i < entries; i++)
        {
            if (!(firstInline && i == 0))
            {
                text.Append(' ', indent);
            }

            text.Append(Pick(random, Keys)).Append(':');
            Value(random, text, indent, depth, newline);
            Filler(random, text, newline);
        }
    }

    private static void Sequence(Random random, StringBuilder text, int indent, int depth, string newline)
    {
        var items = 1 + random.Next(3);
        for (var i = 0; i < items; i++)
        {
            text.Append(' ', indent).Append('-').Append(' ', 1 + (random.Next(6) == 0 ? 1 : 0));
            switch (random.Next(depth >= 4 ? 2 : 3))
            {
                case 0:
                    text.Append(Scalar(random)).Append(Comment(random)).Append(newline);
                    break;
                case 1:
                    text.Append(Flow(random, 0)).Append(newline);
                    break;
                default:
                    Mapping(random, text, indent + 2 + (text[^1] == ' ' && text[^2] == ' ' ? 1 : 0), depth + 1, newline, firstInline: true);
                    break;
            }

            Filler(random, text, newline);
        }
    }

    private static void Value(Random random, StringBuilder text, int indent, int depth, string newline)
    {
        switch (random.Next(depth >= 4 ? 3 : 6))
        {
            case 0:
                text.Append(' ').Append(Scalar(random)).Append(Comment(random)).Append(newline);
                break;
            case 1:
                text.Append(' ').Append(Flow(random, 0)).Append(Comment(random)).Append(newline);
                break;
            case 2:
                text.Append(random.Next(2) == 0 ? string.Empty : "  ").Append(Comment(random)).Append(newline); // empty
                break;
            case 3 or 4:
                text.Append(Comment(random)).Append(newline);
                Mapping(random, text, indent + 1 + random.Next(3), depth + 1, newline);
                break;
            default:
                text.Append(Comment(random)).Append(newline);
                Sequence(random, text, indent + random.Next(4), depth + 1, newline);
                break;
        }
    }

    private static string Flow(Random random, int depth)
    {
        var mapping = random.Next(2) == 0;
        var count = random.Next(4);
        var parts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var value = depth < 2 && random.Next(4) == 0 ? Flow(random, depth + 1) : Scalar(random);
            parts.Add(mapping ? $"{Pick(random, Keys)}: {value}" : value);
        }

        var space = random.Next(2) == 0 ? " " : string.Empty;
        var separator = random.Next(3) == 0 ? "," : ", ";
        var inner = string.Join(separator, parts);
        return mapping ? $"{{{space}{inner}{space}}}" : $"[{space}{inner}{space}]";
    }

    /// <summary>Mostly scalars in the subset; now and then one that is not, or is not even YAML.</summary>
    private static string Scalar(Random random) => random.Next(100) switch
    {
        < 55 => Pick(random, PlainScalars),
        < 98 => Pick(random, QuotedScalars),
        _ => Pick(random, Oddities),
    };

    private static string Comment(Random random) => random.Next(5) == 0 ? " # note: x" : string.Empty;

    private static void Filler(Random random, StringBuilder text, string newline)
    {
        switch (random.Next(12))
        {
            case 0:
                text.Append(newline);
                break;
            case 1:
                text.Append(' ', random.Next(6)).Append("# comment").Append(newline);
                break;
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
