using System.Globalization;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC1xxx: finding and reading manifest files, YAML syntax, and the JSON Schema.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor PathNotFound { get; } = Error("WHC1001", "path does not exist");

    public static DiagnosticTemplate PathNotFoundOnDisk { get; } = PathNotFound.Template("no such file or directory");

    public static DiagnosticDescriptor NoManifestsFound { get; } = Error("WHC1002", "no manifest files found");

    public static DiagnosticTemplate NoManifestsFoundInDirectory { get; } =
        NoManifestsFound.Template("no manifest files (*.yaml, *.yml) in this directory or below it");

    public static DiagnosticDescriptor FileTooLarge { get; } = Error("WHC1003", "manifest file is too large");

    /// <summary>Reading stopped at the limit (a growing file, or one whose size the file system did not report).</summary>
    public static DiagnosticTemplate<long> FileTooLargeWhileReading { get; } =
        FileTooLarge.Template((long maxMiB) => string.Create(CultureInfo.InvariantCulture, $"the file is over {maxMiB} MiB (reading stopped there); manifest files may be at most {maxMiB} MiB (split the companies over several files)"));

    public static DiagnosticTemplate<double, long> FileTooLargeBySize { get; } =
        FileTooLarge.Template((double sizeMiB, long maxMiB) => string.Create(CultureInfo.InvariantCulture, $"the file is {sizeMiB:0.0} MiB; manifest files may be at most {maxMiB} MiB (split the companies over several files)"));

    public static DiagnosticDescriptor FileUnreadable { get; } = Error("WHC1004", "manifest file cannot be read");

    /// <summary>A path given on the command line, or a file met in a directory walk, whose kind cannot be told.</summary>
    public static DiagnosticTemplate<string?> FileUnreadablePath { get; } = FileUnreadable.Template((string? error) => $"cannot read it: {error}");

    public static DiagnosticTemplate<string> FileUnreadableWhileReading { get; } = FileUnreadable.Template((string reason) => $"cannot read the file: {reason}");

    public static DiagnosticTemplate<string?> FileUnreadableDanglingLink { get; } =
        FileUnreadable.Template((string? target) => $"this link leads nowhere: {target} does not exist");

    public static DiagnosticTemplate<string?> FileUnreadableLink { get; } = FileUnreadable.Template((string? error) => $"this link cannot be followed: {error}");

    public static DiagnosticDescriptor NotUtf8Text { get; } = Error("WHC1005", "manifest file is not UTF-8 text");

    public static DiagnosticTemplate NotUtf8TextNulCharacters { get; } =
        NotUtf8Text.Template("the file contains NUL characters; it looks binary, not a YAML manifest");

    public static DiagnosticTemplate NotUtf8TextNulBytes { get; } = NotUtf8Text.Template("the file contains NUL bytes; it looks binary, not a YAML manifest");

    public static DiagnosticTemplate NotUtf8TextUtf16 { get; } = NotUtf8Text.Template("the file is UTF-16 encoded; save it as UTF-8");

    public static DiagnosticTemplate NotUtf8TextInvalid { get; } = NotUtf8Text.Template("the file is not valid UTF-8 text; save it as UTF-8");

    public static DiagnosticDescriptor YamlSyntax { get; } = Error("WHC1006", "YAML syntax error");

    public static DiagnosticTemplate YamlSyntaxUnparsable { get; } = YamlSyntax.Template("the YAML cannot be parsed");

    /// <summary>The argument is the YAML library's own finding, its position prefix removed (the span has it).</summary>
    public static DiagnosticTemplate<string> YamlSyntaxFinding { get; } = YamlSyntax.Template((string finding) => $"the YAML cannot be parsed: {finding}");

    /// <summary>The YAML library failed without a position; the span is the last place read well.</summary>
    public static DiagnosticTemplate YamlSyntaxAfterHere { get; } =
        YamlSyntax.Template("the YAML cannot be parsed after this point; look for an unclosed [ or {, a missing quote or a misplaced ':'");

    public static DiagnosticDescriptor TabIndentation { get; } = Error("WHC1007", "tab used for indentation");

    public static DiagnosticTemplate TabIndentationUsed { get; } = TabIndentation.Template("a tab is used for indentation; YAML allows only spaces there");

    public static DiagnosticDescriptor DuplicateKey { get; } = Error("WHC1008", "key appears twice in one mapping");

    public static DiagnosticTemplate<string, int> DuplicateKeyInMapping { get; } =
        DuplicateKey.Template((string key, int firstLine) => string.Create(CultureInfo.InvariantCulture, $"key '{key}' appears twice in this mapping (first at line {firstLine})"));

    public static DiagnosticTemplate<string, int> DuplicateKeyMerge { get; } =
        DuplicateKey.Template((string key, int firstLine) => string.Create(CultureInfo.InvariantCulture, $"key '{key}' appears twice in this mapping (first at line {firstLine}); to merge several mappings, list them in one merge key: <<: [*a, *b]"));

    public static DiagnosticDescriptor AliasExpansionTooLarge { get; } = Error("WHC1009", "YAML aliases expand too far (an alias bomb or a cycle)");

    /// <summary>The alias's name is shortened by the reader (64 characters at most).</summary>
    public static DiagnosticTemplate<string> AliasExpansionRecursive { get; } =
        AliasExpansionTooLarge.Template((string alias) => $"the alias *{alias} is inside the node its anchor names, so it would repeat without end; a manifest cannot hold a recursive value");

    public static DiagnosticTemplate<int> AliasExpansionTooManyNodes { get; } =
        AliasExpansionTooLarge.Template((int maxNodes) => string.Create(CultureInfo.InvariantCulture, $"the aliases and merge keys of this file expand to more than {maxNodes} nodes (an alias bomb?); a manifest needs far fewer, so the file is not read further"));

    public static DiagnosticTemplate<long, long, long> AliasExpansionFileCharacters { get; } =
        AliasExpansionTooLarge.Template((long characters, long budget, long minimum) => string.Create(CultureInfo.InvariantCulture, $"the aliases and merge keys of this file would add {characters} characters, more than the {budget} a file may add (its own size, at least {minimum}); write large values once, without aliasing them, so the file is not read further"));

    public static DiagnosticTemplate<long> AliasExpansionRunCharacters { get; } =
        AliasExpansionTooLarge.Template((long maxPerRun) => string.Create(CultureInfo.InvariantCulture, $"the aliases and merge keys of the files read in this run would add more than {maxPerRun} characters together (this file's bring it past); write large values once, without aliasing them, so the file is not read further"));

    public static DiagnosticDescriptor NestingTooDeep { get; } = Error("WHC1010", "nesting too deep");

    public static DiagnosticTemplate<int> NestingTooDeepDocument { get; } =
        NestingTooDeep.Template((int maxDepth) => string.Create(CultureInfo.InvariantCulture, $"the document is nested more than {maxDepth} levels deep; a manifest needs far fewer"));

    public static DiagnosticTemplate<string, int> NestingTooDeepAlias { get; } =
        NestingTooDeep.Template((string alias, int maxDepth) => string.Create(CultureInfo.InvariantCulture, $"the alias *{alias} nests the document more than {maxDepth} levels deep; a manifest needs far fewer"));

    public static DiagnosticDescriptor EmptyFile { get; } = Warning("WHC1011", "file contains no YAML documents");

    public static DiagnosticTemplate EmptyFileNoText { get; } = EmptyFile.Template("the file is empty; it defines no companies");

    public static DiagnosticTemplate EmptyFileOnlyComments { get; } =
        EmptyFile.Template("the file holds only comments or empty documents; it defines no companies");

    public static DiagnosticDescriptor DocumentNotMapping { get; } = Error("WHC1012", "document is not a mapping");

    public static DiagnosticTemplate DocumentNotMappingManifest { get; } =
        DocumentNotMapping.Template("a manifest document must be a mapping (apiVersion:, kind:, metadata:, spec:)");

    public static DiagnosticDescriptor UnsupportedApiVersion { get; } = Error("WHC1013", "unsupported apiVersion");

    /// <summary>A later whc.declarative version than this whcctl knows.</summary>
    public static DiagnosticTemplate<string, string> UnsupportedApiVersionNewer { get; } =
        UnsupportedApiVersion.Template((string apiVersion, string current) => $"apiVersion '{apiVersion}' is not supported: this whcctl understands {current} only; upgrade whcctl to read this manifest");

    public static DiagnosticTemplate<string, string> UnsupportedApiVersionUnknown { get; } =
        UnsupportedApiVersion.Template((string apiVersion, string current) => $"apiVersion '{apiVersion}' is not known: expected {current}");

    public static DiagnosticDescriptor UnsupportedKind { get; } = Error("WHC1014", "unsupported kind");

    public static DiagnosticTemplate<string, string> UnsupportedKindDocument { get; } =
        UnsupportedKind.Template((string kind, string expected) => $"kind '{kind}' is not supported: each document describes one company (kind: {expected})");

    /// <summary>The kind differs from the supported one only in case.</summary>
    public static DiagnosticTemplate<string, string> UnsupportedKindCase { get; } =
        UnsupportedKind.Template((string kind, string expected) => $"kind '{kind}' is not supported: each document describes one company (kind: {expected}); did you mean '{expected}'?");

    public static DiagnosticDescriptor RequiredFieldMissing { get; } = Error("WHC1015", "required field missing");

    public static DiagnosticTemplate<string?> RequiredFieldMissingAtTop { get; } =
        RequiredFieldMissing.Template((string? field) => $"required field '{field}' is missing");

    public static DiagnosticTemplate<string?, string> RequiredFieldMissingIn { get; } =
        RequiredFieldMissing.Template((string? field, string parent) => $"required field '{field}' is missing in {parent}");

    public static DiagnosticDescriptor WrongType { get; } = Error("WHC1016", "value has the wrong type");

    /// <summary>What was expected and what was found, in words ("a whole number", "a list", "nothing"...).</summary>
    public static DiagnosticTemplate<string, string, string> WrongTypeFound { get; } =
        WrongType.Template((string field, string expected, string actual) => $"{field} must be {expected}, not {actual}");

    /// <summary>Text expected, and YAML read the plain scalar as something else; the argument is the scalar as written.</summary>
    public static DiagnosticTemplate<string, string, string, bool> WrongTypeQuoteIt { get; } =
        WrongType.Template((string field, string actual, string written, bool leadingZero) =>
            $"{field} must be text, not {actual}; quote it (\"{written}\") so YAML reads it as text{(leadingZero ? " and keeps the leading zero" : string.Empty)}");

    /// <summary>
    /// As <see cref="WrongTypeQuoteIt"/>, and the text as written breaks the field's pattern too, so quoting alone would
    /// not do: one message says both (a second round of validate is spared). <c>format</c> is the schema's description.
    /// </summary>
    public static DiagnosticTemplate<string, string, string, bool, string?> WrongTypeQuoteItAndFormat { get; } =
        WrongType.Template((string field, string actual, string written, bool leadingZero, string? format) =>
            $"{field} must be text, not {actual}; quote it (\"{written}\") so YAML reads it as text{(leadingZero ? " and keeps the leading zero" : string.Empty)}, and give it the expected format: {format}");

    /// <summary>As <see cref="WrongTypeQuoteIt"/>, and the text as written is too short or too long for the field as well.</summary>
    public static DiagnosticTemplate<string, string, string, bool, int> WrongTypeQuoteItAndLength { get; } =
        WrongType.Template((string field, string actual, string written, bool tooLong, int limit) => string.Create(CultureInfo.InvariantCulture,
            $"{field} must be text, not {actual}; quote it (\"{written}\") so YAML reads it as text, and make it {(tooLong ? "at most" : "at least")} {limit} characters"));

    public static DiagnosticDescriptor UnknownField { get; } = Error("WHC1017", "unknown field");

    /// <summary>
    /// A field the schema does not have; <c>parent</c> is null at the top level, <c>closest</c> the allowed name nearest
    /// to the one written (null when none is near; then the allowed names are listed, if there are any).
    /// </summary>
    public static DiagnosticTemplate<string, string?, string?, IReadOnlyList<string>> UnknownFieldIn { get; } =
        UnknownField.Template((string field, string? parent, string? closest, IReadOnlyList<string> allowed) =>
            $"unknown field '{field}' {(parent is null ? "at the top level" : $"in {parent}")}"
            + (closest is not null ? $"; did you mean '{closest}'?" : allowed.Count > 0 ? $"; allowed here: {string.Join(", ", allowed)}" : string.Empty));

    public static DiagnosticDescriptor CredentialInManifest { get; } = Error("WHC1018", "credential in a manifest");

    public static DiagnosticTemplate<string> CredentialInManifestField { get; } =
        CredentialInManifest.Template((string field) => $"field '{field}' looks like a credential; manifests are committed to version control, so they must not hold secrets. "
            + "Remove it and give whcctl its API credentials in the WHC_CLIENT_ID and WHC_CLIENT_SECRET environment variables");

    public static DiagnosticDescriptor ValueNotAllowed { get; } = Error("WHC1019", "value is not one of the allowed values");

    public static DiagnosticTemplate<string, string, IEnumerable<string?>> ValueNotAllowedEnumeration { get; } =
        ValueNotAllowed.Template((string field, string value, IEnumerable<string?> allowed) => $"{field} '{value}' is not allowed; expected one of: {string.Join(", ", allowed)}");

    public static DiagnosticDescriptor ValueOutOfRange { get; } = Error("WHC1020", "value out of range");

    public static DiagnosticTemplate<string> ValueOutOfRangeEmptyList { get; } = ValueOutOfRange.Template((string field) => $"{field} is empty: give at least one");

    public static DiagnosticTemplate<string, int> ValueOutOfRangeTooShort { get; } =
        ValueOutOfRange.Template((string field, int minLength) => string.Create(CultureInfo.InvariantCulture, $"{field} is too short: at least {minLength} characters"));

    public static DiagnosticTemplate<string, int?> ValueOutOfRangeTooLong { get; } =
        ValueOutOfRange.Template((string field, int? maxLength) => string.Create(CultureInfo.InvariantCulture, $"{field} is too long: at most {maxLength} characters"));

    public static DiagnosticTemplate<string, string, decimal?> ValueOutOfRangeBelowMinimum { get; } =
        ValueOutOfRange.Template((string field, string value, decimal? minimum) => string.Create(CultureInfo.InvariantCulture, $"{field} is {value}, below the minimum of {minimum}"));

    public static DiagnosticTemplate<string, string, decimal?> ValueOutOfRangeAboveMaximum { get; } =
        ValueOutOfRange.Template((string field, string value, decimal? maximum) => string.Create(CultureInfo.InvariantCulture, $"{field} is {value}, above the maximum of {maximum}"));

    public static DiagnosticDescriptor SchemaViolation { get; } = Error("WHC1021", "value does not match the schema");

    /// <summary>The argument <c>format</c> is the schema's own description of the field's format.</summary>
    public static DiagnosticTemplate<string, string, string?> SchemaViolationFormat { get; } =
        SchemaViolation.Template((string field, string value, string? format) => $"{field} '{value}' does not have the expected format: {format}");

    /// <summary>Any other finding of the schema check; <c>finding</c> is its name for it.</summary>
    public static DiagnosticTemplate<string, string> SchemaViolationOther { get; } =
        SchemaViolation.Template((string field, string finding) => $"{field} does not match the schema ({finding})");

    public static DiagnosticDescriptor UnsupportedYamlFeature { get; } = Error("WHC1022", "unsupported YAML feature");

    /// <summary>An alias used as a key, to something other than a scalar.</summary>
    public static DiagnosticTemplate UnsupportedYamlAliasKey { get; } =
        UnsupportedYamlFeature.Template("a mapping key must be a plain value, not a mapping, a list or nothing");

    public static DiagnosticTemplate UnsupportedYamlComplexKey { get; } =
        UnsupportedYamlFeature.Template("a mapping key must be a plain value, not a mapping or a list");

    public static DiagnosticDescriptor UnsupportedTag { get; } = Error("WHC1023", "YAML tag outside the core schema");

    /// <summary>The argument is the tag as written (!!binary, !custom), shortened by the reader.</summary>
    public static DiagnosticTemplate<string> UnsupportedTagOutsideCore { get; } =
        UnsupportedTag.Template((string tag) => $"the YAML tag {tag} is not supported: manifests are plain data; remove the tag (only the core schema's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read)");

    /// <summary>A core tag on the wrong node; the node is named in words ("a key", "this value", "a mapping", "a list").</summary>
    public static DiagnosticTemplate<string, string> UnsupportedTagMisfit { get; } =
        UnsupportedTag.Template((string tag, string node) => $"the YAML tag {tag} does not fit {node}; remove the tag");

    public static DiagnosticDescriptor NoCompanyFound { get; } = Error("WHC1024", "the manifests define no company");

    public static DiagnosticTemplate NoCompanyFoundInManifests { get; } =
        NoCompanyFound.Template("no company found: the manifests define no Company document (kind: Company); an empty or truncated manifest is refused rather than taken for 'nothing to do'");

    public static DiagnosticDescriptor NotRegularFile { get; } = Error("WHC1025", "not a regular file (a FIFO, socket or device)");

    /// <summary>The argument is the file's kind in words ("a FIFO", "a socket"...).</summary>
    public static DiagnosticTemplate<string> NotRegularFileKind { get; } =
        NotRegularFile.Template((string kind) => $"this is {kind}, not a regular file; whcctl reads only regular files");

    public static DiagnosticDescriptor DirectoryLinkNotFollowed { get; } = Warning("WHC1026", "link to a directory not followed");

    public static DiagnosticTemplate DirectoryLinkNotFollowedInWalk { get; } =
        DirectoryLinkNotFollowed.Template("this is a link to a directory, which whcctl does not follow (no loops, nothing outside the tree); give the directory itself as a path to read it");

    public static DiagnosticDescriptor DirectoryUnreadable { get; } = Error("WHC1027", "directory cannot be read");

    public static DiagnosticTemplate<string> DirectoryUnreadableInWalk { get; } =
        DirectoryUnreadable.Template((string reason) => $"cannot read the directory, so its manifests would be missed: {reason}");

    public static DiagnosticDescriptor LinkOutsideDirectory { get; } = Error("WHC1028", "link leads outside the directory given");

    public static DiagnosticTemplate<string?, string> LinkOutsideDirectoryTarget { get; } =
        LinkOutsideDirectory.Template((string? target, string root) => $"this is a link to {target}, outside {root}; whcctl reads no file outside the directory it is given, so a manifest directory cannot make it read any file on the machine");

    public static DiagnosticDescriptor UndefinedAlias { get; } = Error("WHC1029", "alias to an anchor not defined before it in the document");

    public static DiagnosticTemplate<string> UndefinedAliasInDocument { get; } =
        UndefinedAlias.Template((string alias) => $"the alias *{alias} names no anchor (&{alias}) written before it in this document; anchors are not shared between documents");

    public static DiagnosticDescriptor MergeValueNotMapping { get; } = Error("WHC1030", "merge key (<<) value is not a mapping or a list of mappings");

    public static DiagnosticTemplate MergeValueNotMappingValue { get; } =
        MergeValueNotMapping.Template("the value of a merge key (<<) must be a mapping (<<: *defaults) or a list of mappings (<<: [*a, *b]); write the key out, or quote \"<<\" to use it as an ordinary key");

    public static DiagnosticTemplate MergeValueNotMappingListEntry { get; } =
        MergeValueNotMapping.Template("an entry of a merge key's list must be a mapping (<<: *defaults) or a list of mappings (<<: [*a, *b]); write the key out, or quote \"<<\" to use it as an ordinary key");
}
