using System.Text.Json;
using System.Text.RegularExpressions;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>What a document does wrong against the schema; named after the JSON Schema keyword it breaks.</summary>
internal enum SchemaFindingKind
{
    /// <summary>A property the object's schema does not list (<c>additionalProperties: false</c>); the node is the property's value, <see cref="SchemaFinding.Entry"/> the property.</summary>
    UnknownProperty,

    /// <summary>A required property is missing; the node is the value that lacks it, <see cref="SchemaFinding.Property"/> its name.</summary>
    RequiredMissing,
    StringExpected,
    IntegerExpected,
    NumberExpected,
    BooleanExpected,
    ObjectExpected,
    ArrayExpected,

    /// <summary>None of <c>anyOf</c>'s alternatives has the value's shape (what is wrong inside the one that has is reported instead).</summary>
    NoAlternativeFits,
    TooFewItems,
    NotInEnumeration,
    StringTooShort,
    StringTooLong,
    NumberTooSmall,
    NumberTooBig,
    PatternMismatch,

    /// <summary>A part of the schema that accepts nothing (<c>false</c>, or a keyword this checker does not implement).</summary>
    Refused,

    /// <summary>
    /// Not a schema keyword: a property whose name looks like a credential (<see cref="SchemaFinding.Entry"/>), found in the
    /// same walk so that the document is not walked again for it; any property the schema does not list is looked at.
    /// </summary>
    Credential,
}

/// <summary>
/// One finding: its kind, the node it is about and where that node is, the property it is about (a credential or an
/// unknown property: <paramref name="Entry"/>, whose value is the node), the name of the property for
/// <see cref="SchemaFindingKind.RequiredMissing"/> and <see cref="SchemaFindingKind.UnknownProperty"/>, and the
/// rule that was broken, whose values (limits, allowed values, description) the message quotes.
/// </summary>
/// <param name="AllowedProperties">For an unknown property: the names its object may have; empty inside one of several
/// alternatives (the value may have meant the other shape).</param>
internal sealed record SchemaFinding(SchemaFindingKind Kind, YamlNode Node, YamlPath Path, string? Property, SchemaRule Rule, IReadOnlyList<string> AllowedProperties, YamlEntry? Entry = null);

/// <summary>
/// The manifest schema compiled once from its own text (System.Text.Json, no reflection), and a checker that knows
/// exactly the keywords that schema uses; a keyword it does not know makes its part of the schema refuse everything.
/// One walk serves both uses: a quick yes/no that stops at the first finding (the common case, a valid manifest), and
/// the list of every finding when the answer is no. Its findings are those of draft-07 as NJsonSchema reports them
/// (the tests run both over the corpus of bad manifests), so the messages built on them did not change when it
/// replaced NJsonSchema in the product: NJsonSchema loads its model through reflection, which native AOT cannot do.
/// </summary>
internal sealed class SchemaConformance
{
    /// <summary>Keywords that describe and do not constrain.</summary>
    private static readonly HashSet<string> Annotations =
        new(StringComparer.Ordinal) { "$schema", "$id", "$comment", "title", "default", "examples", "definitions" };

    private readonly Func<string, bool> credentialName;

    private SchemaConformance(SchemaRule root, IReadOnlyList<string> unknownKeywords, Func<string, bool> credentialName)
    {
        Root = root;
        UnknownKeywords = unknownKeywords;
        this.credentialName = credentialName;
    }

    /// <summary>Keywords of the schema this check does not implement (parts of the schema using them always answer no).</summary>
    public IReadOnlyList<string> UnknownKeywords { get; }

    public SchemaRule Root { get; }

    /// <param name="credentialName">Which property names to report as <see cref="SchemaFindingKind.Credential"/> (none when
    /// not given). The schema's own property names are never asked: a test keeps them free of credential-like names.</param>
    public static SchemaConformance Compile(string schemaJson, Func<string, bool>? credentialName = null)
    {
        using var document = JsonDocument.Parse(schemaJson);
        var compiler = new Compiler(document.RootElement);
        return new SchemaConformance(compiler.Compile(document.RootElement), [.. compiler.Unknown.Order(StringComparer.Ordinal)], credentialName ?? (static _ => false));
    }

