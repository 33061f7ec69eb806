using System.Collections.Immutable;
using System.Globalization;

namespace Whc.Declarative.Core.State;

/// <summary>Names of intents recorded in state before non-idempotent calls.</summary>
public static class IntentOperations
{
    public const string Qualify = "qualify";
    public const string RingFence = "ringfence";
    public const string CreateAddress = "create-address";
    public const string CreateOrder = "create-order";
}

/// <summary>
/// What an intent says about the call it stands for: enough to recognise that call's effect at BT by identity, without
/// the manifest of the run that made it (which may have changed since), and what recording it needs (the protect flag
/// of that run, say). State keeps it as a string map (<see cref="IntentRecord.Details"/>) tagged with the operation's
/// name: <see cref="ToMap"/> writes it, and the operation's module (<see cref="Operations.BtOperations"/>) reads it.
/// </summary>
public abstract record IntentDetails
{
    public abstract string Operation { get; }

    public abstract ImmutableSortedDictionary<string, string> ToMap();

    /// <summary>
    /// The typed details of an intent, decoded by the operation module that owns its tag (<see cref="Operations.BtOperations"/>).
    /// Intents written by an earlier whcctl lack some fields: those read as null (the step id still names the block or
    /// site), and the reconciler completes them where it can.
    /// </summary>
    public static IntentDetails Read(IntentRecord intent) => Operations.BtOperations.Decode(intent);

    private protected static string? Text(bool? flag) => flag switch
    {
        true => "true",
        false => "false",
        null => null,
    };

    private protected static ImmutableSortedDictionary<string, string> Map(params (string Key, string? Value)[] entries) =>
        entries.Where(e => e.Value is not null).ToImmutableSortedDictionary(e => e.Key, e => e.Value ?? string.Empty, StringComparer.Ordinal);
}

/// <summary>Qualify a company: identified at BT by its CUG and name, which is all a lost answer can be found by.</summary>
public sealed record QualifyIntent(string? CugId, string? BillingAccount, string? CompanyName, string? CompanyDomain, string? CustomerGroup) : IntentDetails
{
    public override string Operation => IntentOperations.Qualify;

    /// <summary>The manifest's protect flag in the run that made the call (null in an older whcctl's intent).</summary>
    public bool? Protect { get; init; }

    public override ImmutableSortedDictionary<string, string> ToMap() =>
        Map(("cugId", CugId), ("billingAccount", BillingAccount), ("companyName", CompanyName), ("companyDomain", CompanyDomain), ("customerGroup", CustomerGroup), ("protect", Text(Protect)));
}

/// <summary>
/// Ringfence numbers for a block: its effect is a range in the area code that no block in state claims; for a ported
/// range (<see cref="StartNumber"/> and <see cref="EndNumber"/> set, no area code), exactly that range.
/// </summary>
public sealed record RingFenceIntent(string NumberBlock, string AreaCode, int Quantity) : IntentDetails
{
    public override string Operation => IntentOperations.RingFence;

    /// <summary>The first number of the ported range asked for; null for new numbers.</summary>
    public string? StartNumber { get; init; }

    public string? EndNumber { get; init; }

    public bool IsPorted => StartNumber is not null && EndNumber is not null;

    /// <summary>The block's quantity in the manifest of the run that made the call (null in an older whcctl's intent).</summary>
    public int? BlockQuantity { get; init; }

    /// <summary>The block's protect flag in the manifest of the run that made the call (null in an older whcctl's intent).</summary>
    public bool? Protect { get; init; }

    public override ImmutableSortedDictionary<string, string> ToMap() =>
        Map(
            ("numberBlock", NumberBlock),
            ("areaCode", AreaCode),
            ("quantity", Quantity.ToString(CultureInfo.InvariantCulture)),
            ("startNumber", StartNumber),
            ("endNumber", EndNumber),
            ("blockQuantity", BlockQuantity?.ToString(CultureInfo.InvariantCulture)),
            ("protect", Text(Protect)));
}

