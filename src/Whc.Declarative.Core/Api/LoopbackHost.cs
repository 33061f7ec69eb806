using System.Net;

namespace Whc.Declarative.Core.Api;

/// <summary>
/// The one rule for "this URL stays on this machine", where plain http is allowed: 127.0.0.0/8, ::1 or <c>localhost</c>
/// (not <c>localhost.</c> nor a name that merely resolves to loopback: a resolver is not trusted with that).
/// </summary>
public static class LoopbackHost
{
    public static bool Is(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));
    }
}
