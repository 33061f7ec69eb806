using System.Collections.Immutable;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Every attribute of one resource at one moment (as state records it, or as refresh read it), so a plan can show
/// complete before and after objects, as Terraform's plan JSON does, and not only what changes.
/// </summary>
public sealed record ResourceValues(ResourceAddress Address, ImmutableArray<NamedValue> Values)
{
    /// <summary>Every resource of the company in <paramref name="view"/>, in address order.</summary>
    public static ImmutableArray<ResourceValues> Of(string company, CurrentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var resources = ImmutableArray.CreateBuilder<ResourceValues>();
        if (view.Record is { } record && view.CompanyActive)
        {
            resources.Add(new ResourceValues(ResourceAddress.ForCompany(company),
            [
                new("name", AttributeValue.Text(record.Name)), new("domain", AttributeValue.Text(record.Domain)), new("customerGroup", AttributeValue.Text(record.CustomerGroup)),
                new("serviceId", AttributeValue.Text(view.ServiceId)), new("protect", AttributeValue.Flag(record.Protected)),
            ]));
        }

        // The view's maps are keyed by name and sorted ordinally already: their order is address order.
        foreach (var block in view.Blocks.Values)
        {
            if (block.Ranges.Length == 0)
            {
                continue;
            }

            resources.Add(new ResourceValues(new ResourceAddress(company, ResourceKind.NumberBlock, block.Name),
            [
                new("areaCode", AttributeValue.Text(block.AreaCode)),
                new("quantity", AttributeValue.Number(block.Quantity)),
                new("numbers", Numbers(block)),
                new("ported", AttributeValue.Flag(block.Ported)),
                new("protect", AttributeValue.Flag(block.Protected)),
            ]));
        }

        foreach (var site in view.Sites.Values)
        {
            if (site.ServiceId is null)
            {
                continue;
            }

            resources.Add(new ResourceValues(new ResourceAddress(company, ResourceKind.Site, site.Name),
                [.. Planner.SiteAttributes(site), new("serviceId", AttributeValue.Text(site.ServiceId)), new("protect", AttributeValue.Flag(site.Protected))]));
        }

        foreach (var user in view.Users.Values)
        {
            resources.Add(new ResourceValues(new ResourceAddress(company, ResourceKind.User, user.Username),
                [.. Planner.UserAttributes(user), new("serviceId", AttributeValue.Text(user.ServiceId)), new("protect", AttributeValue.Flag(user.Protected))]));
        }

        return resources.ToImmutable();
    }

    /// <summary>A block's ranges, each in its compact form (<c>01214960000-01214960009</c>).</summary>
    internal static ListValue Numbers(NumberBlockState block) =>
        AttributeValue.List(block.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber).ToCompactString()));

    /// <summary>The value of the attribute <paramref name="name"/>; null when it has none or no such attribute.</summary>
    public AttributeValue? this[string name] => Values.FirstOrDefault(v => v.Name == name)?.Value;
}
