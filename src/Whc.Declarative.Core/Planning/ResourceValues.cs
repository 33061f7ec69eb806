using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>One attribute of a resource as text (null when it has none); <see cref="ResourceValues.TypeOf"/> says how to type it.</summary>
public sealed record AttributeValue(string Name, string? Value);

/// <summary>
/// Every attribute of one resource at one moment (as state records it, or as refresh read it), so a plan can show
/// complete before and after objects, as Terraform's plan JSON does, and not only what changes.
/// </summary>
public sealed record ResourceValues(ResourceAddress Address, ImmutableArray<AttributeValue> Values)
{
    /// <summary>Attributes that are whole numbers, true/false, or lists; every other attribute is text.</summary>
    public static AttributeType TypeOf(string name) => name switch
    {
        "quantity" or "ringfenced" => AttributeType.Number,
        "protect" or "ported" => AttributeType.Boolean,
        "devices" or "numbers" => AttributeType.List,
        _ => AttributeType.Text,
    };

    /// <summary>The separator of a list attribute's items in its text form.</summary>
    public const string ListSeparator = ", ";

    /// <summary>Every resource of the company in <paramref name="view"/>, in address order.</summary>
    public static ImmutableArray<ResourceValues> Of(string company, CurrentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var resources = ImmutableArray.CreateBuilder<ResourceValues>();
        if (view.Record is { } record && view.CompanyActive)
        {
            resources.Add(new ResourceValues(ResourceAddress.ForCompany(company),
            [
                new("name", record.Name), new("domain", record.Domain), new("customerGroup", record.CustomerGroup),
                new("serviceId", view.ServiceId), new("protect", Flag(record.Protected)),
            ]));
        }

        foreach (var block in view.Blocks.Values.Where(b => b.Ranges.Length > 0).OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            resources.Add(new ResourceValues(new ResourceAddress(company, ResourceKind.NumberBlock, block.Name),
            [
                new("areaCode", block.AreaCode),
                new("quantity", block.Quantity.ToString(CultureInfo.InvariantCulture)),
                new("numbers", string.Join(ListSeparator, block.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()))),
                new("ported", Flag(block.Ported)),
                new("protect", Flag(block.Protected)),
            ]));
        }

        foreach (var site in view.Sites.Values.Where(s => s.ServiceId is not null).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            resources.Add(new ResourceValues(new ResourceAddress(company, ResourceKind.Site, site.Name),
                [.. Planner.SiteAttributes(site).Select(a => new AttributeValue(a.Name, a.Value)), new("serviceId", site.ServiceId), new("protect", Flag(site.Protected))]));
        }

        foreach (var user in view.Users.Values.OrderBy(u => u.Username, StringComparer.Ordinal))
        {
            resources.Add(new ResourceValues(new ResourceAddress(company, ResourceKind.User, user.Username),
                [.. Planner.UserAttributes(user).Select(a => new AttributeValue(a.Name, a.Value)), new("serviceId", user.ServiceId), new("protect", Flag(user.Protected))]));
        }

        return resources.ToImmutable();
    }

    private static string Flag(bool value) => value ? "true" : "false";
}

/// <summary>How an attribute is typed in JSON: text, a whole number, true/false, or a list of text.</summary>
public enum AttributeType
{
    Text,
    Number,
    Boolean,
    List,
}
