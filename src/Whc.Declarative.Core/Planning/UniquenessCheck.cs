using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// What the uniqueness check found: errors (a value a resource staying at BT keeps, values swapped), site ceases that
/// must complete before the sites that reuse their name or code are created, and the wave of each user operation that
/// must wait for another user's change to free a value (0, or absent: no wait).
/// </summary>
internal sealed record UniquenessResult(
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableHashSet<ResourceAddress> EarlyCeases,
    ImmutableDictionary<ResourceAddress, int> Waves)
{
    public int WaveOf(ResourceAddress address) => Waves.GetValueOrDefault(address);
}

/// <summary>
/// BT's uniqueness rules within a company, as the sandbox enforces them: site name and location code (ignoring case),
/// username (ignoring case; across BT, which refresh checks for new users), extension, MAC address (as hex digits),
/// directory number. Each value a create or change takes is checked against the resource holding it at BT now: one
/// the plan ceases frees it first (a user's cease comes before the creates that need its values; a site cease is moved
/// before them), one the plan changes to another value frees it with that change (the taker waits for it), one that
/// keeps it is an error.
/// Duplicates inside the manifest are validate's (WHC2002-WHC2006).
/// </summary>
internal static class UniquenessCheck
{
    public static UniquenessResult Check(
        string company,
        CompanyManifest desired,
        CurrentView view,
        ImmutableDictionary<string, string> numbers,
        ImmutableArray<OrderOperation> structural,
        ImmutableArray<OrderOperation> userOperations,
        ImmutableArray<OrderOperation> userCeases,
        ImmutableArray<OrderOperation> structuralCeases)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var early = new HashSet<ResourceAddress>();
        var ceasedSites = structuralCeases.Where(o => o.Address.Kind == ResourceKind.Site).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);

        // Sites: never changed in place, so a holder is either ceased by this plan or stays.
        foreach (var operation in structural.Where(o => o.Address.Kind == ResourceKind.Site && o.Kind == OrderOperationKind.Add))
        {
            if (desired.Sites.FirstOrDefault(s => s.Name == operation.Address.Name) is not { } site)
            {
                continue;
            }

            var label = $"site '{site.Name}'";
            foreach (var holder in view.Sites.Values.Where(s => s.ServiceId is not null && s.Name != site.Name))
            {
                var claims = new List<(string Rule, string Shown, bool Same)>
                {
                    ("site name", $"'{site.Name}'", string.Equals(holder.Name, site.Name, StringComparison.OrdinalIgnoreCase)),
                    // An equal code on a removed site is a likely rename, which WHC3041 reports; here only what differs in case.
                    ("location code", $"'{site.LocationCode}'", string.Equals(holder.LocationCode, site.LocationCode, StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(holder.LocationCode, site.LocationCode, StringComparison.Ordinal)),
                };
                foreach (var (rule, shown, _) in claims.Where(c => c.Same))
                {
                    if (ceasedSites.Contains(holder.Name))
                    {
                        early.Add(new ResourceAddress(company, ResourceKind.Site, holder.Name));
                    }
                    else
                    {
                        diagnostics.Add(Held(site.Span, label, rule, shown, $"site '{holder.Name}'"));
                    }
                }
            }
        }

        // Users: only a user taking values can clash, and only with a user BT holds now.
        var waves = view.Users.IsEmpty || !userOperations.Any(o => o.Address.Kind == ResourceKind.User)
            ? ImmutableDictionary<ResourceAddress, int>.Empty
            : UserWaves(company, desired, view, numbers, userOperations, userCeases, diagnostics);
        return new UniquenessResult(diagnostics.ToImmutable(), early.Count == 0 ? [] : [.. early], waves);
    }

    /// <summary>
    /// The users' part of <see cref="Check"/>: a holder is ceased (its cease comes before every add and change), changed
    /// (to another value: the taker waits for that change; to the same: it keeps it), or left alone (it keeps it).
    /// </summary>
    private static ImmutableDictionary<ResourceAddress, int> UserWaves(
        string company,
        CompanyManifest desired,
        CurrentView view,
        ImmutableDictionary<string, string> numbers,
        ImmutableArray<OrderOperation> userOperations,
        ImmutableArray<OrderOperation> userCeases,
        ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var waits = new SortedDictionary<ResourceAddress, SortedSet<ResourceAddress>>(AddressOrder.Instance);
        var specs = desired.AllUsers().ToDictionary(p => p.User.Username, p => p.User, StringComparer.Ordinal);
        var ceased = userCeases.Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        var changed = userOperations.Where(o => o.Kind == OrderOperationKind.Modify).Select(o => o.Address.Name).ToHashSet(StringComparer.Ordinal);
        var holders = view.Users.Values.Where(u => u.ServiceId is not null && !ceased.Contains(u.Username)).ToList();
        // Indexed by rule and value, so that a large company is not compared user by user.
        var byValue = new Dictionary<(string Rule, string Value), List<UserState>>(RuleValueComparer.Instance);
        foreach (var holder in holders)
        {
            foreach (var (rule, value, _) in Values(holder.Username, holder.Extension, holder.DeviceMacAddresses, holder.DirectoryNumber))
            {
                if (!byValue.TryGetValue((rule, value), out var list))
                {
                    byValue[(rule, value)] = list = [];
                }

                list.Add(holder);
            }
        }

        foreach (var operation in userOperations.Where(o => o.Address.Kind == ResourceKind.User))
        {
            if (!specs.TryGetValue(operation.Address.Name, out var user))
            {
                continue;
            }

            foreach (var (rule, value, shown) in Values(user, numbers.GetValueOrDefault(user.Username)).Where(m => operation.Kind == OrderOperationKind.Add || m.Rule != "username"))
            {
                foreach (var holder in byValue.GetValueOrDefault((rule, value)) ?? [])
                {
                    if (holder.Username == user.Username)
                    {
                        continue;
                    }

                    var keeps = !changed.Contains(holder.Username) || !specs.TryGetValue(holder.Username, out var wanted)
                        || Values(wanted, numbers.GetValueOrDefault(wanted.Username)).Any(t => RuleValueComparer.Instance.Equals((t.Rule, t.Value), (rule, value)));
                    if (keeps)
                    {
                        diagnostics.Add(Held(user.Span, $"user '{user.Username}'", rule, shown, $"user '{holder.Username}'"));
                        continue;
                    }

                    if (!waits.TryGetValue(operation.Address, out var set))
                    {
                        waits[operation.Address] = set = new SortedSet<ResourceAddress>(AddressOrder.Instance);
                    }

                    set.Add(new ResourceAddress(company, ResourceKind.User, holder.Username));
                }
            }
        }

        return Waves(waits, specs, desired.Span, diagnostics);
    }

    private static Diagnostic Held(SourceSpan span, string taker, string rule, string shown, string holder) =>
        DiagnosticCatalog.UniqueValueHeldByOther.At(span, taker, rule, shown, holder);

    private static List<(string Rule, string Value, string Shown)> Values(UserSpec user, string? number) =>
        Values(user.Username, user.Extension, [.. user.Devices.Select(d => d.MacAddress)], number);

    /// <summary>
    /// The values a user holds or takes that BT keeps unique, each as one comparable key (usernames ignoring case, MACs
    /// as hex digits): how the planner tells whether one user's value is another's, by the same rules as this check.
    /// </summary>
    public static IEnumerable<string> Keys(string username, string extension, ImmutableArray<string> macs, string? number) =>
        Values(username, extension, macs, number).Select(v => v.Rule + ":" + (v.Rule == "username" ? v.Value.ToUpperInvariant() : v.Value));

    private static List<(string Rule, string Value, string Shown)> Values(string username, string extension, ImmutableArray<string> macs, string? number)
    {
        var values = new List<(string, string, string)> { ("username", username, $"'{username}'"), ("extension", extension, extension) };
        foreach (var mac in macs.IsDefault ? [] : macs)
        {
            var digits = new string([.. mac.Where(char.IsAsciiHexDigit).Select(char.ToUpperInvariant)]);
            values.Add(("MAC address", digits, mac));
        }

        if (number is not null)
        {
            values.Add(("directory number", number, number));
        }

        return values;
    }

    /// <summary>
    /// Each waiting user's wave: one more than the latest of those it waits for. Users waiting on each other in a
    /// circle (a swap) can never be ordered: one WHC3051 per circle, and they stay in wave 0 (the plan has errors).
    /// </summary>
    private static ImmutableDictionary<ResourceAddress, int> Waves(
        SortedDictionary<ResourceAddress, SortedSet<ResourceAddress>> waits,
        Dictionary<string, UserSpec> specs,
        SourceSpan companySpan,
        ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        HashSet<ResourceAddress> Reach(ResourceAddress from)
        {
            var seen = new HashSet<ResourceAddress>();
            var stack = new Stack<ResourceAddress>(waits.GetValueOrDefault(from) ?? []);
            while (stack.TryPop(out var next))
            {
                if (seen.Add(next))
                {
                    foreach (var further in waits.GetValueOrDefault(next) ?? [])
                    {
                        stack.Push(further);
                    }
                }
            }

            return seen;
        }

        var reach = waits.Keys.ToDictionary(k => k, Reach);
        var circled = new HashSet<ResourceAddress>();
        foreach (var node in waits.Keys.Where(k => reach[k].Contains(k) && !circled.Contains(k)))
        {
            var circle = reach[node].Where(o => reach.TryGetValue(o, out var r) && r.Contains(node)).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            circled.UnionWith(circle);
            diagnostics.Add(DiagnosticCatalog.UniqueValuesSwappedUsers.At(
                specs.TryGetValue(node.Name, out var spec) ? spec.Span : companySpan,
                circle.Select(a => a.Name)));
        }

        var waves = new Dictionary<ResourceAddress, int>();
        int WaveOf(ResourceAddress address, int depth)
        {
            if (circled.Contains(address) || depth > waits.Count || !waits.TryGetValue(address, out var before))
            {
                return 0;
            }

            if (!waves.TryGetValue(address, out var wave))
            {
                wave = 1 + before.Max(b => WaveOf(b, depth + 1));
                waves[address] = wave;
            }

            return wave;
        }

        foreach (var address in waits.Keys)
        {
            WaveOf(address, 0);
        }

        return waves.Where(kv => kv.Value > 0).ToImmutableDictionary();
    }

    /// <summary>BT compares usernames ignoring case, every other value by its exact text.</summary>
    private sealed class RuleValueComparer : IEqualityComparer<(string Rule, string Value)>
    {
        public static readonly RuleValueComparer Instance = new();

        public bool Equals((string Rule, string Value) x, (string Rule, string Value) y) =>
            x.Rule == y.Rule && (x.Rule == "username" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).Equals(x.Value, y.Value);

        public int GetHashCode((string Rule, string Value) obj) =>
            HashCode.Combine(obj.Rule, obj.Rule == "username" ? StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Value) : StringComparer.Ordinal.GetHashCode(obj.Value));
    }

    /// <summary>Addresses in ordinal order of their text, so that diagnostics and waves never depend on hashing.</summary>
    private sealed class AddressOrder : IComparer<ResourceAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(ResourceAddress? x, ResourceAddress? y) => string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}
