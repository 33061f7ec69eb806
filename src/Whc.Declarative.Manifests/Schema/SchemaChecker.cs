using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
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
        var root = tree.Root;
        if (!CheckApiVersionAndKind(root, diagnostics))
        {
            return false;
        }

        // One walk of the tree answers whether it conforms and whether any field looks like a credential (a valid
        // manifest holds none, and is walked once); only when it does not is it walked again for every finding.
        var found = new List<Diagnostic>();
        var findings = ManifestSchema.Conformance.Conforms(root) ? [] : ManifestSchema.Conformance.Check(root);
        var credentials = ReportCredentials(findings, found);
        ReportUnsafeText(tree, credentials, found);
        foreach (var finding in findings)
        {
            if (finding.Kind != SchemaFindingKind.Credential && Translate(finding, credentials) is { } diagnostic)
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

    private static bool CheckApiVersionAndKind(YamlMapping root, List<Diagnostic> diagnostics)
    {
        if (root["apiVersion"] is YamlScalar { Kind: YamlScalarKind.String, Text: var apiVersion } versionValue
            && apiVersion != CompanyManifest.CurrentApiVersion)
        {
            var span = versionValue.Span;
            diagnostics.Add(OtherVersion().IsMatch(apiVersion)
                ? DiagnosticCatalog.UnsupportedApiVersionNewer.At(span, apiVersion, CompanyManifest.CurrentApiVersion)
                : DiagnosticCatalog.UnsupportedApiVersionUnknown.At(span, Shorten(apiVersion), CompanyManifest.CurrentApiVersion));
            return false;
        }

        if (root["kind"] is YamlScalar { Kind: YamlScalarKind.String, Text: var kind } kindValue
            && kind != CompanyManifest.Kind)
        {
            var template = string.Equals(kind, CompanyManifest.Kind, StringComparison.OrdinalIgnoreCase)
                ? DiagnosticCatalog.UnsupportedKindCase
                : DiagnosticCatalog.UnsupportedKindDocument;
            diagnostics.Add(template.At(kindValue.Span, Shorten(kind), CompanyManifest.Kind));
            return false;
        }

        return true;
    }

    /// <summary>The credential entries found, by path (an aliased entry is one finding wherever it is used).</summary>
    private static HashSet<string> ReportCredentials(List<SchemaFinding> findings, List<Diagnostic> diagnostics)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            if (finding is { Kind: SchemaFindingKind.Credential, Entry: { } property } && found.Add(PathKey(finding.Path)))
            {
                diagnostics.Add(DiagnosticCatalog.CredentialInManifestField.At(property.KeySpan, Shorten(property.Key)));
            }
        }

        return found;
    }

    /// <summary>A path as one string whose separator no key holds (a YAML key may hold dots and brackets).</summary>
    private static string PathKey(YamlPath path) => string.Join('\0', path.Segments);

    /// <summary>
    /// Every text value is sent to BT or shown in a plan as written, so none may hold a control, bidi or invisible
    /// character. The character is named by code point, never echoed; a flood of them is reported in bounded space.
    /// </summary>
    private static void ReportUnsafeText(YamlDocumentTree tree, HashSet<string> credentials, List<Diagnostic> diagnostics)
    {
        const int Shown = 10;
        var values = tree.UnsafeText.Where(u => !u.IsEntryValue || !credentials.Contains(PathKey(u.Path))).ToList();
        foreach (var value in values.Take(Shown))
        {
            var template = value.CodePoint is '\n' or '\r' ? DiagnosticCatalog.UnsafeCharacterLineBreak : DiagnosticCatalog.UnsafeCharacterInValue;
            diagnostics.Add(template.At(value.Span, DisplayPath(value.Path), UnsafeCharacters.Describe(value.CodePoint), value.Index + 1));
        }

        if (values.Count > Shown)
        {
            diagnostics.Add(DiagnosticCatalog.UnsafeCharacterMore.At(values[Shown].Span, values.Count - Shown));
        }
    }

    private static Diagnostic? Translate(SchemaFinding finding, HashSet<string> credentials)
    {
        var token = finding.Node;
        var rule = finding.Rule;
        switch (finding.Kind)
        {
            case SchemaFindingKind.UnknownProperty:
                return UnknownField(finding, credentials);
            case SchemaFindingKind.RequiredMissing:
                return finding.Path.IsRoot
                    ? DiagnosticCatalog.RequiredFieldMissingAtTop.At(token.Span, finding.Property)
                    : DiagnosticCatalog.RequiredFieldMissingIn.At(token.Span, finding.Property, DisplayPath(finding.Path));
        }

        var field = DisplayPath(finding.Path);
        var span = token.Span;
        return finding.Kind switch
        {
            SchemaFindingKind.PatternMismatch when ManifestValidator.FormatCheckedFields.Contains(SchemaPath(finding.Path)) => null,
            SchemaFindingKind.StringExpected => WrongType(token, span, field, "text", rule),
            SchemaFindingKind.IntegerExpected => WrongType(token, span, field, "a whole number", rule),
            SchemaFindingKind.NumberExpected => WrongType(token, span, field, "a number", rule),
            SchemaFindingKind.BooleanExpected => WrongType(token, span, field, "true or false", rule),
            SchemaFindingKind.ObjectExpected => WrongType(token, span, field, "a mapping", rule),
            SchemaFindingKind.ArrayExpected => WrongType(token, span, field, "a list", rule),
            SchemaFindingKind.NoAlternativeFits => WrongType(token, span, field, "a range { from, to } or a list of them", rule),
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

    private static Diagnostic? UnknownField(SchemaFinding finding, HashSet<string> credentials)
    {
        if (finding.Entry is not { } property || credentials.Contains(PathKey(finding.Path)))
        {
            return null;
        }

        var name = property.Key;
        var parent = finding.Path.Parent;
        var allowed = finding.AllowedProperties;
        var where = parent is null || parent.IsRoot ? null : DisplayPath(parent);
        return DiagnosticCatalog.UnknownFieldIn.At(property.KeySpan, Shorten(name), where, EditDistance.Closest(name, allowed), allowed);
    }

    /// <summary>
    /// A value of the wrong type. When text is wanted and YAML typed a plain scalar otherwise, the hint is to quote it;
    /// its text is also checked against the field's other rules, so that what the quoted value would still need is
    /// said in the same message (an unquoted numeric CUG id needs quotes and the CUG prefix).
    /// </summary>
    private static Diagnostic WrongType(YamlNode token, SourceSpan span, string field, string expected, SchemaRule rule)
    {
        var actual = token switch
        {
            YamlScalar { Kind: YamlScalarKind.Null } => "nothing",
            YamlScalar { Kind: YamlScalarKind.Integer or YamlScalarKind.Float } => "a number",
            YamlScalar { Kind: YamlScalarKind.Boolean } => "true/false",
            YamlMapping => "a mapping",
            YamlSequence => "a list",
            _ => "text",
        };
        var plain = token is YamlScalar { TypedPlain: true } typed ? typed.Text : null;
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
    internal static string DisplayPath(YamlPath path) => DisplayPath(path.Segments);

    /// <summary>spec.sites[0].users[1].extension, from the keys and indexes (a key of digits reads as an index, as in a JSON pointer).</summary>
    internal static string DisplayPath(IReadOnlyList<string> segments)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
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
    private static string SchemaPath(YamlPath path) => ArrayIndex().Replace(DisplayPath(path), "[]");

    [GeneratedRegex(@"\[[0-9]+\]")]
    private static partial Regex ArrayIndex();

    [GeneratedRegex("^whc\\.declarative/v[0-9]+")]
    private static partial Regex OtherVersion();

    private static string ValueText(YamlNode token) => token is YamlScalar scalar ? scalar.ValueText : string.Empty;

    private static string Shorten(string value) => value.Length <= 64 ? value : $"{value[..61]}...";
}
