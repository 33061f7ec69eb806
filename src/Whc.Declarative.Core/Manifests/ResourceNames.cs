using System.Globalization;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Core.Manifests;

/// <summary>
/// The manifest's rules for the names that identify resources (metadata.name, a number block's and a site's name, a
/// username), in one place: the manifest schema states the same limits (a test holds them together), and state takes a
/// name only by them (<c>state mv</c>, <c>state push</c>, <c>import</c>), so no name reaches state, and from it every
/// printed plan and list, that a manifest could not hold: none with a control, bidi or invisible character.
/// </summary>
public static partial class ResourceNames
{
    public const int MaxCompanyKeyLength = 63;

    public const int MaxNumberBlockNameLength = 63;

    public const int MaxSiteNameLength = 63;

    public const int MaxUsernameLength = 64;

    /// <summary>metadata.name: lowercase letters, digits and dashes, not starting or ending with a dash, at most 63 characters.</summary>
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\z")]
    public static partial Regex CompanyKey();

    /// <summary>What is wrong with <paramref name="name"/> as the name of a <paramref name="kind"/>; null when nothing is.</summary>
    public static string? Problem(ResourceKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (kind == ResourceKind.Company)
        {
            return CompanyKey().IsMatch(name)
                ? null
                : $"'{Shorten(name)}' is not a company key: lowercase letters, digits and dashes, starting and ending with a letter or digit, at most {MaxCompanyKeyLength} characters";
        }

        var (what, most) = kind switch
        {
            ResourceKind.NumberBlock => ("number block name", MaxNumberBlockNameLength),
            ResourceKind.Site => ("site name", MaxSiteNameLength),
            _ => ("username", MaxUsernameLength),
        };
        if (UnsafeCharacters.Find(name) is { } found)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{what} '{Shorten(name)}' contains {UnsafeCharacters.Describe(found.CodePoint)} as character {found.Index + 1}; a name may hold no control, bidi or invisible characters");
        }

        // Characters as the manifest counts them: code points, not UTF-16 units.
        var length = name.EnumerateRunes().Count();
        return length == 0 ? $"a {what} cannot be empty"
            : length > most ? string.Create(CultureInfo.InvariantCulture, $"{what} '{Shorten(name)}' is {length} characters long; at most {most}")
            : null;
    }

    /// <summary>Every name in <paramref name="state"/> a manifest could not hold (the resources' own, and the users' site and block).</summary>
    public static IReadOnlyList<string> Problems(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        void Check(ResourceKind kind, string? name)
        {
            if (name is not null && Problem(kind, name) is { } problem)
            {
                problems.Add(problem);
            }
        }

        Check(ResourceKind.Company, state.Company);
        foreach (var block in state.NumberBlocks)
        {
            Check(ResourceKind.NumberBlock, block.Name);
        }

        foreach (var site in state.Sites)
        {
            Check(ResourceKind.Site, site.Name);
        }

        foreach (var user in state.Users)
        {
            Check(ResourceKind.User, user.Username);
            Check(ResourceKind.Site, user.Site);
            Check(ResourceKind.NumberBlock, user.NumberBlock);
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A name as a message quotes it: long ones cut (the message escapes the rest when it is printed).</summary>
    private static string Shorten(string name) => name.Length <= 80 ? name : $"{name[..77]}...";
}
