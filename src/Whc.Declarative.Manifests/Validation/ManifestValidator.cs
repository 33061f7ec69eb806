using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Manifests.Validation;

/// <summary>
/// Finds where a field of a company's manifest was written, by JSON pointer (e.g. <c>/spec/sites/0/users/1/extension</c>);
/// null when unknown. The loader supplies one backed by the YAML positions.
/// </summary>
public delegate SourceSpan? ManifestFieldLocator(CompanyManifest company, string pointer);

/// <summary>
/// The semantic checks on the manifest model: value formats, uniqueness within a company and across companies, and
/// references between parts (users drawing numbers from blocks). Pure: works on the model only.
/// </summary>
public static class ManifestValidator
{
    /// <summary>
    /// The schema fields (dotted, <c>[]</c> for array items) whose format this class checks; the schema carries the
    /// same fields with a <c>pattern</c> for editors, and the loader leaves pattern errors on them to this class.
    /// </summary>
    public static IReadOnlySet<string> FormatCheckedFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "metadata.name",
        "spec.reseller.cugId",
        "spec.reseller.billingAccount",
        "spec.company.domain",
        "spec.company.admin.email",
        "spec.company.emergencyContact.email",
        "spec.numberBlocks[].areaCode",
        "spec.sites[].address.postcode",
        "spec.sites[].address.nadKey",
        "spec.sites[].users[].extension",
        "spec.sites[].users[].devices[].macAddress",
    };

    /// <param name="wireNames">The names the contract in effect sends whcctl's characteristics as (none: the built-in contract's).</param>
    public static ImmutableArray<Diagnostic> Validate(IReadOnlyList<CompanyManifest> companies, ManifestFieldLocator? locator = null, WireCharacteristicNames? wireNames = null)
    {
        var run = new ValidationRun(locator ?? ((_, _) => null), wireNames ?? WireCharacteristicNames.None);
        run.CheckCompanyKeys(companies);
        run.CheckCompanyMoveSources(companies);
        foreach (var company in companies)
        {
            run.CheckCompany(company);
        }

        run.CheckPortedOverlaps(companies);

        return [.. run.Diagnostics];
    }

    private sealed class ValidationRun(ManifestFieldLocator locator, WireCharacteristicNames wireNames)
    {
        public List<Diagnostic> Diagnostics { get; } = [];

        public void CheckCompanyKeys(IReadOnlyList<CompanyManifest> companies)
        {
            var seen = new Dictionary<string, CompanyManifest>(StringComparer.Ordinal);
            foreach (var company in companies)
            {
                if (seen.TryGetValue(company.Key, out var first))
                {
                    var span = At(company, "/metadata/name", company.Span);
                    Diagnostics.Add(DiagnosticCatalog.DuplicateCompanyKey.At(
                        span,
                        $"company key '{company.Key}' is defined twice (also at {AlsoAt(At(first, "/metadata/name", first.Span), span)}); metadata.name must be unique across all manifests"));
                }
                else
                {
                    seen.Add(company.Key, company);
                }
            }
        }

        public void CheckCompany(CompanyManifest c)
        {
            Format(c, "/metadata/name", c.Key, ManifestFormats.CompanyKey(), DiagnosticCatalog.InvalidCompanyKey, c.Span,
                "metadata.name '{0}' is not a valid company key: use lowercase letters, digits and dashes (e.g. fun-network)");
            Format(c, "/spec/reseller/cugId", c.Reseller.CugId, ManifestFormats.CugId(), DiagnosticCatalog.InvalidCugId, c.Span,
                "CUG id '{0}' is not valid: expected CUG followed by 10 digits (e.g. CUG5019851064)");
            Format(c, "/spec/reseller/billingAccount", c.Reseller.BillingAccount, ManifestFormats.BillingAccount(), DiagnosticCatalog.InvalidBillingAccount, c.Span,
                "billing account '{0}' is not valid: expected GB followed by 8 digits (e.g. GB12345678)");
            Format(c, "/spec/company/domain", c.Company.Domain, ManifestFormats.Domain(), DiagnosticCatalog.InvalidDomain, c.Span,
                "domain '{0}' is not a valid DNS domain (e.g. thefunnetwork.com)");
            if (c.Company.Admin is { } admin)
            {
                Format(c, "/spec/company/admin/email", admin.Email, ManifestFormats.Email(), DiagnosticCatalog.InvalidEmail, c.Span,
                    "e-mail address '{0}' is not valid");
            }

            if (c.Company.EmergencyContact is { } emergency)
            {
                Format(c, "/spec/company/emergencyContact/email", emergency.Email, ManifestFormats.Email(), DiagnosticCatalog.InvalidEmail, c.Span,
                    "e-mail address '{0}' is not valid");
            }

            CheckNumberBlocks(c);
            CheckSites(c);
            CheckUsers(c);
            CheckCharacteristics(c);
            CheckMoved(c);
        }

        /// <summary>
        /// The <c>moved</c> entries: each names a site or a number block by its plan address, both ends of one kind; no
        /// two leave or reach the same address; a from is gone from the manifest; chains are followed to an address the
        /// manifest has, and never come back on themselves. Users and companies are refused with the reason.
        /// </summary>
        private void CheckMoved(CompanyManifest c)
        {
            var valid = new List<(int Index, ResourceKind Kind, string From, string To)>();
            for (var i = 0; i < c.Moved.Length; i++)
            {
                var move = c.Moved[i];
                var pointer = Pointer("/spec/moved", i);
                var from = MoveSpec.Parse(move.From);
                var to = MoveSpec.Parse(move.To);
                if (from?.Kind == ResourceKind.Company || to?.Kind == ResourceKind.Company)
                {
                    CheckCompanyMove(c, move, pointer, from, to);
                    continue;
                }

                if (!MovableAddress(c, move, $"{pointer}/from", move.From, from) | !MovableAddress(c, move, $"{pointer}/to", move.To, to))
                {
                    continue;
                }

                if (from is not { } source || to is not { } target)
                {
                    continue;
                }

                if (source.Kind != target.Kind)
                {
                    Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalid.At(
                        At(c, $"{pointer}/to", move.Span),
                        $"moved: {move.From} → {move.To} changes the kind of resource; a site can only become another site, a number block another number block"));
                    continue;
                }

                if (source.Name == target.Name)
                {
                    Diagnostics.Add(DiagnosticCatalog.MovedCycle.At(At(c, $"{pointer}/to", move.Span), $"moved: {move.From} moves to itself; remove the entry"));
                    continue;
                }

                valid.Add((i, source.Kind, source.Name, target.Name));
            }

            bool Declared(ResourceKind kind, string name) => kind == ResourceKind.Site
                ? c.Sites.Any(site => site.Name == name)
                : c.NumberBlocks.Any(block => block.Name == name);
            SourceSpan Span(int index, string end) => At(c, $"{Pointer("/spec/moved", index)}/{end}", c.Moved[index].Span);

            var byFrom = new Dictionary<(ResourceKind, string), int>();
            var byTo = new Dictionary<(ResourceKind, string), int>();
            var unambiguous = new List<(int Index, ResourceKind Kind, string From, string To)>();
            foreach (var move in valid)
            {
                var entry = c.Moved[move.Index];
                var clean = true;
                if (byFrom.TryGetValue((move.Kind, move.From), out var first))
                {
                    var span = Span(move.Index, "from");
                    Diagnostics.Add(DiagnosticCatalog.MovedAmbiguous.At(span, $"moved: {entry.From} is moved twice (also at {AlsoAt(Span(first, "from"), span)}, to {c.Moved[first].To}); keep one entry"));
                    clean = false;
                }

                if (byTo.TryGetValue((move.Kind, move.To), out first))
                {
                    var span = Span(move.Index, "to");
                    Diagnostics.Add(DiagnosticCatalog.MovedAmbiguous.At(span, $"moved: two entries move to {entry.To} (also at {AlsoAt(Span(first, "to"), span)}, from {c.Moved[first].From}); one resource cannot take the place of two: chain them (a → b, b → c) or keep one"));
                    clean = false;
                }

                if (Declared(move.Kind, move.From))
                {
                    Diagnostics.Add(DiagnosticCatalog.MovedSourceStillDeclared.At(
                        Span(move.Index, "from"),
                        $"moved: {entry.From} is still in the manifest; a moved entry renames a resource, so its old name must be gone (remove the entry, or the resource of that name)"));
                    clean = false;
                }

                byFrom.TryAdd((move.Kind, move.From), move.Index);
                byTo.TryAdd((move.Kind, move.To), move.Index);
                if (clean)
                {
                    unambiguous.Add(move);
                }
            }

            // Follow each entry's chain to its end: a cycle is reported once (at its first entry), a missing end at the
            // entry that leads to it.
            var next = unambiguous.ToDictionary(m => (m.Kind, m.From), m => m);
            var reported = new HashSet<int>();
            foreach (var move in unambiguous)
            {
                var path = new List<int> { move.Index };
                var current = move;
                while (next.TryGetValue((current.Kind, current.To), out var link))
                {
                    if (path.Contains(link.Index))
                    {
                        var cycle = path.SkipWhile(i => i != link.Index).ToList();
                        if (cycle.All(reported.Add))
                        {
                            var names = string.Join(" → ", cycle.Select(i => c.Moved[i].From).Append(c.Moved[link.Index].From));
                            var lines = string.Join(", ", cycle.Select(i => Span(i, "from")).Select(span => span.HasPosition ? string.Create(CultureInfo.InvariantCulture, $"line {span.Line}") : span.ToString()));
                            Diagnostics.Add(DiagnosticCatalog.MovedCycle.At(Span(cycle.Min(), "from"), $"moved entries form a cycle: {names} (entries at {lines}); a resource cannot end where it started: remove one of them"));
                        }

                        path.Clear();
                        break;
                    }

                    path.Add(link.Index);
                    current = link;
                }

                if (path.Count > 0 && !Declared(current.Kind, current.To) && reported.Add(current.Index))
                {
                    var what = current.Kind == ResourceKind.Site ? "site" : "number block";
                    Diagnostics.Add(DiagnosticCatalog.MovedTargetMissing.At(
                        Span(current.Index, "to"),
                        $"moved: {c.Moved[current.Index].From} → {c.Moved[current.Index].To}, but the manifest has no {what} '{current.To}'; a moved entry must lead to a resource the manifest declares"));
                }
            }
        }

        /// <summary>
        /// A company key change: <c>company/OLD → company/NEW</c>, in the manifest whose metadata.name is NEW (the
        /// manifest that takes OLD's state). One per manifest and no chains: state holds one company per key, and a
        /// chain's middle would be a key no manifest and no state need. That OLD is declared by no other manifest is
        /// checked across manifests (<see cref="CheckCompanyMoveSources"/>).
        /// </summary>
        private void CheckCompanyMove(CompanyManifest c, MoveSpec move, string pointer, (ResourceKind Kind, string Name)? from, (ResourceKind Kind, string Name)? to)
        {
            if (from is not { Kind: ResourceKind.Company } source || to is not { Kind: ResourceKind.Company } target)
            {
                Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalid.At(
                    At(c, $"{pointer}/to", move.Span),
                    $"moved: {Shorten(move.From)} → {Shorten(move.To)} changes the kind of resource; a company key can only become another company key (company/OLD → company/{c.Key})"));
                return;
            }

            if (!ManifestFormats.CompanyKey().IsMatch(source.Name))
            {
                Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalid.At(At(c, $"{pointer}/from", move.Span), $"moved: '{Shorten(move.From)}' is not a valid company key: lowercase letters, digits and dashes"));
                return;
            }

            if (source.Name == target.Name)
            {
                Diagnostics.Add(DiagnosticCatalog.MovedCycle.At(At(c, $"{pointer}/to", move.Span), $"moved: {move.From} moves to itself; remove the entry"));
                return;
            }

            if (target.Name != c.Key)
            {
                Diagnostics.Add(DiagnosticCatalog.MovedTargetMissing.At(
                    At(c, $"{pointer}/to", move.Span),
                    $"moved: {Shorten(move.From)} → {Shorten(move.To)}, but this manifest is company '{c.Key}': a company move goes in the manifest of the key it leads to (to: company/{c.Key})"));
                return;
            }

            // The first entry that is a company move into this key is the one; any later one is a second.
            var first = c.Moved.Select((m, i) => (m, i)).First(x => MoveSpec.Parse(x.m.From) is { Kind: ResourceKind.Company } f
                && MoveSpec.Parse(x.m.To) is { Kind: ResourceKind.Company } t && t.Name == c.Key && f.Name != c.Key);
            if (!ReferenceEquals(first.m, move))
            {
                var span = At(c, $"{pointer}/from", move.Span);
                Diagnostics.Add(DiagnosticCatalog.MovedAmbiguous.At(
                    span,
                    $"moved: a manifest takes one company's state, but {move.From} is a second company move (also at {AlsoAt(At(c, $"{Pointer("/spec/moved", first.i)}/from", first.m.Span), span)}); keep the one whose state holds the company (chains of company moves are not followed)"));
            }
        }

        /// <summary>A company move's from must be no manifest's key, and no two manifests may take the same company's state.</summary>
        public void CheckCompanyMoveSources(IReadOnlyList<CompanyManifest> companies)
        {
            // A key declared twice is WHC2020's to report; the first declaration is the one named here.
            var keys = new Dictionary<string, CompanyManifest>(StringComparer.Ordinal);
            foreach (var c in companies)
            {
                keys.TryAdd(c.Key, c);
            }

            var takenBy = new Dictionary<string, CompanyManifest>(StringComparer.Ordinal);
            foreach (var c in companies)
            {
                for (var i = 0; i < c.Moved.Length; i++)
                {
                    if (MoveSpec.Parse(c.Moved[i].From) is not { Kind: ResourceKind.Company } source || MoveSpec.Parse(c.Moved[i].To) is not { Kind: ResourceKind.Company } target
                        || target.Name != c.Key || source.Name == c.Key)
                    {
                        continue;
                    }

                    var span = At(c, $"{Pointer("/spec/moved", i)}/from", c.Moved[i].Span);
                    if (keys.TryGetValue(source.Name, out var declared))
                    {
                        Diagnostics.Add(DiagnosticCatalog.MovedSourceStillDeclared.At(
                            span,
                            $"moved: {c.Moved[i].From} is still declared (metadata.name at {AlsoAt(At(declared, "/metadata/name", declared.Span), span)}); a company move's old key must be gone from every manifest"));
                    }
                    else if (!takenBy.TryAdd(source.Name, c))
                    {
                        Diagnostics.Add(DiagnosticCatalog.MovedAmbiguous.At(
                            span,
                            $"moved: companies '{takenBy[source.Name].Key}' and '{c.Key}' both move from {c.Moved[i].From}; one company's state can become only one of them"));
                    }
                }
            }
        }

        /// <summary>Whether one end of a moved entry names a site or a number block; otherwise says why not.</summary>
        private bool MovableAddress(CompanyManifest c, MoveSpec move, string pointer, string text, (ResourceKind Kind, string Name)? parsed)
        {
            var span = At(c, pointer, move.Span);
            switch (parsed?.Kind)
            {
                case ResourceKind.Site or ResourceKind.NumberBlock:
                    if (ResourceNames.Problem(parsed.Value.Kind, parsed.Value.Name) is { } problem)
                    {
                        Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalid.At(span, $"moved: '{Shorten(text)}': {problem}"));
                        return false;
                    }

                    return true;
                case ResourceKind.User:
                    Diagnostics.Add(DiagnosticCatalog.MovedKindNotRenamable.At(
                        span,
                        $"moved: {Shorten(text)}: a user cannot be renamed, because its username is how BT knows it (BT has no rename); change the username and the plan replaces the user (ceases it, then adds it again)"));
                    return false;
                default:
                    Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalid.At(
                        span,
                        $"moved: '{Shorten(text)}' is not an address a moved entry can name: use site/NAME or number-block/NAME, as the plan names them (or company/OLD → company/KEY for a company key change)"));
                    return false;
            }
        }

        /// <summary>The <c>characteristics:</c> escape hatch may add to an order item, never take over what whcctl sets.</summary>
        private void CheckCharacteristics(CompanyManifest c)
        {
            Characteristics(c, "company", "/spec/company", c.Company.Characteristics, c.Span);
            for (var i = 0; i < c.NumberBlocks.Length; i++)
            {
                Characteristics(c, "numberBlock", Pointer("/spec/numberBlocks", i), c.NumberBlocks[i].Characteristics, c.NumberBlocks[i].Span);
            }

            for (var i = 0; i < c.Sites.Length; i++)
            {
                var site = c.Sites[i];
                Characteristics(c, "site", Pointer("/spec/sites", i), site.Characteristics, site.Span);
                for (var j = 0; j < site.Users.Length; j++)
                {
                    Characteristics(c, "user", Pointer($"{Pointer("/spec/sites", i)}/users", j), site.Users[j].Characteristics, site.Users[j].Span);
                }
            }
        }

        private void Characteristics(CompanyManifest c, string product, string pointer, ImmutableSortedDictionary<string, string> extra, SourceSpan fallback)
        {
            foreach (var name in extra.Keys)
            {
                var span = At(c, $"{pointer}/characteristics/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}", fallback);
                if (!ManifestFormats.CharacteristicName().IsMatch(name))
                {
                    Diagnostics.Add(DiagnosticCatalog.InvalidCharacteristic.At(span, $"characteristic name '{name}' is not valid: a letter, then letters, digits, '_', '.' or '-', at most 64 characters"));
                }
                else if (ExtraCharacteristics.SetByWhcctl[product].Contains(name))
                {
                    Diagnostics.Add(DiagnosticCatalog.InvalidCharacteristic.At(span, $"characteristic '{name}' is one whcctl sets from this {product}'s own fields; set the field instead"));
                }
                else if (wireNames.FieldSentAs(product, name) is { } field)
                {
                    Diagnostics.Add(DiagnosticCatalog.InvalidCharacteristic.At(span, $"characteristic '{name}' is the name the wire contract in effect sends this {product}'s {field} as, which whcctl sets; BT would receive it twice: set {field} instead, or choose another name"));
                }
            }
        }

        private void CheckNumberBlocks(CompanyManifest c)
        {
            var names = new Uniqueness(this, c, DiagnosticCatalog.DuplicateNumberBlock, "number block name", StringComparer.Ordinal, freeText: true);
            for (var i = 0; i < c.NumberBlocks.Length; i++)
            {
                var block = c.NumberBlocks[i];
                var pointer = Pointer("/spec/numberBlocks", i);
                names.Add(block.Name, $"{pointer}/name", block.Span);
                if (block.IsPorted)
                {
                    if (block.AreaCode.Length > 0 || locator(c, $"{pointer}/quantity") is not null)
                    {
                        Diagnostics.Add(DiagnosticCatalog.NumberBlockKindUnclear.At(
                            At(c, $"{pointer}/ported", block.Span),
                            $"number block '{block.Name}' has ported ranges and also areaCode or quantity; a ported block's numbers are its ranges: remove areaCode and quantity (or put new numbers in a block of their own)"));
                    }
                    else
                    {
                        CheckPortedRanges(c, block, pointer);
                    }
                }
                else if (block.AreaCode.Length == 0 || block.Quantity == 0)
                {
                    Diagnostics.Add(DiagnosticCatalog.NumberBlockKindUnclear.At(
                        block.Span,
                        $"number block '{block.Name}' needs areaCode and quantity (new numbers), or ported: {{ from, to }} (numbers the customer brings from another provider)"));
                }
                else
                {
                    Format(c, $"{pointer}/areaCode", block.AreaCode, ManifestFormats.AreaCode(), DiagnosticCatalog.InvalidAreaCode, block.Span,
                        "area code '{0}' is not a UK geographic area code: expected an 01 or 02 code such as 0121, 020 or 01632");
                }
            }

            var drawing = c.AllUsers()
                .Where(pair => pair.User.Number is not null)
                .GroupBy(pair => pair.User.Number?.From ?? string.Empty, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            for (var i = 0; i < c.NumberBlocks.Length; i++)
            {
                var block = c.NumberBlocks[i];
                if (drawing.TryGetValue(block.Name, out var users) && users > block.Quantity)
                {
                    Diagnostics.Add(DiagnosticCatalog.NumberBlockOversubscribed.At(
                        At(c, $"{Pointer("/spec/numberBlocks", i)}/quantity", block.Span),
                        string.Create(CultureInfo.InvariantCulture, $"number block '{block.Name}' holds {block.Quantity} number{(block.Quantity == 1 ? string.Empty : "s")} but {users} users draw on it; raise its quantity or move users to another block")));
                }
            }
        }

        /// <summary>Each range: two UK numbers of one length, in order; the block: at most as many numbers as a block may hold.</summary>
        private void CheckPortedRanges(CompanyManifest c, NumberBlockSpec block, string pointer)
        {
            for (var i = 0; i < block.Ported.Length; i++)
            {
                var range = block.Ported[i];
                var rangePointer = RangePointer(c, pointer, i);
                var from = Format(c, $"{rangePointer}/from", range.From, ManifestFormats.DirectoryNumber(), DiagnosticCatalog.InvalidDirectoryNumber, range.Span,
                    "ported number '{0}' is not a UK directory number: expected 0 and 9 or 10 more digits without spaces, quoted (e.g. \"01214960500\")");
                var to = Format(c, $"{rangePointer}/to", range.To, ManifestFormats.DirectoryNumber(), DiagnosticCatalog.InvalidDirectoryNumber, range.Span,
                    "ported number '{0}' is not a UK directory number: expected 0 and 9 or 10 more digits without spaces, quoted (e.g. \"01214960500\")");
                if (from && to && range.Count == 0)
                {
                    Diagnostics.Add(DiagnosticCatalog.PortedRangeReversed.At(
                        At(c, $"{rangePointer}/to", range.Span),
                        range.From.Length != range.To.Length
                            ? $"ported range {range.From} to {range.To} of block '{block.Name}': its ends have different lengths; a range runs within one number length"
                            : $"ported range {range.From} to {range.To} of block '{block.Name}' ends before it starts; write the lower number in 'from'"));
                }
            }

            var total = block.Ported.Sum(r => (long)r.Count);
            if (total > ManifestFormats.MaxPortedNumbersPerBlock)
            {
                Diagnostics.Add(DiagnosticCatalog.PortedRangeTooLarge.At(
                    At(c, $"{pointer}/ported", block.Span),
                    string.Create(CultureInfo.InvariantCulture, $"ported number block '{block.Name}' holds {total} numbers; a block holds at most {ManifestFormats.MaxPortedNumbersPerBlock} (split the ranges over several blocks)")));
            }
        }

        /// <summary>The pointer of a ported range: <c>ported</c> is one range (a mapping) or a list of them.</summary>
        private string RangePointer(CompanyManifest c, string blockPointer, int index)
        {
            var listed = $"{blockPointer}/ported/{index.ToString(CultureInfo.InvariantCulture)}";
            return index == 0 && locator(c, listed) is null && locator(c, $"{blockPointer}/ported/from") is not null ? $"{blockPointer}/ported" : listed;
        }

        /// <summary>No number may be ported into two blocks, of one company or of two.</summary>
        public void CheckPortedOverlaps(IReadOnlyList<CompanyManifest> companies)
        {
            var ranges = companies
                .SelectMany(c => c.NumberBlocks.SelectMany(b => b.Ported.Where(r => r.Count > 0).Select(r => (Company: c, Block: b, Range: r))))
                .OrderBy(x => x.Range.From.Length)
                .ThenBy(x => x.Range.From, StringComparer.Ordinal)
                .ToList();
            // Sorted by length and start, a range overlaps an earlier one exactly when it starts before the furthest end so far.
            (CompanyManifest Company, NumberBlockSpec Block, PortedRangeSpec Range)? furthest = null;
            foreach (var current in ranges)
            {
                if (furthest is not { } earlier || earlier.Range.To.Length != current.Range.From.Length)
                {
                    furthest = current;
                    continue;
                }

                if (string.CompareOrdinal(earlier.Range.To, current.Range.From) >= 0)
                {
                    var whose = earlier.Company == current.Company ? $"block '{earlier.Block.Name}'" : $"block '{earlier.Block.Name}' of company '{earlier.Company.Key}'";
                    Diagnostics.Add(DiagnosticCatalog.PortedRangesOverlap.At(
                        current.Range.Span,
                        $"ported range {current.Range.From} to {current.Range.To} of block '{current.Block.Name}' overlaps {earlier.Range.From} to {earlier.Range.To} of {whose} (at {AlsoAt(earlier.Range.Span, current.Range.Span)}); a number can be ported into one block only"));
                }

                if (string.CompareOrdinal(current.Range.To, earlier.Range.To) > 0)
                {
                    furthest = current;
                }
            }
        }

        private void CheckSites(CompanyManifest c)
        {
            var names = new Uniqueness(this, c, DiagnosticCatalog.DuplicateSiteName, "site name", StringComparer.OrdinalIgnoreCase, freeText: true);
            var codes = new Uniqueness(this, c, DiagnosticCatalog.DuplicateLocationCode, "location code", StringComparer.OrdinalIgnoreCase, freeText: true);
            for (var i = 0; i < c.Sites.Length; i++)
            {
                var site = c.Sites[i];
                var pointer = Pointer("/spec/sites", i);
                names.Add(site.Name, $"{pointer}/name", site.Span);
                codes.Add(site.LocationCode, $"{pointer}/locationCode", site.Span);
                CheckAddress(c, site, $"{pointer}/address");
            }
        }

        private void CheckAddress(CompanyManifest c, SiteSpec site, string pointer)
        {
            var address = site.Address;
            SourceSpan Span() => At(c, pointer, site.Span);
            var hasPostcode = !string.IsNullOrEmpty(address.Postcode);
            if (address.HasNadKey && hasPostcode)
            {
                Diagnostics.Add(DiagnosticCatalog.AddressAmbiguous.At(Span(),
                    $"the address of site '{site.Name}' has both a postcode and a NAD key; give one: nadKey, or postcode with premises"));
            }
            else if (!address.HasNadKey && !hasPostcode)
            {
                Diagnostics.Add(DiagnosticCatalog.AddressIncomplete.At(Span(),
                    $"the address of site '{site.Name}' needs a postcode (with premises) or a nadKey"));
            }

            if (address.NadKey is { Length: > 0 } nadKey)
            {
                Format(c, $"{pointer}/nadKey", nadKey, ManifestFormats.NadKey(), DiagnosticCatalog.InvalidNadKey, site.Span,
                    "NAD key '{0}' is not valid: expected an upper-case letter and 5 to 19 letters or digits (e.g. X05000455530)");
            }

            if (address.Postcode is { Length: > 0 } postcode)
            {
                Format(c, $"{pointer}/postcode", postcode, ManifestFormats.Postcode(), DiagnosticCatalog.InvalidPostcode, site.Span,
                    "postcode '{0}' is not a UK postcode (e.g. IP5 3RE)");
                if (!address.HasNadKey && string.IsNullOrWhiteSpace(address.Premises))
                {
                    Diagnostics.Add(DiagnosticCatalog.AddressWithoutPremises.At(Span(),
                        $"the address of site '{site.Name}' has a postcode but no premises; whcctl can pick the address only when BT lists exactly one at that postcode"));
                }
            }
        }

        private void CheckUsers(CompanyManifest c)
        {
            var usernames = new Uniqueness(this, c, DiagnosticCatalog.DuplicateUsername, "username", StringComparer.OrdinalIgnoreCase, freeText: true);
            var extensions = new Uniqueness(this, c, DiagnosticCatalog.DuplicateExtension, "extension", StringComparer.Ordinal);
            var macs = new Uniqueness(this, c, DiagnosticCatalog.DuplicateMacAddress, "MAC address", StringComparer.Ordinal);
            var blockNames = c.NumberBlocks.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
            for (var s = 0; s < c.Sites.Length; s++)
            {
                var site = c.Sites[s];
                for (var u = 0; u < site.Users.Length; u++)
                {
                    var user = site.Users[u];
                    var pointer = $"{Pointer("/spec/sites", s)}{Pointer("/users", u)}";
                    usernames.Add(user.Username, $"{pointer}/username", user.Span);
                    extensions.Add(user.Extension, $"{pointer}/extension", user.Span);
                    Format(c, $"{pointer}/extension", user.Extension, ManifestFormats.Extension(), DiagnosticCatalog.InvalidExtension, user.Span,
                        "extension '{0}' is not valid: expected 2 to 6 digits");
                    if (user.Number is { } number && !blockNames.Contains(number.From))
                    {
                        var hint = blockNames.Count == 0
                            ? "; this company defines no number blocks"
                            : EditDistance.Hint(number.From, blockNames);
                        Diagnostics.Add(DiagnosticCatalog.UndefinedNumberBlock.At(
                            At(c, $"{pointer}/number/from", user.Span),
                            $"user '{user.Username}' draws a number from '{number.From}', which is not a number block of this company{hint}"));
                    }

                    for (var d = 0; d < user.Devices.Length; d++)
                    {
                        var device = user.Devices[d];
                        var devicePointer = $"{pointer}{Pointer("/devices", d)}/macAddress";
                        if (Format(c, devicePointer, device.MacAddress, ManifestFormats.MacAddress(), DiagnosticCatalog.InvalidMacAddress, user.Span,
                            "MAC address '{0}' is not valid: expected 12 hex digits, e.g. 00:11:22:AA:BB:CC"))
                        {
                            macs.Add(device.MacAddress, devicePointer, user.Span);
                        }
                    }
                }
            }
        }

        private bool Format(CompanyManifest company, string pointer, string value, Regex format, DiagnosticDescriptor descriptor, SourceSpan fallback, string messageFormat)
        {
            if (format.IsMatch(value))
            {
                return true;
            }

            Diagnostics.Add(descriptor.At(At(company, pointer, fallback), string.Format(CultureInfo.InvariantCulture, messageFormat, Shorten(value))));
            return false;
        }

        public SourceSpan At(CompanyManifest company, string pointer, SourceSpan fallback) => locator(company, pointer) ?? fallback;

        private static string Pointer(string array, int index) => string.Create(CultureInfo.InvariantCulture, $"{array}/{index}");

        private static string Shorten(string value) => value.Length <= 64 ? value : $"{value[..61]}...";

        public static string AlsoAt(SourceSpan first, SourceSpan current) =>
            first.File != current.File || !first.HasPosition ? first.ToString()
            : first.Line == current.Line ? string.Create(CultureInfo.InvariantCulture, $"line {first.Line}, column {first.Column}")
            : string.Create(CultureInfo.InvariantCulture, $"line {first.Line}");
    }

    /// <summary>
    /// Reports the second and later uses of a value that must be unique within a company. Free-text identifiers are
    /// compared in NFKC (<see cref="IdentifierNormalisation"/>), so look-alikes count as the same.
    /// </summary>
    private sealed class Uniqueness(ValidationRun run, CompanyManifest company, DiagnosticDescriptor descriptor, string what, StringComparer comparer, bool freeText = false)
    {
        // Positions are looked up only for a duplicate: finding one may mean parsing the file again.
        private readonly Dictionary<string, (string Value, string Pointer, SourceSpan Fallback)> seen = new(comparer);

        public void Add(string value, string pointer, SourceSpan fallback)
        {
            if (value.Length == 0)
            {
                return;
            }

            var key = freeText ? IdentifierNormalisation.Nfkc(value) : value;
            if (key is null)
            {
                // Without a normaliser a look-alike could pass as unique: refuse rather than check less.
                run.Diagnostics.Add(DiagnosticCatalog.NormaliserUnavailable.At(
                    run.At(company, pointer, fallback),
                    $"{what} {value} is not ASCII, so whcctl must compare it in Unicode NFKC, which needs the platform's ICU library (on Linux the libicu package, as for .NET itself); none was found"));
                return;
            }

            if (seen.TryGetValue(key, out var first))
            {
                var span = run.At(company, pointer, fallback);
                var lookAlike = comparer.Equals(first.Value, value)
                    ? string.Empty
                    : $": it is the same as '{first.Value}' once Unicode compatibility forms{(comparer == StringComparer.OrdinalIgnoreCase ? " and case" : string.Empty)} are normalised (NFKC)";
                run.Diagnostics.Add(descriptor.At(span, $"{what} {value} is used twice (also at {ValidationRun.AlsoAt(run.At(company, first.Pointer, first.Fallback), span)}){lookAlike}"));
            }
            else
            {
                seen.Add(key, (value, pointer, fallback));
            }
        }
    }
}
