using System.Collections.Immutable;
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
public static class ContractLoader
{
    public const string EnvironmentVariable = "WHC_CONTRACT";

    private static readonly Lazy<(WhcContract Contract, JsonObject Document)> DefaultContract = new(BuildDefault);

    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

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
                : (null, DiagnosticCatalog.ContractFileInvalid.At(SourceSpan.FileOnly(source), "the contract file must be a JSON object (a partial contract document)"));
        }
        catch (JsonException ex)
        {
            var span = ex.LineNumber is long line ? new SourceSpan(source, (int)line + 1, (int)(ex.BytePositionInLine ?? 0) + 1) : SourceSpan.FileOnly(source);
            return (null, DiagnosticCatalog.ContractFileInvalid.At(span, "the contract file is not valid JSON"));
        }
    }

    /// <summary>The default contract with <paramref name="overlays"/> laid over it in order.</summary>
    public static ContractLoad Load(IReadOnlyList<ContractOverlay> overlays)
    {
        ArgumentNullException.ThrowIfNull(overlays);
        var document = DefaultDocument();
        var overridden = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var problems = new List<Diagnostic>();
        foreach (var overlay in overlays)
        {
            var before = problems.Count;
            CheckOverlay(overlay, problems);
            if (problems.Count == before)
            {
                Merge(document, overlay.Document, string.Empty, overridden);
            }
        }

        if (problems.Count > 0)
        {
            return new ContractLoad(null, document, overridden.ToImmutable(), [.. problems]);
        }

        var source = overlays.Count == 0 ? "whc-contract.json" : overlays[^1].Source;
        var contract = Build(document, source, problems);
        return new ContractLoad(problems.Count == 0 ? contract : null, document, overridden.ToImmutable(), [.. problems]);
    }

    private static (WhcContract, JsonObject) BuildDefault()
    {
        using var stream = typeof(ContractLoader).Assembly.GetManifestResourceStream("whc-contract.json")
            ?? throw new InvalidOperationException("the default contract is not embedded");
        var document = JsonNode.Parse(stream, documentOptions: ReadOptions) as JsonObject
            ?? throw new InvalidOperationException("the default contract is not a JSON object");
        var problems = new List<Diagnostic>();
        var contract = Build(document, "whc-contract.json", problems);
        return problems.Count == 0
            ? (contract, document)
            : throw new InvalidOperationException("the default contract is invalid: " + string.Join("; ", problems));
    }

    // ---- Overlay structure: only what whcctl knows may be named ----

    private static readonly ImmutableHashSet<string> TopLevel =
        ["contractVersion", "routes", "productOfferings", "characteristics", "roles", "orderStates", "errorEnvelope"];

    private static readonly string[] TokenMethods = ["GET", "POST"];

    private static readonly ImmutableHashSet<string> RouteKeys = ["method", "path", "query", "queryValues", "success", "request", "response"];

    private static void CheckOverlay(ContractOverlay overlay, List<Diagnostic> problems)
    {
        var defaults = DefaultContract.Value.Document;
        void Unknown(string path, string what) =>
            problems.Add(DiagnosticCatalog.ContractUnknownKey.At(SourceSpan.FileOnly(overlay.Source), $"{path}: {what}"));
        void Invalid(string path, string what) =>
            problems.Add(DiagnosticCatalog.ContractValueInvalid.At(SourceSpan.FileOnly(overlay.Source), $"{path}: {what}"));

        foreach (var (key, value) in overlay.Document)
        {
            if (!TopLevel.Contains(key))
            {
                Unknown(key, $"not a part of the contract; parts: {string.Join(", ", TopLevel.Order(StringComparer.Ordinal))}");
                continue;
            }

            switch (key)
            {
                case "contractVersion":
                    if (value is not JsonValue v || !v.TryGetValue(out int version) || version != 1)
                    {
                        Invalid(key, "this whcctl reads contract version 1");
                    }

                    break;
                case "routes":
                    ForEachMember(value, key, Invalid, (name, route) =>
                    {
                        if (!ContractRoutes.IsKnown(name))
                        {
                            Unknown($"routes.{name}", $"no such route; routes: {string.Join(", ", ContractRoutes.All)}");
                            return;
                        }

                        ForEachMember(route, $"routes.{name}", Invalid, (part, partValue) =>
                        {
                            var path = $"routes.{name}.{part}";
                            if (!RouteKeys.Contains(part))
                            {
                                Unknown(path, $"a route has {string.Join(", ", RouteKeys.Order(StringComparer.Ordinal))}");
                            }
                            else if (part == "query")
                            {
                                ForEachMember(partValue, path, Invalid, (parameter, _) =>
                                {
                                    if (!ContractRoutes.Shapes[name].Query.Contains(parameter))
                                    {
                                        Unknown($"{path}.{parameter}", ContractRoutes.Shapes[name].Query.IsEmpty
                                            ? "this route sends no query parameter of whcctl's (fixed ones go under queryValues)"
                                            : $"whcctl sends {string.Join(", ", ContractRoutes.Shapes[name].Query)} here (fixed ones go under queryValues)");
                                    }
                                });
                            }
                        });
                    });
                    break;
                case "productOfferings" or "roles":
                    ForEachMember(value, key, Invalid, (name, _) =>
                    {
                        if (defaults[key]?[name] is null)
                        {
                            Unknown($"{key}.{name}", $"known: {string.Join(", ", Names(defaults[key]))}");
                        }
                    });
                    break;
                case "characteristics":
                    ForEachMember(value, key, Invalid, (product, names) =>
                    {
                        if (defaults[key]?[product] is not JsonObject known)
                        {
                            Unknown($"{key}.{product}", $"products: {string.Join(", ", Names(defaults[key]))}");
                            return;
                        }

                        ForEachMember(names, $"{key}.{product}", Invalid, (name, _) =>
                        {
                            if (!known.ContainsKey(name))
                            {
                                Unknown($"{key}.{product}.{name}", $"whcctl sets {string.Join(", ", Names(known))} (other characteristics go in the manifest's characteristics:)");
                            }
                        });
                    });
                    break;
                case "errorEnvelope":
                    ForEachMember(value, key, Invalid, (part, partValue) =>
                    {
                        if (part is not ("fields" or "noData"))
                        {
                            Unknown($"{key}.{part}", "the error envelope has fields and noData");
                        }
                        else
                        {
                            ForEachMember(partValue, $"{key}.{part}", Invalid, (name, _) =>
                            {
                                if (defaults[key]?[part]?[name] is null)
                                {
                                    Unknown($"{key}.{part}.{name}", $"known: {string.Join(", ", Names(defaults[key]?[part]))}");
                                }
                            });
                        }
                    });
                    break;
            }
        }
    }

    private static IEnumerable<string> Names(JsonNode? node) => node is JsonObject o ? o.Select(p => p.Key) : [];

    private static void ForEachMember(JsonNode? node, string path, Action<string, string> invalid, Action<string, JsonNode?> each)
    {
        if (node is not JsonObject members)
        {
            invalid(path, "must be an object");
            return;
        }

        foreach (var (name, value) in members)
        {
            each(name, value);
        }
    }

    /// <summary>RFC 7386 merge patch, recording the leaf paths an overlay set.</summary>
    private static void Merge(JsonObject target, JsonObject patch, string prefix, ImmutableHashSet<string>.Builder overridden)
    {
        foreach (var (name, value) in patch)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (value is null)
            {
                target.Remove(name);
                overridden.Add(path);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner, path, overridden);
            }
            else
            {
                target[name] = value.DeepClone();
                overridden.Add(path);
            }
        }
    }

    // ---- The effective document to the model, checking every value ----

    private static WhcContract Build(JsonObject document, string source, List<Diagnostic> problems)
    {
        void Invalid(string path, string what) =>
            problems.Add(DiagnosticCatalog.ContractValueInvalid.At(SourceSpan.FileOnly(source), $"{path}: {what}"));

        var routes = ImmutableSortedDictionary.CreateBuilder<string, RouteContract>(StringComparer.Ordinal);
        var routeNodes = document["routes"] as JsonObject;
        foreach (var name in ContractRoutes.All)
        {
            if (routeNodes?[name] is not JsonObject node)
            {
                Invalid($"routes.{name}", "every route needs method, path and success");
                continue;
            }

            routes[name] = BuildRoute(name, node, Invalid);
        }

        // Two routes at one method and path could not be told apart (the token route is served for GET and POST).
        var endpoints = routes.SelectMany(r => (r.Key == ContractRoutes.Token ? TokenMethods : [r.Value.Method]).Select(m => (Route: r.Key, Endpoint: $"{m} {r.Value.Path}")));
        foreach (var shared in endpoints.GroupBy(e => e.Endpoint, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Invalid($"routes.{shared.Last().Route}.path", $"{string.Join(" and ", shared.Select(e => e.Route))} are both {shared.Key}: each route needs its own method and path");
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
                Invalid($"orderStates.{wire}", $"'{state}' is not a state whcctl knows; states: {string.Join(", ", canonicalStates.Order(StringComparer.Ordinal))}");
            }
        }

        var envelope = document["errorEnvelope"] as JsonObject;
        var noData = envelope?["noData"] as JsonObject;
        var noDataStatus = noData?["status"] is JsonValue s && s.TryGetValue(out int status) && status is >= 400 and <= 599 ? status : 0;
        if (noDataStatus == 0)
        {
            Invalid("errorEnvelope.noData.status", "must be an HTTP error status (400-599)");
        }

        var noDataCode = Text(noData?["code"]);
        if (noDataCode is null)
        {
            Invalid("errorEnvelope.noData.code", "must be a non-empty string: the code of BT's 'no data' answer");
        }

        var version = document["contractVersion"] is JsonValue v && v.TryGetValue(out int number) ? number : 0;
        return new WhcContract(
            version,
            routes.ToImmutable(),
            StringMap(document["productOfferings"], "productOfferings", Invalid, unique: true),
            characteristics.ToImmutable(),
            StringMap(document["roles"], "roles", Invalid, unique: false),
            states,
            new ErrorEnvelopeContract(FieldMap(envelope?["fields"], "errorEnvelope.fields", Invalid, flat: true), noDataStatus, noDataCode ?? string.Empty));
    }

    private static RouteContract BuildRoute(string name, JsonObject node, Action<string, string> invalid)
    {
        var path = $"routes.{name}";
        var shape = ContractRoutes.Shapes[name];
        var method = Text(node["method"]);
        if (method is not ("GET" or "POST"))
        {
            invalid($"{path}.method", "must be GET or POST");
        }
        else if (shape.Changes && method != "POST")
        {
            invalid($"{path}.method", "must be POST: this call changes something at BT, and a GET could be repeated or cached on the way");
        }

        var target = Text(node["path"]) ?? string.Empty;
        CheckPath($"{path}.path", target, shape.Placeholder, invalid);
        var query = StringMap(node["query"], $"{path}.query", invalid, unique: true);
        var queryValues = StringMap(node["queryValues"], $"{path}.queryValues", invalid, unique: true);
        foreach (var clash in query.Values.Intersect(queryValues.Keys, StringComparer.Ordinal))
        {
            invalid($"{path}.queryValues.{clash}", "is also the wire name of one of whcctl's parameters");
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
                    invalid($"{path}.success", "must list 2xx statuses");
                    return Placeholder(method, target);
                }
            }
        }

        if (success.Count == 0)
        {
            invalid($"{path}.success", "must list at least one 2xx status");
        }

        return new RouteContract(
            method ?? "GET",
            target,
            WithAllParameters(query, shape),
            queryValues,
            success.ToImmutable(),
            FieldMap(node["request"], $"{path}.request", invalid, flat: false),
            FieldMap(node["response"], $"{path}.response", invalid, flat: false));
    }

    /// <summary>A stand-in for a route already reported invalid, so that the rest is still checked.</summary>
    private static RouteContract Placeholder(string? method, string target) =>
        new(method ?? "GET", target, ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty, [], ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty, ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty);

    /// <summary>Every parameter whcctl sends has a wire name: its own unless the contract says otherwise.</summary>
    private static ImmutableSortedDictionary<string, string> WithAllParameters(ImmutableSortedDictionary<string, string> query, RouteShape shape) =>
        shape.Query.Aggregate(query, (map, name) => map.ContainsKey(name) ? map : map.Add(name, name));

    private static void CheckPath(string field, string target, string? placeholder, Action<string, string> invalid)
    {
        if (PathProblem(target, placeholder) is { } problem)
        {
            invalid(field, problem);
        }
    }

    /// <summary>Why <paramref name="target"/> cannot be a route's path, or null.</summary>
    internal static string? PathProblem(string target, string? placeholder)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && target.Contains("://", StringComparison.Ordinal))
        {
            if (absolute.Scheme != Uri.UriSchemeHttps && !(absolute.Scheme == Uri.UriSchemeHttp && absolute.IsLoopback))
            {
                return "an absolute route must be https (http only on loopback): tokens travel with it";
            }

            if (absolute.UserInfo.Length > 0 || absolute.Query.Length > 0 || absolute.Fragment.Length > 0)
            {
                return "an absolute route carries no user info, query or fragment";
            }
        }
        else if (!target.StartsWith('/') || target.Contains("//", StringComparison.Ordinal) || target.Contains('?', StringComparison.Ordinal) || target.Contains('#', StringComparison.Ordinal))
        {
            return $"must be a path starting with '/' (or an https URL), without a query: '{target}'";
        }

        if (placeholder is not null && !target.Contains(placeholder, StringComparison.Ordinal))
        {
            return $"must contain the placeholder {placeholder}: '{target}'";
        }

        var others = target.Replace(placeholder ?? "\0", string.Empty, StringComparison.Ordinal);
        return others.Contains('{', StringComparison.Ordinal) || others.Contains('}', StringComparison.Ordinal)
            ? (placeholder is null ? "takes no placeholder" : $"takes only the placeholder {placeholder}")
            : null;
    }

    private static ImmutableSortedDictionary<string, string> StringMap(JsonNode? node, string path, Action<string, string> invalid, bool unique)
    {
        var map = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return map.ToImmutable();
        }

        if (node is not JsonObject members)
        {
            invalid(path, "must be an object of names");
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
                invalid($"{path}.{name}", "must be a non-empty string without control characters");
            }
        }

        if (unique)
        {
            foreach (var twice in map.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                invalid(path, $"'{twice.Key}' is given to {string.Join(" and ", twice.Select(p => p.Key))}: each needs its own name on the wire");
            }
        }

        return map.ToImmutable();
    }

    /// <summary>whcctl's field path → the wire paths (one, or alternatives tried in order).</summary>
    private static ImmutableSortedDictionary<string, ImmutableArray<string>> FieldMap(JsonNode? node, string path, Action<string, string> invalid, bool flat)
    {
        var map = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (node is null)
        {
            return map.ToImmutable();
        }

        if (node is not JsonObject members)
        {
            invalid(path, "must be an object of field paths");
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
                invalid($"{path}.{name}", "must be a field path or a non-empty list of them");
                continue;
            }

            if (FieldPath.Problem(name, flat) is { } problem)
            {
                invalid($"{path}.{name}", problem);
                continue;
            }

            var bad = wires.Select(w => FieldPath.Problem(w, flat) ?? FieldPath.PrefixProblem(name, w)).FirstOrDefault(p => p is not null);
            if (bad is not null)
            {
                invalid($"{path}.{name}", bad);
                continue;
            }

            map[name] = wires;
        }

        return map.ToImmutable();
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrEmpty(text) ? text : null;

    private static bool IsPlainName(string text) => UnsafeCharacters.Find(text) is null;
}
