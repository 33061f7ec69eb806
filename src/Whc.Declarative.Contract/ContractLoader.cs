using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Text;

namespace Whc.Declarative.Contract;

/// <summary>A partial or full contract document to lay over the default, and the file it came from.</summary>
public sealed record ContractOverlay(JsonObject Document, string Source);

/// <summary>The effective contract, the document it was built from, and what was wrong (nothing when it was built).</summary>
public sealed record ContractLoad(WhcContract? Contract, JsonObject Document, ImmutableHashSet<string> Overridden, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Contract is not null;
}

/// <summary>
/// Reads contract documents: the default shipped with whcctl (whc-contract.json), then each overlay merged over it as a
/// JSON merge patch (RFC 7386: objects merge, anything else replaces, null removes where removing is allowed).
/// Problems are diagnostics naming the file and the field path; nothing is half-applied.
/// </summary>
/// <summary>A check's finding at a field path of the contract: the template it is worded by, given where and the path.</summary>
internal delegate Diagnostic ContractFinding(SourceSpan span, string path);

public static class ContractLoader
{
    public const string EnvironmentVariable = "WHC_CONTRACT";

    private static readonly Lazy<(WhcContract Contract, JsonObject Document)> DefaultContract = new(BuildDefault);

    /// <summary>
    /// How contract and routes files are read. A key given twice is refused while parsing (a positioned JsonException):
    /// otherwise JsonObject throws on first access, or one of the two values silently wins.
    /// </summary>
    internal static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };

    /// <summary>
    /// How the embedded default contract is read: it is part of whcctl's build, and a test holds it to
    /// <see cref="ReadOptions"/>. The duplicate-key check is left out at run time because it seeds a randomised hash,
    /// which loads OpenSSL (a few milliseconds of every command's start, issue 28).
    /// </summary>
    internal static readonly JsonDocumentOptions EmbeddedReadOptions = ReadOptions with { AllowDuplicateProperties = true };

    internal static WhcContract Default => DefaultContract.Value.Contract;

    /// <summary>The default document's provenance map, shared and read-only: it must not be changed.</summary>
    internal static JsonObject? DefaultProvenance => DefaultContract.Value.Document["provenance"] as JsonObject;

    /// <summary>A copy of the default document (provenance included).</summary>
    public static JsonObject DefaultDocument() => (JsonObject)DefaultContract.Value.Document.DeepClone();

    /// <summary>Parses one overlay file's text; a diagnostic (WHC4006) when it is not a JSON object.</summary>
    public static (ContractOverlay? Overlay, Diagnostic? Problem) ParseOverlay(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonNode.Parse(json, documentOptions: ReadOptions) is JsonObject document
                ? (new ContractOverlay(document, source), null)
                : (null, DiagnosticCatalog.ContractFileNotObject.At(SourceSpan.FileOnly(source)));
        }
        catch (JsonException ex)
        {
            return (null, NotJson(DiagnosticCatalog.ContractFileKeyTwice, DiagnosticCatalog.ContractFileNotJson, ex, json, source));
        }
    }

    /// <summary>
    /// The problem of a file <see cref="ReadOptions"/> refused: a key given twice in one object, at the key's line and
    /// column (the reader does not say where), or invalid JSON at the reader's position.
    /// </summary>
    internal static Diagnostic NotJson(DiagnosticTemplate<string?> keyTwice, DiagnosticTemplate notJson, JsonException ex, string json, string source)
    {
        ArgumentNullException.ThrowIfNull(keyTwice);
        ArgumentNullException.ThrowIfNull(notJson);
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(json);
        if (DuplicateKey(json) is { } duplicate)
        {
            // The key is named only when it is safe to print and short.
            var name = UnsafeCharacters.Find(duplicate.Key) is null && duplicate.Key.Length <= 100 ? duplicate.Key : null;
            return keyTwice.At(new SourceSpan(source, duplicate.Line, duplicate.Column), name);
        }

        var span = ex.LineNumber is long line ? new SourceSpan(source, (int)line + 1, (int)(ex.BytePositionInLine ?? 0) + 1) : SourceSpan.FileOnly(source);
        return notJson.At(span);
    }

    /// <summary>The first key that repeats a key of the same object (1-based line and column), or null.</summary>
    private static (string Key, int Line, int Column)? DuplicateKey(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when !objects.Peek().Add(reader.GetString() ?? string.Empty):
                        var offset = (int)reader.TokenStartIndex;
                        var lineStart = offset == 0 ? 0 : Array.LastIndexOf(bytes, (byte)'\n', offset - 1) + 1;
                        var line = 1 + bytes.AsSpan(0, lineStart).Count((byte)'\n');
                        return (reader.GetString() ?? string.Empty, line, Encoding.UTF8.GetCharCount(bytes, lineStart, offset - lineStart) + 1);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the parser's own position says where.
        }

        return null;
    }

    /// <summary>
    /// The default contract with <paramref name="overlays"/> laid over it in order. Every problem is reported at once:
    /// names whcctl does not know are left out of the merge (WHC4007) and what remains is still checked value by value
    /// (WHC4008), each problem naming the file that set the value.
    /// </summary>
    public static ContractLoad Load(IReadOnlyList<ContractOverlay> overlays)
    {
        ArgumentNullException.ThrowIfNull(overlays);
        var document = DefaultDocument();
        var overridden = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var setBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<Diagnostic>();
        foreach (var overlay in overlays)
        {
            var known = CheckOverlay(overlay, problems);
            Merge(document, known, string.Empty, overridden, setBy, overlay.Source);
        }

        var fallback = overlays.Count == 0 ? "whc-contract.json" : overlays[^1].Source;
        var contract = Build(document, path => SourceOfProblem(path, setBy, fallback), problems);
        return new ContractLoad(problems.Count == 0 ? contract : null, document, overridden.ToImmutable(), [.. problems]);
    }

    /// <summary>The file that set the value at <paramref name="path"/> (or a part of it, or a whole it belongs to).</summary>
    private static string SourceOfProblem(string path, Dictionary<string, string> setBy, string fallback)
    {
        for (var key = path; key.Length > 0; key = key.Contains('.', StringComparison.Ordinal) ? key[..key.LastIndexOf('.')] : string.Empty)
        {
            if (setBy.TryGetValue(key, out var file))
            {
                return file;
            }
        }

        return setBy.Where(p => p.Key.StartsWith(path + ".", StringComparison.Ordinal)).Select(p => p.Value).Order(StringComparer.Ordinal).FirstOrDefault() ?? fallback;
    }

    private static (WhcContract, JsonObject) BuildDefault()
    {
        using var stream = typeof(ContractLoader).Assembly.GetManifestResourceStream("whc-contract.json")
            ?? throw new InvalidOperationException("the default contract is not embedded");
        var document = JsonNode.Parse(stream, documentOptions: EmbeddedReadOptions) as JsonObject
            ?? throw new InvalidOperationException("the default contract is not a JSON object");
        var problems = new List<Diagnostic>();
        var contract = Build(document, _ => "whc-contract.json", problems);
        return problems.Count == 0
            ? (contract, document)
            : throw new InvalidOperationException("the default contract is invalid: " + string.Join("; ", problems));
    }

    // ---- Overlay structure: only what whcctl knows may be named ----

    private static readonly ImmutableHashSet<string> TopLevel =
        ["contractVersion", "routes", "productOfferings", "characteristics", "roles", "orderStates", "errorEnvelope", Provenance];

    /// <summary>
    /// What <c>contract show</c> adds to say where each part comes from. whcctl works that out itself, so in a file it
    /// is read and ignored: the output of <c>contract show</c> can be edited and passed back as it is.
    /// </summary>
    private const string Provenance = "provenance";

    private static readonly string[] TokenMethods = ["GET", "POST"];

    private static readonly ImmutableHashSet<string> RouteKeys = ["method", "path", "query", "queryValues", "success", "request", "response"];

    /// <summary>
    /// Reports every name in <paramref name="overlay"/> whcctl does not know (WHC4007) and every part that is not an
    /// object where one must be (WHC4008), and returns a copy without them, so the rest can still be checked.
    /// </summary>
    private static JsonObject CheckOverlay(ContractOverlay overlay, List<Diagnostic> problems)
    {
        var defaults = DefaultContract.Value.Document;
        var known = (JsonObject)overlay.Document.DeepClone();
        var dropped = new List<(JsonObject Parent, string Name)>();
        var file = SourceSpan.FileOnly(overlay.Source);

        // A member refused (unknown, or not the value it must be) is reported and dropped, so the rest can be checked.
        void Refuse(JsonObject parent, string name, Diagnostic problem)
        {
            problems.Add(problem);
            dropped.Add((parent, name));
        }

        // Each member of the object at parent[name], or one problem when it is not an object.
        void ForEachMember(JsonObject parent, string name, string path, Action<JsonObject, string, JsonNode?> each)
        {
            if (parent[name] is not JsonObject members)
            {
                Refuse(parent, name, DiagnosticCatalog.ContractNotObject.At(file, path));
                return;
            }

            foreach (var (member, value) in members)
            {
                each(members, member, value);
            }
        }

        foreach (var (key, value) in known)
        {
            if (!TopLevel.Contains(key))
            {
                Refuse(known, key, DiagnosticCatalog.ContractUnknownPart.At(file, key, TopLevel.Order(StringComparer.Ordinal)));
                continue;
            }

            switch (key)
            {
                case Provenance:
                    if (value is not JsonObject)
                    {
                        Refuse(known, key, DiagnosticCatalog.ContractProvenanceNotObject.At(file, key));
                    }

                    dropped.Add((known, key));
                    break;
                case "contractVersion":
                    if (value is not JsonValue v || !v.TryGetValue(out int version) || version != 1)
                    {
                        Refuse(known, key, DiagnosticCatalog.ContractVersionUnknown.At(file, key));
                    }

                    break;
                case "routes":
                    ForEachMember(known, key, key, (routes, name, route) =>
                    {
                        if (!ContractRoutes.IsKnown(name))
                        {
                            Refuse(routes, name, DiagnosticCatalog.ContractUnknownRoute.At(file, $"routes.{name}", ContractRoutes.All));
                            return;
                        }

                        if (route is null)
                        {
                            Refuse(routes, name, DiagnosticCatalog.ContractRouteRemoved.At(file, $"routes.{name}"));
                            return;
                        }

                        ForEachMember(routes, name, $"routes.{name}", (parts, part, partValue) =>
                        {
                            var path = $"routes.{name}.{part}";
                            if (!RouteKeys.Contains(part))
                            {
                                Refuse(parts, part, DiagnosticCatalog.ContractUnknownRouteKey.At(file, path, RouteKeys.Order(StringComparer.Ordinal)));
                            }
                            else if (part == "query" && partValue is not null)
                            {
                                ForEachMember(parts, part, path, (parameters, parameter, _) =>
                                {
                                    if (!ContractRoutes.Shapes[name].Query.Contains(parameter))
                                    {
                                        Refuse(parameters, parameter, ContractRoutes.Shapes[name].Query.IsEmpty
                                            ? DiagnosticCatalog.ContractUnknownQueryNone.At(file, $"{path}.{parameter}")
                                            : DiagnosticCatalog.ContractUnknownQuery.At(file, $"{path}.{parameter}", ContractRoutes.Shapes[name].Query));
                                    }
                                });
                            }
                        });
                    });
                    break;
                case "productOfferings" or "roles":
                    ForEachMember(known, key, key, (members, name, _) =>
                    {
                        if (defaults[key]?[name] is null)
                        {
                            Refuse(members, name, DiagnosticCatalog.ContractUnknownName.At(file, $"{key}.{name}", Names(defaults[key])));
                        }
                    });
                    break;
                case "characteristics":
                    ForEachMember(known, key, key, (products, product, names) =>
                    {
                        if (defaults[key]?[product] is not JsonObject whcctls)
                        {
                            Refuse(products, product, DiagnosticCatalog.ContractUnknownProduct.At(file, $"{key}.{product}", Names(defaults[key])));
                            return;
                        }

                        if (names is null)
                        {
                            return;
                        }

                        ForEachMember(products, product, $"{key}.{product}", (members, name, _) =>
                        {
                            if (!whcctls.ContainsKey(name))
                            {
                                Refuse(members, name, DiagnosticCatalog.ContractUnknownCharacteristic.At(file, $"{key}.{product}.{name}", Names(whcctls)));
                            }
                        });
                    });
                    break;
                case "errorEnvelope":
                    ForEachMember(known, key, key, (envelope, part, _) =>
                    {
                        if (part is not ("fields" or "noData"))
                        {
                            Refuse(envelope, part, DiagnosticCatalog.ContractUnknownEnvelopePart.At(file, $"{key}.{part}"));
                            return;
                        }

                        ForEachMember(envelope, part, $"{key}.{part}", (members, name, _) =>
                        {
                            if (defaults[key]?[part]?[name] is null)
                            {
                                Refuse(members, name, DiagnosticCatalog.ContractUnknownName.At(file, $"{key}.{part}.{name}", Names(defaults[key]?[part])));
                            }
                        });
                    });
                    break;
            }
        }

        foreach (var (parent, name) in dropped)
        {
            parent.Remove(name);
        }

        return known;
    }

    private static IEnumerable<string> Names(JsonNode? node) => node is JsonObject o ? o.Select(p => p.Key) : [];

    /// <summary>
    /// RFC 7386 merge patch, recording the leaf paths an overlay changed and which file set each. A value equal to the
    /// one in effect changes nothing, so passing back what <c>contract show</c> printed overrides nothing.
    /// </summary>
    private static void Merge(JsonObject target, JsonObject patch, string prefix, ImmutableHashSet<string>.Builder overridden, Dictionary<string, string> setBy, string source)
    {
        foreach (var (name, value) in patch)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (value is null)
            {
                if (target.Remove(name))
                {
                    overridden.Add(path);
                    setBy[path] = source;
                }
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner, path, overridden, setBy, source);
            }
            else if (!JsonNode.DeepEquals(target[name], value))
            {
                target[name] = value.DeepClone();
                overridden.Add(path);
                setBy[path] = source;
            }
        }
    }

    // ---- The effective document to the model, checking every value ----

    private static WhcContract Build(JsonObject document, Func<string, string> sourceOf, List<Diagnostic> problems)
    {
        void Invalid(string path, ContractFinding finding) => problems.Add(finding(SourceSpan.FileOnly(sourceOf(path)), path));

        var routes = ImmutableSortedDictionary.CreateBuilder<string, RouteContract>(StringComparer.Ordinal);
        var routeNodes = document["routes"] as JsonObject;
        foreach (var name in ContractRoutes.All)
        {
            if (routeNodes?[name] is not JsonObject node)
            {
                Invalid($"routes.{name}", DiagnosticCatalog.ContractRouteMissing.At);
                continue;
            }

            routes[name] = BuildRoute(name, node, Invalid);
        }

        // Two routes at one method and path could not be told apart (the token route is served for GET and POST).
        var endpoints = routes.SelectMany(r => (r.Key == ContractRoutes.Token ? TokenMethods : [r.Value.Method]).Select(m => (Route: r.Key, Endpoint: $"{m} {r.Value.Path}")));
        foreach (var shared in endpoints.GroupBy(e => e.Endpoint, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Invalid($"routes.{shared.Last().Route}.path", (span, path) => DiagnosticCatalog.ContractRoutesShareEndpoint.At(span, path, shared.Select(e => e.Route), shared.Key));
        }

        var characteristics = ImmutableSortedDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (product, names) in document["characteristics"] as JsonObject ?? [])
        {
            characteristics[product] = StringMap(names, $"characteristics.{product}", Invalid, unique: true);
        }

        var states = StringMap(document["orderStates"], "orderStates", Invalid, unique: false);
        var canonicalStates = DefaultContract.IsValueCreated
            ? DefaultContract.Value.Contract.OrderStates.Values.ToImmutableHashSet(StringComparer.Ordinal)
            : states.Values.ToImmutableHashSet(StringComparer.Ordinal);
        foreach (var (wire, state) in states)
        {
            if (!canonicalStates.Contains(state))
            {
                Invalid($"orderStates.{wire}", (span, path) => DiagnosticCatalog.ContractOrderStateUnknown.At(span, path, state, canonicalStates.Order(StringComparer.Ordinal)));
            }
            else if (OrderStateProblem(wire, state) is { } problem)
            {
                Invalid($"orderStates.{wire}", problem);
            }
        }

        var envelope = document["errorEnvelope"] as JsonObject;
        var noData = envelope?["noData"] as JsonObject;
        var noDataStatus = noData?["status"] is JsonValue s && s.TryGetValue(out int status) ? status : 0;
        if (noDataStatus != NoDataStatus)
        {
            Invalid("errorEnvelope.noData.status", DiagnosticCatalog.ContractNoDataStatusNot404.At);
        }

        var noDataCode = Text(noData?["code"]);
        if (noDataCode is null)
        {
            Invalid("errorEnvelope.noData.code", DiagnosticCatalog.ContractNoDataCodeMissing.At);
        }
        else if (noDataCode.Trim() == GatewayNoRouteCode)
        {
            Invalid("errorEnvelope.noData.code", (span, path) => DiagnosticCatalog.ContractNoDataCodeGatewayNoRoute.At(span, path, GatewayNoRouteCode));
        }

        var version = document["contractVersion"] is JsonValue v && v.TryGetValue(out int number) ? number : 0;
        return new WhcContract(
            version,
            routes.ToImmutable(),
            StringMap(document["productOfferings"], "productOfferings", Invalid, unique: true),
            characteristics.ToImmutable(),
            StringMap(document["roles"], "roles", Invalid, unique: true),
            states,
            new ErrorEnvelopeContract(FieldMap(envelope?["fields"], "errorEnvelope.fields", Invalid, flat: true, shape: null, body: string.Empty), noDataStatus, noDataCode ?? string.Empty));
    }

    /// <summary>The only status of BT's "no data" answer (the guide's <c>{"code":"404","message":"No data found"}</c>).</summary>
    private const int NoDataStatus = 404;

    /// <summary>The API gateway's 404 code for a path it does not route (docs/whc-api.md): never "no data".</summary>
    private const string GatewayNoRouteCode = "60";

    /// <summary>whcctl's states that end an order without it being done.</summary>
    private static readonly ImmutableArray<string> FailureStates = ["cancelled", "failed", "partial", "rejected"];

    /// <summary>whcctl's states on the way to cancelled (not final, never a success).</summary>
    private static readonly ImmutableArray<string> CancellationStates = ["assessingCancellation", "pendingCancellation"];

    /// <summary>
    /// Parts of BT's word that name a failure, found in its letters and digits alone, without regard to case (so
    /// <c>NOT_COMPLETED</c> reads "notcompleted"). A word BT uses that no map names is waited through, so being strict
    /// here costs a warning, never a wrong "done".
    /// </summary>
    private static readonly ImmutableArray<string> FailureStems =
        ["fail", "reject", "error", "abort", "partial", "declin", "refus", "denied", "unsuccess", "incomplet", "uncomplet", "notcomplet", "notdone"];

    private const string CancelStem = "cancel";

    /// <summary>
    /// Why BT's <paramref name="word"/> cannot mean whcctl's <paramref name="state"/>, or null. A word that names a
    /// failure keeps a failure's meaning: with one of <see cref="FailureStems"/> in it, it means only one of
    /// <see cref="FailureStates"/>; with "cancel" in it (cancelled, canceled, cancellation), one of those or of
    /// <see cref="CancellationStates"/>. So no contract can record a failed order as completed or still running.
    /// </summary>
    internal static ContractFinding? OrderStateProblem(string word, string state)
    {
        var letters = string.Concat(word.Where(char.IsLetterOrDigit)).ToLowerInvariant();
        if (FailureStems.FirstOrDefault(stem => letters.Contains(stem, StringComparison.Ordinal)) is { } stem)
        {
            return FailureStates.Contains(state)
                ? null
                : (span, path) => DiagnosticCatalog.ContractOrderStateNamesFailure.At(span, path, word, stem, FailureStates, state);
        }

        return letters.Contains(CancelStem, StringComparison.Ordinal) && !FailureStates.Contains(state) && !CancellationStates.Contains(state)
            ? (span, path) => DiagnosticCatalog.ContractOrderStateNamesFailure.At(span, path, word, CancelStem, FailureStates.Concat(CancellationStates), state)
            : null;
    }

    private static RouteContract BuildRoute(string name, JsonObject node, Action<string, ContractFinding> invalid)
    {
        var path = $"routes.{name}";
        var shape = ContractRoutes.Shapes[name];
        var method = Text(node["method"]);
        if (method is not ("GET" or "POST"))
        {
            invalid($"{path}.method", DiagnosticCatalog.ContractRouteMethodInvalid.At);
        }
        else if (shape.Changes && method != "POST")
        {
            invalid($"{path}.method", DiagnosticCatalog.ContractRouteMethodNotPost.At);
        }

        var target = Text(node["path"]) ?? string.Empty;
        CheckPath($"{path}.path", target, shape.Placeholder, invalid);
        var query = StringMap(node["query"], $"{path}.query", invalid, unique: true);
        var queryValues = StringMap(node["queryValues"], $"{path}.queryValues", invalid, unique: true);
        foreach (var clash in query.Values.Intersect(queryValues.Keys, StringComparer.Ordinal))
        {
            invalid($"{path}.queryValues.{clash}", DiagnosticCatalog.ContractQueryValueClash.At);
        }

        var success = ImmutableArray.CreateBuilder<int>();
        if (node["success"] is JsonArray statuses)
        {
            foreach (var item in statuses)
            {
                if (item is JsonValue value && value.TryGetValue(out int status) && status is >= 200 and <= 299)
                {
                    success.Add(status);
                }
                else
                {
                    invalid($"{path}.success", DiagnosticCatalog.ContractSuccessNot2xx.At);
                    return Placeholder(method, target);
                }
            }
        }

        if (success.Count == 0)
        {
            invalid($"{path}.success", DiagnosticCatalog.ContractSuccessEmpty.At);
        }

        return new RouteContract(
            method ?? "GET",
            target,
            WithAllParameters(query, shape),
            queryValues,
            success.ToImmutable(),
            Unclashing(FieldMap(node["request"], $"{path}.request", invalid, flat: false, BodyShapes.Request(name), "the body"), $"{path}.request", BodyShapes.Request(name), answer: false, invalid),
            Unclashing(FieldMap(node["response"], $"{path}.response", invalid, flat: false, BodyShapes.Response(name), "the answer"), $"{path}.response", BodyShapes.Response(name), answer: true, invalid));
    }

    /// <summary>A stand-in for a route already reported invalid, so that the rest is still checked.</summary>
    private static RouteContract Placeholder(string? method, string target) =>
        new(method ?? "GET", target, ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty, [], ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty, ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty);

    /// <summary>Every parameter whcctl sends has a wire name: its own unless the contract says otherwise.</summary>
    private static ImmutableSortedDictionary<string, string> WithAllParameters(ImmutableSortedDictionary<string, string> query, RouteShape shape) =>
        shape.Query.Aggregate(query, (map, name) => map.ContainsKey(name) ? map : map.Add(name, name));

    private static void CheckPath(string field, string target, string? placeholder, Action<string, ContractFinding> invalid)
    {
        if (PathProblem(target, placeholder) is { } problem)
        {
            invalid(field, (span, path) => DiagnosticCatalog.ContractRoutePathInvalid.At(span, path, problem));
        }
    }

    /// <summary>Why <paramref name="target"/> cannot be a route's path (a finding worded in the catalogue), or null.</summary>
    internal static string? PathProblem(string target, string? placeholder)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && target.Contains("://", StringComparison.Ordinal))
        {
            if (absolute.Scheme != Uri.UriSchemeHttps && !(absolute.Scheme == Uri.UriSchemeHttp && Core.Api.LoopbackHost.Is(absolute)))
            {
                return DiagnosticCatalog.RoutePathNotHttps;
            }

            if (absolute.UserInfo.Length > 0 || absolute.Query.Length > 0 || absolute.Fragment.Length > 0)
            {
                return DiagnosticCatalog.RoutePathWithExtras;
            }
        }
        else if (!target.StartsWith('/') || target.Contains("//", StringComparison.Ordinal) || target.Contains('?', StringComparison.Ordinal) || target.Contains('#', StringComparison.Ordinal))
        {
            return DiagnosticCatalog.RoutePathNotAPath(target);
        }

        if (placeholder is not null && !target.Contains(placeholder, StringComparison.Ordinal))
        {
            return DiagnosticCatalog.RoutePathWithoutPlaceholder(placeholder, target);
        }

        var others = target.Replace(placeholder ?? "\0", string.Empty, StringComparison.Ordinal);
        return others.Contains('{', StringComparison.Ordinal) || others.Contains('}', StringComparison.Ordinal)
            ? DiagnosticCatalog.RoutePathOtherPlaceholder(placeholder)
            : null;
    }

    private static ImmutableSortedDictionary<string, string> StringMap(JsonNode? node, string path, Action<string, ContractFinding> invalid, bool unique)
    {
        var map = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return map.ToImmutable();
        }

        if (node is not JsonObject members)
        {
            invalid(path, DiagnosticCatalog.ContractNamesNotObject.At);
            return map.ToImmutable();
        }

        foreach (var (name, value) in members)
        {
            if (Text(value) is { } text && IsPlainName(text))
            {
                map[name] = text;
            }
            else
            {
                invalid($"{path}.{name}", DiagnosticCatalog.ContractNameNotPlain.At);
            }
        }

        if (unique)
        {
            foreach (var twice in map.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                invalid(path, (span, at) => DiagnosticCatalog.ContractNameGivenTwice.At(span, at, twice.Key, twice.Select(p => p.Key)));
            }
        }

        return map.ToImmutable();
    }

    /// <summary>whcctl's field path → the wire paths (one, or alternatives tried in order).</summary>
    /// <remarks>A map on a path whose kinds differ from <paramref name="shape"/> (what whcctl sends or reads there) is refused: it could never match.</remarks>
    private static ImmutableSortedDictionary<string, ImmutableArray<string>> FieldMap(JsonNode? node, string path, Action<string, ContractFinding> invalid, bool flat, BodyShape? shape, string body)
    {
        var map = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (node is null)
        {
            return map.ToImmutable();
        }

        if (node is not JsonObject members)
        {
            invalid(path, DiagnosticCatalog.ContractFieldMapNotObject.At);
            return map.ToImmutable();
        }

        foreach (var (name, value) in members)
        {
            ImmutableArray<string> wires = value switch
            {
                JsonArray list => [.. list.Select(Text).OfType<string>()],
                _ when Text(value) is { } one => [one],
                _ => [],
            };
            if (wires.IsEmpty || (value is JsonArray all && all.Count != wires.Length))
            {
                invalid($"{path}.{name}", DiagnosticCatalog.ContractFieldMapEntryInvalid.At);
                continue;
            }

            if (FieldPath.Problem(name, flat) is { } problem)
            {
                invalid($"{path}.{name}", problem);
                continue;
            }

            var bad = wires.Select(w => FieldPath.Problem(w, flat) ?? FieldPath.PrefixProblem(name, w)).FirstOrDefault(p => p is not null)
                ?? shape?.Mismatch(name, body);
            if (bad is not null)
            {
                invalid($"{path}.{name}", bad);
                continue;
            }

            map[name] = wires;
        }

        return map.ToImmutable();
    }

    /// <summary>
    /// Field maps move fields one after another, between whcctl's names and BT's. A field moved onto (or into) another
    /// field whcctl sends would silently write over it; a field read from another field whcctl reads would take it
    /// away (a list taken reads as missing); two fields at one wire place take each other's value. All are refused.
    /// </summary>
    private static ImmutableSortedDictionary<string, ImmutableArray<string>> Unclashing(
        ImmutableSortedDictionary<string, ImmutableArray<string>> map, string path, BodyShape? shape, bool answer, Action<string, ContractFinding> invalid)
    {
        var moves = map.SelectMany(f => f.Value.Where(w => w != f.Key).Distinct(StringComparer.Ordinal).Select(w => (Field: f.Key, Wire: w))).ToList();
        foreach (var (field, wire) in moves.Where(m => shape?.Overlaps(m.Wire) == true).GroupBy(m => m.Field, StringComparer.Ordinal).Select(g => g.First()))
        {
            invalid($"{path}.{field}", (span, at) => (answer ? DiagnosticCatalog.ContractFieldOverAnswerField : DiagnosticCatalog.ContractFieldOverBodyField).At(span, at, wire, field));
        }

        foreach (var twice in moves.GroupBy(m => m.Wire, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            invalid(path, (span, at) => DiagnosticCatalog.ContractWireGivenTwice.At(span, at, twice.Key, twice.Select(m => m.Field)));
        }

        return map;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrEmpty(text) ? text : null;

    private static bool IsPlainName(string text) => UnsafeCharacters.Find(text) is null;
}
