using System.Collections.Immutable;
using Whc.Declarative.Contract;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Cli.Infrastructure;

/// <summary>
/// The manifest checks' view of the contract in effect: which wire names it gives the characteristics whcctl sets, per
/// manifest product (a number block's go in its new-number or ported-number order item).
/// </summary>
public static class ContractCharacteristicNames
{
    private static readonly (string Manifest, string[] Contract)[] Products =
    [
        ("company", ["company"]),
        ("numberBlock", ["newNumber", "portedNumber"]),
        ("site", ["site"]),
        ("user", ["user"]),
    ];

    public static WireCharacteristicNames Of(WhcContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var byProduct = ImmutableSortedDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (manifest, products) in Products)
        {
            var renamed = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var names in products.Select(p => contract.Characteristics.GetValueOrDefault(p)).OfType<ImmutableSortedDictionary<string, string>>())
            {
                foreach (var (field, wire) in names.Where(n => n.Key != n.Value))
                {
                    renamed.TryAdd(wire, field);
                }
            }

            if (renamed.Count > 0)
            {
                byProduct[manifest] = renamed.ToImmutable();
            }
        }

        return new WireCharacteristicNames(byProduct.ToImmutable());
    }

    /// <summary>The contract <paramref name="wire"/> lays over the built-in one (it reports its problems by throwing, as connecting does).</summary>
    public static WireCharacteristicNames Of(WireFiles wire, IOContext io)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return Of(wire.Load(io).Contract ?? WhcContract.Default);
    }
}
