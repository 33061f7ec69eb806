using System.Collections.Concurrent;
using System.Text;

namespace Whc.Declarative.WhcApi;

/// <summary>
/// The secrets one client knows (the client secret, the Basic credentials, every token issued) and how to hide them in
/// any text that leaves the process: log lines, error messages, recordings. Thread-safe.
/// </summary>
internal sealed class SecretRedactor
{
    private readonly ConcurrentDictionary<string, byte> secrets = new(StringComparer.Ordinal);

    /// <summary>
    /// Remembers a secret in every form it may be echoed in: as is, URL-encoded (both ways), base64, and escaped in a
    /// JSON string (<c>\/</c>, <c>\u002B</c>). <see cref="Redact"/> ignores letter case, so upper-cased forms match too.
    /// </summary>
    public void Add(string secret)
    {
        if (secret.Length < 4)
        {
            return;
        }

        foreach (var form in new[]
        {
            secret,
            Uri.EscapeDataString(secret),
            System.Net.WebUtility.UrlEncode(secret),
            Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)),
            System.Text.Json.JsonEncodedText.Encode(secret).Value,
            secret.Replace("/", "\\/", StringComparison.Ordinal),
        })
        {
            secrets.TryAdd(form, 0);
        }
    }

    /// <summary>
    /// The text with every secret replaced by <c>***</c>, in any letter case (a gateway may echo a token upper-cased),
    /// longest first so a secret inside another is not half-replaced.
    /// </summary>
    public string Redact(string text)
    {
        foreach (var secret in secrets.Keys.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal))
        {
            text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }
}
