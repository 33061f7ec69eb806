namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC1xxx: finding and reading manifest files, YAML syntax, and the JSON Schema.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor PathNotFound { get; } = Error("WHC1001", "Path does not exist");

    public static DiagnosticDescriptor NoManifestsFound { get; } = Error("WHC1002", "No manifest files found");

    public static DiagnosticDescriptor FileTooLarge { get; } = Error("WHC1003", "Manifest file is too large");

    public static DiagnosticDescriptor FileUnreadable { get; } = Error("WHC1004", "Manifest file cannot be read");

    public static DiagnosticDescriptor NotUtf8Text { get; } = Error("WHC1005", "Manifest file is not UTF-8 text");

    public static DiagnosticDescriptor YamlSyntax { get; } = Error("WHC1006", "YAML syntax error");

    public static DiagnosticDescriptor TabIndentation { get; } = Error("WHC1007", "Tab used for indentation");

    public static DiagnosticDescriptor DuplicateKey { get; } = Error("WHC1008", "Key appears twice in one mapping");

    public static DiagnosticDescriptor AliasNotAllowed { get; } = Error("WHC1009", "YAML aliases are not supported");

    public static DiagnosticDescriptor NestingTooDeep { get; } = Error("WHC1010", "Nesting too deep");

    public static DiagnosticDescriptor EmptyFile { get; } = Warning("WHC1011", "File contains no YAML documents");

    public static DiagnosticDescriptor DocumentNotMapping { get; } = Error("WHC1012", "Document is not a mapping");

    public static DiagnosticDescriptor UnsupportedApiVersion { get; } = Error("WHC1013", "Unsupported apiVersion");

    public static DiagnosticDescriptor UnsupportedKind { get; } = Error("WHC1014", "Unsupported kind");

    public static DiagnosticDescriptor RequiredFieldMissing { get; } = Error("WHC1015", "Required field missing");

    public static DiagnosticDescriptor WrongType { get; } = Error("WHC1016", "Value has the wrong type");

    public static DiagnosticDescriptor UnknownField { get; } = Error("WHC1017", "Unknown field");

    public static DiagnosticDescriptor CredentialInManifest { get; } = Error("WHC1018", "Credential in a manifest");

    public static DiagnosticDescriptor ValueNotAllowed { get; } = Error("WHC1019", "Value is not one of the allowed values");

    public static DiagnosticDescriptor ValueOutOfRange { get; } = Error("WHC1020", "Value out of range");

    public static DiagnosticDescriptor SchemaViolation { get; } = Error("WHC1021", "Value does not match the schema");

    public static DiagnosticDescriptor UnsupportedYamlFeature { get; } = Error("WHC1022", "Unsupported YAML feature");
}
