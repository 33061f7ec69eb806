using System.Collections.Immutable;
using System.Reflection;
using NJsonSchema;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Manifests.Schema;
using Whc.Declarative.Manifests.Validation;

namespace Whc.Declarative.Manifests.Tests;

/// <summary>The published schema and the C# model cannot drift apart.</summary>
public sealed class SchemaTests
{
    /// <summary>Where the model's shape differs from the YAML's: the root record's properties live under metadata/spec.</summary>
    private static readonly Dictionary<string, string> RootMapping = new()
    {
        [nameof(CompanyManifest.ApiVersion)] = "apiVersion",
        [nameof(CompanyManifest.Key)] = "metadata.name",
        [nameof(CompanyManifest.Reseller)] = "spec.reseller",
        [nameof(CompanyManifest.Company)] = "spec.company",
        [nameof(CompanyManifest.NumberBlocks)] = "spec.numberBlocks",
        [nameof(CompanyManifest.Sites)] = "spec.sites",
        [nameof(CompanyManifest.Protect)] = "spec.protect",
        [nameof(CompanyManifest.Moved)] = "spec.moved",
    };

    /// <summary>Schema fields with no model property: kind is the constant <see cref="CompanyManifest.Kind"/>.</summary>
    private static readonly string[] SchemaOnly = ["kind"];

