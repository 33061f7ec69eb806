using System.Collections.Immutable;

namespace Whc.Declarative.Core.Manifests;

/// <summary>
/// The names the wire contract in effect gives to characteristics whcctl sets, where they differ from whcctl's own, per
/// manifest product (<c>company</c>, <c>numberBlock</c>, <c>site</c>, <c>user</c>): wire name → whcctl's field. An extra
/// characteristic of such a name would reach BT twice in one order item, so the manifest checks refuse it (WHC2031).
/// Data, so that the checks need not know the contract: whoever loads the contract builds it.
/// </summary>
public sealed record WireCharacteristicNames(ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> ByProduct)
{
    /// <summary>The built-in contract's: every characteristic goes by whcctl's own name.</summary>
    public static WireCharacteristicNames None { get; } = new(ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal));

    /// <summary>
    /// whcctl's field that goes on the wire as <paramref name="name"/> for <paramref name="product"/>, in any letter case
    /// (whether BT tells characteristic names apart by case is not published); null when none does.
    /// </summary>
    public string? FieldSentAs(string product, string name) =>
        ByProduct.TryGetValue(product, out var names)
            ? names.Where(n => string.Equals(n.Key, name, StringComparison.OrdinalIgnoreCase)).Select(n => n.Value).FirstOrDefault()
            : null;
}
