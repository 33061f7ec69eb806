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
    /// <param name="ownFindings">
    /// What <see cref="CheckCompany"/> found for each company, in the order of <paramref name="companies"/>, when the
    /// caller ran those checks already (a loader runs them as each file is parsed, in parallel); null: run them here.
    /// Either way the findings come out in the same order.
    /// </param>
    public static ImmutableArray<Diagnostic> Validate(
        IReadOnlyList<CompanyManifest> companies,
        ManifestFieldLocator? locator = null,
        WireCharacteristicNames? wireNames = null,
        IReadOnlyList<IReadOnlyList<Diagnostic>>? ownFindings = null)
    {
        ArgumentNullException.ThrowIfNull(companies);
        if (ownFindings is not null && ownFindings.Count != companies.Count)
        {
            throw new ArgumentException("one list of findings per company", nameof(ownFindings));
        }

        var run = new ValidationRun(locator ?? ((_, _) => null), wireNames ?? WireCharacteristicNames.None);
        run.CheckCompanyKeys(companies);
        run.CheckCompanyMoveSources(companies);
        for (var i = 0; i < companies.Count; i++)
        {
            if (ownFindings is null)
            {
                run.CheckCompany(companies[i]);
            }
            else
            {
                run.Diagnostics.AddRange(ownFindings[i]);
            }
        }

        run.CheckPortedOverlaps(companies);

        return [.. run.Diagnostics];
    }

    /// <summary>
    /// The checks of one company that need no other company (formats, names used twice within it, characteristics,
    /// its <c>moved</c> entries): all of <see cref="Validate"/> but duplicate keys, company moves and ported overlaps.
    /// </summary>
    public static IReadOnlyList<Diagnostic> CheckCompany(CompanyManifest company, ManifestFieldLocator locator, WireCharacteristicNames? wireNames = null)
    {
        var run = new ValidationRun(locator, wireNames ?? WireCharacteristicNames.None);
        run.CheckCompany(company);
        return run.Diagnostics;
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
                    Diagnostics.Add(DiagnosticCatalog.DuplicateCompanyKeyAcrossManifests.At(span, company.Key, AlsoAt(At(first, "/metadata/name", first.Span), span)));
                }
                else
                {
                    seen.Add(company.Key, company);
                }
            }
        }

        public void CheckCompany(CompanyManifest c)
        {
            Format(c, "/metadata/name", c.Key, ManifestFormats.CompanyKey(), DiagnosticCatalog.InvalidCompanyKeyValue, c.Span);
            Format(c, "/spec/reseller/cugId", c.Reseller.CugId, ManifestFormats.CugId(), DiagnosticCatalog.InvalidCugIdValue, c.Span);
            Format(c, "/spec/reseller/billingAccount", c.Reseller.BillingAccount, ManifestFormats.BillingAccount(), DiagnosticCatalog.InvalidBillingAccountValue, c.Span);
            Format(c, "/spec/company/domain", c.Company.Domain, ManifestFormats.Domain(), DiagnosticCatalog.InvalidDomainValue, c.Span);
            if (c.Company.Admin is { } admin)
            {
                Format(c, "/spec/company/admin/email", admin.Email, ManifestFormats.Email(), DiagnosticCatalog.InvalidEmailValue, c.Span);
            }

            if (c.Company.EmergencyContact is { } emergency)
            {
                Format(c, "/spec/company/emergencyContact/email", emergency.Email, ManifestFormats.Email(), DiagnosticCatalog.InvalidEmailValue, c.Span);
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
                    Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalidKindChange.At(At(c, $"{pointer}/to", move.Span), move.From, move.To));
                    continue;
                }

                if (source.Name == target.Name)
                {
                    Diagnostics.Add(DiagnosticCatalog.MovedCycleSelf.At(At(c, $"{pointer}/to", move.Span), move.From));
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
                    Diagnostics.Add(DiagnosticCatalog.MovedAmbiguousFrom.At(span, entry.From, AlsoAt(Span(first, "from"), span), c.Moved[first].To));
                    clean = false;
                }

                if (byTo.TryGetValue((move.Kind, move.To), out first))
                {
                    var span = Span(move.Index, "to");
                    Diagnostics.Add(DiagnosticCatalog.MovedAmbiguousTo.At(span, entry.To, AlsoAt(Span(first, "to"), span), c.Moved[first].From));
                    clean = false;
                }

                if (Declared(move.Kind, move.From))
                {
                    Diagnostics.Add(DiagnosticCatalog.MovedSourceStillDeclaredResource.At(Span(move.Index, "from"), entry.From));
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
                            var names = cycle.Select(i => c.Moved[i].From).Append(c.Moved[link.Index].From).ToList();
                            var lines = cycle.Select(i => Span(i, "from")).Select(span => span.HasPosition ? string.Create(CultureInfo.InvariantCulture, $"line {span.Line}") : span.ToString()).ToList();
                            Diagnostics.Add(DiagnosticCatalog.MovedCycleChain.At(Span(cycle.Min(), "from"), names, lines));
                        }

                        path.Clear();
                        break;
                    }

                    path.Add(link.Index);
                    current = link;
                }

                if (path.Count > 0 && !Declared(current.Kind, current.To) && reported.Add(current.Index))
                {
                    Diagnostics.Add(DiagnosticCatalog.MovedTargetMissingResource.At(
                        Span(current.Index, "to"),
                        c.Moved[current.Index].From,
                        c.Moved[current.Index].To,
                        current.Kind == ResourceKind.Site,
                        current.To));
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
                Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalidCompanyKindChange.At(At(c, $"{pointer}/to", move.Span), Shorten(move.From), Shorten(move.To), c.Key));
                return;
            }

            if (!ManifestFormats.CompanyKey().IsMatch(source.Name))
            {
                Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalidCompanyKey.At(At(c, $"{pointer}/from", move.Span), Shorten(move.From)));
                return;
            }

            if (source.Name == target.Name)
            {
                Diagnostics.Add(DiagnosticCatalog.MovedCycleSelf.At(At(c, $"{pointer}/to", move.Span), move.From));
                return;
            }

            if (target.Name != c.Key)
            {
                Diagnostics.Add(DiagnosticCatalog.MovedTargetMissingCompany.At(At(c, $"{pointer}/to", move.Span), Shorten(move.From), Shorten(move.To), c.Key));
                return;
            }

            // The first entry that is a company move into this key is the one; any later one is a second.
            var first = c.Moved.Select((m, i) => (m, i)).First(x => MoveSpec.Parse(x.m.From) is { Kind: ResourceKind.Company } f
                && MoveSpec.Parse(x.m.To) is { Kind: ResourceKind.Company } t && t.Name == c.Key && f.Name != c.Key);
            if (!ReferenceEquals(first.m, move))
            {
                var span = At(c, $"{pointer}/from", move.Span);
                Diagnostics.Add(DiagnosticCatalog.MovedAmbiguousSecondCompanyMove.At(span, move.From, AlsoAt(At(c, $"{Pointer("/spec/moved", first.i)}/from", first.m.Span), span)));
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
                        Diagnostics.Add(DiagnosticCatalog.MovedSourceStillDeclaredCompany.At(span, c.Moved[i].From, AlsoAt(At(declared, "/metadata/name", declared.Span), span)));
                    }
                    else if (!takenBy.TryAdd(source.Name, c))
                    {
                        Diagnostics.Add(DiagnosticCatalog.MovedAmbiguousCompanySource.At(span, takenBy[source.Name].Key, c.Key, c.Moved[i].From));
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
                        Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalidName.At(span, Shorten(text), problem));
                        return false;
                    }

                    return true;
                case ResourceKind.User:
                    Diagnostics.Add(DiagnosticCatalog.MovedKindNotRenamableUser.At(span, Shorten(text)));
                    return false;
                default:
                    Diagnostics.Add(DiagnosticCatalog.MovedAddressInvalidAddress.At(span, Shorten(text)));
                    return false;
            }
        }

        /// <summary>The <c>characteristics:</c> escape hatch may add to an order item, never take over what whcctl sets.</summary>
        private void CheckCharacteristics(CompanyManifest c)
        {
            Characteristics(c, "company", "/spec/company", c.Company.Characteristics, c.Span);
            for (var i = 0; i < c.NumberBlocks.Length; i++)
            {
                if (!c.NumberBlocks[i].Characteristics.IsEmpty)
                {
                    Characteristics(c, "numberBlock", Pointer("/spec/numberBlocks", i), c.NumberBlocks[i].Characteristics, c.NumberBlocks[i].Span);
                }
            }

            for (var i = 0; i < c.Sites.Length; i++)
            {
                var site = c.Sites[i];
                if (!site.Characteristics.IsEmpty)
                {
                    Characteristics(c, "site", Pointer("/spec/sites", i), site.Characteristics, site.Span);
                }

                for (var j = 0; j < site.Users.Length; j++)
                {
                    // Most have none: their pointers are not built for nothing (a plan validates thousands of users).
                    if (!site.Users[j].Characteristics.IsEmpty)
                    {
                        Characteristics(c, "user", Pointer($"{Pointer("/spec/sites", i)}/users", j), site.Users[j].Characteristics, site.Users[j].Span);
                    }
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
                    Diagnostics.Add(DiagnosticCatalog.InvalidCharacteristicName.At(span, name));
                }
                else if (ExtraCharacteristics.SetByWhcctl[product].Contains(name))
                {
                    Diagnostics.Add(DiagnosticCatalog.InvalidCharacteristicSetByWhcctl.At(span, name, product));
                }
                else if (wireNames.FieldSentAs(product, name) is { } field)
                {
                    Diagnostics.Add(DiagnosticCatalog.InvalidCharacteristicWireName.At(span, name, product, field));
                }
            }
        }

        private void CheckNumberBlocks(CompanyManifest c)
        {
            var names = new Uniqueness(this, c, DiagnosticCatalog.DuplicateNumberBlockUsedTwice, "number block name", StringComparer.Ordinal, freeText: true);
            for (var i = 0; i < c.NumberBlocks.Length; i++)
            {
                var block = c.NumberBlocks[i];
                var pointer = Pointer("/spec/numberBlocks", i);
                names.Add(block.Name, pointer, "/name", block.Span);
                if (block.IsPorted)
                {
                    if (block.AreaCode.Length > 0 || locator(c, $"{pointer}/quantity") is not null)
                    {
                        Diagnostics.Add(DiagnosticCatalog.NumberBlockKindUnclearBoth.At(At(c, $"{pointer}/ported", block.Span), block.Name));
                    }
                    else
                    {
                        CheckPortedRanges(c, block, pointer);
                    }
                }
                else if (block.AreaCode.Length == 0 || block.Quantity == 0)
                {
                    Diagnostics.Add(DiagnosticCatalog.NumberBlockKindUnclearNeither.At(block.Span, block.Name));
                }
                else
                {
                    Format(c, pointer, "/areaCode", block.AreaCode, ManifestFormats.AreaCode(), DiagnosticCatalog.InvalidAreaCodeValue, block.Span);
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
                    Diagnostics.Add(DiagnosticCatalog.NumberBlockOversubscribedUsers.At(At(c, $"{Pointer("/spec/numberBlocks", i)}/quantity", block.Span), block.Name, block.Quantity, users));
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
                var from = Format(c, $"{rangePointer}/from", range.From, ManifestFormats.DirectoryNumber(), DiagnosticCatalog.InvalidDirectoryNumberPorted, range.Span);
                var to = Format(c, $"{rangePointer}/to", range.To, ManifestFormats.DirectoryNumber(), DiagnosticCatalog.InvalidDirectoryNumberPorted, range.Span);
                if (from && to && range.Count == 0)
                {
                    Diagnostics.Add((range.From.Length != range.To.Length ? DiagnosticCatalog.PortedRangeReversedLengths : DiagnosticCatalog.PortedRangeReversedOrder)
                        .At(At(c, $"{rangePointer}/to", range.Span), range.From, range.To, block.Name));
                }
            }

            var total = block.Ported.Sum(r => (long)r.Count);
            if (total > ManifestFormats.MaxPortedNumbersPerBlock)
            {
                Diagnostics.Add(DiagnosticCatalog.PortedRangeTooLargeBlock.At(At(c, $"{pointer}/ported", block.Span), block.Name, total, ManifestFormats.MaxPortedNumbersPerBlock));
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
                    Diagnostics.Add(DiagnosticCatalog.PortedRangesOverlapRanges.At(
                        current.Range.Span,
                        new DiagnosticCatalog.PortedOverlap(
                            current.Range.From,
                            current.Range.To,
                            current.Block.Name,
                            earlier.Range.From,
                            earlier.Range.To,
                            earlier.Block.Name,
                            earlier.Company == current.Company ? null : earlier.Company.Key,
                            AlsoAt(earlier.Range.Span, current.Range.Span))));
                }

                if (string.CompareOrdinal(current.Range.To, earlier.Range.To) > 0)
                {
                    furthest = current;
                }
            }
        }

        private void CheckSites(CompanyManifest c)
        {
            var names = new Uniqueness(this, c, DiagnosticCatalog.DuplicateSiteNameUsedTwice, "site name", StringComparer.OrdinalIgnoreCase, freeText: true);
            var codes = new Uniqueness(this, c, DiagnosticCatalog.DuplicateLocationCodeUsedTwice, "location code", StringComparer.OrdinalIgnoreCase, freeText: true);
            for (var i = 0; i < c.Sites.Length; i++)
            {
                var site = c.Sites[i];
                var pointer = Pointer("/spec/sites", i);
                names.Add(site.Name, pointer, "/name", site.Span);
                codes.Add(site.LocationCode, pointer, "/locationCode", site.Span);
                CheckAddress(c, site, $"{pointer}/address");
            }
        }

        private void CheckAddress(CompanyManifest c, SiteSpec site, string pointer)
        {
            var address = site.Address;
            SourceSpan Span() => At(c, pointer, site.Span);
            var hasPostcode = !string.IsNullOrEmpty(address.Postcode);
            // A NAD key may come with its postcode (plan then checks BT lists the key there), not with premises, which
            // pick an address of their own.
            if (address.HasNadKey && !string.IsNullOrWhiteSpace(address.Premises))
            {
                Diagnostics.Add(DiagnosticCatalog.AddressAmbiguousSite.At(Span(), site.Name));
            }
            else if (!address.HasNadKey && !hasPostcode)
            {
                Diagnostics.Add(DiagnosticCatalog.AddressIncompleteSite.At(Span(), site.Name));
            }

            if (address.NadKey is { Length: > 0 } nadKey)
            {
                Format(c, pointer, "/nadKey", nadKey, ManifestFormats.NadKey(), DiagnosticCatalog.InvalidNadKeyValue, site.Span);
            }

            if (address.Postcode is { Length: > 0 } postcode)
            {
                Format(c, pointer, "/postcode", postcode, ManifestFormats.Postcode(), DiagnosticCatalog.InvalidPostcodeValue, site.Span);
                if (!address.HasNadKey && string.IsNullOrWhiteSpace(address.Premises))
                {
                    Diagnostics.Add(DiagnosticCatalog.AddressWithoutPremisesSite.At(Span(), site.Name));
                }
            }
        }

        private void CheckUsers(CompanyManifest c)
        {
            var users = c.Sites.Sum(site => site.Users.Length);
            var usernames = new Uniqueness(this, c, DiagnosticCatalog.DuplicateUsernameUsedTwice, "username", StringComparer.OrdinalIgnoreCase, freeText: true, capacity: users);
            var extensions = new Uniqueness(this, c, DiagnosticCatalog.DuplicateExtensionUsedTwice, "extension", StringComparer.Ordinal, capacity: users);
            var macs = new Uniqueness(this, c, DiagnosticCatalog.DuplicateMacAddressUsedTwice, "MAC address", StringComparer.Ordinal);
            var blockNames = c.NumberBlocks.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
            for (var s = 0; s < c.Sites.Length; s++)
            {
                var site = c.Sites[s];
                for (var u = 0; u < site.Users.Length; u++)
                {
                    var user = site.Users[u];
                    var pointer = string.Create(CultureInfo.InvariantCulture, $"/spec/sites/{s}/users/{u}");
                    usernames.Add(user.Username, pointer, "/username", user.Span);
                    extensions.Add(user.Extension, pointer, "/extension", user.Span);
                    Format(c, pointer, "/extension", user.Extension, ManifestFormats.Extension(), DiagnosticCatalog.InvalidExtensionValue, user.Span);
                    if (user.Number is { } number && !blockNames.Contains(number.From))
                    {
                        var span = At(c, $"{pointer}/number/from", user.Span);
                        Diagnostics.Add(blockNames.Count == 0
                            ? DiagnosticCatalog.UndefinedNumberBlockNoBlocks.At(span, user.Username, number.From)
                            : DiagnosticCatalog.UndefinedNumberBlockName.At(span, user.Username, number.From, EditDistance.Closest(number.From, blockNames)));
                    }

                    for (var d = 0; d < user.Devices.Length; d++)
                    {
                        var device = user.Devices[d];
                        var devicePointer = $"{pointer}{Pointer("/devices", d)}/macAddress";
                        if (Format(c, devicePointer, string.Empty, device.MacAddress, ManifestFormats.MacAddress(), DiagnosticCatalog.InvalidMacAddressValue, user.Span))
                        {
                            macs.Add(device.MacAddress, devicePointer, string.Empty, user.Span);
                        }
                    }
                }
            }
        }

        private bool Format(CompanyManifest company, string pointer, string value, Regex format, DiagnosticTemplate<string> refusal, SourceSpan fallback) =>
            Format(company, pointer, string.Empty, value, format, refusal, fallback);

        /// <summary>As above, the field's pointer in two parts, joined only for a refusal (most values are valid).</summary>
        private bool Format(CompanyManifest company, string pointer, string field, string value, Regex format, DiagnosticTemplate<string> refusal, SourceSpan fallback)
        {
            if (format.IsMatch(value))
            {
                return true;
            }

            Diagnostics.Add(refusal.At(At(company, string.Concat(pointer, field), fallback), Shorten(value)));
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
    private sealed class Uniqueness(ValidationRun run, CompanyManifest company, DiagnosticTemplate<string, string, string?, bool> usedTwice, string what, StringComparer comparer, bool freeText = false, int capacity = 0)
    {
        // Positions are looked up only for a duplicate: finding one may mean parsing the file again.
        private readonly Dictionary<string, (string Value, string Pointer, string Field, SourceSpan Fallback)> seen = new(capacity, comparer);

        /// <summary>Adds a value found at <paramref name="pointer"/> + <paramref name="field"/> (joined only when a diagnostic needs them).</summary>
        public void Add(string value, string pointer, string field, SourceSpan fallback)
        {
            if (value.Length == 0)
            {
                return;
            }

            var key = freeText ? IdentifierNormalisation.Nfkc(value) : value;
            if (key is null)
            {
                // Without a normaliser a look-alike could pass as unique: refuse rather than check less.
                run.Diagnostics.Add(DiagnosticCatalog.NormaliserUnavailableFor.At(run.At(company, string.Concat(pointer, field), fallback), what, value));
                return;
            }

            if (seen.TryGetValue(key, out var first))
            {
                var span = run.At(company, string.Concat(pointer, field), fallback);
                run.Diagnostics.Add(usedTwice.At(
                    span,
                    value,
                    ValidationRun.AlsoAt(run.At(company, string.Concat(first.Pointer, first.Field), first.Fallback), span),
                    comparer.Equals(first.Value, value) ? null : first.Value,
                    comparer == StringComparer.OrdinalIgnoreCase));
            }
            else
            {
                seen.Add(key, (value, pointer, field, fallback));
            }
        }
    }
}
