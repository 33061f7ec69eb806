using System.Collections.Immutable;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests;

/// <summary>
/// Builds the Core model from a document tree that passed the schema, normalising values into canonical forms
/// (see <see cref="ManifestFormats"/>) and filling defaults (protect false, licence standard).
/// </summary>
internal static class CompanyManifestBuilder
{
    public static CompanyManifest Build(YamlDocumentTree tree)
    {
        var root = tree.Root;
        var metadata = root["metadata"] as YamlMapping;
        var spec = root["spec"] as YamlMapping;
        var reseller = spec?["reseller"] as YamlMapping;
        var company = spec?["company"] as YamlMapping;
        var nameToken = metadata?["name"];

        return new CompanyManifest(
            ApiVersion: Text(root, "apiVersion"),
            Key: Text(metadata, "name"),
            Reseller: new ResellerSpec(Text(reseller, "cugId"), Text(reseller, "billingAccount")),
            Company: new CompanyDetails(
                Name: Text(company, "name"),
                Domain: ManifestFormats.NormaliseDomain(Text(company, "domain")),
                CustomerGroup: Text(company, "customerGroup"),
                Admin: Contact(company?["admin"] as YamlMapping),
                EmergencyContact: Contact(company?["emergencyContact"] as YamlMapping)) { Characteristics = Characteristics(company) },
            NumberBlocks: Items(spec, "numberBlocks", block => NumberBlock(block)),
            Sites: Items(spec, "sites", site => Site(site)),
            Protect: Flag(spec, "protect"),
            Span: nameToken is null ? tree.Start : nameToken.Span)
        {
            Moved = Items(spec, "moved", move => new MoveSpec(Text(move, "from"), Text(move, "to"), move.Span)),
        };
    }

    /// <summary>
    /// A block of new numbers (areaCode and quantity), or of ported ranges: <c>ported:</c> is one range or a list of
    /// them. A ported block's quantity is what its ranges hold (the validator checks them; a bad range counts 0).
    /// </summary>
    private static NumberBlockSpec NumberBlock(YamlMapping block)
    {
        ImmutableArray<PortedRangeSpec> ported = block["ported"] switch
        {
            YamlMapping one => [PortedRange(one)],
            YamlSequence list => [.. list.Items.OfType<YamlMapping>().Select(range => PortedRange(range))],
            _ => [],
        };
        // The schema caps it; an int overflow would throw, as the conversion always did.
        var quantity = block["quantity"] is YamlScalar { Kind: YamlScalarKind.Integer } whole ? checked((int)whole.Integer) : 0;
        return new NumberBlockSpec(
            Text(block, "name"),
            Text(block, "areaCode"),
            ported.IsEmpty ? quantity : (int)Math.Min(int.MaxValue, ported.Sum(r => (long)r.Count)),
            Flag(block, "protect"),
            block.Span)
        {
            Characteristics = Characteristics(block),
            Ported = ported,
        };
    }

    private static PortedRangeSpec PortedRange(YamlMapping range) =>
        new(Text(range, "from"), Text(range, "to"), range.Span);

    private static SiteSpec Site(YamlMapping site)
    {
        var address = site["address"] as YamlMapping;
        var postcode = OptionalText(address, "postcode");
        return new SiteSpec(
            Text(site, "name"),
            Text(site, "locationCode"),
            new AddressSpec(
                postcode is null ? null : Canonical(postcode, ManifestFormats.Postcode(), ManifestFormats.NormalisePostcode),
                OptionalText(address, "premises"),
                OptionalText(address, "street"),
                OptionalText(address, "city"),
                OptionalText(address, "nadKey")),
            Items(site, "users", user => User(user)),
            Flag(site, "protect"),
            site.Span) { Characteristics = Characteristics(site) };
    }

    private static UserSpec User(YamlMapping user)
    {
        var number = user["number"] as YamlMapping;
        return new UserSpec(
            Text(user, "username"),
            Text(user, "firstName"),
            Text(user, "lastName"),
            Text(user, "extension"),
            number is null ? null : new NumberRef(Text(number, "from")),
            OptionalText(user, "licence") ?? ManifestFormats.DefaultLicence,
            Items(user, "devices", device => new DeviceSpec(
                Canonical(Text(device, "macAddress"), ManifestFormats.MacAddress(), ManifestFormats.NormaliseMacAddress),
                OptionalText(device, "model"))),
            Flag(user, "protect"),
            user.Span) { Characteristics = Characteristics(user) };
    }

    private static ContactSpec? Contact(YamlMapping? contact) =>
        contact is null ? null : new ContactSpec(Text(contact, "name"), Text(contact, "email"), OptionalText(contact, "phone"));

    private static ImmutableArray<T> Items<T>(YamlMapping? parent, string name, Func<YamlMapping, T> build)
    {
        if (parent?[name] is not YamlSequence array)
        {
            return [];
        }

        var items = ImmutableArray.CreateBuilder<T>(array.Count);
        foreach (var item in array.Items)
        {
            if (item is YamlMapping mapping)
            {
                items.Add(build(mapping));
            }
        }

        return items.Count == items.Capacity ? items.MoveToImmutable() : items.ToImmutable();
    }

    /// <summary>A value already in its canonical form is kept as it is (most are); any other is normalised.</summary>
    private static string Canonical(string value, System.Text.RegularExpressions.Regex canonical, Func<string, string> normalise) =>
        canonical.IsMatch(value) ? value : normalise(value);

    private static string Text(YamlMapping? parent, string name) => OptionalText(parent, name) ?? string.Empty;

    private static string? OptionalText(YamlMapping? parent, string name) =>
        parent?[name] is YamlScalar { Kind: YamlScalarKind.String, Text: var text } ? text : null;

    /// <summary>The <c>characteristics:</c> map of extra BT product characteristics (string values; the schema checks them).</summary>
    private static ImmutableSortedDictionary<string, string> Characteristics(YamlMapping? parent) =>
        parent?["characteristics"] is YamlMapping map
            ? map.Entries.Where(p => p.Value is YamlScalar { Kind: YamlScalarKind.String }).ToImmutableSortedDictionary(p => p.Key, p => ((YamlScalar)p.Value).Text, StringComparer.Ordinal)
            : ExtraCharacteristics.None;

    private static bool Flag(YamlMapping? parent, string name) =>
        parent?[name] is YamlScalar { Boolean: true };
}
