using System.Collections.Immutable;
using System.Globalization;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Builds manifests, states and inventories in code. One company ("acme") with one number block ("main", area 0121,
/// numbers 01214960000…) by default; an applied state and a matching inventory are derived from a manifest, so a test
/// starts from "BT already matches the manifest" and changes only what it is about.
/// </summary>
internal static class TestData
{
    public const string Key = "acme";
    public const string CompanyServiceId = "CO-0001";
    public const string FirstNumber = "01214960000";
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A small deterministic number from a name (string.GetHashCode differs per process).</summary>
    public static int Stable(string text) => text.Aggregate(17, (h, c) => ((h * 31) + c) & 0x7FFFFFF);

    public static SourceSpan Span(int line = 1) => new("acme.yaml", line, 1);

    public static UserSpec User(string username, string? block = "main", string extension = "", params string[] macs) =>
        new(
            username,
            "First-" + username,
            "Last-" + username,
            extension.Length > 0 ? extension : (2000 + (Stable(username) % 7000)).ToString(CultureInfo.InvariantCulture),
            block is null ? null : new NumberRef(block),
            "standard",
            [.. macs.Select(m => new DeviceSpec(m, null))],
            false,
            Span());

    public static ImmutableArray<UserSpec> Users(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => User(string.Create(CultureInfo.InvariantCulture, $"{prefix}{i:00}"), extension: string.Create(CultureInfo.InvariantCulture, $"{2000 + i}")))];

    public static SiteSpec Site(string name, params UserSpec[] users) => Site(name, ImmutableArray.Create(users));

    public static SiteSpec Site(string name, ImmutableArray<UserSpec> users) =>
        new(name, "LOC-" + name, new AddressSpec(null, null, null, null, "A" + (Stable(name) % 100000000).ToString("00000000", CultureInfo.InvariantCulture)), users, false, Span());

    public static SiteSpec SiteAtPostcode(string name, string postcode, string premises, params UserSpec[] users) =>
        new(name, "LOC-" + name, new AddressSpec(postcode, premises, null, null, null), [.. users], false, Span());

    public static NumberBlockSpec Block(string name = "main", string areaCode = "0121", int quantity = 10) =>
        new(name, areaCode, quantity, false, Span(3));

    public static CompanyManifest Manifest(params SiteSpec[] sites) => Manifest([Block()], sites);

    public static CompanyManifest Manifest(ImmutableArray<NumberBlockSpec> blocks, params SiteSpec[] sites) =>
        new(
            CompanyManifest.CurrentApiVersion,
            Key,
            new ResellerSpec("CUG-1", "BA-1"),
            new CompanyDetails("Acme Ltd", "acme.example", "retail", new ContactSpec("Ann Admin", "ann@acme.example", null), null),
            blocks,
            [.. sites],
            false,
            Span());

    /// <summary>A typical company: one site "hq" with users u01..u0n drawing on block "main".</summary>
    public static CompanyManifest Simple(int users = 2) => Manifest(Site("hq", Users("u", users)));

    public static string Number(int offset) =>
        (long.Parse(FirstNumber, CultureInfo.InvariantCulture) + offset).ToString(CultureInfo.InvariantCulture).PadLeft(FirstNumber.Length, '0');

    /// <summary>
    /// The state whcctl would hold after a successful apply of <paramref name="manifest"/>. Block i holds the 1,000
    /// numbers from <see cref="FirstNumber"/> + 1000·i on; the users of a block hold its numbers in manifest order
    /// (the first user of block 0 holds <c>Number(0)</c>, the next <c>Number(1)</c>, ...). Written down here rather
    /// than computed by the product's own NumberAssignment, so a test of that rule cannot agree with itself.
    /// </summary>
    public static CompanyState Applied(CompanyManifest manifest)
    {
        var offset = 0;
        var firstOffsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var blocks = manifest.NumberBlocks.Select(b =>
        {
            var range = new NumberRangeState(Number(offset), Number(offset + b.Quantity - 1), true, "NR-" + b.Name);
            firstOffsets[b.Name] = offset;
            offset += 1000;
            return new NumberBlockState(b.Name, b.AreaCode, b.Quantity, [range]) { Protected = b.Protect };
        }).ToImmutableArray();
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in manifest.AllUsers().Where(p => p.User.Number is not null).GroupBy(p => p.User.Number?.From ?? string.Empty))
        {
            var next = firstOffsets[group.Key];
            foreach (var (_, user) in group)
            {
                numbers[user.Username] = Number(next++);
            }
        }

        var sites = manifest.Sites.Select(s => new SiteState(s.Name, s.LocationCode, s.Address.NadKey ?? "A99999999", "SI-" + s.Name)
        {
            Protected = s.Protect,
            FoundBy = SiteAddressState.Of(s.Address),
        });
        var users = manifest.AllUsers().Select(p => new UserState(
            p.User.Username,
            p.Site.Name,
            p.User.FirstName,
            p.User.LastName,
            p.User.Extension,
            p.User.Number?.From,
            p.User.Number is null ? null : numbers[p.User.Username],
            p.User.Licence,
            [.. p.User.Devices.Select(d => d.MacAddress).Order(StringComparer.Ordinal)],
            "US-" + p.User.Username) { Protected = p.User.Protect });
        var details = manifest.Company;
        return CompanyState.New(manifest.Key, "lineage-1") with
        {
            Serial = 4,
            Record = new CompanyRecord(details.Name, details.Domain, details.CustomerGroup, manifest.Reseller.CugId, manifest.Reseller.BillingAccount, CompanyServiceId, new QualificationRecord("Q-1", Now.AddDays(-1), true), true)
            {
                Protected = manifest.Protect,
            },
            NumberBlocks = blocks,
            Sites = [.. sites],
            Users = [.. users],
        };
    }

    /// <summary>What BT's inventory says about a company whose state is <paramref name="state"/> (BT agrees with state).</summary>
    public static CompanyInventory InventoryOf(CompanyState state, CompanyStatus status = CompanyStatus.Active)
    {
        var record = state.Record ?? throw new InvalidOperationException("state has no record");
        return new CompanyInventory(
            record.ServiceId ?? CompanyServiceId,
            record.Name,
            record.Domain,
            record.CustomerGroup,
            status,
            record.Qualification?.Id,
            [.. state.NumberBlocks.SelectMany(b => b.Ranges.Select(r => new NumberRangeRecord(b.AreaCode, r.StartNumber, r.EndNumber, r.Active ? NumberRangeStatus.Active : NumberRangeStatus.Ringfenced, r.ServiceId)))],
            [.. state.Sites.Where(s => s.ServiceId is not null).Select(s => new SiteRecord(s.ServiceId ?? string.Empty, s.Name, s.LocationCode, s.NadKey))],
            [.. state.Users.Where(u => u.ServiceId is not null).Select(u => new UserRecord(
                u.ServiceId ?? string.Empty,
                "SI-" + u.Site,
                u.Username,
                u.FirstName,
                u.LastName,
                u.Extension,
                u.DirectoryNumber,
                u.Licence,
                u.DeviceMacAddresses))]);
    }

    public static CompanyPlanInput Input(CompanyManifest? desired, CompanyState? state = null, RefreshSnapshot? refresh = null, string company = Key) =>
        new(company, desired, state, refresh);

    /// <summary>The input of a company BT already holds exactly as <paramref name="state"/> records it.</summary>
    public static CompanyPlanInput Existing(CompanyManifest desired, CompanyState state) =>
        Input(desired, state, RefreshSnapshot.Of(InventoryOf(state)));

    public static Plan PlanOne(CompanyPlanInput input, PlannerOptions? options = null, PlanMode mode = PlanMode.Normal) =>
        new Planner(options ?? new PlannerOptions()).Plan([input], mode, Now);

    public static CompanyPlan Only(this Plan plan) => plan.Companies.Should().ContainSingle().Subject;

    public static ResourceAddress UserAddress(string username) => new(Key, ResourceKind.User, username);

    public static ResourceAddress SiteAddress(string site) => new(Key, ResourceKind.Site, site);

    public static ResourceAddress BlockAddress(string block = "main") => new(Key, ResourceKind.NumberBlock, block);

    public static ResourceChange ChangeOf(this CompanyPlan plan, ResourceAddress address) =>
        plan.Changes.Should().ContainSingle(c => c.Address == address).Subject;

    public static IEnumerable<string> Codes(this Plan plan) => plan.AllDiagnostics.Select(d => d.Code);

    /// <summary>The step whose id reads <paramref name="text"/> (compared as a step id, not as text).</summary>
    public static PlanStep Step(this CompanyPlan plan, string text) => plan.Steps.Should().ContainSingle(s => s.Id == Id(text)).Subject;

    /// <summary>A step id from its text form.</summary>
    public static StepId Id(string text) => StepId.TryParse(text, out var id) ? id : throw new ArgumentException($"not a step id: {text}", nameof(text));
}
