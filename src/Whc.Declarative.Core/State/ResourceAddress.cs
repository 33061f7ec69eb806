using System.Diagnostics.CodeAnalysis;

namespace Whc.Declarative.Core.State;

public enum ResourceKind
{
    Company,
    NumberBlock,
    Site,
    User,
}

/// <summary>
/// Names one resource across the estate: <c>COMPANY</c> for the company itself, or <c>COMPANY/KIND/NAME</c> with KIND one
/// of <c>number-block</c>, <c>site</c>, <c>user</c> (e.g. <c>fun-network/user/jane.smith</c>). Used by <c>--target</c>,
/// <c>state show</c>, <c>state rm</c> and in plans.
/// </summary>
public sealed record ResourceAddress(string Company, ResourceKind Kind, string Name)
{
    public static ResourceAddress ForCompany(string company) => new(company, ResourceKind.Company, company);

    public static string KindSegment(ResourceKind kind) => kind switch
    {
        ResourceKind.NumberBlock => "number-block",
        ResourceKind.Site => "site",
        ResourceKind.User => "user",
        _ => "company",
    };

    public override string ToString() => Kind == ResourceKind.Company ? Company : $"{Company}/{KindSegment(Kind)}/{Name}";

    public static bool TryParse(string text, [NotNullWhen(true)] out ResourceAddress? address)
    {
        address = null;
        var parts = text.Split('/');
        if (parts.Any(p => p.Length == 0))
        {
            return false;
        }

        if (parts.Length == 1)
        {
            address = ForCompany(parts[0]);
            return true;
        }

        if (parts.Length != 3)
        {
            return false;
        }

        ResourceKind? kind = parts[1] switch
        {
            "number-block" => ResourceKind.NumberBlock,
            "site" => ResourceKind.Site,
            "user" => ResourceKind.User,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        address = new ResourceAddress(parts[0], kind.Value, parts[2]);
        return true;
    }

    /// <summary>True when this address is <paramref name="other"/> or contains it (a company contains its resources).</summary>
    public bool Contains(ResourceAddress other) =>
        Company == other.Company && (Kind == ResourceKind.Company || (Kind == other.Kind && Name == other.Name));
}
