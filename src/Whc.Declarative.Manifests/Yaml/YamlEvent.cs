using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using TagDirective = YamlDotNet.Core.Tokens.TagDirective;

namespace Whc.Declarative.Manifests.Yaml;

internal enum YamlEventKind : byte
{
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    MappingStart,
    MappingEnd,
    SequenceStart,
    SequenceEnd,
    Scalar,
    Alias,

    /// <summary>An event the tree does not use (a comment).</summary>
    Other,
}

/// <summary>
/// One YAML parsing event as <see cref="YamlTreeReader"/> reads it: what YamlDotNet's <see cref="ParsingEvent"/> of that
/// kind holds. YamlDotNet's events are turned into these; <see cref="ManifestYamlScanner"/> writes them directly, into a
/// reused list, so the fast path makes no object per event (those were nine tenths of what it allocated).
/// </summary>
internal readonly record struct YamlEvent(YamlEventKind Kind, Mark Start, Mark End)
{
    /// <summary>A scalar's text.</summary>
    public string Value { get; init; } = string.Empty;

    public ScalarStyle Style { get; init; } = ScalarStyle.Any;

    public TagName Tag { get; init; } = TagName.Empty;

    /// <summary>The anchor a node defines, or the name an alias refers to.</summary>
    public AnchorName Anchor { get; init; } = AnchorName.Empty;

    /// <summary>A scalar is a mapping's key.</summary>
    public bool IsKey { get; init; }

    /// <summary>A collection is written in flow style (<c>{ }</c>, <c>[ ]</c>).</summary>
    public bool IsFlow { get; init; }

    /// <summary>A document starts with <c>---</c>.</summary>
    public bool IsExplicit { get; init; }

    public static YamlEvent From(ParsingEvent parsingEvent) => parsingEvent switch
    {
        Scalar s => new(YamlEventKind.Scalar, s.Start, s.End) { Value = s.Value, Style = s.Style, Tag = s.Tag, Anchor = s.Anchor, IsKey = s.IsKey },
        MappingStart m => new(YamlEventKind.MappingStart, m.Start, m.End) { Tag = m.Tag, Anchor = m.Anchor, IsFlow = m.Style == MappingStyle.Flow },
        SequenceStart q => new(YamlEventKind.SequenceStart, q.Start, q.End) { Tag = q.Tag, Anchor = q.Anchor, IsFlow = q.Style == SequenceStyle.Flow },
        MappingEnd => new(YamlEventKind.MappingEnd, parsingEvent.Start, parsingEvent.End),
        SequenceEnd => new(YamlEventKind.SequenceEnd, parsingEvent.Start, parsingEvent.End),
        AnchorAlias a => new(YamlEventKind.Alias, a.Start, a.End) { Anchor = a.Value },
        DocumentStart d => new(YamlEventKind.DocumentStart, d.Start, d.End) { IsExplicit = !d.IsImplicit },
        DocumentEnd => new(YamlEventKind.DocumentEnd, parsingEvent.Start, parsingEvent.End),
        StreamStart => new(YamlEventKind.StreamStart, parsingEvent.Start, parsingEvent.End),
        StreamEnd => new(YamlEventKind.StreamEnd, parsingEvent.Start, parsingEvent.End),
        _ => new(YamlEventKind.Other, parsingEvent.Start, parsingEvent.End),
    };

    /// <summary>
    /// The event YamlDotNet's parser makes for this one when the text has no tags, anchors or directives (as the
    /// scanner's never has): so the scanner can be compared with YamlDotNet field by field.
    /// </summary>
    public ParsingEvent ToParsingEvent() => Kind switch
    {
        YamlEventKind.Scalar => new Scalar(Anchor, Tag, Value, Style, Style == ScalarStyle.Plain, Style != ScalarStyle.Plain, Start, End, IsKey),
        YamlEventKind.MappingStart => new MappingStart(Anchor, Tag, true, IsFlow ? MappingStyle.Flow : MappingStyle.Block, Start, End),
        YamlEventKind.SequenceStart => new SequenceStart(Anchor, Tag, true, IsFlow ? SequenceStyle.Flow : SequenceStyle.Block, Start, End),
        YamlEventKind.MappingEnd => new MappingEnd(Start, End),
        YamlEventKind.SequenceEnd => new SequenceEnd(Start, End),
        YamlEventKind.Alias => new AnchorAlias(Anchor, Start, End),
        YamlEventKind.DocumentStart => new DocumentStart(null, [new TagDirective("!", "!"), new TagDirective("!!", "tag:yaml.org,2002:")], !IsExplicit, Start, End),
        YamlEventKind.DocumentEnd => new DocumentEnd(true, Start, End),
        YamlEventKind.StreamStart => new StreamStart(Start, End),
        YamlEventKind.StreamEnd => new StreamEnd(Start, End),
        _ => new Comment(Value, false, Start, End),
    };
}
