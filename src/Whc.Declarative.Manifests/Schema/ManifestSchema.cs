using NJsonSchema;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>The published manifest JSON Schema (schemas/v1/manifest.schema.json), embedded in this assembly.</summary>
public static class ManifestSchema
{
    private const string ResourceName = "Whc.Declarative.Manifests.manifest.schema.v1.json";

    private static readonly Lazy<string> LazyText = new(ReadText);

    private static readonly Lazy<SchemaConformance> LazyConformance = new(() => SchemaConformance.Compile(LazyText.Value));

    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.FromJsonAsync(LazyText.Value).GetAwaiter().GetResult());

    /// <summary>The schema document as published (what editors load through the <c>$schema</c> comment).</summary>
    public static string Text => LazyText.Value;

    /// <summary>The schema's <c>$id</c>.</summary>
    public const string Id = "https://whcctl.dev/schemas/v1/manifest.schema.json";

    /// <summary>NJsonSchema's model of the schema: validates and explains. Built only when a document may not conform.</summary>
    internal static JsonSchema Schema => LazySchema.Value;

    /// <summary>The quick conformance check that spares a valid document NJsonSchema.</summary>
    internal static SchemaConformance Conformance => LazyConformance.Value;

    /// <summary>The schema for the value at the given path (property names and array indexes), or null.</summary>
    internal static JsonSchema? Find(IEnumerable<string> segments)
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

    private static string ReadText()
    {
        using var stream = typeof(ManifestSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(ManifestSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
