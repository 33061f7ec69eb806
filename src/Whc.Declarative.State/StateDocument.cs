using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State;

// The state file's shape, formats 1 to 3, apart from Core's CompanyState: each format only added to the one before
// (2: a block's "ported"; 3: a company's "destroyed"), so one set of types reads them all. Read and written only through
// StateDocumentJson; mapped to and from CompanyState in StateDocumentMapping alone.
//
// The rule that keeps a whcctl from dropping what another wrote (docs/state.md, "File format"): a format version is a
// closed set of fields. A field is added only with a new format version, written only when set, and a state is written
// in the oldest format that holds every field it sets; a reader refuses a newer format (naming both versions) and a
// field it does not know in a format it knows (JsonUnmappedMemberHandling.Disallow). So a whcctl either reads every field
// of a file or refuses it; it never reads part of one and writes it back without the rest.

/// <summary>A state file (formats 1 to 3): the company's records at BT, its orders and open intents.</summary>
internal sealed class StateDocument
{
    public required int Version { get; init; }

    public required long Serial { get; init; }

    /// <summary>Only in a kept (recovery) file: the serial of the stored version it was derived from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ParentSerial { get; init; }

    public required string Lineage { get; init; }

    public required string Company { get; init; }

    public CompanyRecordDocument? Record { get; init; }

    public IReadOnlyList<NumberBlockDocument>? NumberBlocks { get; init; }

    public IReadOnlyList<SiteDocument>? Sites { get; init; }

    public IReadOnlyList<UserDocument>? Users { get; init; }

    public IReadOnlyList<OrderDocument>? Orders { get; init; }

    public IReadOnlyList<IntentDocument>? Intents { get; init; }

    /// <summary>Format 1, added later: absent until the company's next apply.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Endpoint { get; init; }

    /// <summary>Format 3: a destroyed company's tombstone.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TombstoneDocument? Destroyed { get; init; }
}

internal sealed class CompanyRecordDocument
{
    public required string Name { get; init; }

    public required string Domain { get; init; }

    public required string CustomerGroup { get; init; }

    public required string CugId { get; init; }

    public required string BillingAccount { get; init; }

    public string? ServiceId { get; init; }

    public QualificationDocument? Qualification { get; init; }

    public required bool Active { get; init; }

    public bool Protected { get; init; }
}

internal sealed class QualificationDocument
{
    public required string Id { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public required bool Used { get; init; }
}

internal sealed class NumberBlockDocument
{
    public required string Name { get; init; }

    public required string AreaCode { get; init; }

    public required int Quantity { get; init; }

    public IReadOnlyList<NumberRangeDocument>? Ranges { get; init; }

    public bool Protected { get; init; }

    /// <summary>Format 2 (written only when true).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Ported { get; init; }
}

internal sealed class NumberRangeDocument
{
    public required string StartNumber { get; init; }

    public required string EndNumber { get; init; }

    public required bool Active { get; init; }

    public string? ServiceId { get; init; }
}

internal sealed class SiteDocument
{
    public required string Name { get; init; }

    public required string LocationCode { get; init; }

    public required string NadKey { get; init; }

    public string? ServiceId { get; init; }

    public bool Protected { get; init; }

    /// <summary>Format 1, added later (written only when known).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SiteAddressDocument? FoundBy { get; init; }
}

internal sealed class SiteAddressDocument
{
    public required string Postcode { get; init; }

    public string? Premises { get; init; }
}

internal sealed class UserDocument
{
    public required string Username { get; init; }

    public required string Site { get; init; }

    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required string Extension { get; init; }

    public string? NumberBlock { get; init; }

    public string? DirectoryNumber { get; init; }

    public required string Licence { get; init; }

    public IReadOnlyList<string>? DeviceMacAddresses { get; init; }

    public string? ServiceId { get; init; }

    public bool Protected { get; init; }
}

internal sealed class OrderDocument
{
    public required string Id { get; init; }

    public required string ExternalId { get; init; }

    public required string StepId { get; init; }

    public required OrderState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<string>? Resources { get; init; }

    /// <summary>Format 1, added later (written only when the order has some).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OrderOperationDocument>? Operations { get; init; }

    /// <summary>Format 1, added later, with <see cref="Operations"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? NumberRanges { get; init; }
}

internal sealed class OrderOperationDocument
{
    public required ResourceAddressDocument Address { get; init; }

    public required OrderOperationKind Kind { get; init; }
}

internal sealed class ResourceAddressDocument
{
    public required string Company { get; init; }

    public required ResourceKind Kind { get; init; }

    public required string Name { get; init; }
}

internal sealed class IntentDocument
{
    public required string Id { get; init; }

    public required string StepId { get; init; }

    public required string Operation { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public ImmutableSortedDictionary<string, string>? Details { get; init; }
}

internal sealed class TombstoneDocument
{
    public required DateTimeOffset At { get; init; }

    public string? Name { get; init; }

    public string? ServiceId { get; init; }
}

/// <summary>An enum as its camelCase name, as state files have always written them; a number is refused.</summary>
internal sealed class StateEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>
/// Source-generated JSON for state files (no reflection over our own types). Indented, LF line ends; a key left out
/// where the format needs one, a null where it allows none, or a field it does not know is an error at its JSON path.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NewLine = "\n",
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(StateEnum<OrderState>), typeof(StateEnum<OrderOperationKind>), typeof(StateEnum<ResourceKind>)])]
[JsonSerializable(typeof(StateDocument))]
[JsonSerializable(typeof(CompanyRecordDocument))]
[JsonSerializable(typeof(NumberBlockDocument))]
[JsonSerializable(typeof(SiteDocument))]
[JsonSerializable(typeof(UserDocument))]
[JsonSerializable(typeof(TombstoneDocument))]
internal sealed partial class StateDocumentJson : JsonSerializerContext;
