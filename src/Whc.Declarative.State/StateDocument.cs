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
// [JsonRequired] and setters, not C#'s required and init: for a type with required or init-only members the
// source-generated reader builds the object through a constructor delegate, buffering every value first (boxed, for the
// larger types); with plain setters it sets them as it reads. Reading 500 states allocated 7.3 MB instead of 6.8 and
// took about 1.5x as long. The reader refuses a missing field, a null where none is allowed and a field it does not know
// as before, in the same words (StateReadRefusalPinTests); what the compiler no longer checks, that every mapping sets
// every required field, the round-trip and golden tests do. Nothing outside this assembly sees these types.

/// <summary>A state file (formats 1 to 3): the company's records at BT, its orders and open intents.</summary>
internal sealed class StateDocument
{
    [JsonRequired]
    public int Version { get; set; }

    [JsonRequired]
    public long Serial { get; set; }

    /// <summary>Only in a kept (recovery) file: the serial of the stored version it was derived from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ParentSerial { get; set; }

    [JsonRequired]
    public string Lineage { get; set; } = string.Empty;

    [JsonRequired]
    public string Company { get; set; } = string.Empty;

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
    [JsonRequired]
    public string Name { get; set; } = string.Empty;

    [JsonRequired]
    public string Domain { get; set; } = string.Empty;

    [JsonRequired]
    public string CustomerGroup { get; set; } = string.Empty;

    [JsonRequired]
    public string CugId { get; set; } = string.Empty;

    [JsonRequired]
    public string BillingAccount { get; set; } = string.Empty;

    public string? ServiceId { get; set; }

    public QualificationDocument? Qualification { get; set; }

    [JsonRequired]
    public bool Active { get; set; }

    public bool Protected { get; set; }
}

internal sealed class QualificationDocument
{
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    public DateTimeOffset? ExpiresAt { get; set; }

    [JsonRequired]
    public bool Used { get; set; }
}

internal sealed class NumberBlockDocument
{
    [JsonRequired]
    public string Name { get; set; } = string.Empty;

    [JsonRequired]
    public string AreaCode { get; set; } = string.Empty;

    [JsonRequired]
    public int Quantity { get; set; }

    public IReadOnlyList<NumberRangeDocument>? Ranges { get; set; }

    public bool Protected { get; set; }

    /// <summary>Format 2 (written only when true).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Ported { get; set; }
}

internal sealed class NumberRangeDocument
{
    [JsonRequired]
    public string StartNumber { get; set; } = string.Empty;

    [JsonRequired]
    public string EndNumber { get; set; } = string.Empty;

    [JsonRequired]
    public bool Active { get; set; }

    public string? ServiceId { get; set; }
}

internal sealed class SiteDocument
{
    [JsonRequired]
    public string Name { get; set; } = string.Empty;

    [JsonRequired]
    public string LocationCode { get; set; } = string.Empty;

    [JsonRequired]
    public string NadKey { get; set; } = string.Empty;

    public string? ServiceId { get; set; }

    public bool Protected { get; set; }

    /// <summary>Format 1, added later (written only when known).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SiteAddressDocument? FoundBy { get; set; }
}

internal sealed class SiteAddressDocument
{
    [JsonRequired]
    public string Postcode { get; set; } = string.Empty;

    public string? Premises { get; set; }
}

internal sealed class UserDocument
{
    [JsonRequired]
    public string Username { get; set; } = string.Empty;

    [JsonRequired]
    public string Site { get; set; } = string.Empty;

    [JsonRequired]
    public string FirstName { get; set; } = string.Empty;

    [JsonRequired]
    public string LastName { get; set; } = string.Empty;

    [JsonRequired]
    public string Extension { get; set; } = string.Empty;

    public string? NumberBlock { get; set; }

    public string? DirectoryNumber { get; set; }

    [JsonRequired]
    public string Licence { get; set; } = string.Empty;

    public IReadOnlyList<string>? DeviceMacAddresses { get; set; }

    public string? ServiceId { get; set; }

    public bool Protected { get; set; }
}

internal sealed class OrderDocument
{
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    [JsonRequired]
    public string ExternalId { get; set; } = string.Empty;

    [JsonRequired]
    public string StepId { get; set; } = string.Empty;

    [JsonRequired]
    public OrderState State { get; set; }

    [JsonRequired]
    public DateTimeOffset CreatedAt { get; set; }

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
    [JsonRequired]
    public ResourceAddressDocument Address { get; set; } = new();

    [JsonRequired]
    public OrderOperationKind Kind { get; set; }
}

internal sealed class ResourceAddressDocument
{
    [JsonRequired]
    public string Company { get; set; } = string.Empty;

    [JsonRequired]
    public ResourceKind Kind { get; set; }

    [JsonRequired]
    public string Name { get; set; } = string.Empty;
}

internal sealed class IntentDocument
{
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    [JsonRequired]
    public string StepId { get; set; } = string.Empty;

    [JsonRequired]
    public string Operation { get; set; } = string.Empty;

    [JsonRequired]
    public DateTimeOffset StartedAt { get; set; }

    public ImmutableSortedDictionary<string, string>? Details { get; set; }
}

internal sealed class TombstoneDocument
{
    [JsonRequired]
    public DateTimeOffset At { get; set; }

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
