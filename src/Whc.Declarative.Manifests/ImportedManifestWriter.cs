using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;
using Whc.Declarative.Manifests.Schema;

namespace Whc.Declarative.Manifests;

/// <summary>
/// Writes the manifest of an imported company: the YAML that, planned against the state <c>whcctl import</c> wrote,
/// shows no changes. BT's inventory has no contacts, no device models and no protection flags, so the manifest has
/// none of them; sites are addressed by their NAD key.
/// </summary>
public static partial class ImportedManifestWriter
{
    public static string Write(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var record = state.Record ?? throw new ArgumentException("an imported state has a company record", nameof(state));
        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');

        // The schema's published $id: it resolves wherever the manifest is kept (a relative path, only in this repository).
        Line($"# yaml-language-server: $schema={ManifestSchema.Id}");
        Line("# Written by 'whcctl import' from the company as BT's inventory shows it and whcctl's state holds it. BT keeps");
        Line("# no contacts, device models or protection flags, so add them here if you want them.");
        if (BlockNaming(state) is { } naming)
        {
            Line("# " + naming);
        }

        Line($"apiVersion: {CompanyManifest.CurrentApiVersion}");
        Line($"kind: {CompanyManifest.Kind}");
        Line("metadata:");
        Line($"  name: {Scalar(state.Company)}");
        Line("spec:");
        Line("  reseller:");
        Line($"    cugId: {Scalar(record.CugId)}");
        Line($"    billingAccount: {Scalar(record.BillingAccount)}");
        Line("  company:");
        Line($"    name: {Scalar(record.Name)}");
        Line($"    domain: {Scalar(record.Domain)}");
        Line($"    customerGroup: {Scalar(record.CustomerGroup)}");
        if (state.NumberBlocks.Length > 0)
        {
            Line("  numberBlocks:");
            foreach (var block in state.NumberBlocks)
            {
                Line($"    - name: {Scalar(block.Name)}");
                if (block.Ported)
                {
                    // Numbers the customer brought from another provider: the ranges themselves, as BT holds them.
                    Line("      ported:");
                    foreach (var range in block.Ranges)
                    {
                        Line($"        - {{ from: {Scalar(range.StartNumber)}, to: {Scalar(range.EndNumber)} }}");
                    }

                    continue;
                }

                Line($"      areaCode: {Scalar(block.AreaCode)}");
                Line(string.Create(CultureInfo.InvariantCulture, $"      quantity: {block.RingfencedCount}"));
            }
        }

        if (state.Sites.Length > 0)
        {
            Line("  sites:");
        }

        foreach (var site in state.Sites)
        {
            Line($"    - name: {Scalar(site.Name)}");
            Line($"      locationCode: {Scalar(site.LocationCode)}");
            Line($"      address: {{ nadKey: {Scalar(site.NadKey)} }}");
            var users = state.Users.Where(u => u.Site == site.Name).ToList();
            if (users.Count == 0)
            {
                Line("      users: []");
                continue;
            }

            Line("      users:");
            foreach (var user in users)
            {
                Line($"        - username: {Scalar(user.Username)}");
                Line($"          firstName: {Scalar(user.FirstName)}");
                Line($"          lastName: {Scalar(user.LastName)}");
                Line($"          extension: {Scalar(user.Extension)}");
                if (user.NumberBlock is { } block)
                {
                    Line($"          number: {{ from: {Scalar(block)} }}");
                }

                Line($"          licence: {Scalar(user.Licence)}");
                if (user.DeviceMacAddresses.Length > 0)
                {
                    Line("          devices:");
                    foreach (var mac in user.DeviceMacAddresses)
                    {
                        Line($"            - {{ macAddress: {Scalar(ColonSeparated(mac))} }}");
                    }
                }
            }
        }

        return yaml.ToString();
    }

    /// <summary>
    /// What is true of the block names in this manifest: BT knows no names for number ranges, so a block adopted
    /// without the team's manifest is named after its area code; one the team's manifest or an earlier run named keeps
    /// that name. Null when there are no blocks.
    /// </summary>
    internal static string? BlockNaming(CompanyState state)
    {
        // A ported block's area code is not kept in state: import's fallback name is known by its prefix.
        var byAreaCode = state.NumberBlocks.Count(b => b.Ported
            ? b.Name.StartsWith("ported-", StringComparison.Ordinal)
            : b.Name == InventoryImport.BlockName(b.AreaCode));
        return (byAreaCode, state.NumberBlocks.Length) switch
        {
            (_, 0) => null,
            (var named, var all) when named == all =>
                $"Number blocks are named after their area code (BT names none). To rename one and keep its numbers, add to spec:\n#   moved: [{{ from: number-block/{state.NumberBlocks[0].Name}, to: number-block/NEW-NAME }}]",
            (0, _) => "Number blocks keep the names whcctl's state holds them under.",
            _ => "Number blocks keep the names whcctl's state holds them under; those BT alone knew are named after their area code.",
        };
    }

    /// <summary>A YAML scalar: plain when it cannot be read as anything but that string, else double-quoted.</summary>
    public static string Scalar(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (PlainSafe().IsMatch(value) && !Reserved.Contains(value))
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static readonly HashSet<string> Reserved = new(
        ["true", "false", "yes", "no", "on", "off", "y", "n", "null"],
        StringComparer.OrdinalIgnoreCase);

    private static string ColonSeparated(string mac) =>
        mac.Length == 12 ? string.Join(':', Enumerable.Range(0, 6).Select(i => mac.Substring(i * 2, 2))) : mac;

    /// <summary>Starts with a letter, then letters, digits and . _ @ / - with single inner spaces: never a number, bool or YAML syntax.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._@/-]*( [A-Za-z0-9._@/-]+)*\\z")]
    private static partial Regex PlainSafe();
}
