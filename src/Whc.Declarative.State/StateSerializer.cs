using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Whc.Declarative.Core.State;
using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.State;

/// <summary>
/// One step of the upgrade chain: turns the JSON of format <see cref="FromVersion"/> into format
/// <c>FromVersion + 1</c>. Upgrades work on JSON, not on the model, so an old shape never needs a C# type.
/// </summary>
public sealed record StateFormatUpgrade(int FromVersion, Func<JsonObject, JsonObject> Upgrade);

/// <summary>A stored state's format version and, when present, its serial and lineage.</summary>
public sealed record StateHeader(int Version, long? Serial, string? Lineage);

/// <summary>
/// The state file format: indented camelCase JSON, enums as strings, collections sorted, a top-level <c>version</c>.
/// Reading checks the version: a newer one is refused, an older one is brought up to date by the upgrade chain.
/// </summary>
public sealed class StateSerializer
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    // Optional fields added to format 1 after its first release are written only when set: files without them stay
    // byte for byte the same, and an older whcctl, which skips fields it does not know, still reads the new files.
    // (A destroyed company's tombstone too, though a state holding one is format 3, which an older whcctl refuses.)
    private static readonly HashSet<(Type Type, string Property)> AddedToFormat1 = [(typeof(SiteState), "foundBy"), (typeof(CompanyState), "endpoint"), (typeof(OrderRecord), "operations"), (typeof(OrderRecord), "numberRanges"), (typeof(NumberBlockState), "ported"), (typeof(CompanyState), "destroyed")];

    private readonly ImmutableDictionary<int, StateFormatUpgrade> upgrades;

    public StateSerializer(IEnumerable<StateFormatUpgrade> upgrades)
    {
        ArgumentNullException.ThrowIfNull(upgrades);
        this.upgrades = upgrades.ToImmutableDictionary(u => u.FromVersion);
    }

    /// <summary>The serializer for the formats this whcctl knows (only version 1 so far, so no upgrades).</summary>
    public static StateSerializer Default { get; } = new([]);

    /// <summary>The oldest format version this serializer can read.</summary>
    public int OldestReadableVersion
    {
        get
        {
            var version = CompanyState.FirstVersionOfModel;
            while (upgrades.ContainsKey(version - 1))
            {
                version--;
            }

            return version;
        }
    }

    /// <summary>
    /// The state as the text of a state file: normalised, in the oldest format that holds it (so an older whcctl reads
    /// it when it can, and refuses it when it would misread it), LF line ends, trailing newline.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Part of the serializer's instance API.")]
    public string Serialize(CompanyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var current = state.Normalized();
        return JsonSerializer.Serialize(current, Options) + "\n";
    }

    /// <summary>
    /// The name of the optional top-level field a kept (recovery) file carries: the serial of the stored version the
    /// state was derived from, which <c>state push</c> checks is still the current one. Stores never keep it.
    /// </summary>
    public const string ParentSerialField = "parentSerial";

    /// <summary>
    /// The state as a state file that also records the serial it was derived from (<see cref="ParentSerialField"/>,
    /// right after <c>serial</c>). An older whcctl skips the field, as it does every field it does not know.
    /// </summary>
    public string Serialize(CompanyState state, long parentSerial)
    {
        var document = JsonNode.Parse(Serialize(state))?.AsObject() ?? [];
        var withParent = new JsonObject();
        foreach (var (name, value) in document.ToList())
        {
            document.Remove(name);
            withParent[name] = value;
            if (name == "serial")
            {
                withParent[ParentSerialField] = parentSerial;
            }
        }

        return withParent.ToJsonString(Options) + "\n";
    }

    /// <summary>
    /// The serial a state file says it was derived from (<see cref="ParentSerialField"/>), or null when it names none;
    /// WHC5003 when the field is there but not a serial below the file's own.
    /// </summary>
    public static long? ReadParentSerial(ReadOnlySpan<byte> utf8Json, string source, long serial)
    {
        long? parent = null;
        try
        {
            var reader = new Utf8JsonReader(WithoutByteOrderMark(utf8Json));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isParent = reader.ValueTextEquals(ParentSerialField);
                reader.Read();
                if (!isParent)
                {
                    reader.Skip();
                }
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0 && value < serial)
                {
                    parent = value;
                }
                else
                {
                    throw new StateException(
                        DiagnosticCatalog.StateFormatUnsupported.Code,
                        string.Create(CultureInfo.InvariantCulture, $"{source}: {ParentSerialField} must be the serial of the version the file was derived from, a whole number from 0 to {serial - 1} (the file's serial is {serial})"));
                }
            }
        }
        catch (JsonException e)
        {
            throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: not valid JSON ({e.Message})", e);
        }

        return parent;
    }

    /// <summary>One part of a state (a site, a user, ...) as a JSON node, in the same shape as in the state file.</summary>
    public static JsonNode? ToJsonNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    public byte[] SerializeToUtf8Bytes(CompanyState state) => Encoding.UTF8.GetBytes(Serialize(state));

    /// <summary>Reads a state; <paramref name="source"/> names the file or row in error messages.</summary>
    public CompanyState Deserialize(string json, string source, string? company = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(Encoding.UTF8.GetBytes(json), source, company);
    }

    /// <inheritdoc cref="Deserialize(string, string, string?)"/>
    public CompanyState Deserialize(ReadOnlySpan<byte> utf8Json, string source, string? company = null)
    {
        utf8Json = WithoutByteOrderMark(utf8Json);
        var version = ReadHeader(utf8Json, source).Version;
        if (version > CompanyState.CurrentVersion)
        {
            throw new StateException(
                DiagnosticCatalog.StateFormatUnsupported.Code,
                string.Create(CultureInfo.InvariantCulture, $"{source}: state format version {version} was written by a newer whcctl; this whcctl reads versions up to {CompanyState.CurrentVersion}. Upgrade whcctl."));
        }

        CompanyState? state;
        try
        {
            // The current format is read straight into the model (one pass: a plan reads hundreds of states); only an
            // older one goes through the JSON upgrade chain first.
            state = version >= CompanyState.FirstVersionOfModel
                ? JsonSerializer.Deserialize<CompanyState>(utf8Json, Options)
                : Upgrade(JsonNode.Parse(utf8Json) as JsonObject ?? new JsonObject(), version, source).Deserialize<CompanyState>(Options);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? string.Empty : $" at {e.Path}";
            throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: state does not match format version {CompanyState.CurrentVersion}{where}: {e.Message}", e);
        }

        if (state is null || string.IsNullOrEmpty(state.Company) || string.IsNullOrEmpty(state.Lineage))
        {
            throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: state has no company or no lineage");
        }

        state = Repair(state);
        var problems = StateValidation.Problems(state, company);
        return problems.Count == 0
            ? state
            : throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: state refused: {string.Join("; ", problems)}. Restore a good version with 'whcctl state history' and 'whcctl state rollback'");
    }

    /// <summary>
    /// The top-level fields a compare-and-swap needs (version, serial, lineage), read without building the state.
    /// Throws <see cref="StateException"/> (WHC5003) when the text is not a JSON object with a numeric version.
    /// </summary>
    public static StateHeader ReadHeader(ReadOnlySpan<byte> utf8Json, string source)
    {
        int? version = null;
        long? serial = null;
        string? lineage = null;
        try
        {
            var reader = new Utf8JsonReader(WithoutByteOrderMark(utf8Json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: not a whcctl state (expected a JSON object)");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "version" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v):
                        version = v;
                        break;
                    case "serial" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n):
                        serial = n;
                        break;
                    case "lineage" when reader.TokenType == JsonTokenType.String:
                        lineage = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: not valid JSON ({e.Message})", e);
        }

        return version is { } found
            ? new StateHeader(found, serial, lineage)
            : throw new StateException(DiagnosticCatalog.StateFormatUnsupported.Code, $"{source}: not a whcctl state (no numeric 'version' field)");
    }

    /// <summary>A state file saved by an editor may start with a UTF-8 byte order mark; JSON readers do not expect one.</summary>
    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8Json) =>
        utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8Json[3..] : utf8Json;

    private JsonObject Upgrade(JsonObject document, int version, string source)
    {
        while (version < CompanyState.FirstVersionOfModel)
        {
            if (!upgrades.TryGetValue(version, out var upgrade))
            {
                throw new StateException(
                    DiagnosticCatalog.StateFormatUnsupported.Code,
                    string.Create(CultureInfo.InvariantCulture, $"{source}: state format version {version} is too old; this whcctl reads versions {OldestReadableVersion} to {CompanyState.CurrentVersion}"));
            }

            document = upgrade.Upgrade(document);
            version++;
            document["version"] = version;
        }

        return document;
    }

    /// <summary>Missing arrays come back as default <see cref="ImmutableArray{T}"/>; make them empty.</summary>
    private static CompanyState Repair(CompanyState state) => state with
    {
        NumberBlocks = state.NumberBlocks.IsDefault
            ? []
            : [.. state.NumberBlocks.Select(b => b.Ranges.IsDefault ? b with { Ranges = [] } : b)],
        Sites = state.Sites.IsDefault ? [] : state.Sites,
        Users = state.Users.IsDefault
            ? []
            : [.. state.Users.Select(u => u.DeviceMacAddresses.IsDefault ? u with { DeviceMacAddresses = [] } : u)],
        Orders = state.Orders.IsDefault
            ? []
            : [.. state.Orders.Select(o => o with { Resources = o.Resources.IsDefault ? [] : o.Resources, Operations = o.Operations.IsDefault ? [] : o.Operations, NumberRanges = o.NumberRanges.IsDefault ? [] : o.NumberRanges })],
        Intents = state.Intents.IsDefault
            ? []
            : [.. state.Intents.Select(i => i.Details is null ? i with { Details = ImmutableSortedDictionary<string, string>.Empty } : i)],
    };

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NewLine = "\n",
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                // Computed properties (RingfencedCount, Count) are derived, not stored.
                Modifiers = { RemoveComputedProperties, OmitLaterAdditionsWhenUnset, ListsAndNullablesMayBeLeftOut },
            },
        };
        // A key left out or a null where the model has none is an error at its JSON path, not a crash later.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    private static void OmitLaterAdditionsWhenUnset(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties.Where(p => AddedToFormat1.Contains((typeInfo.Type, p.Name))))
        {
            property.ShouldSerialize = (_, value) => value is not null and not false && value is not ImmutableArray<OrderOperation> { IsDefaultOrEmpty: true } and not ImmutableArray<string> { IsDefaultOrEmpty: true };
        }
    }

    /// <summary>
    /// With required constructor parameters on, every record field must be present; a list (read as empty) or a
    /// field that may be null may still be left out, as older and hand-written files do.
    /// </summary>
    private static void ListsAndNullablesMayBeLeftOut(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties.Where(p => p.IsRequired))
        {
            var type = property.PropertyType;
            if (property.IsSetNullable || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)) || type == typeof(ImmutableSortedDictionary<string, string>))
            {
                property.IsRequired = false;
            }
        }
    }

    private static void RemoveComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].Set is null && typeInfo.Properties[i].AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
