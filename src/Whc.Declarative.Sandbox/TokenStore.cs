using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Whc.Declarative.Sandbox;

/// <summary>Issued access tokens (memory only; a restarted sandbox forgets them, as clients re-authenticate anyway).</summary>
internal sealed class TokenStore
{
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private int _generation;

    public string Issue(string clientId, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(21)).Replace('+', 'a').Replace('/', 'b');
        _tokens[token] = new IssuedToken(clientId, now + lifetime, Volatile.Read(ref _generation));
        return token;
    }

    /// <summary>Every token issued so far, valid or not.</summary>
    public IReadOnlyList<string> Issued => [.. _tokens.Keys];

    /// <summary>Every token issued so far stops working.</summary>
    public void RevokeAll() => Interlocked.Increment(ref _generation);

    public TokenCheck Check(string token, DateTimeOffset now)
    {
        if (!_tokens.TryGetValue(token, out var issued))
        {
            return new TokenCheck(TokenStatus.Unknown, null);
        }

        var expired = issued.ExpiresAt <= now || issued.Generation != Volatile.Read(ref _generation);
        return new TokenCheck(expired ? TokenStatus.Expired : TokenStatus.Valid, issued.ClientId);
    }

    private sealed record IssuedToken(string ClientId, DateTimeOffset ExpiresAt, int Generation);
}

internal enum TokenStatus
{
    Valid,
    Unknown,
    Expired,
}

internal readonly record struct TokenCheck(TokenStatus Status, string? ClientId);
