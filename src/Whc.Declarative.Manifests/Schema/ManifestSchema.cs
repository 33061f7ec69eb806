namespace Whc.Declarative.Manifests.Schema;

/// <summary>The published manifest JSON Schema (schemas/v1/manifest.schema.json), embedded in this assembly.</summary>
public static class ManifestSchema
{
    private const string ResourceName = "Whc.Declarative.Manifests.manifest.schema.v1.json";

    private static readonly Lazy<string> LazyText = new(ReadText);

    private static readonly Lazy<SchemaConformance> LazyConformance = new(() => SchemaConformance.Compile(LazyText.Value, SchemaChecker.LooksLikeCredential));

    /// <summary>The schema document as published (what editors load through the <c>$schema</c> comment).</summary>
    public static string Text => LazyText.Value;

    /// <summary>The schema's <c>$id</c>.</summary>
    public const string Id = "https://whcctl.dev/schemas/v1/manifest.schema.json";

    /// <summary>The schema compiled: checks a document and says what is wrong, and where (credential-like fields too).</summary>
    internal static SchemaConformance Conformance => LazyConformance.Value;

    private static string ReadText()
    {
        using var stream = typeof(ManifestSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(ManifestSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
