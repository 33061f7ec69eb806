using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Manifests;

namespace Whc.Declarative.Core.State;

/// <summary>
/// Everything whcctl has recorded about one company: every BT id its applies produced. One state per company is the
/// unit of storage and locking. <see cref="Serial"/> grows by one per write; <see cref="Lineage"/> is fixed when the
/// state is first created, so two unrelated histories are never confused.
/// </summary>
public sealed record CompanyState(
    int Version,
    long Serial,
    string Lineage,
    string Company,
    CompanyRecord? Record,
    ImmutableArray<NumberBlockState> NumberBlocks,
    ImmutableArray<SiteState> Sites,
    ImmutableArray<UserState> Users,
    ImmutableArray<OrderRecord> Orders,
    ImmutableArray<IntentRecord> Intents)
{
    /// <summary>
    /// The newest state format. Format 2 is format 1 with ported number blocks, which a whcctl that knows only format 1
    /// would misread as new numbers (and could cease as such): a state holding one is written as format 2, which such a
    /// whcctl refuses; any other state is still written as format 1, so it keeps reading those. Format 3 adds the
    /// tombstone of a destroyed company (<see cref="Destroyed"/>), which an older whcctl would take for a company in
    /// state to be destroyed: only a tombstone is written as format 3.
    /// </summary>
    public const int CurrentVersion = 3;

    /// <summary>The oldest format read straight into this model (later ones only add to it).</summary>
    public const int FirstVersionOfModel = 1;

    /// <summary>The oldest format that can hold this state (see <see cref="CurrentVersion"/>).</summary>
    public int RequiredVersion => KeptTombstone is not null ? 3 : NumberBlocks.Any(b => b.Ported) ? 2 : FirstVersionOfModel;

    /// <summary>
    /// Where the company was applied: the endpoint's preset name (<c>sandbox</c>, <c>testa</c>, <c>production</c>) or
    /// its normalised base URL (added to format 1 later; absent until the next apply). A plan or apply against another
    /// endpoint is refused (WHC3016): its BT knows nothing of these ids. <c>whcctl state rebind</c> moves it on purpose.
    /// </summary>
    public EndpointName? Endpoint { get; init; }

    /// <summary>
    /// Set when whcctl destroyed the company (format 3): the state is then a tombstone, which keeps the company's
    /// lineage, serial and orders, so its history goes on, and stands for a company that is gone, not one to destroy.
    /// </summary>
    public CompanyTombstone? Destroyed { get; init; }

    /// <summary>The company's destroy, when its state records nothing else: <see cref="Destroyed"/>, or for a state an older whcctl destroyed, its last order, a completed cease of the company.</summary>
    public CompanyTombstone? Tombstone
    {
        get
        {
            if (!HoldsNothingAtBt || !Intents.IsEmpty)
            {
                return null;
            }

            if (Destroyed is not null)
            {
                return Destroyed;
            }

            var last = Orders.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal).LastOrDefault();
            return last is { State: OrderState.Completed } && last.Operations.Any(o => o.Address.Kind == ResourceKind.Company && o.Kind == OrderOperationKind.Cease)
                ? new CompanyTombstone(last.CreatedAt, null, null)
                : null;
        }
    }

    /// <summary>Whether the state stands for a company whcctl destroyed (and nothing made since).</summary>
    public bool IsDestroyed => Tombstone is not null;

    /// <summary>Whether state records nothing that exists at BT: no company record, block, site or user.</summary>
    public bool HoldsNothingAtBt => Record is null && NumberBlocks.IsEmpty && Sites.IsEmpty && Users.IsEmpty;

    /// <summary>The tombstone as written: dropped once the company is made again (its history keeps the tombstone's version).</summary>
    private CompanyTombstone? KeptTombstone => HoldsNothingAtBt ? Destroyed : null;

    public static CompanyState New(string company, string lineage) =>
        new(CurrentVersion, 0, lineage, company, null, [], [], [], [], []);

    /// <summary>
    /// The state without one resource (a company address: without anything recorded about the company), as
    /// <c>state rm</c> and a plan's forget changes leave it. Nothing at BT changes.
    /// </summary>
    public CompanyState Without(ResourceAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Kind switch
        {
            ResourceKind.Company => New(Company, Lineage) with { Serial = Serial },
            ResourceKind.NumberBlock => this with { NumberBlocks = NumberBlocks.RemoveAll(b => b.Name == address.Name) },
            ResourceKind.Site => this with { Sites = Sites.RemoveAll(s => s.Name == address.Name) },
            _ => this with { Users = Users.RemoveAll(u => u.Username == address.Name) },
        };
    }

    /// <summary>
    /// The state with a number block or a site renamed, and the users that draw on the block or stand at the site
    /// following it: what <c>state mv</c> and a <c>moved</c> entry record. Nothing at BT changes (BT cannot rename a
    /// site; a block's name is whcctl's alone; refresh reads BT's sites under state's names). Any other kind is left as it is.
    /// </summary>
    public CompanyState Renamed(ResourceKind kind, string from, string to) => kind switch
    {
        ResourceKind.NumberBlock => this with
        {
            NumberBlocks = [.. NumberBlocks.Select(b => b.Name == from ? b with { Name = to } : b)],
            Users = [.. Users.Select(u => u.NumberBlock == from ? u with { NumberBlock = to } : u)],
        },
        ResourceKind.Site => this with
        {
            Sites = [.. Sites.Select(s => s.Name == from ? s with { Name = to } : s)],
            Users = [.. Users.Select(u => u.Site == from ? u with { Site = to } : u)],
        },
        _ => this,
    };

    /// <summary>Whether nothing is recorded (what <c>state rm COMPANY</c> leaves): such a state stands for no company.</summary>
    public bool IsEmpty => Record is null && NumberBlocks.IsEmpty && Sites.IsEmpty && Users.IsEmpty && Orders.IsEmpty && Intents.IsEmpty;

    /// <summary>Whether two states record the same things (serial aside): compared in canonical order, field by field.</summary>
    public bool SameContentAs(CompanyState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Canonical.CanonicalContent.Of(this).AsSpan().SequenceEqual(Canonical.CanonicalContent.Of(other));
    }

    /// <summary>The same state with its collections in canonical order, so that files diff cleanly, in the format it needs.</summary>
    public CompanyState Normalized() => this with
    {
        Version = RequiredVersion,
        Destroyed = KeptTombstone,
        NumberBlocks = [.. NumberBlocks.OrderBy(b => b.Name, StringComparer.Ordinal)],
        Sites = [.. Sites.OrderBy(s => s.Name, StringComparer.Ordinal)],
        Users = [.. Users.OrderBy(u => u.Username, StringComparer.Ordinal)],
        Orders = [.. Orders.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal)],
        Intents = [.. Intents.OrderBy(i => i.StartedAt).ThenBy(i => i.Id, StringComparer.Ordinal)],
    };
}

