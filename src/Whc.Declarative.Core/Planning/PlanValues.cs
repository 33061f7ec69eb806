using System.Collections.Immutable;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>A resource before and after a change, as whole objects (Terraform's <c>change.before</c>/<c>change.after</c>); null where it does not exist.</summary>
public sealed record ChangeValues(ResourceValues? Before, ResourceValues? After);

/// <summary>
/// The whole resources a plan speaks of, computed here so that every output encodes the same values: prior state
/// (what is there now), planned values (what is there after apply) and each change's or drift's before and after.
/// A value known only after apply stays an <see cref="UnknownValue"/>; renderers decide how to show it.
/// </summary>
public static class PlanValues
{
    /// <summary>BT's service id comes with the order: unknown for whatever a plan creates.</summary>
    private static readonly UnknownValue ServiceIdAfterOrder = AttributeValue.KnownAfter("apply");

    /// <summary>Every resource as it is now (Terraform's <c>prior_state</c>).</summary>
    public static ImmutableArray<ResourceValues> Prior(CompanyPlan company)
    {
        ArgumentNullException.ThrowIfNull(company);
        return company.Prior.IsDefault ? [] : company.Prior;
    }

    /// <summary>
    /// Every resource as it will be once the plan is applied (Terraform's <c>planned_values</c>): prior state for what
    /// no change touches, then what each change leaves (nothing for a delete or a forget), in the plan's order.
    /// </summary>
    public static ImmutableArray<ResourceValues> Planned(CompanyPlan company)
    {
        ArgumentNullException.ThrowIfNull(company);
        var prior = Prior(company);
        var changes = company.Changes.Where(c => c.Action != ChangeAction.Drift).ToList();
        var changed = changes.Select(c => c.Address).ToHashSet();
        var planned = ImmutableArray.CreateBuilder<ResourceValues>();
        planned.AddRange(prior.Where(r => !changed.Contains(r.Address)));
        foreach (var change in changes)
        {
            if (After(change, Find(prior, change.Address)) is { } after)
            {
                planned.Add(after);
            }
        }

        return planned.ToImmutable();
    }

    /// <summary>
    /// A change's before (prior state; for a resource prior state lacks, what the change says it was; none for a
    /// create) and after (before with what the change sets; none for a delete or a forget).
    /// </summary>
    public static ChangeValues OfChange(CompanyPlan company, ResourceChange change)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(change);
        var before = change.Action == ChangeAction.Create ? null : Find(Prior(company), change.Address) ?? BeforeOf(change);
        return new ChangeValues(before, After(change, before));
    }

    /// <summary>
    /// Drift as Terraform shows it: state as recorded before, BT as read after (before with what BT changed); ceased at
    /// BT has no after, found at BT no before.
    /// </summary>
    public static ChangeValues OfDrift(CompanyPlan company, ResourceChange change)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(change);
        var observed = change.Observed ?? ChangeAction.Update;
        var before = observed == ChangeAction.Create ? null : Find(company.Recorded.IsDefault ? [] : company.Recorded, change.Address) ?? BeforeOf(change);
        var after = observed == ChangeAction.Delete ? null : Overlay(change.Address, before, change.Attributes.Select(a => new NamedValue(a.Name, a.After)));
        return new ChangeValues(before, after);
    }

    private static ResourceValues? Find(ImmutableArray<ResourceValues> resources, ResourceAddress address) =>
        resources.FirstOrDefault(r => r.Address == address);

    private static ResourceValues BeforeOf(ResourceChange change) =>
        new(change.Address, [.. change.Attributes.Where(a => a.Before is not null).Select(a => new NamedValue(a.Name, a.Before))]);

    /// <summary>The resource after the change: what it is now, with what the change sets; null when it goes.</summary>
    private static ResourceValues? After(ResourceChange change, ResourceValues? before)
    {
        if (change.Action is ChangeAction.Delete or ChangeAction.Forget)
        {
            return null;
        }

        var made = change.Action is ChangeAction.Create or ChangeAction.Replace;
        var set = change.Attributes.Select(a => new NamedValue(a.Name, a.After));
        return Overlay(change.Address, made ? null : before, made ? set.Append(new NamedValue("serviceId", ServiceIdAfterOrder)) : set);
    }

    /// <summary><paramref name="before"/>'s attributes with <paramref name="set"/> replacing those of the same name, in name order.</summary>
    private static ResourceValues Overlay(ResourceAddress address, ResourceValues? before, IEnumerable<NamedValue> set)
    {
        var values = new SortedDictionary<string, AttributeValue?>(StringComparer.Ordinal);
        foreach (var attribute in (before?.Values ?? []).Concat(set))
        {
            values[attribute.Name] = attribute.Value;
        }

        return new ResourceValues(address, [.. values.Select(v => new NamedValue(v.Key, v.Value))]);
    }
}
