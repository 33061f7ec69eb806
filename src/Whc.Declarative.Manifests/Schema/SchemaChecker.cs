using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Text;
using Whc.Declarative.Manifests.Validation;
using Whc.Declarative.Manifests.Yaml;

namespace Whc.Declarative.Manifests.Schema;

/// <summary>
/// Checks one document before the model is built: apiVersion and kind first (a v2 manifest is not checked against the
/// v1 schema), then credentials anywhere and the JSON Schema, in one walk of the project's own checker, translating its
/// findings into diagnostics at the YAML position of the offending node. Returns true when the document can be turned
/// into the model.
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

        // One walk of the tree answers whether it conforms and whether any field looks like a credential (a valid
        // manifest holds none, and is walked once); only when it does not is it walked again for every finding.
        var found = new List<Diagnostic>();
        var findings = ManifestSchema.Conformance.Conforms(root) ? [] : ManifestSchema.Conformance.Check(root);
        var credentials = ReportCredentials(tree, findings, found);
        ReportUnsafeText(tree, credentials, found);
        foreach (var finding in findings)
        {
            if (finding.Kind != SchemaFindingKind.Credential && Translate(tree, finding, credentials) is { } diagnostic)
            {
                found.Add(diagnostic);
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

    private static HashSet<JProperty> ReportCredentials(YamlDocumentTree tree, List<SchemaFinding> findings, List<Diagnostic> diagnostics)
    {
        var found = new HashSet<JProperty>(ReferenceEqualityComparer.Instance);
        foreach (var finding in findings)
        {
            if (finding is { Kind: SchemaFindingKind.Credential, Token: JProperty property } && found.Add(property))
            {
                diagnostics.Add(DiagnosticCatalog.CredentialInManifestField.At(tree.SpanOf(property), Shorten(property.Name)));
            }
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

    private static Diagnostic? Translate(YamlDocumentTree tree, SchemaFinding finding, HashSet<JProperty> credentials)
    {
        var token = finding.Token;
        var rule = finding.Rule;
        switch (finding.Kind)
        {
            case SchemaFindingKind.UnknownProperty:
                return UnknownField(tree, finding, credentials);
            case SchemaFindingKind.RequiredMissing:
                return token.Parent is null
                    ? DiagnosticCatalog.RequiredFieldMissingAtTop.At(tree.SpanOf(token), finding.Property)
                    : DiagnosticCatalog.RequiredFieldMissingIn.At(tree.SpanOf(token), finding.Property, DisplayPath(token));
        }

        var field = DisplayPath(token);
        var span = tree.ValueSpanOf(token);
        return finding.Kind switch
        {
            SchemaFindingKind.PatternMismatch when ManifestValidator.FormatCheckedFields.Contains(SchemaPath(token)) => null,
            SchemaFindingKind.StringExpected => WrongType(tree, token, span, field, "text", rule),
            SchemaFindingKind.IntegerExpected => WrongType(tree, token, span, field, "a whole number", rule),
            SchemaFindingKind.NumberExpected => WrongType(tree, token, span, field, "a number", rule),
            SchemaFindingKind.BooleanExpected => WrongType(tree, token, span, field, "true or false", rule),
            SchemaFindingKind.ObjectExpected => WrongType(tree, token, span, field, "a mapping", rule),
            SchemaFindingKind.ArrayExpected => WrongType(tree, token, span, field, "a list", rule),
            SchemaFindingKind.NoAlternativeFits => WrongType(tree, token, span, field, "a range { from, to } or a list of them", rule),
            SchemaFindingKind.TooFewItems => DiagnosticCatalog.ValueOutOfRangeEmptyList.At(span, field),
            SchemaFindingKind.NotInEnumeration => DiagnosticCatalog.ValueNotAllowedEnumeration.At(span, field, Shorten(ValueText(token)), rule.Enum ?? []),
            SchemaFindingKind.StringTooShort => DiagnosticCatalog.ValueOutOfRangeTooShort.At(span, field, rule.MinLength ?? 1),
            SchemaFindingKind.StringTooLong => DiagnosticCatalog.ValueOutOfRangeTooLong.At(span, field, rule.MaxLength),
            SchemaFindingKind.NumberTooSmall => DiagnosticCatalog.ValueOutOfRangeBelowMinimum.At(span, field, ValueText(token), rule.Minimum),
            SchemaFindingKind.NumberTooBig => DiagnosticCatalog.ValueOutOfRangeAboveMaximum.At(span, field, ValueText(token), rule.Maximum),
            SchemaFindingKind.PatternMismatch => DiagnosticCatalog.SchemaViolationFormat.At(span, field, Shorten(ValueText(token)), rule.Description),
            _ => DiagnosticCatalog.SchemaViolationOther.At(span, field, finding.Kind.ToString()),
        };
    }

    private static Diagnostic? UnknownField(YamlDocumentTree tree, SchemaFinding finding, HashSet<JProperty> credentials)
    {
        if (finding.Token is not JProperty property || credentials.Contains(property))
        {
            return null;
        }

        var name = property.Name;
        var parent = property.Parent;
        var allowed = finding.AllowedProperties;
        var where = parent is null || parent.Parent is null ? null : DisplayPath(parent);
        return DiagnosticCatalog.UnknownFieldIn.At(tree.SpanOf(property), Shorten(name), where, EditDistance.Closest(name, allowed), allowed);
    }

    /// <summary>
    /// A value of the wrong type. When text is wanted and YAML typed a plain scalar otherwise, the hint is to quote it;
    /// its text is also checked against the field's other rules, so that what the quoted value would still need is
    /// said in the same message (an unquoted numeric CUG id needs quotes and the CUG prefix).
    /// </summary>
    private static Diagnostic WrongType(YamlDocumentTree tree, JToken token, SourceSpan span, string field, string expected, SchemaRule rule)
    {
        var actual = token.Type switch
        {
            JTokenType.Null => "nothing",
            JTokenType.Integer or JTokenType.Float => "a number",
            JTokenType.Boolean => "true/false",
            JTokenType.Object => "a mapping",
            JTokenType.Array => "a list",
            _ => "text",
        };
        var plain = tree.PlainTextOf(token);
        if (expected != "text" || plain is not { Length: > 0 })
        {
            return DiagnosticCatalog.WrongTypeFound.At(span, field, expected, actual);
        }

        var leadingZero = plain.StartsWith('0') && plain.Length > 1;
        return rule.TextFindings(plain).FirstOrDefault(SchemaFindingKind.StringExpected) switch
        {
            SchemaFindingKind.PatternMismatch => DiagnosticCatalog.WrongTypeQuoteItAndFormat.At(span, field, actual, Shorten(plain), leadingZero, rule.Description),
            SchemaFindingKind.StringTooShort => DiagnosticCatalog.WrongTypeQuoteItAndLength.At(span, field, actual, Shorten(plain), false, rule.MinLength ?? 0),
            SchemaFindingKind.StringTooLong => DiagnosticCatalog.WrongTypeQuoteItAndLength.At(span, field, actual, Shorten(plain), true, rule.MaxLength ?? 0),
            _ => DiagnosticCatalog.WrongTypeQuoteIt.At(span, field, actual, Shorten(plain), leadingZero),
        };
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
