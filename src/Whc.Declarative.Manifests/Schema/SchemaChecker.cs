using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Text;
using Whc.Declarative.Manifests.Validation;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>
/// Checks one document before the model is built: apiVersion and kind first (a v2 manifest is not checked against the
/// v1 schema), credentials anywhere, then the JSON Schema, translating its errors into diagnostics at the YAML
/// position of the offending node. Returns true when the document can be turned into the model.
/// </summary>
internal static partial class SchemaChecker
{
    private static readonly string[] CredentialWords =
        ["password", "passwd", "secret", "token", "apikey", "privatekey", "credential", "accesskey", "consumerkey"];

    private static readonly string[] CredentialNames = ["clientid", "auth", "authorization", "bearer"];

    /// <summary>Field names repeat across thousands of documents; each is judged once.</summary>
    private static readonly ConcurrentDictionary<string, bool> CredentialVerdicts = new(StringComparer.Ordinal);

    public static bool Check(YamlDocumentTree tree, List<Diagnostic> diagnostics)
    {
        var root = (JObject)tree.Root;
        if (!CheckApiVersionAndKind(tree, root, diagnostics))
        {
            return false;
        }

        var found = new List<Diagnostic>();
        var credentials = ReportCredentials(tree, found);
        ReportUnsafeText(tree, credentials, found);
        if (!ManifestSchema.Conformance.Conforms(root))
        {
            // Something is (or may be) wrong: NJsonSchema finds out what, and where.
            foreach (var error in Flatten(ManifestSchema.Schema.Validate(root)))
            {
                if (Translate(tree, error, credentials) is { } diagnostic)
                {
                    found.Add(diagnostic);
                }
            }
        }

        diagnostics.AddRange(found.OrderBy(d => d.Span.Line).ThenBy(d => d.Span.Column));
        return found.Count == 0;
    }

