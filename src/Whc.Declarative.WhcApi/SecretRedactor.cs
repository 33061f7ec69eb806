using System.Buffers;
using System.Globalization;
using System.Text;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The secrets one client knows (the client secret, the Basic credentials, every token issued) and how to hide them in
/// any text that leaves the process: log lines, error messages, recordings. Thread-safe; <see cref="Redact"/> is one
/// linear multi-pattern scan, whatever the number of secrets.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>Shorter secrets are not redacted: they would hide ordinary words and numbers.</summary>
    public const int MinimumLength = 4;

    private const string Mask = "***";

    private readonly Lock gate = new();
    private readonly SortedSet<string> forms = new(StringComparer.Ordinal);
    private Matcher? matcher;

    /// <summary>
    /// Remembers a secret in every form it may be echoed in (see <see cref="Forms"/>). <see cref="Redact"/> ignores
    /// letter case, so hex and percent-encoding in either case, and an upper-cased echo, match too.
    /// </summary>
    public void Add(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinimumLength)
        {
            return;
        }

        lock (gate)
        {
            var before = forms.Count;
            foreach (var form in Forms(secret))
            {
                if (form.Length >= MinimumLength)
                {
                    forms.Add(form);
                }
            }

            if (forms.Count != before)
            {
                Volatile.Write(ref matcher, new Matcher([.. forms]));
            }
        }
    }

    /// <summary>
    /// The text with every secret replaced by <c>***</c>, in any letter case (a gateway may echo a token upper-cased).
    /// At each place the longest form that starts there is hidden, so a secret inside another is not half-replaced.
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var current = Volatile.Read(ref matcher);
        return current is null ? text : current.Replace(text);
    }

    /// <summary>
    /// Every form <paramref name="secret"/> may be echoed in: as is; URL-encoded (<c>%20</c>) and form-encoded
    /// (<c>+</c>, with and without <c>~</c> encoded); hex of its UTF-8 bytes; base64 padded, unpadded and URL-safe
    /// (<c>-</c>, <c>_</c>), and its core inside a longer base64 text at any offset; each of those as is and escaped in
    /// a JSON string by every common encoder (see <see cref="JsonForms"/>).
    /// </summary>
    internal static IEnumerable<string> Forms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var base64 = Convert.ToBase64String(bytes);
        var urlSafe = base64.Replace('+', '-').Replace('/', '_');
        string[] plain =
        [
            secret,
            Uri.EscapeDataString(secret),
            System.Net.WebUtility.UrlEncode(secret),
            // Form encoders differ on '~', '!', '*', '(' and ')': percent-encoding with '+' for spaces only.
            Uri.EscapeDataString(secret).Replace("%20", "+", StringComparison.Ordinal),
            Convert.ToHexString(bytes),
            base64,
            base64.TrimEnd('='),
            urlSafe,
            urlSafe.TrimEnd('='),
        ];
        return plain.Concat(Base64Cores(bytes)).Concat(plain.SelectMany(JsonForms));
    }

    /// <summary>
    /// The base64 characters made of the secret's bits alone when it is encoded inside a longer text (a JSON body or a
    /// header, base64-encoded whole), at each of the three byte offsets a 3-byte group allows, standard and URL-safe.
    /// Cores shorter than 8 characters are left out: they would hide ordinary text.
    /// </summary>
    private static IEnumerable<string> Base64Cores(byte[] secret)
    {
        for (var offset = 0; offset < 3; offset++)
        {
            var shifted = new byte[offset + secret.Length];
            secret.CopyTo(shifted, offset);
            var encoded = Convert.ToBase64String(shifted).TrimEnd('=');
            var first = (offset * 8 + 5) / 6;
            var end = shifted.Length * 8 / 6;
            if (end - first >= 8)
            {
                var core = encoded[first..end];
                yield return core;
                yield return core.Replace('+', '-').Replace('/', '_');
            }
        }
    }

    /// <summary>
    /// <paramref name="text"/> as a JSON string's content, by each combination of the choices encoders make: a quote,
    /// backslash or control character as a short escape (<c>\"</c>) or <c>\u0022</c>; HTML-sensitive characters
    /// (<c>+ &amp; &lt; &gt; ' `</c>) kept or <c>\u002B</c>; non-ASCII kept (UTF-8) or <c>\u00E4</c> (surrogate pairs
    /// for the rest); <c>/</c> kept or <c>\/</c>. System.Text.Json's default encoder, its relaxed one, Jackson,
    /// Python's and PHP's all write one of these.
    /// </summary>
    internal static IEnumerable<string> JsonForms(string text)
    {
        for (var choice = 0; choice < 16; choice++)
        {
            var unicodeForQuotes = (choice & 1) != 0;
            var escapeHtml = (choice & 2) != 0;
            var escapeNonAscii = (choice & 4) != 0;
            var escapeSlash = (choice & 8) != 0;
            var form = new StringBuilder(text.Length + 8);
            foreach (var c in text)
            {
                var shortEscape = c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\b' => "\\b",
                    '\f' => "\\f",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => null,
                };
                if (shortEscape is not null || char.IsControl(c))
                {
                    form.Append(unicodeForQuotes || shortEscape is null ? Unicode(c) : shortEscape);
                }
                else if (c is '+' or '&' or '<' or '>' or '\'' or '`')
                {
                    form.Append(escapeHtml ? Unicode(c) : c.ToString());
                }
                else if (c > '\u007F')
                {
                    form.Append(escapeNonAscii ? Unicode(c) : c.ToString());
                }
                else if (c == '/')
                {
                    form.Append(escapeSlash ? "\\/" : "/");
                }
                else
                {
                    form.Append(c);
                }
            }

            yield return form.ToString();
        }

        static string Unicode(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
    }

    /// <summary>The forms known at one time, searched all at once; forms that start alike are tried longest first.</summary>
    private sealed class Matcher
    {
        private readonly SearchValues<string> anyForm;
        private readonly Dictionary<char, string[]> byFirstLetter = [];

        public Matcher(string[] forms)
        {
            anyForm = SearchValues.Create(forms, StringComparison.OrdinalIgnoreCase);
            foreach (var group in forms.GroupBy(f => char.ToUpperInvariant(f[0])))
            {
                byFirstLetter[group.Key] = [.. group.OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
            }
        }

        public string Replace(string text)
        {
            var rest = text.AsSpan();
            var found = rest.IndexOfAny(anyForm);
            if (found < 0)
            {
                return text;
            }

            var result = new StringBuilder(text.Length);
            while (found >= 0)
            {
                result.Append(rest[..found]);
                rest = rest[found..];
                var length = LongestAt(rest);
                if (length == 0)
                {
                    // Not reachable with SearchValues' case mapping; kept so a mismatch can never loop or hide text.
                    result.Append(rest[0]);
                    rest = rest[1..];
                }
                else
                {
                    result.Append(Mask);
                    rest = rest[length..];
                }

                found = rest.IndexOfAny(anyForm);
            }

            return result.Append(rest).ToString();
        }

        private int LongestAt(ReadOnlySpan<char> text)
        {
            if (byFirstLetter.TryGetValue(char.ToUpperInvariant(text[0]), out var candidates))
            {
                foreach (var form in candidates)
                {
                    if (text.StartsWith(form, StringComparison.OrdinalIgnoreCase))
                    {
                        return form.Length;
                    }
                }
            }

            return 0;
        }
    }
}