/// <summary>
/// Create a site's address: its effect is an address BT lists at that postcode for those premises. Premises are
/// written even when the manifest gave none (as empty), so that null means an intent of an older whcctl, which did
/// not record them.
/// </summary>
public sealed record CreateAddressIntent(string Site, string? LocationCode, string Postcode, string? Premises, string? Street, string? City) : IntentDetails
{
    public override string Operation => IntentOperations.CreateAddress;

    /// <summary>The site's protect flag in the manifest of the run that made the call (null in an older whcctl's intent).</summary>
    public bool? Protect { get; init; }

    public override ImmutableSortedDictionary<string, string> ToMap() =>
        Map(("site", Site), ("locationCode", LocationCode), ("postcode", Postcode), ("premises", Premises ?? string.Empty), ("street", Street), ("city", City), ("protect", Text(Protect)));
}

/// <summary>
/// Create an order: its effect is an order BT finds by the intent's id, which was sent as the order's externalId.
/// <see cref="NumberRanges"/> are the start numbers of the ringfenced ranges the order activates.
/// </summary>
public sealed record CreateOrderIntent(ImmutableArray<OrderOperation> Operations, ImmutableArray<string> NumberRanges) : IntentDetails
{
    public override string Operation => IntentOperations.CreateOrder;

    /// <summary>
    /// The operations as text (<c>Add=acme/user/bob,...</c>, which every whcctl reads) and, when a name holds a
    /// character that text uses (',', '=', '/', '%'), also with each part escaped (<c>operationsEscaped</c>): the plain
    /// form would read back as other resources.
    /// </summary>
    public override ImmutableSortedDictionary<string, string> ToMap() =>
        Map(
            ("operations", string.Join(',', Operations.Select(o => $"{o.Kind}={o.Address}"))),
            ("operationsEscaped", Operations.Any(o => NeedsEscaping(o.Address)) ? string.Join(',', Operations.Select(Escaped)) : null),
            ("numberRanges", NumberRanges.IsDefaultOrEmpty ? null : string.Join(',', NumberRanges)));

    private static readonly char[] TextFormCharacters = [',', '=', '/', '%'];

    private static bool NeedsEscaping(ResourceAddress address) =>
        address.Company.IndexOfAny(TextFormCharacters) >= 0 || address.Name.IndexOfAny(TextFormCharacters) >= 0;

    private static string Escaped(OrderOperation operation) =>
        $"{operation.Kind}={Uri.EscapeDataString(operation.Address.Company)}/{ResourceAddress.KindSegment(operation.Address.Kind)}/{Uri.EscapeDataString(operation.Address.Name)}";

    /// <summary>The operations of an intent's map: the escaped form when it has one, else the plain text.</summary>
    internal static ImmutableArray<OrderOperation> ReadOperations(string? plain, string? escaped) =>
        escaped is null ? ParseOperations(plain) : [.. escaped.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var pieces = part.Split('=', 2);
            var address = pieces.Length == 2 ? pieces[1].Split('/') : [];
            ResourceKind? kind = address.Length != 3 ? null : address[1] switch
            {
                "company" => ResourceKind.Company,
                "number-block" => ResourceKind.NumberBlock,
                "site" => ResourceKind.Site,
                "user" => ResourceKind.User,
                _ => null,
            };
            return kind is { } k && Enum.TryParse<OrderOperationKind>(pieces[0], out var operation)
                ? new OrderOperation(new ResourceAddress(Uri.UnescapeDataString(address[0]), k, Uri.UnescapeDataString(address[2])), operation)
                : null;
        }).OfType<OrderOperation>()];

    internal static ImmutableArray<OrderOperation> ParseOperations(string? text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var pieces = part.Split('=', 2);
            return pieces.Length == 2 && Enum.TryParse<OrderOperationKind>(pieces[0], out var kind) && ResourceAddress.TryParse(pieces[1], out var address)
                ? new OrderOperation(address, kind)
                : null;
        }).OfType<OrderOperation>()];
}

/// <summary>An intent of an operation this whcctl does not know (written by a newer one).</summary>
public sealed record UnknownIntent(string Name) : IntentDetails
{
    public override string Operation => Name;

    public override ImmutableSortedDictionary<string, string> ToMap() => ImmutableSortedDictionary<string, string>.Empty;
}