    /// <summary>True when the document conforms to the schema (stops at the first finding).</summary>
    public bool Conforms(YamlNode document)
    {
        var walker = new Walker(collecting: false, credentialName);
        walker.Walk(document, Root, inAlternative: false);
        return !walker.Failed;
    }

    /// <summary>Every finding, in the order draft-07's keywords are applied (the caller orders them by position).</summary>
    public List<SchemaFinding> Check(YamlNode document)
    {
        var walker = new Walker(collecting: true, credentialName);
        walker.Walk(document, Root, inAlternative: false);
        return walker.Findings;
    }

    /// <summary>
    /// Applies a rule to a value; when not collecting, stops at the first finding. Recursion follows the document,
    /// whose depth the YAML reader caps.
    /// </summary>
    private sealed class Walker(bool collecting, Func<string, bool> credentialName, List<(string? Key, int Index)>? at = null)
    {
        /// <summary>Where the walk is: keys and list indexes from the root, made into a <see cref="YamlPath"/> only for a finding.</summary>
        private readonly List<(string? Key, int Index)> path = at is null ? [] : [.. at];

        public List<SchemaFinding> Findings { get; } = [];

        public bool Failed { get; private set; }

        private static bool IsString(YamlNode node) => node is YamlScalar { Kind: YamlScalarKind.String };

        private static string TextOf(YamlNode node) => node is YamlScalar { Kind: YamlScalarKind.String } scalar ? scalar.Text : string.Empty;

        /// <summary>Records a finding; true when the walk should stop (only the yes/no was asked).</summary>
        private bool Stop(SchemaFindingKind kind, YamlNode node, SchemaRule rule, string? property = null, IReadOnlyList<string>? allowed = null, YamlEntry? entry = null)
        {
            Failed = true;
            if (!collecting)
            {
                return true;
            }

            var where = YamlPath.Root;
            foreach (var (key, index) in path)
            {
                where = key is null ? where.Index(index) : where.Key(key);
            }

            Findings.Add(new SchemaFinding(kind, node, entry is null ? where : where.Key(entry.Key), property, rule, allowed ?? [], entry));
            return false;
        }

        private bool StopAt(SchemaFindingKind kind, YamlEntry entry, SchemaRule rule, IReadOnlyList<string>? allowed = null) =>
            Stop(kind, entry.Value, rule, entry.Key, allowed, entry);

        /// <summary>Walks an entry's value with the entry's key on the path.</summary>
        private void WalkEntry(YamlEntry entry, SchemaRule rule, bool inAlternative)
        {
            path.Add((entry.Key, 0));
            Walk(entry.Value, rule, inAlternative);
            path.RemoveAt(path.Count - 1);
        }

        public void Walk(YamlNode token, SchemaRule rule, bool inAlternative)
        {
            if (rule.Never)
            {
                Stop(SchemaFindingKind.Refused, token, rule);
                return;
            }

            // Draft-07: a $ref's siblings are not applied (this schema's are descriptions).
            if (rule.Reference is { } reference)
            {
                Walk(token, reference, inAlternative);
                return;
            }

            if (rule.AnyOf is { } alternatives && !WalkAlternatives(token, rule, alternatives))
            {
                return;
            }

            if (!WalkType(token, rule, inAlternative))
            {
                return;
            }

            if (rule.Enum is { } allowed && !(IsString(token) && allowed.Contains(TextOf(token), StringComparer.Ordinal))
                && Stop(SchemaFindingKind.NotInEnumeration, token, rule))
            {
                return;
            }

            WalkProperties(token, rule, inAlternative);
        }