/// <summary>A destroyed company: when its cease completed, and its name and service id at BT then.</summary>
public sealed record CompanyTombstone(DateTimeOffset At, string? Name, string? ServiceId);

/// <summary>The company itself at BT: what it was qualified and ordered as, and its ids.</summary>
public sealed record CompanyRecord(
    string Name,
    string Domain,
    string CustomerGroup,
    string CugId,
    string BillingAccount,
    string? ServiceId,
    QualificationRecord? Qualification,
    bool Active)
{
    public bool Protected { get; init; }
}

/// <summary>A qualification; it reserves name and domain until <see cref="ExpiresAt"/> (23:59 UK time on the day made).</summary>
public sealed record QualificationRecord(string Id, DateTimeOffset? ExpiresAt, bool Used);

public sealed record NumberBlockState(string Name, string AreaCode, int Quantity, ImmutableArray<NumberRangeState> Ranges)
{
    /// <summary>Remembered from the manifest at the last apply: a protected resource is never ceased, even once removed from the manifest.</summary>
    public bool Protected { get; init; }

    /// <summary>
    /// A block of numbers ported in from another provider (added to format 1 later; written only when true): its
    /// ranges are exactly those the manifest lists, and <see cref="AreaCode"/> is empty.
    /// </summary>
    public bool Ported { get; init; }

