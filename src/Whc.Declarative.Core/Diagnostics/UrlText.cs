using System.Text.RegularExpressions;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>How a URL-like value a user gave is quoted back in a message: never with the credentials it may carry.</summary>
public static partial class UrlText
{
    /// <summary>
    /// The value with any user info (<c>user:password@</c>) and any query (<c>?key=...</c>) replaced by <c>***</c>, so a
    /// mistyped <c>postgress://user:PW@host/db?sslpassword=...</c> can be named in an error without its secrets.
    /// </summary>
    public static string WithoutCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var withoutUser = UserInfo().Replace(text, "${scheme}***@");
        var query = withoutUser.IndexOfAny(['?', '#']);
        return query < 0 ? withoutUser : withoutUser[..query] + "?***";
    }

    [GeneratedRegex("(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")]
    private static partial Regex UserInfo();
}