        /// <summary>
        /// anyOf: at least one alternative must accept the value. When none does, what is wrong is reported inside the
        /// alternative whose shape the value has (a ported range, or a list of them), else that none fits.
        /// </summary>
        private bool WalkAlternatives(YamlNode token, SchemaRule rule, SchemaRule[] alternatives)
        {
            if (!collecting)
            {
                foreach (var alternative in alternatives)
                {
                    var quick = new Walker(collecting: false, credentialName, path);
                    quick.Walk(token, alternative, inAlternative: true);
                    if (!quick.Failed)
                    {
                        return true;
                    }
                }

                return !Stop(SchemaFindingKind.NoAlternativeFits, token, rule);
            }

            var attempts = new List<Walker>(alternatives.Length);
            foreach (var alternative in alternatives)
            {
                var attempt = new Walker(collecting: true, credentialName, path);
                attempt.Walk(token, alternative, inAlternative: true);
                if (!attempt.Failed)
                {
                    return true;
                }

                attempts.Add(attempt);
            }

            var fitting = Array.FindIndex(alternatives, a => a.Actual.Type switch
            {
                "array" => token is YamlSequence,
                "object" => token is YamlMapping,
                _ => false,
            });
            if (fitting < 0)
            {
                Stop(SchemaFindingKind.NoAlternativeFits, token, rule);
            }
            else
            {
                Failed = true;
                Findings.AddRange(attempts[fitting].Findings);
            }

            return true;
        }

        /// <summary>The type, and the keywords of the value's own type (draft-07 applies those whatever the declared type).</summary>
        private bool WalkType(YamlNode token, SchemaRule rule, bool inAlternative)
        {
            var type = rule.Type;
            if (token is YamlSequence array)
            {
                if (array.Count < (rule.MinItems ?? 0) && Stop(SchemaFindingKind.TooFewItems, token, rule))
                {
                    return false;
                }

                if (rule.Items is { } items)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        path.Add((null, i));
                        Walk(array.Items[i], items, inAlternative);
                        path.RemoveAt(path.Count - 1);
                        if (Failed && !collecting)
                        {
                            return false;
                        }
                    }
                }
                else if (rule.AnyOf is null && ScanStops(array, rule))
                {
                    return false;
                }
            }
            else if (type == "array" && Stop(SchemaFindingKind.ArrayExpected, token, rule))
            {
                return false;
            }

            if (IsString(token))
            {
                // Inline rather than TextFindings: a valid manifest's every text passes here, and allocates nothing.
                var text = TextOf(token);
                if ((rule.Pattern is { } pattern && !pattern.IsMatch(text) && Stop(SchemaFindingKind.PatternMismatch, token, rule))
                    || (text.Length < (rule.MinLength ?? 0) && Stop(SchemaFindingKind.StringTooShort, token, rule))
                    || (text.Length > (rule.MaxLength ?? int.MaxValue) && Stop(SchemaFindingKind.StringTooLong, token, rule)))
                {
                    return false;
                }
            }
            else if (type == "string" && Stop(SchemaFindingKind.StringExpected, token, rule))
            {
                return false;
            }

            var number = token as YamlScalar is { IsNumber: true } scalar ? scalar : null;
            if (type == "number" && number is null && Stop(SchemaFindingKind.NumberExpected, token, rule))
            {
                return false;
            }

            if (number is not null)
            {
                var value = number.Number;
                if (rule.Minimum is { } minimum && value < (double)minimum && Stop(SchemaFindingKind.NumberTooSmall, token, rule))
                {
                    return false;
                }

                if (rule.Maximum is { } maximum && value > (double)maximum && Stop(SchemaFindingKind.NumberTooBig, token, rule))
                {
                    return false;
                }
            }