    public int RingfencedCount => Ranges.Sum(r => r.Count);
}

public sealed record NumberRangeState(string StartNumber, string EndNumber, bool Active, string? ServiceId)
{
    public int Count => (int)(long.Parse(EndNumber, System.Globalization.CultureInfo.InvariantCulture)
        - long.Parse(StartNumber, System.Globalization.CultureInfo.InvariantCulture) + 1);
}

public sealed record SiteState(string Name, string LocationCode, string NadKey, string? ServiceId)
{
    public bool Protected { get; init; }

    /// <summary>
    /// The postcode and premises the NAD key was found by, when the manifest gave the address that way (null for a
    /// site given by NAD key, or adopted from BT's inventory). BT cannot move a site, so a manifest that later names
    /// another address for it is refused.
    /// </summary>
    public SiteAddressState? FoundBy { get; init; }
}

/// <summary>An address as a manifest gave it: a postcode and the premises picked there.</summary>
public sealed record SiteAddressState(string Postcode, string? Premises)
{
    /// <summary>The address to record for a site the manifest gives by postcode; null for one given by NAD key.</summary>
    public static SiteAddressState? Of(AddressSpec address) =>
        address.HasNadKey || address.Postcode is null ? null : new SiteAddressState(address.Postcode, address.Premises);
}

public sealed record UserState(
    string Username,
    string Site,
    string FirstName,
    string LastName,
    string Extension,
    string? NumberBlock,
    string? DirectoryNumber,
    string Licence,
    ImmutableArray<string> DeviceMacAddresses,
    string? ServiceId)
{
    public bool Protected { get; init; }
}

/// <summary>An order whcctl created, with the state it was last seen in and the resource addresses it realises.</summary>
public sealed record OrderRecord(
    string Id,
    string ExternalId,
    string StepId,
    OrderState State,
    DateTimeOffset CreatedAt,
    ImmutableArray<string> Resources)
{
    /// <summary>
    /// What the order does to each resource (added to format 1 later; empty in older files, which name only the
    /// resources). While the order is unfinished, the planner needs the kind: a resource the order adds or changes but
    /// the manifest no longer wants is ceased after it.
    /// </summary>
    public ImmutableArray<OrderOperation> Operations { get; init; } = [];

    /// <summary>
    /// The start numbers of the ringfenced ranges the order activates (added to format 1 later, with
    /// <see cref="Operations"/>). A range ringfenced after the order was made is not among them and needs an order of its own.
    /// </summary>
    public ImmutableArray<string> NumberRanges { get; init; } = [];

    /// <summary>Whether BT has finished with the order as whcctl last saw it (anything else is still in flight).</summary>
    public bool IsFinal => State.IsFinal();

    /// <summary>The resources the order acts on (<see cref="Resources"/>, parsed; a malformed entry is left out).</summary>
    public IEnumerable<ResourceAddress> ResourceAddresses =>
        Resources.Select(text => ResourceAddress.TryParse(text, out var address) ? address : null).OfType<ResourceAddress>();
}

/// <summary>
/// Written before a non-idempotent call and removed when its result is recorded. An intent found on the next run means
/// the outcome of that call is unknown, and it is reconciled against BT before anything is repeated.
/// </summary>
public sealed record IntentRecord(
    string Id,
    string StepId,
    string Operation,
    DateTimeOffset StartedAt,
    ImmutableSortedDictionary<string, string> Details);
