using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// The file's shape is <see cref="StateDocument"/> (source-generated JSON), mapped to and from <see cref="CompanyState"/>
/// in <see cref="StateDocumentMapping"/>. Reading checks the version: a newer one is refused naming both versions, an
/// older one is brought up to date by the upgrade chain, and a field the file's format does not have is refused (see
/// <see cref="StateDocument"/> for the rule that keeps any whcctl from dropping what another wrote).
/// </summary>
public sealed class StateSerializer
{
    private readonly ImmutableDictionary<int, StateFormatUpgrade> upgrades;
    private readonly StateReadProbe? probe;

    /// <param name="probe">Told of every pass over a state's JSON (tests count them); none in the product.</param>
    public StateSerializer(IEnumerable<StateFormatUpgrade> upgrades, StateReadProbe? probe = null)
    {
        ArgumentNullException.ThrowIfNull(upgrades);
        this.upgrades = upgrades.ToImmutableDictionary(u => u.FromVersion);
        this.probe = probe;
    }

    /// <summary>
    /// The serializer for the formats this whcctl knows: 1 to <see cref="CompanyState.CurrentVersion"/>, each only adding
    /// to the one before, so all are read straight into the model and there is no upgrade yet.
    /// </summary>
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
        return Write(StateDocumentMapping.ToDocument(state.Normalized()));
    }

    /// <summary>
    /// The name of the optional top-level field a kept (recovery) file carries: the serial of the stored version the
    /// state was derived from, which <c>state push</c> checks is still the current one. Stores never keep it.
    /// </summary>
    public const string ParentSerialField = "parentSerial";

    /// <summary>
    /// The state as a state file that also records the serial it was derived from (<see cref="ParentSerialField"/>,
    /// right after <c>serial</c>). Every whcctl that knows the formats this whcctl writes knows the field.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Part of the serializer's instance API.")]
    public string Serialize(CompanyState state, long parentSerial)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Write(StateDocumentMapping.ToDocument(state.Normalized(), parentSerial));
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
                    throw new StateException(DiagnosticCatalog.StateParentSerialInvalid.With(source, serial - 1, serial));
                }
            }
        }
        catch (JsonException e)
        {
            throw new StateException(DiagnosticCatalog.StateFileNotJson.With(source, e.LineNumber ?? 0), e);
        }

        return parent;
    }

    /// <summary>One part of a state (a site, a user, ...) as a JSON node, in the same shape as in the state file.</summary>
    public static JsonNode? ToJsonNode(CompanyRecord? record) =>
        record is null ? null : JsonSerializer.SerializeToNode(StateDocumentMapping.ToDocument(record), StateDocumentJson.Default.CompanyRecordDocument);

    /// <inheritdoc cref="ToJsonNode(CompanyRecord?)"/>
    public static JsonNode? ToJsonNode(CompanyTombstone? tombstone) =>
        tombstone is null ? null : JsonSerializer.SerializeToNode(StateDocumentMapping.ToDocument(tombstone), StateDocumentJson.Default.TombstoneDocument);

    /// <inheritdoc cref="ToJsonNode(CompanyRecord?)"/>
    public static JsonNode? ToJsonNode(NumberBlockState block) =>
        JsonSerializer.SerializeToNode(StateDocumentMapping.ToDocument(block), StateDocumentJson.Default.NumberBlockDocument);

    /// <inheritdoc cref="ToJsonNode(CompanyRecord?)"/>
    public static JsonNode? ToJsonNode(SiteState site) =>
        JsonSerializer.SerializeToNode(StateDocumentMapping.ToDocument(site), StateDocumentJson.Default.SiteDocument);

    /// <inheritdoc cref="ToJsonNode(CompanyRecord?)"/>
    public static JsonNode? ToJsonNode(UserState user) =>
        JsonSerializer.SerializeToNode(StateDocumentMapping.ToDocument(user), StateDocumentJson.Default.UserDocument);

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
        StateDocument? document;
        int version;
        try
        {
            // One pass over the JSON (a plan reads hundreds of states): the formats this whcctl knows are read straight
            // into their document, and the format check takes the version from what that pass read.
            probe?.Parsed(source);
            document = JsonSerializer.Deserialize(utf8Json, StateDocumentJson.Default.StateDocument);
            version = document?.Version ?? ReadHeader(utf8Json, source).Version;
        }
        catch (JsonException e)
        {
            // What the pass could not read is refused as the format check refuses it, before anything about its
            // fields: not a state, or of a format this whcctl does not read as it is (newer, or older and upgraded).
            version = ReadHeader(utf8Json, source).Version;
            if (version is >= CompanyState.FirstVersionOfModel and <= CompanyState.CurrentVersion)
            {
                throw Refusal(e, version, source);
            }

            document = null;
        }

        if (version > CompanyState.CurrentVersion)
        {
            throw new StateException(DiagnosticCatalog.StateFormatNewer.With(source, version, CompanyState.CurrentVersion));
        }

        if (version < CompanyState.FirstVersionOfModel)
        {
            try
            {
                // Only an older format goes through the JSON upgrade chain, as a JSON tree.
                document = Upgrade(JsonNode.Parse(utf8Json) as JsonObject ?? new JsonObject(), version, source).Deserialize(StateDocumentJson.Default.StateDocument);
            }
            catch (JsonException e)
            {
                throw Refusal(e, version, source);
            }
        }

        if (document is not null && StateDocumentMapping.FirstNullItem(document) is { } hole)
        {
            throw Refusal(new JsonException(message: null, path: hole, lineNumber: null, bytePositionInLine: null), version, source);
        }

        var state = document is null ? null : StateDocumentMapping.ToModel(document);
        if (state is null || string.IsNullOrEmpty(state.Company) || string.IsNullOrEmpty(state.Lineage))
        {
            throw new StateException(DiagnosticCatalog.StateWithoutCompanyOrLineage.With(source));
        }

        var problems = StateValidation.Problems(state, company);
        return problems.Count == 0
            ? state
            : throw new StateException(DiagnosticCatalog.StateRefused.With(source, problems));
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
                throw new StateException(DiagnosticCatalog.StateNotAnObject.With(source));
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
            throw new StateException(DiagnosticCatalog.StateFileNotJson.With(source, e.LineNumber ?? 0), e);
        }

        return version is { } found
            ? new StateHeader(found, serial, lineage)
            : throw new StateException(DiagnosticCatalog.StateWithoutVersion.With(source));
    }

    /// <summary>A state of a format this whcctl reads whose fields the reader refused: for what it found.</summary>
    private static StateException Refusal(JsonException e, int version, string source)
    {
        var where = e.Path is null ? string.Empty : $" at {e.Path}";
        var format = Math.Max(version, CompanyState.FirstVersionOfModel);
        // A field the format does not have: refused, never read without it (and written back without it).
        return new StateException(
            e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? DiagnosticCatalog.StateFieldUnknown.With(source, format, where)
                : MissingFields(e.Message) is { } fields
                    ? DiagnosticCatalog.StateFileMissingFields.With(source, format, e.Path ?? "$", fields)
                    : DiagnosticCatalog.StateFileNotOfFormat.With(source, format, e.Path ?? "$"),
            e);
    }

    /// <summary>A state file saved by an editor may start with a UTF-8 byte order mark; JSON readers do not expect one.</summary>
    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8Json) =>
        utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8Json[3..] : utf8Json;

    /// <summary>
    /// The fields a "missing required properties" finding names ('username'), the one part of the reader's text worth
    /// passing on; null for any other finding.
    /// </summary>
    private static string? MissingFields(string finding)
    {
        const string Marker = "missing required properties including: ";
        var at = finding.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var names = finding[(at + Marker.Length)..];
        var end = names.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? names : names[..end]).TrimEnd('.', ' ');
    }

    private JsonObject Upgrade(JsonObject document, int version, string source)
    {
        while (version < CompanyState.FirstVersionOfModel)
        {
            if (!upgrades.TryGetValue(version, out var upgrade))
            {
                throw new StateException(DiagnosticCatalog.StateFormatTooOld.With(source, version, OldestReadableVersion, CompanyState.CurrentVersion));
            }

            document = upgrade.Upgrade(document);
            version++;
            document["version"] = version;
        }

        return document;
    }

    private static string Write(StateDocument document) =>
        JsonSerializer.Serialize(document, StateDocumentJson.Default.StateDocument) + "\n";
}