            return !((type == "integer" && token is not YamlScalar { Kind: YamlScalarKind.Integer } && Stop(SchemaFindingKind.IntegerExpected, token, rule))
                || (type == "boolean" && token is not YamlScalar { Kind: YamlScalarKind.Boolean } && Stop(SchemaFindingKind.BooleanExpected, token, rule))
                || (type == "object" && token is not YamlMapping && Stop(SchemaFindingKind.ObjectExpected, token, rule))
                || (type is not (null or "array" or "string" or "number" or "integer" or "boolean" or "object") && Stop(SchemaFindingKind.Refused, token, rule)));
        }

        /// <summary>
        /// Listed properties in the schema's order, then the others. Required properties are looked for even when the
        /// value is not a mapping (as NJsonSchema does: "must be a mapping" then comes with what it must hold).
        /// </summary>
        private void WalkProperties(YamlNode token, SchemaRule rule, bool inAlternative)
        {
            var obj = token as YamlMapping;

            // Under anyOf, the alternatives have looked at the fields the rule itself leaves open (and for credentials).
            var alternativesLooked = rule.AnyOf is not null && rule.Additional is null;
            if (!collecting && obj is not null)
            {
                // The common case, quickly: each property looked up once.
                foreach (var name in rule.Required)
                {
                    if (obj.Entry(name) is null)
                    {
                        Stop(SchemaFindingKind.RequiredMissing, token, rule, name);
                        return;
                    }
                }

                foreach (var property in obj.Entries)
                {
                    if (rule.Properties.TryGetValue(property.Key, out var listed))
                    {
                        WalkEntry(property, listed, inAlternative);
                    }
                    else if (alternativesLooked)
                    {
                        continue;
                    }
                    else if (credentialName(property.Key))
                    {
                        StopAt(SchemaFindingKind.Credential, property, rule);
                    }
                    else if (rule.Additional is { } additional)
                    {
                        WalkEntry(property, additional, inAlternative);
                    }
                    else
                    {
                        ScanEntryStops(property, rule);
                    }

                    if (Failed)
                    {
                        return;
                    }
                }

                return;
            }

            foreach (var (name, propertyRule) in rule.PropertyOrder)
            {
                if (obj?.Entry(name) is { } property)
                {
                    WalkEntry(property, propertyRule, inAlternative);
                    if (Failed && !collecting)
                    {
                        return;
                    }
                }
                else if (rule.Required.Contains(name, StringComparer.Ordinal) && Stop(SchemaFindingKind.RequiredMissing, token, rule, name))
                {
                    return;
                }
            }

            foreach (var name in rule.Required)
            {
                if (!rule.Properties.ContainsKey(name) && obj?.Entry(name) is null
                    && Stop(SchemaFindingKind.RequiredMissing, token, rule, name))
                {
                    return;
                }
            }

            if (obj is null || alternativesLooked)
            {
                return;
            }

            foreach (var property in obj.Entries)
            {
                if (rule.Properties.ContainsKey(property.Key))
                {
                    continue;
                }

                if (credentialName(property.Key) && StopAt(SchemaFindingKind.Credential, property, rule))
                {
                    return;
                }

                var stop = rule.Additional switch
                {
                    // Anything goes here; only credentials are looked for.
                    null => ScanEntryStops(property, rule),
                    { Never: true } => StopAt(SchemaFindingKind.UnknownProperty, property, rule, inAlternative ? [] : rule.PropertyNames)
                        || ScanEntryStops(property, rule),
                    var additional => WalkStops(property, additional, inAlternative),
                };
                if (stop)
                {
                    return;
                }
            }
        }

        private bool WalkStops(YamlEntry entry, SchemaRule rule, bool inAlternative)
        {
            WalkEntry(entry, rule, inAlternative);
            return Failed && !collecting;
        }

        private bool ScanEntryStops(YamlEntry entry, SchemaRule rule)
        {
            path.Add((entry.Key, 0));
            var stop = ScanStops(entry.Value, rule);
            path.RemoveAt(path.Count - 1);
            return stop;
        }

        /// <summary>Looks for credential-like property names in a value no rule looks into (an unknown field's, say).</summary>
        private bool ScanStops(YamlNode token, SchemaRule rule)
        {
            switch (token)
            {
                case YamlMapping obj:
                    foreach (var property in obj.Entries)
                    {
                        if ((credentialName(property.Key) && StopAt(SchemaFindingKind.Credential, property, rule))
                            || ScanEntryStops(property, rule))
                        {
                            return true;
                        }
                    }

                    break;
                case YamlSequence array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        path.Add((null, i));
                        var stop = ScanStops(array.Items[i], rule);
                        path.RemoveAt(path.Count - 1);
                        if (stop)
                        {
                            return true;
                        }
                    }

                    break;
            }

            return false;
        }
    }

    private sealed class Compiler(JsonElement schemaRoot)
    {
        private readonly Dictionary<string, SchemaRule> definitions = new(StringComparer.Ordinal);

        public HashSet<string> Unknown { get; } = new(StringComparer.Ordinal);

        public SchemaRule Compile(JsonElement schema)
        {
            var rule = new SchemaRule();
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
                    case "description" when value.ValueKind == JsonValueKind.String:
                        rule.Description = value.GetString();
                        break;
                    case "properties":
                        foreach (var property in value.EnumerateObject())
                        {
                            rule.AddProperty(property.Name, Compile(property.Value));
                        }

                        break;
                    case "additionalProperties":
                        rule.Additional = value.ValueKind switch
                        {
                            JsonValueKind.False => new SchemaRule { Never = true },
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
                        rule.Pattern = SchemaPatterns.For(value.GetString() ?? string.Empty);
                        break;
                    case "enum" when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                        rule.Enum = [.. value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
                        break;
                    case "minimum":
                        rule.Minimum = value.GetDecimal();
                        break;
                    case "maximum":
                        rule.Maximum = value.GetDecimal();
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

        private SchemaRule Definition(string name)
        {
            if (definitions.TryGetValue(name, out var known))
            {
                return known;
            }

            // Registered before it is compiled, so a definition may refer to itself.
            var rule = new SchemaRule();
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
}

/// <summary>One compiled schema (a node of the manifest schema): what it requires of a value, and its description.</summary>
internal sealed class SchemaRule
{
    private readonly List<KeyValuePair<string, SchemaRule>> propertyOrder = [];

    public bool Never { get; set; }

    public string? Type { get; set; }

    /// <summary>The schema's own words for the value (quoted by format messages).</summary>
    public string? Description { get; set; }

    public Dictionary<string, SchemaRule> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>The listed properties in the schema's order.</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaRule>> PropertyOrder => propertyOrder;

    /// <summary>The listed names in the schema's order (one list, shared by every unknown-field finding).</summary>
    public IReadOnlyList<string> PropertyNames { get; private set; } = [];

    /// <summary>The rule for properties not listed; null when any is allowed.</summary>
    public SchemaRule? Additional { get; set; }

    public string[] Required { get; set; } = [];

    public int? MinLength { get; set; }

    public int? MaxLength { get; set; }

    public Regex? Pattern { get; set; }

    public string[]? Enum { get; set; }

    public decimal? Minimum { get; set; }

    public decimal? Maximum { get; set; }

    public SchemaRule? Items { get; set; }

    public int? MinItems { get; set; }

    /// <summary>Alternatives of which at least one must accept the value (a ported range, or a list of them).</summary>
    public SchemaRule[]? AnyOf { get; set; }

    public SchemaRule? Reference { get; set; }

    /// <summary>The rule a <c>$ref</c> leads to (itself when it has none).</summary>
    public SchemaRule Actual
    {
        get
        {
            var current = this;
            while (current.Reference is { } next)
            {
                current = next;
            }

            return current;
        }
    }

    public void AddProperty(string name, SchemaRule rule)
    {
        Properties[name] = rule;
        propertyOrder.Add(new(name, rule));
        PropertyNames = [.. propertyOrder.Select(p => p.Key)];
    }

    /// <summary>
    /// What text breaks of this rule's text keywords (pattern, then lengths, in UTF-16 code units as NJsonSchema counts
    /// them); also asked of a scalar YAML typed otherwise, to say what its quoted text would still need.
    /// </summary>
    public IEnumerable<SchemaFindingKind> TextFindings(string text)
    {
        if (Pattern is not null && !Pattern.IsMatch(text))
        {
            yield return SchemaFindingKind.PatternMismatch;
        }

        if (text.Length < (MinLength ?? 0))
        {
            yield return SchemaFindingKind.StringTooShort;
        }

        if (text.Length > (MaxLength ?? int.MaxValue))
        {
            yield return SchemaFindingKind.StringTooLong;
        }
    }
}