    /// <summary>Whether a field name looks like it holds a credential (the value is never looked at or echoed).</summary>
    public static bool LooksLikeCredential(string name) => CredentialVerdicts.GetOrAdd(name, static n =>
    {
        var normalised = new string([.. n.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
        return CredentialNames.Contains(normalised) || CredentialWords.Any(word => normalised.Contains(word, StringComparison.Ordinal));
    });

    private static bool CheckApiVersionAndKind(YamlDocumentTree tree, JObject root, List<Diagnostic> diagnostics)
    {
        if (root.Property("apiVersion", StringComparison.Ordinal) is { Value: JValue { Type: JTokenType.String, Value: string apiVersion } } versionProperty
            && apiVersion != CompanyManifest.CurrentApiVersion)
        {
            var span = tree.ValueSpanOf(versionProperty);
            diagnostics.Add(OtherVersion().IsMatch(apiVersion)
                ? DiagnosticCatalog.UnsupportedApiVersionNewer.At(span, apiVersion, CompanyManifest.CurrentApiVersion)
                : DiagnosticCatalog.UnsupportedApiVersionUnknown.At(span, Shorten(apiVersion), CompanyManifest.CurrentApiVersion));
            return false;
        }

        if (root.Property("kind", StringComparison.Ordinal) is { Value: JValue { Type: JTokenType.String, Value: string kind } } kindProperty
            && kind != CompanyManifest.Kind)
        {
            var template = string.Equals(kind, CompanyManifest.Kind, StringComparison.OrdinalIgnoreCase)
                ? DiagnosticCatalog.UnsupportedKindCase
                : DiagnosticCatalog.UnsupportedKindDocument;
            diagnostics.Add(template.At(tree.ValueSpanOf(kindProperty), Shorten(kind), CompanyManifest.Kind));
            return false;
        }

        return true;
    }

    private static HashSet<JProperty> ReportCredentials(YamlDocumentTree tree, List<Diagnostic> diagnostics)
    {
        var found = new HashSet<JProperty>(ReferenceEqualityComparer.Instance);
        foreach (var property in ((JObject)tree.Root).Descendants().OfType<JProperty>())
        {
            if (!LooksLikeCredential(property.Name))
            {
                continue;
            }

            found.Add(property);
            diagnostics.Add(DiagnosticCatalog.CredentialInManifestField.At(tree.SpanOf(property), Shorten(property.Name)));
        }

        return found;
    }

    /// <summary>
    /// Every text value is sent to BT or shown in a plan as written, so none may hold a control, bidi or invisible
    /// character. The character is named by code point, never echoed; a flood of them is reported in bounded space.
    /// </summary>
    private static void ReportUnsafeText(YamlDocumentTree tree, HashSet<JProperty> credentials, List<Diagnostic> diagnostics)
    {
        const int Shown = 10;
        var values = tree.UnsafeText.Where(u => u.Value.Parent is not JProperty property || !credentials.Contains(property)).ToList();
        foreach (var value in values.Take(Shown))
        {
            var template = value.CodePoint is '\n' or '\r' ? DiagnosticCatalog.UnsafeCharacterLineBreak : DiagnosticCatalog.UnsafeCharacterInValue;
            diagnostics.Add(template.At(value.Span, DisplayPath(value.Value), UnsafeCharacters.Describe(value.CodePoint), value.Index + 1));
        }

        if (values.Count > Shown)
        {
            diagnostics.Add(DiagnosticCatalog.UnsafeCharacterMore.At(values[Shown].Span, values.Count - Shown));
        }
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        var pending = new Stack<ValidationError>(errors.Reverse());
        while (pending.TryPop(out var error))
        {
            if (error is ChildSchemaValidationError { Kind: ValidationErrorKind.NotAnyOf } alternatives)
            {
                // Alternatives by shape (a ported range, or a list of them): report what is wrong in the one whose
                // shape the value has; a value of neither shape is reported as such (Translate).
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

    private static bool Fits(NJsonSchema.JsonSchema schema, JToken? token)
    {
        var type = schema.ActualSchema.Type;
        return token switch
        {
            JArray => type.HasFlag(NJsonSchema.JsonObjectType.Array),
            JObject => type.HasFlag(NJsonSchema.JsonObjectType.Object),
            _ => false,
        };
    }

    private static Diagnostic? Translate(YamlDocumentTree tree, ValidationError error, HashSet<JProperty> credentials)
    {
        var token = error.Token;
        switch (error.Kind)
        {
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                return UnknownField(tree, error, credentials);
            case ValidationErrorKind.PropertyRequired:
                return token is null || token.Parent is null
                    ? DiagnosticCatalog.RequiredFieldMissingAtTop.At(tree.SpanOf(token), error.Property)
                    : DiagnosticCatalog.RequiredFieldMissingIn.At(tree.SpanOf(token), error.Property, DisplayPath(token));
        }

        var field = token is null ? error.Property ?? "value" : DisplayPath(token);
        var span = tree.ValueSpanOf(token);
        var schema = token is null ? null : ManifestSchema.Find(YamlDocumentTree.PathSegments(token));
        return error.Kind switch
        {
            ValidationErrorKind.PatternMismatch when token is not null && ManifestValidator.FormatCheckedFields.Contains(SchemaPath(token)) => null,
            ValidationErrorKind.StringExpected => WrongType(tree, token, span, field, "text"),
            ValidationErrorKind.IntegerExpected => WrongType(tree, token, span, field, "a whole number"),
            ValidationErrorKind.NumberExpected => WrongType(tree, token, span, field, "a number"),
            ValidationErrorKind.BooleanExpected => WrongType(tree, token, span, field, "true or false"),
            ValidationErrorKind.ObjectExpected => WrongType(tree, token, span, field, "a mapping"),
            ValidationErrorKind.ArrayExpected => WrongType(tree, token, span, field, "a list"),
            ValidationErrorKind.NotAnyOf => WrongType(tree, token, span, field, "a range { from, to } or a list of them"),
            ValidationErrorKind.TooFewItems => DiagnosticCatalog.ValueOutOfRangeEmptyList.At(span, field),
            ValidationErrorKind.NotInEnumeration => DiagnosticCatalog.ValueNotAllowedEnumeration.At(span,
                field, Shorten(ValueText(token)), schema?.Enumeration.Select(e => e?.ToString()) ?? []),
            ValidationErrorKind.StringTooShort => DiagnosticCatalog.ValueOutOfRangeTooShort.At(span, field, schema?.MinLength ?? 1),
            ValidationErrorKind.StringTooLong => DiagnosticCatalog.ValueOutOfRangeTooLong.At(span, field, schema?.MaxLength),
            ValidationErrorKind.NumberTooSmall => DiagnosticCatalog.ValueOutOfRangeBelowMinimum.At(span, field, ValueText(token), schema?.Minimum),
            ValidationErrorKind.NumberTooBig => DiagnosticCatalog.ValueOutOfRangeAboveMaximum.At(span, field, ValueText(token), schema?.Maximum),
            ValidationErrorKind.PatternMismatch => DiagnosticCatalog.SchemaViolationFormat.At(span, field, Shorten(ValueText(token)), schema?.Description),
            _ => DiagnosticCatalog.SchemaViolationOther.At(span, field, error.Kind.ToString()),
        };
    }

    private static Diagnostic? UnknownField(YamlDocumentTree tree, ValidationError error, HashSet<JProperty> credentials)
    {
        var property = error.Token switch
        {
            JProperty p => p,
            { Parent: JProperty p } => p,
            JObject obj when error.Property is { } missing => obj.Property(missing, StringComparison.Ordinal),
            _ => null,
        };
        if (property is not null && credentials.Contains(property))
        {
            return null;
        }

        var name = property?.Name ?? error.Property ?? "?";
        var parent = property?.Parent;
        var allowed = parent is null
            ? []
            : ManifestSchema.Find(YamlDocumentTree.PathSegments(parent))?.ActualProperties.Keys.ToArray() ?? [];
        var where = parent is null || parent.Parent is null ? null : DisplayPath(parent);
        return DiagnosticCatalog.UnknownFieldIn.At(tree.SpanOf((JToken?)property ?? error.Token), Shorten(name), where, EditDistance.Closest(name, allowed), allowed);
    }

    private static Diagnostic WrongType(YamlDocumentTree tree, JToken? token, SourceSpan span, string field, string expected)
    {
        var actual = token?.Type switch
        {
            null or JTokenType.Null => "nothing",
            JTokenType.Integer or JTokenType.Float => "a number",
            JTokenType.Boolean => "true/false",
            JTokenType.Object => "a mapping",
            JTokenType.Array => "a list",
            _ => "text",
        };
        var plain = token is null ? null : tree.PlainTextOf(token);
        return expected == "text" && plain is { Length: > 0 }
            ? DiagnosticCatalog.WrongTypeQuoteIt.At(span, field, actual, Shorten(plain), plain.StartsWith('0') && plain.Length > 1)
            : DiagnosticCatalog.WrongTypeFound.At(span, field, expected, actual);
    }

    /// <summary>spec.sites[0].users[1].extension</summary>
    internal static string DisplayPath(JToken token)
    {
        var builder = new StringBuilder();
        foreach (var segment in YamlDocumentTree.PathSegments(token))
        {
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(segment);
            }
        }

        return builder.Length == 0 ? "the document" : builder.ToString();
    }

    /// <summary>spec.sites[].users[].extension: the path with array indexes left out, as in FormatCheckedFields.</summary>
    private static string SchemaPath(JToken token) => ArrayIndex().Replace(DisplayPath(token), "[]");

    [GeneratedRegex(@"\[[0-9]+\]")]
    private static partial Regex ArrayIndex();

    [GeneratedRegex("^whc\\.declarative/v[0-9]+")]
    private static partial Regex OtherVersion();

    private static string ValueText(JToken? token) => token switch
    {
        JProperty p => ValueText(p.Value),
        JValue { Value: IFormattable formattable } => formattable.ToString(null, CultureInfo.InvariantCulture),
        JValue { Value: { } value } => value.ToString() ?? string.Empty,
        _ => string.Empty,
    };

    private static string Shorten(string value) => value.Length <= 64 ? value : $"{value[..61]}...";
}
