namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC1xxx: finding and reading manifest files, YAML syntax, and the JSON Schema.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor PathNotFound { get; } = Error("WHC1001", "path does not exist");

    public static DiagnosticDescriptor NoManifestsFound { get; } = Error("WHC1002", "no manifest files found");

    public static DiagnosticDescriptor FileTooLarge { get; } = Error("WHC1003", "manifest file is too large");

    public static DiagnosticDescriptor FileUnreadable { get; } = Error("WHC1004", "manifest file cannot be read");

    public static DiagnosticDescriptor NotUtf8Text { get; } = Error("WHC1005", "manifest file is not UTF-8 text");

    public static DiagnosticDescriptor YamlSyntax { get; } = Error("WHC1006", "YAML syntax error");

    public static DiagnosticDescriptor TabIndentation { get; } = Error("WHC1007", "tab used for indentation");

    public static DiagnosticDescriptor DuplicateKey { get; } = Error("WHC1008", "key appears twice in one mapping");

    public static DiagnosticDescriptor AliasExpansionTooLarge { get; } = Error("WHC1009", "YAML aliases expand too far (an alias bomb or a cycle)");

    public static DiagnosticDescriptor NestingTooDeep { get; } = Error("WHC1010", "nesting too deep");

    public static DiagnosticDescriptor EmptyFile { get; } = Warning("WHC1011", "file contains no YAML documents");

    public static DiagnosticDescriptor DocumentNotMapping { get; } = Error("WHC1012", "document is not a mapping");

    public static DiagnosticDescriptor UnsupportedApiVersion { get; } = Error("WHC1013", "unsupported apiVersion");

    public static DiagnosticDescriptor UnsupportedKind { get; } = Error("WHC1014", "unsupported kind");

    public static DiagnosticDescriptor RequiredFieldMissing { get; } = Error("WHC1015", "required field missing");

    public static DiagnosticDescriptor WrongType { get; } = Error("WHC1016", "value has the wrong type");

    public static DiagnosticDescriptor UnknownField { get; } = Error("WHC1017", "unknown field");

    public static DiagnosticDescriptor CredentialInManifest { get; } = Error("WHC1018", "credential in a manifest");

    public static DiagnosticDescriptor ValueNotAllowed { get; } = Error("WHC1019", "value is not one of the allowed values");

    public static DiagnosticDescriptor ValueOutOfRange { get; } = Error("WHC1020", "value out of range");

    public static DiagnosticDescriptor SchemaViolation { get; } = Error("WHC1021", "value does not match the schema");

    public static DiagnosticDescriptor UnsupportedYamlFeature { get; } = Error("WHC1022", "unsupported YAML feature");

    public static DiagnosticDescriptor UnsupportedTag { get; } = Error("WHC1023", "YAML tag outside the core schema");

    public static DiagnosticDescriptor NoCompanyFound { get; } = Error("WHC1024", "the manifests define no company");

    public static DiagnosticDescriptor NotRegularFile { get; } = Error("WHC1025", "not a regular file (a FIFO, socket or device)");

    public static DiagnosticDescriptor DirectoryLinkNotFollowed { get; } = Warning("WHC1026", "link to a directory not followed");

    public static DiagnosticDescriptor DirectoryUnreadable { get; } = Error("WHC1027", "directory cannot be read");

    public static DiagnosticDescriptor LinkOutsideDirectory { get; } = Error("WHC1028", "link leads outside the directory given");

    public static DiagnosticDescriptor UndefinedAlias { get; } = Error("WHC1029", "alias to an anchor not defined before it in the document");

    public static DiagnosticDescriptor MergeValueNotMapping { get; } = Error("WHC1030", "merge key (<<) value is not a mapping or a list of mappings");
}
