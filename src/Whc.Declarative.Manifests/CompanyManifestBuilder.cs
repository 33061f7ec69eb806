using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
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
        var root = (JObject)tree.Root;
        var metadata = root["metadata"] as JObject;
        var spec = root["spec"] as JObject;
        var reseller = spec?["reseller"] as JObject;
        var company = spec?["company"] as JObject;
        var nameToken = metadata?["name"];

        return new CompanyManifest(
            ApiVersion: Text(root, "apiVersion"),
            Key: Text(metadata, "name"),
            Reseller: new ResellerSpec(Text(reseller, "cugId"), Text(reseller, "billingAccount")),
            Company: new CompanyDetails(
                Name: Text(company, "name"),
                Domain: ManifestFormats.NormaliseDomain(Text(company, "domain")),
                CustomerGroup: Text(company, "customerGroup"),
                Admin: Contact(company?["admin"] as JObject),
                EmergencyContact: Contact(company?["emergencyContact"] as JObject)) { Characteristics = Characteristics(company) },
            NumberBlocks: Items(spec, "numberBlocks", block => NumberBlock(tree, block)),
            Sites: Items(spec, "sites", site => Site(tree, site)),
            Protect: Flag(spec, "protect"),
            Span: nameToken is null ? tree.Start : tree.SpanOf(nameToken))
        {
            Moved = Items(spec, "moved", move => new MoveSpec(Text(move, "from"), Text(move, "to"), tree.SpanOf(move))),
        };
    }

    /// <summary>
    /// A block of new numbers (areaCode and quantity), or of ported ranges: <c>ported:</c> is one range or a list of
    /// them. A ported block's quantity is what its ranges hold (the validator checks them; a bad range counts 0).
    /// </summary>
    private static NumberBlockSpec NumberBlock(YamlDocumentTree tree, JObject block)
    {
        ImmutableArray<PortedRangeSpec> ported = block["ported"] switch
        {
            JObject one => [PortedRange(tree, one)],
            JArray list => [.. list.OfType<JObject>().Select(range => PortedRange(tree, range))],
            _ => [],
        };
        var quantity = block["quantity"]?.Type == JTokenType.Integer ? block.Value<int>("quantity") : 0;
        return new NumberBlockSpec(
            Text(block, "name"),
            Text(block, "areaCode"),
            ported.IsEmpty ? quantity : (int)Math.Min(int.MaxValue, ported.Sum(r => (long)r.Count)),
            Flag(block, "protect"),
            tree.SpanOf(block))
        {
            Characteristics = Characteristics(block),
            Ported = ported,
        };
    }

    private static PortedRangeSpec PortedRange(YamlDocumentTree tree, JObject range) =>
        new(Text(range, "from"), Text(range, "to"), tree.SpanOf(range));

    private static SiteSpec Site(YamlDocumentTree tree, JObject site)
    {
        var address = site["address"] as JObject;
        var postcode = OptionalText(address, "postcode");
        return new SiteSpec(
            Text(site, "name"),
            Text(site, "locationCode"),
            new AddressSpec(
                postcode is null ? null : ManifestFormats.NormalisePostcode(postcode),
                OptionalText(address, "premises"),
                OptionalText(address, "street"),
                OptionalText(address, "city"),
                OptionalText(address, "nadKey")),
            Items(site, "users", user => User(tree, user)),
            Flag(site, "protect"),
            tree.SpanOf(site)) { Characteristics = Characteristics(site) };
    }

    private static UserSpec User(YamlDocumentTree tree, JObject user)
    {
        var number = user["number"] as JObject;
        return new UserSpec(
            Text(user, "username"),
            Text(user, "firstName"),
            Text(user, "lastName"),
            Text(user, "extension"),
            number is null ? null : new NumberRef(Text(number, "from")),
            OptionalText(user, "licence") ?? ManifestFormats.DefaultLicence,
            Items(user, "devices", device => new DeviceSpec(
                ManifestFormats.NormaliseMacAddress(Text(device, "macAddress")),
                OptionalText(device, "model"))),
            Flag(user, "protect"),
            tree.SpanOf(user)) { Characteristics = Characteristics(user) };
    }

    private static ContactSpec? Contact(JObject? contact) =>
        contact is null ? null : new ContactSpec(Text(contact, "name"), Text(contact, "email"), OptionalText(contact, "phone"));

    private static ImmutableArray<T> Items<T>(JObject? parent, string name, Func<JObject, T> build) =>
        parent?[name] is JArray array ? [.. array.OfType<JObject>().Select(build)] : [];

    private static string Text(JObject? parent, string name) => OptionalText(parent, name) ?? string.Empty;

    private static string? OptionalText(JObject? parent, string name) =>
        parent?[name] is JValue { Type: JTokenType.String, Value: string text } ? text : null;

    /// <summary>The <c>characteristics:</c> map of extra BT product characteristics (string values; the schema checks them).</summary>
    private static ImmutableSortedDictionary<string, string> Characteristics(JObject? parent) =>
        parent?["characteristics"] is JObject map
            ? map.Properties().Where(p => p.Value is JValue { Type: JTokenType.String }).ToImmutableSortedDictionary(p => p.Name, p => (string)p.Value!, StringComparer.Ordinal)
            : ExtraCharacteristics.None;

    private static bool Flag(JObject? parent, string name) =>
        parent?[name] is JValue { Type: JTokenType.Boolean, Value: true };
}
