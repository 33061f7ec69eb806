using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>
/// A quick yes/no check of a document against the manifest schema, for the common case of a valid manifest. It is
/// compiled once from the schema's own text (System.Text.Json, no reflection) and knows exactly the keywords that
/// schema uses; a keyword it does not know makes its part of the schema answer no. It may say no where NJsonSchema
/// would say yes (it is stricter about anything unusual), never the reverse, and a no only sends the document to
/// NJsonSchema, which says what is wrong. Why: building NJsonSchema's model of the schema and validating with it
/// was about half the time of a cold <c>whcctl plan</c> over a large estate.
/// </summary>
internal sealed class SchemaConformance
{
    /// <summary>Keywords that describe and do not constrain.</summary>
    private static readonly HashSet<string> Annotations =
        new(StringComparer.Ordinal) { "$schema", "$id", "$comment", "title", "description", "default", "examples", "definitions" };

    private readonly Rule root;

    private SchemaConformance(Rule root, IReadOnlyList<string> unknownKeywords)
    {
        this.root = root;
        UnknownKeywords = unknownKeywords;
    }

    /// <summary>Keywords of the schema this check does not implement (parts of the schema using them always answer no).</summary>
    public IReadOnlyList<string> UnknownKeywords { get; }

    public static SchemaConformance Compile(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        var compiler = new Compiler(document.RootElement);
        return new SchemaConformance(compiler.Compile(document.RootElement), [.. compiler.Unknown.Order(StringComparer.Ordinal)]);
    }

    /// <summary>True when the document certainly conforms to the schema.</summary>
    public bool Conforms(JToken document) => root.Accepts(document);

    private sealed class Compiler(JsonElement schemaRoot)
    {
        private readonly Dictionary<string, Rule> definitions = new(StringComparer.Ordinal);

        public HashSet<string> Unknown { get; } = new(StringComparer.Ordinal);

        public Rule Compile(JsonElement schema)
        {
            var rule = new Rule();
            if (schema.ValueKind != JsonValueKind.Object)
            {
                rule.Never = schema.ValueKind != JsonValueKind.True;
                return rule;
            }

            foreach (var keyword in schema.EnumerateObject())
            {
                var value = keyword.Value;
                switch (keyword.Name)
                {
                    case "type" when value.ValueKind == JsonValueKind.String:
                        rule.Type = value.GetString();
                        break;
                    case "properties":
                        foreach (var property in value.EnumerateObject())
                        {
                            rule.Properties[property.Name] = Compile(property.Value);
                        }

                        break;
                    case "additionalProperties":
                        rule.Additional = value.ValueKind switch
                        {
                            JsonValueKind.False => new Rule { Never = true },
                            JsonValueKind.True => null,
                            _ => Compile(value),
                        };
                        break;
                    case "required":
                        rule.Required = [.. value.EnumerateArray().Select(r => r.GetString() ?? string.Empty)];
                        break;
                    case "minLength":
                        rule.MinLength = value.GetInt32();
                        break;
                    case "maxLength":
                        rule.MaxLength = value.GetInt32();
                        break;
                    case "pattern":
                        rule.Pattern = new Regex(value.GetString() ?? string.Empty, RegexOptions.CultureInvariant);
                        break;
                    case "enum" when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                        rule.Enum = [.. value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
                        break;
                    case "minimum":
                        rule.Minimum = value.GetDouble();
                        break;
                    case "maximum":
                        rule.Maximum = value.GetDouble();
                        break;
                    case "items" when value.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False:
                        rule.Items = Compile(value);
                        break;
                    case "minItems":
                        rule.MinItems = value.GetInt32();
                        break;
                    case "anyOf" when value.ValueKind == JsonValueKind.Array:
                        rule.AnyOf = [.. value.EnumerateArray().Select(Compile)];
                        break;
                    case "$ref" when value.GetString() is { } reference && reference.StartsWith("#/definitions/", StringComparison.Ordinal):
                        rule.Reference = Definition(reference["#/definitions/".Length..]);
                        break;
                    case var annotation when Annotations.Contains(annotation):
                        break;
                    default:
                        Unknown.Add(keyword.Name);
                        rule.Never = true;
                        break;
                }
            }

            return rule;
        }

        private Rule Definition(string name)
        {
            if (definitions.TryGetValue(name, out var known))
            {
                return known;
            }

            // Registered before it is compiled, so a definition may refer to itself.
            var rule = new Rule();
            definitions[name] = rule;
            if (schemaRoot.TryGetProperty("definitions", out var all) && all.TryGetProperty(name, out var schema))
            {
                rule.Reference = Compile(schema);
            }
            else
            {
                Unknown.Add("$ref #/definitions/" + name);
                rule.Never = true;
            }

            return rule;
        }
    }

