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
//
// Setters, not init: the source-generated reader fills a type with init-only properties through a constructor delegate,
// buffering every value first (boxed, for the larger types), which made reading hundreds of states in a plan cost
// noticeably more; with setters it sets them as it reads. What it refuses, and how it words it, is the same
// (StateReadRefusalPinTests); nothing outside this assembly sees these types.

/// <summary>A state file (formats 1 to 3): the company's records at BT, its orders and open intents.</summary>
internal sealed class StateDocument
{
    public required int Version { get; set; }

    public required long Serial { get; set; }

    /// <summary>Only in a kept (recovery) file: the serial of the stored version it was derived from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ParentSerial { get; set; }

    public required string Lineage { get; set; }

    public required string Company { get; set; }

    public CompanyRecordDocument? Record { get; set; }

    public IReadOnlyList<NumberBlockDocument>? NumberBlocks { get; set; }

    public IReadOnlyList<SiteDocument>? Sites { get; set; }

    public IReadOnlyList<UserDocument>? Users { get; set; }

    public IReadOnlyList<OrderDocument>? Orders { get; set; }

    public IReadOnlyList<IntentDocument>? Intents { get; set; }

    /// <summary>Format 1, added later: absent until the company's next apply.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Endpoint { get; set; }

    /// <summary>Format 3: a destroyed company's tombstone.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TombstoneDocument? Destroyed { get; set; }
}

internal sealed class CompanyRecordDocument
{
    public required string Name { get; set; }

    public required string Domain { get; set; }

    public required string CustomerGroup { get; set; }

    public required string CugId { get; set; }

    public required string BillingAccount { get; set; }

    public string? ServiceId { get; set; }

    public QualificationDocument? Qualification { get; set; }

    public required bool Active { get; set; }

    public bool Protected { get; set; }
}

internal sealed class QualificationDocument
{
    public required string Id { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public required bool Used { get; set; }
}

internal sealed class NumberBlockDocument
{
    public required string Name { get; set; }

    public required string AreaCode { get; set; }

    public required int Quantity { get; set; }

    public IReadOnlyList<NumberRangeDocument>? Ranges { get; set; }

    public bool Protected { get; set; }

    /// <summary>Format 2 (written only when true).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Ported { get; set; }
}

internal sealed class NumberRangeDocument
{
    public required string StartNumber { get; set; }

    public required string EndNumber { get; set; }

    public required bool Active { get; set; }

    public string? ServiceId { get; set; }
}

internal sealed class SiteDocument
{
    public required string Name { get; set; }

    public required string LocationCode { get; set; }

    public required string NadKey { get; set; }

    public string? ServiceId { get; set; }

    public bool Protected { get; set; }

    /// <summary>Format 1, added later (written only when known).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SiteAddressDocument? FoundBy { get; set; }
}

internal sealed class SiteAddressDocument
{
    public required string Postcode { get; set; }

    public string? Premises { get; set; }
}

internal sealed class UserDocument
{
    public required string Username { get; set; }

    public required string Site { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Extension { get; set; }

    public string? NumberBlock { get; set; }

    public string? DirectoryNumber { get; set; }

    public required string Licence { get; set; }

    public IReadOnlyList<string>? DeviceMacAddresses { get; set; }

    public string? ServiceId { get; set; }

    public bool Protected { get; set; }
}

internal sealed class OrderDocument
{
    public required string Id { get; set; }

    public required string ExternalId { get; set; }

    public required string StepId { get; set; }

    public required OrderState State { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<string>? Resources { get; set; }

    /// <summary>Format 1, added later (written only when the order has some).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OrderOperationDocument>? Operations { get; set; }

    /// <summary>Format 1, added later, with <see cref="Operations"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? NumberRanges { get; set; }
}

internal sealed class OrderOperationDocument
{
    public required ResourceAddressDocument Address { get; set; }

    public required OrderOperationKind Kind { get; set; }
}

internal sealed class ResourceAddressDocument
{
    public required string Company { get; set; }

    public required ResourceKind Kind { get; set; }

    public required string Name { get; set; }
}

internal sealed class IntentDocument
{
    public required string Id { get; set; }

    public required string StepId { get; set; }

    public required string Operation { get; set; }

    public required DateTimeOffset StartedAt { get; set; }

    public ImmutableSortedDictionary<string, string>? Details { get; set; }
}

internal sealed class TombstoneDocument
{
    public required DateTimeOffset At { get; set; }

    public string? Name { get; set; }

    public string? ServiceId { get; set; }
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
