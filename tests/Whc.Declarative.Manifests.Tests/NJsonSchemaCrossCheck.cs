using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Whc.Declarative.Manifests.Schema;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>
/// NJsonSchema, an independent implementation of JSON Schema, kept in the tests only: its model of the published
/// schema, and its findings on a document in the shape the product's checker reports them (kind, path, property).
/// </summary>
internal static class NJsonSchemaCrossCheck
{
    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.FromJsonAsync(ManifestSchema.Text).GetAwaiter().GetResult());

    public static JsonSchema Schema => LazySchema.Value;

    /// <summary>NJsonSchema's findings, flattened as the checker reports them: inside the alternative the value's shape picks.</summary>
    public static List<string> Findings(JToken document) =>
        [.. Flatten(Schema.Validate(document)).Select(e => Describe(KindOf(e.Kind), e.Token, e.Kind is ValidationErrorKind.PropertyRequired or ValidationErrorKind.NoAdditionalPropertiesAllowed ? e.Property : null))];

    /// <summary>The product checker's schema findings (credentials are its own business), in the same words.</summary>
    public static List<string> CheckerFindings(JToken document) =>
        [.. ManifestSchema.Conformance.Check(YamlJson.ToYaml(document)).Where(f => f.Kind != SchemaFindingKind.Credential).Select(f => Describe(f.Kind.ToString(), SchemaChecker.DisplayPath(f.Path), f.Property))];

    /// <summary>The schema for the value at the given path (property names and array indexes), or null.</summary>
    public static JsonSchema? Find(IEnumerable<string> segments)
    {
        var current = Schema.ActualSchema;
        foreach (var segment in segments)
        {
            if (current.Type.HasFlag(JsonObjectType.Array) && current.Item is { } item)
            {
                current = item.ActualSchema;
                continue;
            }

            if (!current.ActualProperties.TryGetValue(segment, out var property))
            {
                return null;
            }

            current = property.ActualSchema;
        }

        return current;
    }

    private static string Describe(string kind, JToken? token, string? property) =>
        // NJsonSchema names an unknown property by the property itself, or by its value; the path is the property's.
        Describe(kind, token is null ? "?" : SchemaChecker.DisplayPath(YamlJson.Segments(token is JValue { Parent: JProperty p } && kind == "UnknownProperty" ? p : token)), property);

    private static string Describe(string kind, string path, string? property) =>
        property is null ? $"{kind} at {path}" : $"{kind} '{property}' at {path}";

    private static string KindOf(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.NoAdditionalPropertiesAllowed => "UnknownProperty",
        ValidationErrorKind.PropertyRequired => "RequiredMissing",
        ValidationErrorKind.NotAnyOf => "NoAlternativeFits",
        _ => kind.ToString(),
    };

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        var pending = new Stack<ValidationError>(errors.Reverse());
        while (pending.TryPop(out var error))
        {
            if (error is ChildSchemaValidationError { Kind: ValidationErrorKind.NotAnyOf } alternatives)
            {
                var fitting = alternatives.Errors.FirstOrDefault(b => Fits(b.Key, error.Token));
                if (fitting.Value is null)
                {
                    yield return error;
                    continue;
                }

                foreach (var inner in fitting.Value.Reverse())
                {
                    pending.Push(inner);
                }

                continue;
            }

            if (error is ChildSchemaValidationError child)
            {
                foreach (var inner in child.Errors.Values.SelectMany(e => e).Reverse())
                {
                    pending.Push(inner);
                }

                continue;
            }

            yield return error;
        }
    }

    private static bool Fits(JsonSchema schema, JToken? token)
    {
        var type = schema.ActualSchema.Type;
        return token switch
        {
            JArray => type.HasFlag(JsonObjectType.Array),
            JObject => type.HasFlag(JsonObjectType.Object),
            _ => false,
        };
    }
}