    [Fact]
    public void The_embedded_schema_is_the_published_file()
    {
        var published = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "schemas", "v1", "manifest.schema.json"));

        ManifestSchema.Text.Should().Be(published);
    }

    [Fact]
    public void The_schema_has_a_versioned_id_and_is_draft_07()
    {
        using var document = System.Text.Json.JsonDocument.Parse(ManifestSchema.Text);
        document.RootElement.GetProperty("$id").GetString().Should().Be(ManifestSchema.Id).And.Contain("/v1/");
        ManifestSchema.Text.Should().Contain("\"$schema\": \"http://json-schema.org/draft-07/schema#\"");
    }

    [Fact]
    public void The_product_checks_manifests_without_NJsonSchema_or_Newtonsoft()
    {
        // NJsonSchema builds its model through reflection, which a native AOT executable cannot do: it is the tests' cross-check
        // only. Newtonsoft gives trim and AOT warnings; manifests are read into the project's own tree (Yaml/YamlNode.cs).
        var references = typeof(ManifestSchema).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        references.Should().Contain("YamlDotNet").And.NotContain(["Newtonsoft.Json", "NJsonSchema", "NJsonSchema.Annotations", "Namotion.Reflection"]);
    }

    [Fact]
    public void Schema_fields_and_model_properties_are_the_same_set()
    {
        var schemaFields = SchemaLeaves(NJsonSchemaCrossCheck.Schema, string.Empty).Except(SchemaOnly).Order().ToList();
        var modelFields = ModelLeaves().Order().ToList();

        schemaFields.Should().Equal(modelFields);
    }

    [Fact]
    public void Every_schema_field_has_a_description()
    {
        var missing = AllProperties(NJsonSchemaCrossCheck.Schema, string.Empty)
            .Where(p => string.IsNullOrWhiteSpace(p.Schema.Description) && string.IsNullOrWhiteSpace(p.Schema.ActualSchema.Description))
            .Select(p => p.Path);

        missing.Should().BeEmpty();
    }

    [Fact]
    public void Every_object_in_the_schema_refuses_unknown_fields()
    {
        var open = AllProperties(NJsonSchemaCrossCheck.Schema, string.Empty)
            .Select(p => (p.Path, Schema: p.Schema.ActualSchema.Item?.ActualSchema ?? p.Schema.ActualSchema))
            .Where(p => p.Schema.ActualProperties.Count > 0 && p.Schema.AllowAdditionalProperties)
            .Select(p => p.Path);

        NJsonSchemaCrossCheck.Schema.AllowAdditionalProperties.Should().BeFalse();
        open.Should().BeEmpty();
    }

    [Fact]
    public void The_fields_with_a_pattern_are_the_fields_the_validator_checks()
    {
        var patterned = AllProperties(NJsonSchemaCrossCheck.Schema, string.Empty)
            .Where(p => !string.IsNullOrEmpty(p.Schema.ActualSchema.Pattern))
            .Select(p => p.Path);

        patterned.Should().BeEquivalentTo(ManifestValidator.FormatCheckedFields);
    }

    [Fact]
    public void The_licence_enum_is_the_documented_list()
    {
        var licence = NJsonSchemaCrossCheck.Find(["spec", "sites", "0", "users", "0", "licence"]);

        licence!.Enumeration.Should().Equal(ManifestFormats.Licences);
    }

    private static IEnumerable<(string Path, JsonSchema Schema)> AllProperties(JsonSchema schema, string prefix)
    {
        foreach (var (name, property) in schema.ActualSchema.ActualProperties)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            // A field written as one item or a list of them (ported: { from, to } or a list) is a list in the model.
            var actual = property.ActualSchema.AnyOf.Select(a => a.ActualSchema).FirstOrDefault(a => a.Type.HasFlag(JsonObjectType.Array)) ?? property.ActualSchema;
            yield return (path, actual);
            var (child, childPath) = actual.Type.HasFlag(JsonObjectType.Array) && actual.Item is { } item
                ? (item.ActualSchema, $"{path}[]")
                : (actual, path);
            foreach (var nested in AllProperties(child, childPath))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<string> SchemaLeaves(JsonSchema schema, string prefix) =>
        AllProperties(schema, prefix)
            .Where(p =>
            {
                    var actual = p.Schema.ActualSchema.Item?.ActualSchema ?? p.Schema.ActualSchema;
                return actual.ActualProperties.Count == 0;
            })
            .Select(p => p.Schema.ActualSchema.Type.HasFlag(JsonObjectType.Array) ? $"{p.Path}[]" : p.Path);

    private static IEnumerable<string> ModelLeaves()
    {
        foreach (var parameter in PrimaryParameters(typeof(CompanyManifest)))
        {
            if (parameter.Name is "Span")
            {
                continue;
            }

            RootMapping.Should().ContainKey(parameter.Name!, "every CompanyManifest property needs a place in the YAML");
            foreach (var leaf in Leaves(parameter.ParameterType, RootMapping[parameter.Name!]))
            {
                yield return leaf;
            }
        }

        // Fields added later as init properties (moved) count as well as the constructor's.
        var parameters = PrimaryParameters(typeof(CompanyManifest));
        foreach (var property in typeof(CompanyManifest).GetProperties().Where(p => p.SetMethod is { IsPublic: true } && !parameters.Any(a => a.Name == p.Name)))
        {
            RootMapping.Should().ContainKey(property.Name, "every CompanyManifest property needs a place in the YAML");
            foreach (var leaf in Leaves(property.PropertyType, RootMapping[property.Name]))
            {
                yield return leaf;
            }
        }
    }

    private static IEnumerable<string> Leaves(Type type, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            var element = type.GetGenericArguments()[0];
            return IsModelRecord(element) ? Leaves(element, $"{path}[]") : [$"{path}[]"];
        }

        if (!IsModelRecord(type))
        {
            return [path];
        }

        var parameters = PrimaryParameters(type);
        // Fields added later as init properties (characteristics) count as well as the constructor's.
        var initOnly = type.GetProperties().Where(p => p.SetMethod is { IsPublic: true } && !parameters.Any(a => a.Name == p.Name));
        return parameters
            .Where(p => p.Name != "Span")
            .Select(p => (Name: p.Name!, Type: p.ParameterType))
            .Concat(initOnly.Select(p => (p.Name, Type: p.PropertyType)))
            .SelectMany(p => p.Type.IsGenericType && p.Type.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>)
                ? [$"{path}.{char.ToLowerInvariant(p.Name[0])}{p.Name[1..]}"]
                : Leaves(p.Type, $"{path}.{char.ToLowerInvariant(p.Name[0])}{p.Name[1..]}"));
    }

    private static bool IsModelRecord(Type type) => type.Namespace == typeof(CompanyManifest).Namespace && type.IsClass;

    private static ParameterInfo[] PrimaryParameters(Type type) =>
        type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters();
}