    private sealed class Rule
    {
        public bool Never { get; set; }

        public string? Type { get; set; }

        public Dictionary<string, Rule> Properties { get; } = new(StringComparer.Ordinal);

        /// <summary>The rule for properties not listed; null when any is allowed.</summary>
        public Rule? Additional { get; set; }

        public string[] Required { get; set; } = [];

        public int? MinLength { get; set; }

        public int? MaxLength { get; set; }

        public Regex? Pattern { get; set; }

        public string[]? Enum { get; set; }

        public double? Minimum { get; set; }

        public double? Maximum { get; set; }

        public Rule? Items { get; set; }

        public int? MinItems { get; set; }

        /// <summary>Alternatives of which at least one must accept the value (a ported range, or a list of them).</summary>
        public Rule[]? AnyOf { get; set; }

        public Rule? Reference { get; set; }

        public bool Accepts(JToken token)
        {
            if (Never || (Reference is not null && !Reference.Accepts(token)) || (AnyOf is not null && !AnyOf.Any(rule => rule.Accepts(token))))
            {
                return false;
            }

            var typeMatches = Type switch
            {
                null => true,
                "object" => token is JObject,
                "array" => token is JArray,
                "string" => token.Type == JTokenType.String,
                "integer" => token.Type == JTokenType.Integer,
                "number" => token.Type is JTokenType.Integer or JTokenType.Float,
                "boolean" => token.Type == JTokenType.Boolean,
                _ => false,
            };
            return typeMatches && token switch
            {
                JObject obj => AcceptsObject(obj),
                JArray array => array.Count >= (MinItems ?? 0) && (Items is null || array.All(Items.Accepts)),
                _ => AcceptsValue(token),
            };
        }

        private bool AcceptsObject(JObject obj)
        {
            foreach (var name in Required)
            {
                if (obj.Property(name, StringComparison.Ordinal) is null)
                {
                    return false;
                }
            }

            foreach (var property in obj.Properties())
            {
                var rule = Properties.TryGetValue(property.Name, out var listed) ? listed : Additional;
                if (rule is not null && !rule.Accepts(property.Value))
                {
                    return false;
                }
            }

            return true;
        }

        private bool AcceptsValue(JToken token)
        {
            if (token.Type == JTokenType.String)
            {
                var text = (string?)token ?? string.Empty;

                // Lengths count characters; text outside the Basic Multilingual Plane is left to NJsonSchema.
                if ((MinLength is not null || MaxLength is not null) && text.Any(char.IsSurrogate))
                {
                    return false;
                }

                return text.Length >= (MinLength ?? 0)
                    && text.Length <= (MaxLength ?? int.MaxValue)
                    && (Pattern is null || Pattern.IsMatch(text))
                    && (Enum is null || Enum.Contains(text, StringComparer.Ordinal));
            }

            if (Enum is not null)
            {
                return false;
            }

            if (token is JValue { Value: long or double } numeric)
            {
                var number = Convert.ToDouble(numeric.Value, CultureInfo.InvariantCulture);
                return number >= (Minimum ?? double.MinValue) && number <= (Maximum ?? double.MaxValue);
            }

            return Minimum is null && Maximum is null;
        }
    }
}
